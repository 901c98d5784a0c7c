package web_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/service"
)

// TestBrowserLicenses: the organization admin sets the pool on the
// Licenses page, runs the Add Customer wizard through License Allocation
// (meeting a count beyond the pool first), opens the new card's license
// sidebar and sees the bars; once assets fill 80 % of an allocation the
// sidebar warns; the Licenses page shows the pool spread over customers.
func TestBrowserLicenses(t *testing.T) {
	began := time.Now()
	b := newBrowser(t)
	s := MustStack(t, service.FirstStart{OrgName: "Northwind MSP"}, false)
	contoso := s.MustRegister("Contoso Retail", "CON-7", domain.LicenseCounts{domain.LicenseUsers: n(5), domain.LicenseITAssets: n(10)})
	base := s.srv.URL

	b.do("sign in",
		chromedp.Navigate(base+"/login?next=%2Fcustomers"),
		chromedp.WaitVisible(chromedp.ID("login-email")),
		chromedp.SendKeys(chromedp.ID("login-email"), adminEmail),
		chromedp.SendKeys(chromedp.ID("login-password"), adminPassword+"\r"),
		chromedp.WaitVisible(chromedp.ID("add-customer")),
	)
	// The side menu's Licenses page: every pool unlimited to start with.
	b.do("open Licenses",
		chromedp.Click(chromedp.CSS(`.sidenav a[href="/licenses"]`)),
		chromedp.WaitVisible(chromedp.ID("pool-form")),
	)
	if got := b.text(`#pool-users [data-col=unallocated]`); got != "Unlimited" {
		t.Errorf("users unallocated before a pool: %q", got)
	}
	b.shot("licenses-unlimited")
	b.do("set the pool",
		chromedp.SendKeys(chromedp.ID("f-pool-users"), "20"),
		chromedp.SendKeys(chromedp.ID("f-pool-it-assets"), "30"),
		chromedp.SendKeys(chromedp.ID("f-pool-mobile-devices"), "8"),
		chromedp.Click(chromedp.ID("pool-save")),
		chromedp.WaitVisible(chromedp.ID("flash")),
	)
	if got := b.text(`#pool-users [data-col=unallocated]`); got != "15" {
		t.Errorf("users unallocated after the pool: %q", got)
	}
	if got := b.text(`#pool-it_assets [data-col=unallocated]`); got != "20" {
		t.Errorf("IT unallocated after the pool: %q", got)
	}
	if p := s.pool(); p[domain.LicenseUsers].Pool == nil || *p[domain.LicenseUsers].Pool != 20 {
		t.Fatalf("pool not stored")
	}
	b.shot("licenses-pool-set")

	// The wizard, through License Allocation.
	b.do("open Add Customer",
		chromedp.Navigate(base+"/customers"),
		chromedp.WaitVisible(chromedp.ID("add-customer")),
		chromedp.Click(chromedp.ID("add-customer")),
		chromedp.WaitVisible(chromedp.CSS("dialog#sidebar #f-name")),
		settled(),
		chromedp.SendKeys(chromedp.ID("f-name"), "Airtel"),
		chromedp.SendKeys(chromedp.ID("f-code"), "AIR001"),
		chromedp.Click(chromedp.ID("wizard-next")),
		chromedp.WaitVisible(chromedp.ID("f-entity-name")),
		chromedp.Click(chromedp.ID("wizard-next")),
		chromedp.WaitVisible(chromedp.ID("f-admin-role")),
		chromedp.Click(chromedp.ID("wizard-next")),
		chromedp.WaitVisible(chromedp.ID("f-licenses-users")),
	)
	if got := b.text(`[aria-current=step]`); !strings.Contains(got, "License Allocation") {
		t.Errorf("current step %q", got)
	}
	if got := b.text("#f-licenses-users-pool"); !strings.HasPrefix(got, "15 unallocated in the pool") {
		t.Errorf("users pool note %q", got)
	}
	if got := b.text("#f-licenses-technicians-pool"); got != "Pool unlimited" {
		t.Errorf("technicians pool note %q", got)
	}
	if got := b.eval(`document.querySelector("#license-group-user legend").textContent.trim()`); got != "User License Count" {
		t.Errorf("group %q", got)
	}
	b.shot("wizard-license-step")
	// Back and Next in the page keep the counts.
	b.do("type counts, back, next",
		chromedp.Clear(chromedp.ID("f-licenses-users")),
		chromedp.SendKeys(chromedp.ID("f-licenses-users"), "50"),
		chromedp.Clear(chromedp.ID("f-licenses-it-assets")),
		chromedp.SendKeys(chromedp.ID("f-licenses-it-assets"), "25"),
		chromedp.Clear(chromedp.ID("f-licenses-mobile-devices")),
		chromedp.SendKeys(chromedp.ID("f-licenses-mobile-devices"), "3"),
	)
	// What the pool has left counts down as one types, in words, and in
	// red past it.
	if got, cls := b.text("#f-licenses-users-left"), b.eval(`document.getElementById("f-licenses-users-left").className`); got != "35 more than the pool has left" || !strings.Contains(cls, "is-over") {
		t.Errorf("users left %q (%s)", got, cls)
	}
	if got, cls := b.text("#f-licenses-mobile-devices-left"), b.eval(`document.getElementById("f-licenses-mobile-devices-left").className`); got != "5 left in the pool after this" || strings.Contains(cls, "is-over") {
		t.Errorf("mobile devices left %q (%s)", got, cls)
	}
	if got := b.eval(`String(!!document.getElementById("f-licenses-technicians-left"))`); got != "false" {
		t.Errorf("an unlimited pool counts down")
	}
	b.shot("wizard-license-typing")
	b.do("back, next",
		chromedp.Click(chromedp.ID("wizard-back")),
		chromedp.WaitVisible(chromedp.ID("f-admin-role")),
		chromedp.Click(chromedp.ID("wizard-next")),
		chromedp.WaitVisible(chromedp.ID("f-licenses-users")),
	)
	if got := b.value("#f-licenses-users"); got != "50" {
		t.Errorf("users count after Back and Next %q", got)
	}
	// Beyond the pool: refused beside the field, the wizard stays open on
	// the step, focus on the count, nothing created.
	b.do("submit beyond the pool",
		chromedp.Click(chromedp.ID("customer-submit")),
		chromedp.WaitVisible(chromedp.ID("f-licenses-users-error")),
	)
	if got := b.text("#f-licenses-users-error"); !strings.Contains(got, "pool is 20") {
		t.Errorf("error %q", got)
	}
	// Every type over the pool is named at once.
	if got := b.text("#f-licenses-it-assets-error"); !strings.Contains(got, "pool is 30") {
		t.Errorf("IT assets error %q", got)
	}
	if got := b.eval("document.activeElement.id"); got != "f-licenses-users" {
		t.Errorf("focus on %q after the refusal", got)
	}
	if n := len(s.customers()); n != 1 {
		t.Fatalf("%d customers after the refusal", n)
	}
	b.shot("wizard-license-refused")
	b.do("fix and submit",
		chromedp.Clear(chromedp.ID("f-licenses-users")),
		chromedp.SendKeys(chromedp.ID("f-licenses-users"), "5"),
		chromedp.Clear(chromedp.ID("f-licenses-it-assets")),
		chromedp.SendKeys(chromedp.ID("f-licenses-it-assets"), "10"),
		chromedp.Click(chromedp.ID("customer-submit")),
		chromedp.WaitVisible(chromedp.ID("flash")),
		chromedp.WaitNotPresent(chromedp.CSS("dialog#sidebar")),
	)
	var airtel domain.Customer
	for _, c := range s.customers() {
		if c.Code == "AIR001" {
			airtel = c
		}
	}
	if a := s.allocation(airtel.ID); a[domain.LicenseUsers] != 5 || a[domain.LicenseITAssets] != 10 {
		t.Fatalf("allocation %v", a)
	}

	// The card's Customer License opens the sidebar in place.
	card := "#customer-" + airtel.ID
	licLink := card + ` a[href$="/licenses"]`
	b.do("open the license sidebar",
		chromedp.Click(chromedp.CSS(licLink)),
		chromedp.WaitVisible(chromedp.CSS("dialog#license-sidebar #usage-users")),
	)
	if got := b.eval("location.pathname"); got != "/customers/"+airtel.ID+"/licenses" {
		t.Errorf("address bar %q", got)
	}
	if got := b.text("#usage-users [data-count]"); got != "0 / 5 used" {
		t.Errorf("users %q", got)
	}
	if got := b.eval(`String(document.querySelectorAll("#license-sidebar .usage-bar").length)`); got != "7" {
		t.Errorf("%s bars", got)
	}
	if got := b.eval(`String(document.querySelector("#license-sidebar .usage-bar").getBoundingClientRect().width > 100)`); got != "true" {
		t.Errorf("the bar has no width")
	}
	b.shot("license-sidebar-empty")
	b.do("escape closes it",
		chromedp.KeyEvent("\x1b"),
		chromedp.WaitNotPresent(chromedp.CSS("dialog#license-sidebar")),
	)
	b.waitFor("focus back on the card's control", `document.activeElement === document.querySelector(`+strconv.Quote(licLink)+`)`)
	if got := b.eval("location.pathname"); got != "/customers" {
		t.Errorf("address bar after closing %q", got)
	}

	// Assets up to 80 % of the IT allocation: the sidebar warns.
	for i := range 8 {
		s.MustCreateAsset(domain.AssetInput{Name: "Airtel server " + strconv.Itoa(i), Class: domain.AssetIT, CustomerID: airtel.ID})
	}
	b.do("reopen the license sidebar",
		chromedp.Click(chromedp.CSS(licLink)),
		chromedp.WaitVisible(chromedp.CSS("dialog#license-sidebar #usage-it_assets")),
	)
	if got := b.eval(`document.getElementById("usage-it_assets").className`); !strings.Contains(got, "is-warn") {
		t.Errorf("IT row class %q", got)
	}
	if got := b.text("#usage-it_assets [data-status]"); got != "Nearly full" {
		t.Errorf("IT status %q", got)
	}
	if got := b.text("#usage-it_assets [data-count]"); got != "8 / 10 used" {
		t.Errorf("IT count %q", got)
	}
	if got := b.eval(`getComputedStyle(document.querySelector("#usage-it_assets .usage-fill")).fill`); got != "rgb(224, 138, 0)" {
		t.Errorf("IT bar colour %q, want amber", got)
	}
	b.shot("license-sidebar-warning")
	b.do("close", chromedp.KeyEvent("\x1b"), chromedp.WaitNotPresent(chromedp.CSS("dialog#license-sidebar")))

	// The Licenses page: the pool spread over the customers.
	b.do("Licenses page again",
		chromedp.Click(chromedp.CSS(`.sidenav a[href="/licenses"]`)),
		chromedp.WaitVisible(chromedp.ID("spread-table")),
	)
	rows := b.eval(`[...document.querySelectorAll("[data-spread] th")].map(e => e.textContent.replace(/\s+/g, " ").trim()).join("|")`)
	if rows != "Airtel AIR001|Contoso Retail CON-7" {
		t.Errorf("spread rows %q", rows)
	}
	cell := func(id, typ string) string { return b.text("#spread-" + id + ` td[data-license="` + typ + `"]`) }
	if got := cell(airtel.ID, "it_assets"); got != "8 / 10 Nearly full" {
		t.Errorf("Airtel IT %q", got)
	}
	if got := cell(contoso.ID, "it_assets"); got != "0 / 10" {
		t.Errorf("Contoso IT %q", got)
	}
	if got := b.text(`#pool-it_assets [data-col=allocated]`); got != "20" {
		t.Errorf("IT allocated %q", got)
	}
	if got := b.text(`#pool-it_assets [data-col=used]`); got != "8" {
		t.Errorf("IT used %q", got)
	}
	b.do("scroll to the spread", chromedp.ScrollIntoView(chromedp.ID("spread-table")))
	b.shot("licenses-spread")
	// A customer's name in the spread opens its license sidebar in place.
	b.do("open from the spread",
		chromedp.Click(chromedp.CSS("#spread-"+contoso.ID+" a")),
		chromedp.WaitVisible(chromedp.CSS("dialog#license-sidebar #usage-users")),
	)
	if got := b.text("#license-customer"); got != "Contoso Retail CON-7" {
		t.Errorf("sidebar for %q", got)
	}
	b.do("close it", chromedp.KeyEvent("\x1b"), chromedp.WaitNotPresent(chromedp.CSS("dialog#license-sidebar")))
	if got := b.eval("location.pathname"); got != "/licenses" {
		t.Errorf("address bar after closing %q", got)
	}

	b.checkConsole()
	if err := chromedp.Cancel(b.ctx); err != nil && !errors.Is(err, context.Canceled) {
		t.Logf("closing chromium: %v", err)
	}
	t.Logf("browser test took %s", time.Since(began).Round(time.Millisecond))
}
