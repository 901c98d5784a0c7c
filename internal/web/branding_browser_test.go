package web_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/logo/logotest"
	"github.com/custreg/custreg/internal/service"
)

// TestBrowserBranding: an organization admin sets the organization's logos
// on the Settings page (sent as they are chosen, previewed); organization
// users see them in the header; a customer's person sees its customer's
// full logo top-left and its logomark when the menu is collapsed.
func TestBrowserBranding(t *testing.T) {
	b := newBrowser(t)
	s := MustStack(t, service.FirstStart{OrgName: "Northwind MSP"}, false)
	base := s.srv.URL
	dir := t.TempDir()
	orgFull, orgMark := filepath.Join(dir, "org-full.png"), filepath.Join(dir, "org-mark.png")
	for p, data := range map[string][]byte{orgFull: logotest.PNG(960, 240), orgMark: logotest.PNG(160, 160)} {
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b.do("sign in",
		chromedp.Navigate(base+"/login?next=%2Fsettings"),
		chromedp.WaitVisible(chromedp.ID("login-email")),
		chromedp.SendKeys(chromedp.ID("login-email"), adminEmail),
		chromedp.SendKeys(chromedp.ID("login-password"), adminPassword),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("org-settings-form")),
	)
	b.shot("settings-page")
	b.do("choose the organization's logos",
		chromedp.SetUploadFiles(chromedp.ID("f-full-logo"), []string{orgFull}),
		chromedp.SetUploadFiles(chromedp.ID("f-logomark"), []string{orgMark}),
	)
	b.waitFor("previews", `[...document.querySelectorAll("#org-settings-form [data-preview] img")].filter(i => i.complete && i.naturalWidth > 0).length === 2`)
	if o, _ := s.svc.Branding(s.admin); len(o.OrgLogos) != 2 {
		t.Fatalf("the organization has %d logos after choosing two", len(o.OrgLogos))
	}
	b.shot("settings-page-logos")
	b.do("reload", chromedp.Navigate(base+"/settings"), chromedp.WaitVisible(chromedp.ID("brand")))
	b.waitFor("header logo", `document.querySelector("#brand .brand-full").complete && document.querySelector("#brand .brand-full").naturalWidth === 320`)

	// A customer with its own logos, and one of its people.
	c := s.MustCreateCustomer(domain.CustomerInput{Name: "Contoso Retail", Code: "CON-7"})
	if _, err := s.svc.SetCustomerLogo(s.admin, c.ID, domain.LogoFull, logotest.JPEG(640, 160), "image/jpeg"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.SetCustomerLogo(s.admin, c.ID, domain.LogoMark, logotest.PNG(80, 80), "image/png"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.CreateUser(s.admin, domain.UserInput{Email: "casey@contoso.example", Name: "Casey Contoso", Role: domain.RoleCustomerUser,
		CustomerID: c.ID, Password: "a long enough password"}); err != nil {
		t.Fatal(err)
	}
	b.do("sign out and in as the customer's user",
		chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)),
		chromedp.WaitVisible(chromedp.ID("login-email")),
		chromedp.SendKeys(chromedp.ID("login-email"), "casey@contoso.example"),
		chromedp.SendKeys(chromedp.ID("login-password"), "a long enough password"),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("brand")),
	)
	b.waitFor("the customer's logo", `document.querySelector("#brand .brand-full").complete && document.querySelector("#brand .brand-full").naturalWidth === 320`)
	if got := b.eval(`document.querySelector("#brand .brand-full").getAttribute("src")`); got != "/api/v1/customers/"+c.ID+"/full_logo" {
		t.Errorf("the customer user's header shows %q", got)
	}
	if got := b.eval(`getComputedStyle(document.querySelector("#brand .brand-mark")).display`); got != "none" {
		t.Errorf("the logomark shows beside the full logo (display %s)", got)
	}
	if strings.Contains(b.eval(`document.querySelector(".sidenav").textContent`), "Settings") {
		t.Errorf("a customer user's menu offers Settings")
	}
	b.shot("customer-user-header")
	b.do("collapse the menu", chromedp.Click(chromedp.ID("nav-toggle")))
	b.waitFor("collapsed", `document.body.classList.contains("nav-collapsed")`)
	if got := b.eval(`getComputedStyle(document.querySelector("#brand .brand-full")).display + " " + getComputedStyle(document.querySelector("#brand .brand-mark")).display`); got != "none block" {
		t.Errorf("collapsed header: full logo / logomark display %q, want none block", got)
	}
	if got := b.eval(`String(document.querySelector("#brand .brand-mark").naturalWidth)`); got != "80" {
		t.Errorf("the logomark is %s px wide", got)
	}
	b.shot("customer-user-collapsed")
	for _, w := range []struct {
		name string
		w, h int64
	}{{"1400", 1400, 900}, {"768", 768, 1024}, {"390", 390, 844}} {
		b.do("viewport "+w.name, chromedp.EmulateViewport(w.w, w.h), chromedp.Navigate(base+"/customers/"+c.ID), chromedp.WaitVisible(chromedp.ID("brand")))
		if got := b.eval(`String(document.documentElement.scrollWidth <= window.innerWidth)`); got != "true" {
			t.Errorf("at %s px the customer page scrolls sideways", w.name)
		}
		b.shot("customer-user-" + w.name)
	}
	b.checkConsole()
}

