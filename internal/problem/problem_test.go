package problem_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/problem"
)

func TestStatus(t *testing.T) {
	for code, want := range map[domain.Code]int{
		domain.EInvalid:             422,
		domain.EBadRequest:          400,
		domain.ENotFound:            404,
		domain.EConflict:            409,
		domain.EPrecondition:        412,
		domain.EUnauthorized:        401,
		domain.EForbidden:           403,
		domain.ETooLarge:            413,
		domain.EUnsupportedMedia:    415,
		domain.ETooManyRequests:     429,
		domain.EInternal:            500,
		domain.Code("no-such-code"): 500,
	} {
		if got := problem.Status(code); got != want {
			t.Errorf("Status(%s) = %d, want %d", code, got, want)
		}
	}
}

// write renders p for a request to path and decodes what was sent.
func write(t *testing.T, p problem.Details) (*httptest.ResponseRecorder, map[string]any) {
	t.Helper()
	rec := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodGet, "/api/v1/customers/x", nil)
	problem.Write(rec, r, p)
	var body map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("body %q: %v", rec.Body, err)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type = %q", ct)
	}
	if cc := rec.Header().Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control = %q", cc)
	}
	return rec, body
}

func TestFrom(t *testing.T) {
	t.Run("refining type, fields and instance", func(t *testing.T) {
		var fe domain.FieldErrors
		fe.Add("name", domain.FieldRequired, "Customer name is required.")
		de := fe.Err().(*domain.Error)
		rec, body := write(t, problem.From(de))
		if rec.Code != 422 || body["type"] != "urn:custreg:problem:validation" || body["title"] != "Unprocessable Entity" ||
			body["instance"] != "/api/v1/customers/x" {
			t.Errorf("status %d, body %v", rec.Code, body)
		}
		errs, _ := body["errors"].([]any)
		if len(errs) != 1 || errs[0].(map[string]any)["field"] != "name" {
			t.Errorf("errors = %v", body["errors"])
		}
		_, body = write(t, problem.From(&domain.Error{Code: domain.ENotFound, Type: "msp-disabled", Message: "off"}))
		if body["type"] != "urn:custreg:problem:msp-disabled" || body["status"] != 404.0 || body["detail"] != "off" {
			t.Errorf("body %v", body)
		}
	})
	t.Run("headers the status calls for", func(t *testing.T) {
		rec, _ := write(t, problem.From(&domain.Error{Code: domain.EUnauthorized, Message: "Sign in."}))
		if got := rec.Header().Get("WWW-Authenticate"); got != `Bearer realm="custreg"` {
			t.Errorf("WWW-Authenticate = %q", got)
		}
		rec, _ = write(t, problem.From(&domain.Error{Code: domain.ETooManyRequests, RetryAfter: 1500 * time.Millisecond}))
		if rec.Code != 429 || rec.Header().Get("Retry-After") != "2" {
			t.Errorf("status %d, Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
		}
	})
	t.Run("license excess names every invariant", func(t *testing.T) {
		x := domain.LicenseExcess{Type: "users", Limit: "allocation", LimitValue: 5, Result: 6, CustomerID: "c1"}
		_, body := write(t, problem.From(&domain.Error{Code: domain.EConflict, Type: "license-exceeded", License: &x}))
		if body["license_type"] != "users" || body["limit"] != 5.0 || body["would_be"] != 6.0 || body["customer_id"] != "c1" {
			t.Errorf("body %v", body)
		}
		if xs, _ := body["license_excesses"].([]any); len(xs) != 1 {
			t.Errorf("license_excesses = %v", body["license_excesses"])
		}
	})
}

func TestInternalQuotesTheRequestID(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "/x", nil)
	r = r.WithContext(domain.WithRequest(r.Context(), domain.Request{ID: "abc123"}))
	p := problem.Internal(r, "An internal error occurred;")
	if p.Status != 500 || p.Detail != "An internal error occurred; it has been logged with request id abc123." {
		t.Errorf("%+v", p)
	}
}

func TestRetryAfter(t *testing.T) {
	for d, want := range map[time.Duration]string{0: "1", time.Millisecond: "1", time.Second: "1", 1001 * time.Millisecond: "2", time.Minute: "60"} {
		if got := problem.RetryAfter(d); got != want {
			t.Errorf("RetryAfter(%v) = %q, want %q", d, got, want)
		}
	}
}
