package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/custreg/custreg/internal/apptest"
	"github.com/custreg/custreg/internal/server"
)

// TestEdgeAnswers: what the edge refuses is a problem like any other —
// an oversized header (431), an oversized body (413) — and every answer,
// JSON or not, is marked nosniff.
func TestEdgeAnswers(t *testing.T) {
	app := apptest.New(t, "sqlite", apptest.Options{})
	c := app.AdminClient(t)
	problemOf := func(res apptest.Response) string {
		t.Helper()
		if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
			t.Errorf("Content-Type = %q, want application/problem+json; body %.200s", ct, res.Body)
		}
		var p struct {
			Type   string `json:"type"`
			Status int    `json:"status"`
		}
		if err := json.Unmarshal(res.Body, &p); err != nil || p.Status != res.Status {
			t.Errorf("not a problem: %v %s", err, res.Body)
		}
		return p.Type
	}

	res := c.Do("GET", "/api/v1/me", nil, map[string]string{"X-Padding": strings.Repeat("x", server.MaxHeaderBytes)})
	if res.Status != http.StatusRequestHeaderFieldsTooLarge || problemOf(res) != "urn:custreg:problem:header-too-large" {
		t.Errorf("oversized header: %d %s", res.Status, res.Body)
	}
	res = c.Do("POST", "/api/v1/customers", `{"name": "`+strings.Repeat("x", 2<<20)+`"}`, nil)
	if res.Status != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized body: %d", res.Status)
	}
	problemOf(res)
	for _, path := range []string{"/api/v1/me", "/api/v1/customers", "/healthz", "/login", "/api/openapi.json"} {
		if res := c.Do("GET", path, nil, nil); res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s (%d): X-Content-Type-Options = %q, want nosniff", path, res.Status, res.Header.Get("X-Content-Type-Options"))
		}
	}
	// A header just within the bound is served.
	if res := c.Do("GET", "/api/v1/me", nil, map[string]string{"X-Padding": strings.Repeat("x", server.MaxHeaderBytes/2)}); res.Status != http.StatusOK {
		t.Errorf("a header within the bound: %d %s", res.Status, res.Body)
	}
}
