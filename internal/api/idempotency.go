package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/service"
)

// Safe retries (docs/api.md): a POST sent with an Idempotency-Key runs
// once; a retry with the same key and the same request gets the first
// answer again (status, body, Location, ETag) with Idempotent-Replayed:
// true, on any node. Keys are the caller's own and kept a day.

// idempotencyHeader names the request header.
const idempotencyHeader = "Idempotency-Key"

// maxIdempotentBody bounds the body of a POST read to fingerprint it: the
// largest body any POST takes (a multipart create with both logos).
const maxIdempotentBody = 2*domain.MaxLogoBytes + MaxJSONBody + 2*multipartSlack

// noReplay are the POST routes whose answer must not be kept: a new API
// token is shown once, and keeping it would keep the secret.
var noReplay = map[string]bool{BasePath + "/tokens": true}

// replayedHeaders are the headers a kept answer carries again.
var replayedHeaders = []string{"Content-Type", "Location", "ETag"}

// idempotent runs the route's handler under the request's Idempotency-Key,
// if it has one.
func (a *API) idempotent(rt Route, w http.ResponseWriter, r *http.Request) error {
	key, has := r.Header[idempotencyHeader]
	if !has || rt.Method != http.MethodPost || rt.Public {
		return rt.handler(a, w, r)
	}
	if noReplay[rt.Path] {
		return domain.Errorf(domain.EBadRequest, "POST %s takes no Idempotency-Key: its answer holds a secret that is shown once.", rt.Path)
	}
	if len(key) != 1 || key[0] == "" || len(key[0]) > domain.MaxIdempotencyKey || strings.ContainsFunc(key[0], func(c rune) bool { return c < 0x20 || c > 0x7e }) {
		return domain.Errorf(domain.EBadRequest, "Idempotency-Key must be one value of 1 to %d printable ASCII characters.", domain.MaxIdempotencyKey)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxIdempotentBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return domain.Errorf(domain.ETooLarge, "The request body is too large.")
		}
		return domain.Errorf(domain.EBadRequest, "The request body could not be read.")
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	fp := fingerprint(r, body)
	kept, err := a.svc.idempotency.BeginIdempotent(r.Context(), key[0], fp)
	if err != nil {
		return err
	}
	if kept != nil {
		for k, v := range kept.Header {
			w.Header().Set(k, v)
		}
		w.Header().Set("Idempotent-Replayed", "true")
		w.WriteHeader(kept.Status)
		_, _ = w.Write(kept.Body)
		return nil
	}
	rec := &recorder{header: w.Header().Clone()} // with the request id the server set
	if err := rt.handler(a, rec, r); err != nil {
		a.writeError(rec, r, err)
	}
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	ans := service.IdempotentAnswer{Status: rec.status, Header: map[string]string{}, Body: rec.body.Bytes()}
	for _, h := range replayedHeaders {
		if v := rec.header.Get(h); v != "" {
			ans.Header[h] = v
		}
	}
	if err := a.svc.idempotency.FinishIdempotent(r.Context(), key[0], fp, ans); err != nil {
		// The write was done; its answer goes out, but a retry will not
		// find it. Say so in the log.
		a.log.ErrorContext(r.Context(), "keeping an idempotent answer", "path", r.URL.Path, "err", err)
	}
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.status)
	_, _ = w.Write(rec.body.Bytes())
	return nil
}

// fingerprint is the hash of what makes a request this request: method,
// path, query, media type and body. A multipart body's boundary is left
// out, as clients draw a new one for each send.
func fingerprint(r *http.Request, body []byte) string {
	ct := r.Header.Get("Content-Type")
	if mt, params, err := mime.ParseMediaType(ct); err == nil {
		ct = mt
		if b := params["boundary"]; strings.HasPrefix(mt, "multipart/") && b != "" {
			body = bytes.ReplaceAll(body, []byte(b), []byte("\x00boundary\x00"))
		}
	}
	h := sha256.New()
	for _, s := range []string{r.Method, r.URL.Path, r.URL.RawQuery, ct} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// recorder keeps a handler's answer so it can be kept and then sent.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}
