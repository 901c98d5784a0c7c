package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/service"
)

// TestServeTakesUsageSnapshot: custreg serve starts the usage-snapshot
// job, which takes today's history at once; it stops with the server.
func TestServeTakesUsageSnapshot(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "custreg.db")
	st, err := openStore(ctx, db, nil)
	if err != nil {
		t.Fatal(err)
	}
	svc := service.New(st, service.Options{Logger: slog.New(slog.DiscardHandler)})
	admin := domain.AdminInput{Email: "ops@example.com", Name: "Ops", Password: "a-long-enough-password"}
	if _, err := svc.Bootstrap(ctx, service.FirstStart{Admin: admin}); err != nil {
		t.Fatal(err)
	}
	_, p, err := svc.Login(ctx, admin.Email, admin.Password)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.RegisterCustomer(domain.WithPrincipal(ctx, p), service.NewCustomer{Customer: domain.CustomerInput{Name: "Snapshot Co", Code: "SNAP"}}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	addr, out, stop := startServe(t, map[string]string{"CUSTREG_DB": db})
	res, err := http.Post("http://"+addr+"/api/v1/auth/login", "application/json",
		strings.NewReader(`{"email":"ops@example.com","password":"a-long-enough-password"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	cookie := res.Header.Get("Set-Cookie")
	cookie, _, _ = strings.Cut(cookie, ";")
	points := func() int {
		req, _ := http.NewRequest("GET", "http://"+addr+"/api/v1/dashboards/license_utilization?format=json", nil)
		req.Header.Set("Cookie", cookie)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		var d struct {
			Utilization struct {
				History struct {
					Points []struct{ Day string } `json:"points"`
				} `json:"history"`
			} `json:"utilization"`
		}
		if err := json.Unmarshal(b, &d); err != nil || res.StatusCode != 200 {
			t.Fatalf("dashboard: %d %s", res.StatusCode, b)
		}
		return len(d.Utilization.History.Points)
	}
	// The job runs beside the listener: wait, bounded, for its first run.
	deadline := time.Now().Add(20 * time.Second)
	for points() == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if n := points(); n != len(domain.LicenseTypes) {
		t.Errorf("history after start = %d points, want one per license type", n)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "took the daily license-usage snapshot") {
		t.Errorf("no snapshot in the log:\n%s", out)
	}
}