// TestBrowserSettingsStepWidths opens the Settings step of a customer with
// both logos at a laptop's, a tablet's and a phone's width: nothing scrolls
// sideways, the previews show, and the screenshots are kept to look at.
func TestBrowserSettingsStepWidths(t *testing.T) {
	b := newBrowser(t)
	s := MustStack(t, service.FirstStart{OrgName: "Northwind MSP"}, false)
	c := s.MustCreateCustomer(domain.CustomerInput{Name: "Contoso Retail", Code: "CON-7"})
	if _, err := s.svc.SetCustomerLogo(s.admin, c.ID, domain.LogoFull, logotest.PNG(1280, 320), "image/png"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.SetCustomerLogo(s.admin, c.ID, domain.LogoMark, logotest.PNG(640, 160), "image/png"); err != nil {
		t.Fatal(err)
	}
	b.do("sign in",
		chromedp.Navigate(s.srv.URL+"/login"),
		chromedp.WaitVisible(chromedp.ID("login-email")),
		chromedp.SendKeys(chromedp.ID("login-email"), adminEmail),
		chromedp.SendKeys(chromedp.ID("login-password"), adminPassword),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("add-customer")),
	)
	for _, w := range []struct {
		name string
		w, h int64
	}{{"1400", 1400, 900}, {"768", 768, 1024}, {"390", 390, 844}} {
		b.do("settings at "+w.name,
			chromedp.EmulateViewport(w.w, w.h),
			chromedp.Navigate(s.srv.URL+"/customers/"+c.ID+"/edit?step=settings"),
			chromedp.WaitVisible(chromedp.ID("f-admin-role")),
		)
		b.waitFor("previews at "+w.name, `[...document.querySelectorAll("[data-preview] img")].filter(i => i.complete && i.naturalWidth > 0).length === 2`)
		if got := b.eval(`String(document.getElementById("sidebar-body").scrollWidth <= document.getElementById("sidebar-body").clientWidth && document.documentElement.scrollWidth <= window.innerWidth)`); got != "true" {
			t.Errorf("at %s px the Settings step scrolls sideways", w.name)
		}
		b.shot("settings-step-" + w.name)
	}
	// The customer's page tells its history; the Audit page lists it all.
	b.do("history", chromedp.EmulateViewport(1400, 900), chromedp.Navigate(s.srv.URL+"/customers/"+c.ID), chromedp.WaitVisible(chromedp.ID("history")))
	if got := b.text("#history"); !strings.Contains(got, "uploaded a logo") || !strings.Contains(got, "created the customer") {
		t.Errorf("the History says %q", got)
	}
	b.shot("customer-history")
	b.do("audit page", chromedp.Navigate(s.srv.URL+"/audit"), chromedp.WaitVisible(chromedp.ID("audit-list")))
	b.shot("audit-page")
	b.checkConsole()
}
