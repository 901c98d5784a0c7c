package web_test

import (
	"archive/zip"
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/service"
)

// TestCustomerArchiveDownload: the customer's page offers "Download
// archive" to those who may have it — the organization admin, the
// customer's own admin — and its link downloads the customer's zip; a
// customer's plain user is offered nothing and refused the link, and
// another customer's archive is a page that does not exist.
func TestCustomerArchiveDownload(t *testing.T) {
	f := mustTenants(t)
	s := f.stack
	for _, who := range []struct {
		name, email, password string
	}{{"organization admin", adminEmail, adminPassword}, {"customer admin", "carla@airtel.com", userPassword}} {
		c := s.signedInAs(who.email, who.password)
		page := s.get(c, "/customers/"+f.airtel.ID)
		if page.status != http.StatusOK {
			t.Fatalf("%s: the customer's page: %d", who.name, page.status)
		}
		link := byID(page.doc, "customer-archive")
		if link == nil || attr(link, "href") != "/customers/"+f.airtel.ID+"/archive" || !strings.Contains(text(link), "Download archive") {
			t.Fatalf("%s: no Download archive link on the customer's page", who.name)
		}
		res := s.get(c, attr(link, "href"))
		if res.status != http.StatusOK || res.header.Get("Content-Type") != "application/zip" ||
			!strings.HasPrefix(res.header.Get("Content-Disposition"), `attachment; filename="AIR001-archive-`) {
			t.Fatalf("%s: the archive: %d %q %q", who.name, res.status, res.header.Get("Content-Type"), res.header.Get("Content-Disposition"))
		}
		zr, err := zip.NewReader(strings.NewReader(res.body), int64(len(res.body)))
		if err != nil {
			t.Fatalf("%s: not a zip: %v", who.name, err)
		}
		var all bytes.Buffer
		names := map[string]bool{}
		for _, zf := range zr.File {
			names[zf.Name] = true
			rc, _ := zf.Open()
			_, _ = all.ReadFrom(rc)
			rc.Close()
		}
		if !names["assets.csv"] || !names["manifest.json"] || !bytes.Contains(all.Bytes(), []byte(f.airtelAsset.ID)) {
			t.Errorf("%s: the archive lacks Airtel's records: %v", who.name, names)
		}
		for _, secret := range []string{f.globex.ID, f.globex.Name, f.globexAsset.ID, f.globexUser.Email, f.berlin.ID} {
			if bytes.Contains(all.Bytes(), []byte(secret)) {
				t.Errorf("%s: Airtel's archive holds %q of Globex", who.name, secret)
			}
		}
	}
	carla := s.signedInAs("carla@airtel.com", userPassword)
	if res := s.get(carla, "/customers/"+f.globex.ID+"/archive"); res.status != http.StatusNotFound || res.header.Get("Content-Disposition") != "" {
		t.Errorf("another customer's archive: %d %q", res.status, res.header.Get("Content-Disposition"))
	}
	ravi := s.signedInAs("ravi@airtel.com", userPassword)
	if page := s.get(ravi, "/customers/"+f.airtel.ID); byID(page.doc, "customer-archive") != nil {
		t.Errorf("a customer user, who may not read the history, is offered the archive")
	}
	if res := s.get(ravi, "/customers/"+f.airtel.ID+"/archive"); res.status != http.StatusForbidden {
		t.Errorf("the archive as a customer user: %d", res.status)
	}
	if res := s.get(s.client(), "/customers/"+f.airtel.ID+"/archive"); res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, "/login") {
		t.Errorf("the archive signed out: %d %q", res.status, res.location)
	}
}

// TestBrowserCustomerArchiveButton: the customer's page shows Download
// archive beside its other actions at a laptop's and a phone's width,
// reachable by keyboard, without sideways scrolling; the screenshots are
// kept to look at.
func TestBrowserCustomerArchiveButton(t *testing.T) {
	b := newBrowser(t)
	s := MustStack(t, service.FirstStart{OrgName: "Northwind MSP"}, false)
	c := s.MustCreateCustomer(domain.CustomerInput{Name: "Contoso Retail", Code: "CON-7"})
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
	}{{"1400", 1400, 900}, {"390", 390, 844}} {
		b.do("customer page at "+w.name,
			chromedp.EmulateViewport(w.w, w.h),
			chromedp.Navigate(s.srv.URL+"/customers/"+c.ID),
			chromedp.WaitVisible(chromedp.ID("customer-archive")),
		)
		if got := b.text("#customer-archive"); got != "Download archive" {
			t.Errorf("the button says %q", got)
		}
		if got := b.eval(`String(document.documentElement.scrollWidth <= window.innerWidth)`); got != "true" {
			t.Errorf("at %s px the customer page scrolls sideways", w.name)
		}
		b.shot("customer-archive-" + w.name)
	}
	if got := b.eval(`document.getElementById("customer-archive").focus(), String(document.activeElement.id)`); got != "customer-archive" {
		t.Errorf("the button takes no focus: %q", got)
	}
	b.checkConsole()
}
