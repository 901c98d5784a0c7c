package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/custreg/custreg/internal/apptest"
	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/server"
	"github.com/custreg/custreg/internal/service"
	"github.com/custreg/custreg/internal/store/sqlite"
)

// mustStackAt is MustStack with the service on a settable clock.
func mustStackAt(tb testing.TB, clock *apptest.Clock) *stack {
	tb.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(tb.TempDir(), "t.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = st.Close() })
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := service.New(st, service.Options{Logger: quiet, Now: clock.Now})
	if _, err := svc.Bootstrap(ctx, service.FirstStart{OrgName: "Northwind MSP", Admin: domain.AdminInput{Email: adminEmail, Name: adminName, Password: adminPassword}}); err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewServer(server.Handler(svc, server.Options{Logger: quiet}))
	tb.Cleanup(srv.Close)
	_, p, err := svc.Login(ctx, adminEmail, adminPassword)
	if err != nil {
		tb.Fatal(err)
	}
	return &stack{t: tb, svc: svc, srv: srv, admin: domain.WithPrincipal(ctx, p)}
}

// TestBrowserDashboards: both dashboards, with six weeks of history taken
// by the snapshot job day by day, drawn inline on the Dashboards page at
// three widths without a console error (the page's policy allows no
// inline style: the SVG must need none).
func TestBrowserDashboards(t *testing.T) {
	b := newBrowser(t)
	clock := apptest.NewClock(time.Now().UTC().AddDate(0, 0, -41))
	s := mustStackAt(t, clock)
	contoso, err := s.svc.RegisterCustomer(s.admin, service.NewCustomer{Customer: domain.CustomerInput{Name: "Contoso Retail", Code: "CON-7"},
		Entities: []domain.EntityInput{{Name: "Seattle HQ"}, {Name: "Portland Store"}, {Name: "Denver Warehouse"}, {Name: "Austin Lab"}},
		Licenses: domain.LicenseCounts{domain.LicenseITAssets: n(60), domain.LicenseNonITAssets: n(25), domain.LicenseMobileDevices: n(12),
			domain.LicenseAvailability: n(40), domain.LicenseUsers: n(10), domain.LicenseTechnicians: n(2)}})
	if err != nil {
		t.Fatal(err)
	}
	fabrikam := s.MustRegister("Fabrikam Health", "FAB_02", domain.LicenseCounts{domain.LicenseITAssets: n(20), domain.LicenseMobileDevices: n(5)})
	s.MustRegister("Bharti Enterprises", "BHA001", domain.LicenseCounts{domain.LicenseITAssets: n(100)})
	ents, err := s.svc.ListEntities(s.admin, contoso.ID, domain.EntityFilter{})
	if err != nil {
		t.Fatal(err)
	}
	on := true
	k := 0
	asset := func(customerID, entityID, class string, monitored bool) {
		k++
		in := domain.AssetInput{Name: fmt.Sprintf("Asset %03d", k), Class: class, CustomerID: customerID, EntityID: entityID}
		if monitored {
			in.AvailabilityMonitoring = &on
		}
		if _, err := s.svc.CreateAsset(s.admin, in); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 20 {
		asset(contoso.ID, ents.Items[i%4].ID, domain.AssetIT, i%2 == 0)
	}
	for day := range 42 {
		if day%2 == 0 {
			asset(contoso.ID, ents.Items[day%3].ID, domain.AssetIT, day%4 == 0)
		}
		if day%3 == 0 {
			asset(contoso.ID, ents.Items[(day+1)%4].ID, domain.AssetNonIT, false)
			asset(fabrikam.ID, "", domain.AssetIT, false)
		}
		if day%9 == 0 {
			asset(contoso.ID, "", domain.AssetMobile, false)
		}
		if _, err := s.svc.SnapshotUsage(context.Background()); err != nil {
			t.Fatal(err)
		}
		if day < 41 {
			clock.Add(24 * time.Hour)
		}
	}
	for i, kind := range []string{domain.KindUser, domain.KindUser, domain.KindUser, domain.KindTechnician} {
		role := domain.RoleCustomerUser
		if kind == domain.KindTechnician {
			role = domain.RoleCustomerTechnician
		}
		s.MustCreateUser(domain.UserInput{Email: fmt.Sprintf("p%d@contoso.example", i), Name: "Person", Kind: kind, Role: role, CustomerID: contoso.ID})
	}
	base := s.srv.URL
	b.do("sign in",
		chromedp.Navigate(base+"/login?next=%2Fdashboards"),
		chromedp.WaitVisible(chromedp.ID("login-email")),
		chromedp.SendKeys(chromedp.ID("login-email"), adminEmail),
		chromedp.SendKeys(chromedp.ID("login-password"), adminPassword+"\r"),
		chromedp.WaitVisible(chromedp.ID("dash-figure")),
	)
	for _, page := range []struct{ name, path string }{
		{"overview-all", "/dashboards"},
		{"overview-contoso", "/dashboards?key=customer_overview&customer_id=" + contoso.ID},
		{"utilization-contoso", "/dashboards?key=license_utilization&customer_id=" + contoso.ID},
		{"utilization-all", "/dashboards?key=license_utilization&q=o"},
	} {
		for _, width := range []int64{1400, 768, 390} {
			b.do("open "+page.name,
				chromedp.EmulateViewport(width, 900),
				chromedp.Navigate(base+page.path),
				chromedp.WaitVisible(chromedp.ID("dash-view")),
			)
			visible := `[...document.querySelectorAll(".dash-figure svg")].find(s => s.getBoundingClientRect().width > 0)`
			if got := b.eval(visible + `.getAttribute("data-dashboard")`); !strings.HasPrefix(page.name, map[string]string{
				domain.DashboardCustomerOverview: "overview", domain.DashboardLicenseUtilization: "utilization"}[got]) {
				t.Errorf("%s draws %s", page.name, got)
			}
			// Small screens get the narrow drawing, the others the wide one,
			// never drawn wider than the page.
			want := "960"
			if width <= 900 {
				want = "360"
			}
			if got := b.eval(visible + `.getAttribute("data-width")`); got != want {
				t.Errorf("%s at %d px: the %s px drawing is shown, want %s", page.name, width, got, want)
			}
			if got := b.eval(`String(document.documentElement.scrollWidth <= window.innerWidth)`); got != "true" {
				t.Errorf("%s at %d px: the page scrolls sideways", page.name, width)
			}
			b.fullShot(fmt.Sprintf("%s-%d", page.name, width))
		}
	}
	if got := b.eval(`String(document.querySelectorAll("#dash-figure polyline.dash-used").length)`); got != "7" {
		t.Errorf("utilization draws %s trend lines, want 7", got)
	}
	b.checkConsole()
}

// fullShot saves a PNG of the whole page.
func (b *browser) fullShot(name string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return
	}
	b.n++
	p := filepath.Join(b.shots, fmt.Sprintf("%s-%02d-%s.png", strings.TrimPrefix(b.t.Name(), "Test"), b.n, name))
	if err := os.WriteFile(p, buf, 0o644); err != nil {
		b.t.Errorf("write screenshot: %v", err)
		return
	}
	b.t.Logf("screenshot %s", p)
}
