// Package problem is custreg's one table from the domain's error codes to
// HTTP statuses and problem types, and its one renderer of RFC 9457
// problem details. Every HTTP edge answers errors through it: the API, the
// authentication middleware and the server's own refusals write problems
// with Write; the web UI's error page takes its status from Status.
package problem

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/custreg/custreg/internal/domain"
)

// TypePrefix starts every problem type. Types are stable: clients may
// branch on them. The full list is in docs/api.md.
const TypePrefix = "urn:custreg:problem:"

// Details is an RFC 9457 problem detail.
type Details struct {
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

	// header is what the answer carries besides the body.
	header http.Header
}

// codes maps each domain error code to its one HTTP status and default
// problem type.
var codes = map[domain.Code]struct {
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

// Status is the HTTP status of a domain error code; an unknown code is an
// internal error.
func Status(c domain.Code) int {
	if e, ok := codes[c]; ok {
		return e.status
	}
	return http.StatusInternalServerError
}

// New is a problem the domain has no code for (a route that does not
// exist, a header too large): its status, type slug and detail.
func New(status int, slug, detail string) Details {
	return Details{Type: TypePrefix + slug, Title: http.StatusText(status), Status: status, Detail: detail}
}

// From is the problem of a domain error: its code's status and type (or
// the error's own refining type), its message and field errors, what a
// license refusal would break, and the headers the status calls for.
func From(de *domain.Error) Details {
	e, ok := codes[de.Code]
	if !ok {
		e = codes[domain.EInternal]
	}
	slug := e.slug
	if de.Type != "" {
		slug = de.Type
	}
	p := New(e.status, slug, de.Message)
	p.Errors = de.Fields
	if x := de.License; x != nil {
		p.LicenseType, p.LimitKind, p.Limit, p.WouldBe, p.CustomerID = x.Type, x.Limit, &x.LimitValue, &x.Result, x.CustomerID
		p.Excesses = de.Excesses
		if len(p.Excesses) == 0 {
			p.Excesses = []domain.LicenseExcess{*x}
		}
	}
	p.header = http.Header{}
	if de.Code == domain.EUnauthorized {
		p.header.Set("WWW-Authenticate", `Bearer realm="custreg"`)
	}
	if de.RetryAfter > 0 {
		p.header.Set("Retry-After", RetryAfter(de.RetryAfter))
	}
	return p
}

// Internal is the problem of an error that is not the domain's, which the
// caller has logged with the request id: the client hears only that id.
func Internal(r *http.Request, detail string) Details {
	id := domain.RequestFrom(r.Context()).ID
	return New(http.StatusInternalServerError, "internal", detail+" it has been logged with request id "+id+".")
}

// RetryAfter is a Retry-After value: whole seconds, rounded up, at least 1.
func RetryAfter(d time.Duration) string {
	return strconv.FormatInt(max(1, int64((d+time.Second-1)/time.Second)), 10)
}

// Write answers r with p, as application/problem+json, never cached.
func Write(w http.ResponseWriter, r *http.Request, p Details) {
	p.Instance = r.URL.Path
	for k, vs := range p.header {
		w.Header()[k] = vs
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}
