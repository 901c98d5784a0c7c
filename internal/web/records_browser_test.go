package web_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/custreg/custreg/internal/domain"
)

// TestBrowserUsersAssets: a customer admin sees only its customer and
// cannot reach the other one by URL; an organization admin adds an asset,
// picking a customer and then one of its entities, which the picker loads
// when the customer is chosen.
func TestBrowserUsersAssets(t *testing.T) {
	began := time.Now()
	b := newBrowser(t)
	f := mustTenants(t)
	base := f.srv.URL
	bodyText := `document.body.innerText`

	b.do("sign in as the customer admin",
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.ID("login-email")),
		chromedp.SendKeys(chromedp.ID("login-email"), "carla@airtel.com"),
		chromedp.SendKeys(chromedp.ID("login-password"), userPassword+"\r"),
		chromedp.WaitVisible(chromedp.ID("customer-name")),
	)
	if got := b.eval("location.pathname"); got != "/customers/"+f.airtel.ID {
		t.Errorf("start page %q", got)
	}
	if got := b.text("#customer-name"); got != "Airtel" {
		t.Errorf("customer %q", got)
	}
	if got := b.text(`#customer-figures [data-figure=assets] dd`); got != "1" {
		t.Errorf("assets figure %q", got)
	}
	if got := b.eval(bodyText); strings.Contains(got, "Globex") {
		t.Errorf("the customer admin's start page names Globex")
	}
	b.shot("customer-admin-home")
	b.do("users", chromedp.Click(chromedp.CSS(`.sidenav a[href="/users"]`)), chromedp.WaitVisible(chromedp.ID("user-table")))
	if got := b.eval(`String(document.getElementById("filter-customer") === null && document.getElementById("move-customer") === null)`); got != "true" {
		t.Errorf("a customer picker shows for the customer admin")
	}
	if got := b.eval(bodyText); strings.Contains(got, "Globex") || !strings.Contains(got, "Ravi Kumar") {
		t.Errorf("users page: %q", got)
	}
	b.shot("customer-admin-users")
	for _, path := range []string{"/customers/" + f.globex.ID, "/users/" + f.globexUser.ID + "/edit", "/assets/" + f.globexAsset.ID + "/edit"} {
		b.do("open "+path, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS("main h1")))
		if got := b.text("main h1"); got != "Page not found" {
			t.Errorf("%s: heading %q", path, got)
		}
		if got := b.eval(bodyText + ` + document.title`); strings.Contains(got, "Globex") || strings.Contains(got, "Gus") {
			t.Errorf("%s names the other customer: %q", path, got)
		}
	}
	b.shot("customer-admin-other-customer")
	// Those pages answered 404 on purpose, which the console reports; any
	// other problem stays to fail the test.
	b.mu.Lock()
	var kept []string
	n404 := 0
	for _, p := range b.problems {
		if strings.Contains(p, "status of 404") {
			n404++
		} else {
			kept = append(kept, p)
		}
	}
	b.problems = kept
	b.mu.Unlock()
	if n404 != 3 {
		t.Errorf("%d pages answered 404, want 3", n404)
	}

	b.do("sign out",
		chromedp.Click(chromedp.CSS("form.signout button")),
		chromedp.WaitVisible(chromedp.ID("login-email")),
		chromedp.SendKeys(chromedp.ID("login-email"), adminEmail),
		chromedp.SendKeys(chromedp.ID("login-password"), adminPassword+"\r"),
		chromedp.WaitVisible(chromedp.ID("add-customer")),
	)
	b.do("assets", chromedp.Navigate(base+"/assets"), chromedp.WaitVisible(chromedp.ID("add-asset")))
	b.shot("assets")
	b.do("open Add Asset",
		chromedp.Click(chromedp.ID("add-asset")),
		chromedp.WaitVisible(chromedp.CSS("dialog#sidebar #f-name")),
		settled(),
	)
	if got := b.eval("location.pathname"); got != "/assets/new" {
		t.Errorf("address bar %q", got)
	}
	if got := b.eval(`String(document.getElementById("f-entity-id").disabled)`); got != "true" {
		t.Errorf("entity picker enabled before a customer is chosen")
	}
	if got := b.eval(`getComputedStyle(document.getElementById("f-customer-id-refresh")).display`); got != "none" {
		t.Errorf("the no-script button shows with the script: %q", got)
	}
	b.do("fill the asset",
		chromedp.SendKeys(chromedp.ID("f-name"), "Pune firewall"),
		b.choose("#f-class", domain.AssetIT),
		chromedp.SendKeys(chromedp.ID("f-serial"), "FW-0042"),
	)
	// The customer box by keyboard: three letters find Airtel.
	b.pickCustomer("f-customer-id-q", "Air", f.airtel.ID)
	b.waitFor("entities of Airtel", `document.getElementById("entity-picker").dataset.customer === "`+f.airtel.ID+`" && !document.getElementById("f-entity-id").disabled`)
	if got := b.eval(`[...document.querySelectorAll("#f-entity-id option")].map(o => o.textContent.trim()).join("|")`); got != "None — the whole customer|Airtel Mumbai|Airtel Pune" {
		t.Errorf("entities offered %q", got)
	}
	b.do("choose Pune", b.choose("#f-entity-id", f.pune.ID))
	b.shot("add-asset-filled")
	// Another customer: the picker follows.
	b.pickCustomer("f-customer-id-q", "glx", f.globex.ID)
	b.waitFor("entities of Globex", `document.getElementById("entity-picker").dataset.customer === "`+f.globex.ID+`"`)
	if got := b.eval(`[...document.querySelectorAll("#f-entity-id option")].map(o => o.textContent.trim()).join("|")`); got != "None — the whole customer|Globex Berlin" {
		t.Errorf("entities offered for Globex %q", got)
	}
	b.pickCustomer("f-customer-id-q", "AIR", f.airtel.ID)
	b.waitFor("entities of Airtel again", `document.getElementById("entity-picker").dataset.customer === "`+f.airtel.ID+`"`)
	b.do("choose Pune again and submit",
		b.choose("#f-entity-id", f.pune.ID),
		chromedp.Click(chromedp.ID("record-submit")),
		chromedp.WaitVisible(chromedp.ID("flash")),
	)
	var got domain.Asset
	for _, a := range f.allAssets() {
		if a.Name == "Pune firewall" {
			got = a
		}
	}
	if got.CustomerID != f.airtel.ID || got.EntityID != f.pune.ID || got.Serial != "FW-0042" || got.Class != domain.AssetIT {
		t.Errorf("stored %+v", got)
	}
	if row := b.text("#asset-" + got.ID); !strings.Contains(row, "Airtel Pune") {
		t.Errorf("row %q", row)
	}
	b.shot("assets-after-add")

	b.checkConsole()
	if err := chromedp.Cancel(b.ctx); err != nil && !errors.Is(err, context.Canceled) {
		t.Logf("closing chromium: %v", err)
	}
	t.Logf("browser test took %s", time.Since(began).Round(time.Millisecond))
}
