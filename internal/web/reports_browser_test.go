package web_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/custreg/custreg/internal/domain"
)

// TestBrowserReports opens the Reports page as an organization admin at a
// desktop, a laptop and a phone width: chooses a customer by search,
// previews a report, and checks that nothing scrolls the page sideways
// (the preview table scrolls in its own frame) and that no script or
// console error happened.
func TestBrowserReports(t *testing.T) {
	b := newBrowser(t)
	f := mustTenants(t)
	s := f.stack
	for i := range 12 {
		s.MustCreateAsset(domain.AssetInput{Name: fmt.Sprintf("Pune laptop %02d", i), Class: domain.AssetIT, CustomerID: f.airtel.ID, EntityID: f.pune.ID})
	}
	base := s.srv.URL
	b.do("sign in",
		chromedp.Navigate(base+"/login?next=%2Freports"),
		chromedp.WaitVisible(chromedp.ID("login-email")),
		chromedp.SendKeys(chromedp.ID("login-email"), adminEmail),
		chromedp.SendKeys(chromedp.ID("login-password"), adminPassword),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("report-grid")),
	)
	for _, vp := range []struct {
		name          string
		width, height int64
	}{{"1400", 1400, 900}, {"768", 768, 1024}, {"390", 390, 844}} {
		b.do("viewport "+vp.name,
			chromedp.EmulateViewport(vp.width, vp.height),
			chromedp.Navigate(base+"/reports"),
			chromedp.WaitVisible(chromedp.ID("customer-search")),
			chromedp.SendKeys(chromedp.ID("customer-search"), "airt"),
			chromedp.Click(chromedp.ID("customer-find")),
			chromedp.WaitVisible(chromedp.ID("customer-matches")),
		)
		b.shot(vp.name + "-search")
		b.do("choose "+vp.name,
			chromedp.Click(chromedp.CSS(`#customer-matches a[data-customer-id="`+f.airtel.ID+`"]`)),
			chromedp.WaitVisible(chromedp.CSS(`#report-asset_inventory a[data-format=preview]`)),
			chromedp.Click(chromedp.CSS(`#report-asset_inventory a[data-format=preview]`)),
			chromedp.WaitVisible(chromedp.ID("preview-table")),
		)
		if got := b.text("#scope-now"); !strings.Contains(got, "Airtel") {
			t.Errorf("%s: scope %q", vp.name, got)
		}
		if got := b.text("#preview-count"); !strings.Contains(got, "13 rows") {
			t.Errorf("%s: preview count %q", vp.name, got)
		}
		if over := b.eval(`String(document.documentElement.scrollWidth > document.documentElement.clientWidth)`); over != "false" {
			t.Errorf("%s: the page scrolls sideways", vp.name)
		}
		b.shot(vp.name + "-preview")
	}
	b.checkConsole()
	if err := chromedp.Cancel(b.ctx); err != nil && !errors.Is(err, context.Canceled) {
		t.Logf("closing chromium: %v", err)
	}
}
