package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/custreg/custreg/internal/domain"
)

// typePrefix starts every problem type. Types are stable: clients may branch
// on them. The full list is in docs/api.md.
const typePrefix = "urn:custreg:problem:"

// problem is an RFC 9457 problem detail.
type problem struct {
	Type     string              `json:"type"`
	Title    string              `json:"title"`
	Status   int                 `json:"status"`
	Detail   string              `json:"detail"`
	Instance string              `json:"instance,omitempty"`
	Errors   []domain.FieldError `json:"errors,omitempty"`
	// A license-exceeded problem says which invariant the request would
	// break: the type, the kind and value of the limit, the figure the
	// request would have reached, and the customer (if it is one's).
	LicenseType string `json:"license_type,omitempty"`
	LimitKind   string `json:"limit_kind,omitempty"`
	Limit       *int64 `json:"limit,omitempty"`
	WouldBe     *int64 `json:"would_be,omitempty"`
	CustomerID  string `json:"customer_id,omitempty"`
	// Excesses lists every invariant the request would break (the first
	// is the one named above): a request over the pool in several types
	// is told of all of them at once.
	Excesses []domain.LicenseExcess `json:"license_excesses,omitempty"`
}

// statuses maps each domain error code to its one HTTP status and default
// problem type.
var statuses = map[domain.Code]struct {
	status int
	slug   string
}{
	domain.EInvalid:          {http.StatusUnprocessableEntity, "validation"},
	domain.EBadRequest:       {http.StatusBadRequest, "bad-request"},
	domain.ENotFound:         {http.StatusNotFound, "not-found"},
	domain.EConflict:         {http.StatusConflict, "conflict"},
	domain.EPrecondition:     {http.StatusPreconditionFailed, "precondition-failed"},
	domain.EUnauthorized:     {http.StatusUnauthorized, "unauthorized"},
	domain.EForbidden:        {http.StatusForbidden, "forbidden"},
	domain.ETooLarge:         {http.StatusRequestEntityTooLarge, "too-large"},
	domain.EUnsupportedMedia: {http.StatusUnsupportedMediaType, "unsupported-media-type"},
	domain.ETooManyRequests:  {http.StatusTooManyRequests, "too-many-requests"},
	domain.EInternal:         {http.StatusInternalServerError, "internal"},
}

// writeError renders err as a problem. Errors that are not *domain.Error are
// logged with the request id and sent as a bare 500: internal details never
// reach the client.
func (a *API) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var de *domain.Error
	if !errors.As(err, &de) {
		a.log.ErrorContext(r.Context(), "internal error", "method", r.Method, "path", r.URL.Path,
			"request_id", domain.RequestFrom(r.Context()).ID, "err", err)
		de = &domain.Error{Code: domain.EInternal, Message: "An internal error occurred; it has been logged with request id " + domain.RequestFrom(r.Context()).ID + "."}
	}
	st, ok := statuses[de.Code]
	if !ok {
		st = statuses[domain.EInternal]
	}
	slug := st.slug
	if de.Type != "" {
		slug = de.Type
	}
	if de.Code == domain.EUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="custreg"`)
	}
	if de.RetryAfter > 0 {
		w.Header().Set("Retry-After", retryAfter(de.RetryAfter))
	}
	p := problem{Type: typePrefix + slug, Title: http.StatusText(st.status), Status: st.status, Detail: de.Message, Errors: de.Fields}
	if x := de.License; x != nil {
		p.LicenseType, p.LimitKind, p.Limit, p.WouldBe, p.CustomerID = x.Type, x.Limit, &x.LimitValue, &x.Result, x.CustomerID
		p.Excesses = de.Excesses
		if len(p.Excesses) == 0 {
			p.Excesses = []domain.LicenseExcess{*x}
		}
	}
	a.writeProblem(w, r, p)
}

// retryAfter is a Retry-After value: whole seconds, rounded up, at least 1.
func retryAfter(d time.Duration) string {
	return strconv.FormatInt(max(1, int64((d+time.Second-1)/time.Second)), 10)
}

func (a *API) writeProblem(w http.ResponseWriter, r *http.Request, p problem) {
	p.Instance = r.URL.Path
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

// writeJSON writes v as JSON with status. It returns nil: once the status
// is sent, a failed write means the client went away, and there is nothing
// left to tell it.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
	return nil
}
