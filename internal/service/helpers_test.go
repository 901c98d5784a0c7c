package service_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/custreg/custreg/internal/auth"
	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/service"
	"github.com/custreg/custreg/internal/store"
)

type storeTx = store.Tx

// contains reports whether the JSON document b, re-encoded compactly,
// contains s.
func contains(b []byte, s string) bool {
	var v any
	if json.Unmarshal(b, &v) != nil {
		return false
	}
	c, _ := json.Marshal(v)
	return strings.Contains(string(c), s)
}

// orgAdmin bootstraps svc with the test admin (and fs's other first-start
// settings) and returns a context signed in as that admin, with its
// principal.
func orgAdmin(t *testing.T, svc *service.Service, fs service.FirstStart) (context.Context, domain.Principal) {
	t.Helper()
	ctx := context.Background()
	fs.Admin = admin
	if _, err := svc.Bootstrap(ctx, fs); err != nil {
		t.Fatal(err)
	}
	_, p, err := svc.Login(ctx, admin.Email, admin.Password)
	if err != nil {
		t.Fatal(err)
	}
	return auth.WithPrincipal(ctx, p), p
}
