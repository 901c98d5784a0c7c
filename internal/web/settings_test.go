package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/logo/logotest"
	"github.com/custreg/custreg/internal/service"
)

// postMultipart posts form with files (part name → bytes, declared as a
// browser declares a file named logo.png) as multipart/form-data, as the
// sidebar's form is sent.
func (s *stack) postMultipart(c *http.Client, path string, form url.Values, files map[string][]byte) response {
	s.t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, vals := range form {
		for _, v := range vals {
			_ = mw.WriteField(k, v)
		}
	}
	for name, data := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="`+name+`"; filename="logo.png"`)
		h.Set("Content-Type", "image/png")
		pw, _ := mw.CreatePart(h)
		_, _ = pw.Write(data)
	}
	_ = mw.Close()
	req, err := http.NewRequest(http.MethodPost, s.srv.URL+path, &b)
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return s.do(c, req)
}

// checkedValues returns the values of the ticked boxes named name.
func checkedValues(doc *html.Node, name string) []string {
	var out []string
	for _, n := range findAll(doc, func(n *html.Node) bool { return n.Data == "input" && attr(n, "name") == name && hasAttr(n, "checked") }) {
		out = append(out, attr(n, "value"))
	}
	return out
}

// TestWizardSettingsStep drives the Settings step without the script: the
// defaults, a refused logo (422 beside the field, nothing staged), a logo
// staged by Next and carried to Submit, the admin role and the reports and
// dashboards chosen, and the customer created with all of it.
func TestWizardSettingsStep(t *testing.T) {
	s := MustStack(t, service.FirstStart{}, false)
	c := s.signedIn()
	res := s.get(c, "/customers/new")
	if got := selected(res.doc, "f-admin-role"); got != domain.RoleCustomerAdmin {
		t.Errorf("admin role defaults to %q", got)
	}
	if got := checkedValues(res.doc, "reports"); !slices.Equal(got, domain.CatalogKeys(domain.Reports)) {
		t.Errorf("reports ticked by default = %v", got)
	}
	if got := checkedValues(res.doc, "dashboards"); !slices.Equal(got, domain.CatalogKeys(domain.Dashboards)) {
		t.Errorf("dashboards ticked by default = %v", got)
	}
	if attr(byID(res.doc, "customer-form"), "enctype") != "multipart/form-data" {
		t.Errorf("the form cannot carry files")
	}

	f := validForm()
	f.Set("step", "settings")
	f.Set("settings", "1")
	f.Set("admin_role", domain.RoleCustomerUser)
	f["reports"] = []string{domain.ReportLicenseUsage, domain.ReportUsers}
	f.Del("dashboards")

	// A GIF named .png is refused beside its field, on the Settings step.
	f.Set("op", "step:licenses")
	res = s.postMultipart(c, "/customers/new", f, map[string][]byte{domain.LogoFull: logotest.GIF(320, 80)})
	if res.status != http.StatusUnprocessableEntity || isHidden(res.doc, "step-settings") {
		t.Fatalf("a GIF logo: status %d, settings hidden %v", res.status, isHidden(res.doc, "step-settings"))
	}
	if msg := text(byID(res.doc, "f-full-logo-error")); !strings.Contains(msg, "PNG or JPEG") || attr(byID(res.doc, "f-full-logo"), "aria-invalid") != "true" {
		t.Errorf("GIF refusal shown as %q", msg)
	}
	if got := attr(find(res.doc, func(n *html.Node) bool { return attr(n, "name") == "full_logo.draft" }), "value"); got != "" {
		t.Errorf("a refused file left a draft %q", got)
	}
	// What was chosen on the step is kept through the refusal.
	if got := selected(res.doc, "f-admin-role"); got != domain.RoleCustomerUser {
		t.Errorf("admin role after the refusal = %q", got)
	}
	if got := checkedValues(res.doc, "reports"); !slices.Equal(got, []string{domain.ReportLicenseUsage, domain.ReportUsers}) {
		t.Errorf("reports after the refusal = %v", got)
	}

	// A wide PNG is staged by Next: the form now carries its draft and
	// shows its preview; the square logomark gets a warning, not a refusal.
	res = s.postMultipart(c, "/customers/new", f, map[string][]byte{domain.LogoFull: logotest.PNG(1280, 320), domain.LogoMark: logotest.PNG(400, 100)})
	if res.status != http.StatusOK {
		t.Fatalf("Next with logos: status %d\n%s", res.status, text(byID(res.doc, "form-errors")))
	}
	draft := func(kind string) string {
		return attr(find(res.doc, func(n *html.Node) bool { return attr(n, "name") == kind+".draft" }), "value")
	}
	full, mark := draft(domain.LogoFull), draft(domain.LogoMark)
	if full == "" || mark == "" {
		t.Fatalf("drafts after Next: %q %q", full, mark)
	}
	if w := text(byID(res.doc, "f-logomark-warning")); !strings.Contains(w, "wide") && !strings.Contains(w, "tall") && !strings.Contains(w, "aspect") {
		t.Errorf("a 4:1 logomark has no aspect warning: %q", w)
	}
	img := s.get(c, "/logo-drafts/"+full)
	if img.status != http.StatusOK || img.header.Get("Content-Type") != "image/png" {
		t.Errorf("draft preview: %d %s", img.status, img.header.Get("Content-Type"))
	}

	// Remove forgets the logomark's draft; Submit creates the customer
	// with the full logo and the choices.
	f.Set(domain.LogoFull+".draft", full)
	f.Set(domain.LogoMark+".draft", mark)
	f.Set("op", "logo_remove:"+domain.LogoMark)
	res = s.postMultipart(c, "/customers/new", f, nil)
	if res.status != http.StatusOK || draft(domain.LogoMark) != "" || draft(domain.LogoFull) != full {
		t.Fatalf("Remove logomark: status %d, drafts %q %q", res.status, draft(domain.LogoFull), draft(domain.LogoMark))
	}
	f.Del(domain.LogoMark + ".draft")
	f.Set("step", "licenses")
	f.Set("op", "submit")
	res = s.postMultipart(c, "/customers/new", f, nil)
	if res.status != http.StatusSeeOther {
		t.Fatalf("Submit: status %d\n%s", res.status, text(byID(res.doc, "form-errors")))
	}
	cs := s.customers()
	if len(cs) != 1 {
		t.Fatalf("%d customers", len(cs))
	}
	got, err := s.svc.Customer(s.admin, cs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.AdminRole != domain.RoleCustomerUser || !slices.Equal(got.Reports, []string{domain.ReportLicenseUsage, domain.ReportUsers}) ||
		len(got.Dashboards) != 0 || got.FullLogo == nil || got.FullLogo.Width != 1280 || got.Logomark != nil {
		t.Errorf("created customer: role %s reports %v dashboards %v logos %+v %+v", got.AdminRole, got.Reports, got.Dashboards, got.FullLogo, got.Logomark)
	}
	if s.get(c, "/logo-drafts/"+full).status != http.StatusNotFound {
		t.Errorf("the draft outlived the create")
	}

	// Edit mode shows what is stored; a logo chosen there is stored at
	// once, Remove removes it, and saving keeps the settings.
	res = s.get(c, "/customers/"+got.ID+"/edit?step=settings")
	if isHidden(res.doc, "step-settings") || selected(res.doc, "f-admin-role") != domain.RoleCustomerUser {
		t.Fatalf("edit's Settings: hidden %v, role %q", isHidden(res.doc, "step-settings"), selected(res.doc, "f-admin-role"))
	}
	if src := attr(find(byID(res.doc, "settings-panel"), func(n *html.Node) bool { return n.Data == "img" }), "src"); !strings.Contains(src, "/full_logo") {
		t.Errorf("edit shows no stored full logo: %q", src)
	}
	ef := url.Values{"version": {"1"}, "step": {"settings"}, "op": {"step:settings"}, "settings": {"1"}}
	for k, v := range validForm() {
		ef[k] = v
	}
	ef.Set("admin_role", domain.RoleCustomerUser)
	ef["reports"] = []string{domain.ReportLicenseUsage, domain.ReportUsers}
	res = s.postMultipart(c, "/customers/"+got.ID+"/edit", ef, map[string][]byte{domain.LogoMark: logotest.PNG(80, 80)})
	if res.status != http.StatusOK {
		t.Fatalf("edit upload: %d", res.status)
	}
	if after, _ := s.svc.Customer(s.admin, got.ID); after.Logomark == nil || after.Version != got.Version {
		t.Errorf("edit upload: logomark %+v, version %d → %d", after.Logomark, got.Version, after.Version)
	}
	ef.Set("op", "logo_remove:"+domain.LogoFull)
	if res = s.postMultipart(c, "/customers/"+got.ID+"/edit", ef, nil); res.status != http.StatusOK {
		t.Fatalf("edit remove: %d", res.status)
	}
	if after, _ := s.svc.Customer(s.admin, got.ID); after.FullLogo != nil {
		t.Errorf("the full logo is still there after Remove")
	}
	ef.Set("op", "submit")
	ef["dashboards"] = []string{domain.DashboardLicenseUtilization}
	if res = s.postMultipart(c, "/customers/"+got.ID+"/edit", ef, nil); res.status != http.StatusSeeOther {
		t.Fatalf("edit submit: %d\n%s", res.status, text(byID(res.doc, "form-errors")))
	}
	after, _ := s.svc.Customer(s.admin, got.ID)
	if after.AdminRole != domain.RoleCustomerUser || !slices.Equal(after.Dashboards, []string{domain.DashboardLicenseUtilization}) ||
		!slices.Equal(after.Reports, []string{domain.ReportLicenseUsage, domain.ReportUsers}) {
		t.Errorf("after the edit: role %s reports %v dashboards %v", after.AdminRole, after.Reports, after.Dashboards)
	}
}

// TestWizardNextChecksOnServer: Next from Customer Details checks the step
// as Submit will — a code another customer holds stays on the step with
// the message beside the field — and the script's check answers JSON; a
// step that passes is marked done.
func TestWizardNextChecksOnServer(t *testing.T) {
	s := MustStack(t, service.FirstStart{}, false)
	c := s.signedIn()
	s.MustCreateCustomer(domain.CustomerInput{Name: "Airtel", Code: "AIR001"})
	f := validForm()
	f.Set("name", "Airtel Two")
	f.Set("code", "air001")
	f.Set("step", "details")
	f.Set("op", "step:entities")
	res := s.post(c, "/customers/new", f)
	if res.status != http.StatusUnprocessableEntity || isHidden(res.doc, "step-details") || !strings.Contains(text(byID(res.doc, "f-code-error")), "already exists") {
		t.Fatalf("Next with a taken code: %d, %q", res.status, text(byID(res.doc, "f-code-error")))
	}
	// The script's check: JSON naming the input.
	req, _ := http.NewRequest(http.MethodPost, s.srv.URL+"/customers/new", strings.NewReader(f.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Custreg-Check", "1")
	res = s.do(c, req)
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `"id":"f-code"`) || !strings.Contains(res.body, `"ok":false`) {
		t.Errorf("check answer: %d %s", res.status, res.body)
	}
	// A pin code that does not fit the country is refused by Next as well.
	f.Set("code", "AIR002")
	f.Set("location.pin_code", "ABC")
	if res = s.post(c, "/customers/new", f); res.status != http.StatusUnprocessableEntity || text(byID(res.doc, "f-location-pin-code-error")) == "" {
		t.Errorf("Next with a bad pin code: %d", res.status)
	}
	f.Set("location.pin_code", "10036")
	res = s.post(c, "/customers/new", f)
	if res.status != http.StatusOK || isHidden(res.doc, "step-entities") {
		t.Fatalf("Next with a free code: %d", res.status)
	}
	if cls := attr(find(res.doc, func(n *html.Node) bool { return attr(n, "data-step-item") == "details" }), "class"); !strings.Contains(cls, "done") {
		t.Errorf("Customer Details not marked done: %q", cls)
	}
	if n := len(s.customers()); n != 1 {
		t.Errorf("Next wrote something: %d customers", n)
	}
	// An admin role outside the catalog is refused by Next from Settings.
	f.Set("step", "settings")
	f.Set("settings", "1")
	f.Set("admin_role", "site_lead")
	f.Set("op", "step:licenses")
	if res = s.post(c, "/customers/new", f); res.status != http.StatusUnprocessableEntity || isHidden(res.doc, "step-settings") || text(byID(res.doc, "f-admin-role-error")) == "" {
		t.Errorf("Next with an unknown admin role: %d", res.status)
	}
}
