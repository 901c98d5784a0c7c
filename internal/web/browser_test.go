package web_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/logo/logotest"
	"github.com/custreg/custreg/internal/service"
)

// chromiumPath is the browser to drive: $CUSTREG_CHROMIUM, else Debian's
// Chromium, which .ci/run installs.
var chromiumPath = cmp.Or(os.Getenv("CUSTREG_CHROMIUM"), "/usr/bin/chromium")

// browser drives one headless Chromium tab for a test.
type browser struct {
	t     *testing.T
	ctx   context.Context
	shots string
	n     int

	mu       sync.Mutex
	problems []string // console errors and uncaught exceptions
}

// newBrowser starts Chromium with a fresh profile. Without Chromium the test
// is skipped, except in CI, where a browser test must not skip.
func newBrowser(t *testing.T) *browser {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("browser test: %s not found (%v); CI must install chromium", chromiumPath, err)
		}
		t.Skipf("browser test skipped: %s not found", chromiumPath)
	}
	shots := os.Getenv("CUSTREG_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	} else if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1366, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(cancel)
	b := &browser{t: t, ctx: ctx, shots: shots}

	// The first Do starts the browser under ctx itself (a derived context
	// would stop the browser when it ends), so bound the start with a timer.
	stall := time.AfterFunc(30*time.Second, cancel)
	err := chromedp.Do(ctx)
	stall.Stop()
	if err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	// Any script error or console error (a CSP violation, a 404 for an
	// asset) fails the test at the end.
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			// A rejected form is answered 422 or 409 on purpose, and Chrome
			// logs every such answer; anything else is a real problem.
			if m.Type == chromedp.ConsoleError && (strings.Contains(m.Text, "status of 422") || strings.Contains(m.Text, "status of 409")) {
				continue
			}
			if m.IsException() || m.Type == chromedp.ConsoleError {
				b.mu.Lock()
				b.problems = append(b.problems, m.String())
				b.mu.Unlock()
			}
		}
	}()
	return b
}

// do runs steps within a bounded time; a step that hangs fails the test
// with its name instead of hanging the run.
func (b *browser) do(name string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.shot("failed-" + strings.ReplaceAll(name, " ", "-"))
		b.t.Fatalf("%s: %v", name, err)
	}
}

// eval returns the value of a JavaScript expression.
func (b *browser) eval(expr string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.Join(strings.Fields(v), " ")
}

func (b *browser) value(sel string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("value of %s: %v", sel, err)
	}
	return v
}

// settled waits (at most 2 s) until no animation runs: a click aimed at a
// button of the sidebar while it slides in lands where the button was.
// A page whose animations never end goes on after the 2 s.
func settled() chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, _ = chromedp.Poll[bool](`document.getAnimations().every(a => a.playState !== "running")`,
			chromedp.WithPollingTimeout(2*time.Second))(ctx, t)
		return chromedp.Void{}, nil
	}
}

// shot saves a PNG of the viewport as NN-name.png.
func (b *browser) shot(name string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	// Let the sidebar finish sliding in, so the picture shows where things
	// settle. A page whose animations never end is still captured.
	_, _ = chromedp.Run(ctx, settled())
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
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

// waitFor waits, bounded, until the JavaScript expression is true. A poll
// that a page load cuts short (a form submitted without the script) is
// started again in the new page.
func (b *browser) waitFor(name, expr string) {
	b.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ctx, cancel := context.WithDeadline(b.ctx, deadline)
		_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(time.Until(deadline))))
		cancel()
		if err == nil {
			return
		}
		if time.Now().After(deadline) || b.ctx.Err() != nil {
			b.shot("failed-" + strings.ReplaceAll(name, " ", "-"))
			b.t.Fatalf("%s: %v", name, err)
		}
	}
}

// choose picks value in the <select> sel as a person would: the change
// event fires.
func (b *browser) choose(sel, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
		const el = document.querySelector(%q);
		el.value = %q;
		el.dispatchEvent(new Event("change", {bubbles: true}));
	})()`, sel, value))
}

// pickCustomer chooses a customer in the customer box id by keyboard
// alone: it empties the box, types typed, waits for the server's matches,
// moves to the first with the down arrow and presses Enter; the first
// match must be wantID.
func (b *browser) pickCustomer(id, typed, wantID string) {
	b.t.Helper()
	b.do("type "+typed+" in #"+id,
		chromedp.Focus(chromedp.ID(id)),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const el = document.getElementById(%q); el.select(); })()`, id)),
		chromedp.KeyEvent(kb.Delete),
		chromedp.SendKeys(chromedp.ID(id), typed),
	)
	list := strings.TrimSuffix(id, "-q") + "-list"
	b.waitFor("matches of "+typed, fmt.Sprintf(`!document.getElementById(%q).hidden && document.querySelector("#%s [data-id]") !== null`, list, list))
	b.do("arrow down", chromedp.KeyEvent(kb.ArrowDown))
	if got := b.eval(fmt.Sprintf(`document.getElementById(document.getElementById(%q).getAttribute("aria-activedescendant") || "x")?.dataset.id || ""`, id)); got != wantID {
		b.t.Fatalf("the first match of %q is %q, want %q", typed, got, wantID)
	}
	b.do("enter", chromedp.KeyEvent(kb.Enter))
}

// cards returns the names on the customer cards, in order, joined by "|".
func (b *browser) cards() string {
	b.t.Helper()
	return b.eval(`[...document.querySelectorAll("[data-customer] .card-title")].map(e => e.textContent.trim()).join("|")`)
}

func (b *browser) checkConsole() {
	b.t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		b.t.Errorf("browser console: %s", p)
	}
}

// TestBrowser walks through the Customer Registration page as a person
// would: sign in, add a customer in the sidebar, meet a validation error,
// edit the customer, and delete it through the dialog.
func TestBrowser(t *testing.T) {
	began := time.Now()
	b := newBrowser(t)
	s := MustStack(t, service.FirstStart{OrgName: "Northwind MSP"}, false)
	// A few customers already exist, so the grid looks like real use.
	active, inactive := true, false
	for _, c := range []domain.CustomerInput{
		{Name: "Bharti Enterprises", Code: "BHA001", Domain: "bharti.in", IsActive: &active, Location: domain.Location{City: "New Delhi", Country: "IN"}},
		{Name: "Contoso Retail", Code: "CON-7", Domain: "contoso.com", IsActive: &active, Location: domain.Location{City: "Seattle", Country: "US"}},
		{Name: "Fabrikam Health", Code: "FAB_02", IsActive: &inactive, Location: domain.Location{City: "Dublin", Country: "IE"}},
	} {
		s.MustCreateCustomer(c)
	}
	base := s.srv.URL

	// Signed out, the customer page sends us to sign in.
	b.do("open customers",
		chromedp.Navigate(base+"/customers"),
		chromedp.WaitVisible(chromedp.ID("login-email")),
	)
	if got := b.eval("location.pathname + location.search"); got != "/login?next=%2Fcustomers" {
		t.Errorf("redirected to %q", got)
	}
	b.shot("login")
	b.do("sign in",
		chromedp.SendKeys(chromedp.ID("login-email"), adminEmail),
		chromedp.SendKeys(chromedp.ID("login-password"), adminPassword),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("add-customer")),
	)
	if got := b.eval("document.title"); got != "Customers · Northwind MSP · custreg" {
		t.Errorf("title %q", got)
	}
	if got := b.text("#customer-count"); got != "3 customers" {
		t.Errorf("count %q", got)
	}
	b.shot("customers")

	// Add Customer opens the sidebar in place, with focus inside it.
	b.do("open Add Customer",
		chromedp.Click(chromedp.ID("add-customer")),
		chromedp.WaitVisible(chromedp.CSS("dialog#sidebar #f-name")),
		settled(),
	)
	if got := b.eval("document.activeElement.id"); got != "f-name" {
		t.Errorf("focus is on %q, not in the sidebar's first field", got)
	}
	if got := b.eval("location.pathname"); got != "/customers/new" {
		t.Errorf("address bar says %q", got)
	}
	b.shot("add-customer-sidebar")
	b.do("fill Customer Details",
		chromedp.SendKeys(chromedp.ID("f-name"), "Airtel"),
		chromedp.SendKeys(chromedp.ID("f-code"), "AIR001"),
		chromedp.SendKeys(chromedp.ID("f-domain"), "airtel.com"),
		chromedp.SendKeys(chromedp.ID("f-business-email"), "enterprise@airtel.com"),
		chromedp.SetValue(chromedp.ID("f-phone-region"), "US"),
		chromedp.SendKeys(chromedp.ID("f-phone"), "2015550123"),
		chromedp.SendKeys(chromedp.ID("f-website"), "https://www.airtel.com/"),
		chromedp.SendKeys(chromedp.ID("f-subscription-id"), "SUBAIR2026001"),
		chromedp.SendKeys(chromedp.ID("f-location-location-name"), "Airtel Corporate HQ"),
		chromedp.SetValue(chromedp.ID("f-location-country"), "US"),
		chromedp.SendKeys(chromedp.ID("f-location-region"), "North America"),
		chromedp.SendKeys(chromedp.ID("f-location-state"), "New York"),
		chromedp.SendKeys(chromedp.ID("f-location-city"), "New York"),
		chromedp.SendKeys(chromedp.ID("f-location-pin-code"), "10036"),
		chromedp.SendKeys(chromedp.ID("f-location-address-line1"), "1095 Avenue of the Americas"),
	)
	b.shot("add-customer-filled")

	// Next: Entity Details, in the page (the address bar stays).
	b.do("next",
		chromedp.Click(chromedp.ID("wizard-next")),
		chromedp.WaitVisible(chromedp.ID("f-entity-name")),
	)
	if got := b.eval("document.activeElement.id"); got != "f-entity-name" {
		t.Errorf("after Next, focus is on %q", got)
	}
	if got := b.eval(`document.querySelector("[aria-current=step]").textContent.trim()`); !strings.Contains(got, "Entity Details") {
		t.Errorf("current step %q", got)
	}
	b.shot("entity-details-empty")
	// Two entities, each with its own contact and location.
	b.do("first entity",
		chromedp.SendKeys(chromedp.ID("f-entity-name"), "Airtel Mumbai"),
		chromedp.SendKeys(chromedp.ID("f-entity-code"), "AIR-MUM"),
		b.choose("#f-entity-location-country", "IN"),
		chromedp.SendKeys(chromedp.ID("f-entity-phone"), "98765 43210"),
		chromedp.SendKeys(chromedp.ID("f-entity-location-city"), "Mumbai"),
		chromedp.SendKeys(chromedp.ID("f-entity-location-pin-code"), "400001"),
	)
	if got := b.value("#f-entity-phone-region"); got != "IN" {
		t.Errorf("the entity's country did not suggest its phone code: %q", got)
	}
	b.do("save first entity",
		chromedp.Click(chromedp.ID("entity-save")),
		chromedp.WaitVisible(chromedp.ID("entity-0")),
	)
	if got := b.eval("document.activeElement.id"); got != "f-entity-name" {
		t.Errorf("after Save, focus is on %q", got)
	}
	b.do("second entity",
		chromedp.SendKeys(chromedp.ID("f-entity-name"), "Airtel Pune Operations"),
		b.choose("#f-entity-type", "department"),
		chromedp.SendKeys(chromedp.ID("f-entity-business-email"), "pune@airtel.com"),
		// Enter in the editor saves the entity.
		chromedp.SendKeys(chromedp.ID("f-entity-location-city"), "Pune\r"),
		chromedp.WaitVisible(chromedp.ID("entity-1")),
	)
	if got := b.text("#entity-list"); !strings.Contains(got, "Airtel Mumbai") || !strings.Contains(got, "Department") || !strings.Contains(got, "AIR-MUM") {
		t.Errorf("entity list %q", got)
	}
	b.shot("entity-details-two")
	// Edit the first, see it open in the editor, cancel.
	b.do("edit entity",
		chromedp.Click(chromedp.ID("entity-0-edit")),
		chromedp.Poll[chromedp.Void](`document.getElementById("f-entity-name").value === "Airtel Mumbai"`, chromedp.WithPollingTimeout(5*time.Second)),
	)
	if got := b.text("#entity-editor-title"); got != "Edit entity “Airtel Mumbai”" {
		t.Errorf("editor title %q", got)
	}
	b.shot("entity-editing")
	b.do("cancel edit",
		chromedp.Click(chromedp.ID("entity-cancel")),
		chromedp.Poll[chromedp.Void](`document.getElementById("f-entity-name").value === ""`, chromedp.WithPollingTimeout(5*time.Second)),
	)
	// Back: Customer Details still hold what was typed.
	b.do("back",
		chromedp.Click(chromedp.ID("wizard-back")),
		chromedp.WaitVisible(chromedp.ID("f-name")),
	)
	if got, code, pin := b.value("#f-name"), b.value("#f-code"), b.value("#f-location-pin-code"); got != "Airtel" || code != "AIR001" || pin != "10036" {
		t.Errorf("after Back: %q %q %q", got, code, pin)
	}
	b.do("next again",
		chromedp.Click(chromedp.ID("wizard-next")),
		chromedp.WaitVisible(chromedp.ID("entity-1")),
	)
	// Settings: both logos chosen (sent at once and previewed), an admin
	// role, and the reports and dashboards the customer's people may use.
	dir := t.TempDir()
	fullPath, markPath, gifPath := filepath.Join(dir, "airtel-full.png"), filepath.Join(dir, "airtel-mark.jpg"), filepath.Join(dir, "anim.png")
	for p, data := range map[string][]byte{fullPath: logotest.PNG(1280, 320), markPath: logotest.JPEG(200, 200), gifPath: logotest.GIF(80, 80)} {
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b.do("next to Settings",
		chromedp.Click(chromedp.ID("wizard-next")),
		chromedp.WaitVisible(chromedp.ID("f-admin-role")),
	)
	b.shot("settings-empty")
	// A GIF named .png is refused beside its field, at once.
	b.do("choose a GIF logomark", chromedp.SetUploadFiles(chromedp.ID("f-logomark"), []string{gifPath}))
	b.waitFor("GIF refused", `!document.querySelector("[data-logo=logomark] [data-error]").hidden`)
	if got := b.text(`[data-logo=logomark] [data-error]`); !strings.Contains(got, "PNG or JPEG") {
		t.Errorf("GIF refusal says %q", got)
	}
	b.do("choose both logos",
		chromedp.SetUploadFiles(chromedp.ID("f-full-logo"), []string{fullPath}),
		chromedp.SetUploadFiles(chromedp.ID("f-logomark"), []string{markPath}),
	)
	b.waitFor("logo previews", `[...document.querySelectorAll("[data-logo] [data-preview] img")].filter(i => i.complete && i.naturalWidth > 0).length === 2`)
	b.shot("settings-logos")
	if got := b.eval(`String(document.querySelector("[data-logo=full_logo] [data-preview] img").naturalWidth)`); got != "320" {
		t.Errorf("the full logo's preview is %s px wide, want the 320 px rendition", got)
	}
	if got := b.eval(`String(document.querySelector("[data-logo=logomark] [data-error]").hidden)`); got != "true" {
		t.Errorf("the GIF's error stayed after a good logomark")
	}
	b.do("choose role, reports, dashboards",
		b.choose("#f-admin-role", domain.RoleCustomerTechnician),
		chromedp.Click(chromedp.ID("f-reports-entity-directory")),
		chromedp.Click(chromedp.ID("f-dashboards-customer-overview")),
	)
	b.shot("settings-filled")
	// The last step: License Allocation, where Submit is.
	b.do("next to License Allocation",
		chromedp.Click(chromedp.ID("wizard-next")),
		chromedp.WaitVisible(chromedp.ID("f-licenses-users")),
		chromedp.WaitVisible(chromedp.ID("customer-submit")),
	)
	if got := b.eval("document.activeElement.id"); got != "f-licenses-users" {
		t.Errorf("after Next to License Allocation, focus is on %q", got)
	}
	if got := b.eval(`String(document.getElementById("wizard-next").hidden)`); got != "true" {
		t.Errorf("Next shows on the last step")
	}
	b.do("submit",
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
	if airtel.ID == "" || airtel.Phone != "+12015550123" || airtel.Location.Country != "US" {
		t.Fatalf("stored customer: %+v", airtel)
	}
	if es := s.entitiesOf(airtel.ID); len(es) != 2 || es[0].Phone != "+919876543210" || es[1].Type != "department" {
		t.Errorf("stored entities: %+v", es)
	}
	if got, err := s.svc.Customer(s.admin, airtel.ID); err != nil || got.FullLogo == nil || got.FullLogo.Width != 1280 || got.Logomark == nil ||
		got.Logomark.Format != "jpeg" || got.AdminRole != domain.RoleCustomerTechnician ||
		!slices.Equal(got.Reports, []string{domain.ReportLicenseUsage, domain.ReportAssetInventory, domain.ReportUsers}) ||
		!slices.Equal(got.Dashboards, []string{domain.DashboardLicenseUtilization}) {
		t.Errorf("stored settings: logos %+v %+v role %s reports %v dashboards %v (%v)", got.FullLogo, got.Logomark, got.AdminRole, got.Reports, got.Dashboards, err)
	}
	card := "#customer-" + airtel.ID
	if got := b.text(card); !strings.Contains(got, "Airtel") || !strings.Contains(got, "AIR001") {
		t.Errorf("card says %q", got)
	}
	if got := b.text(card + ` [data-figure=entities]`); got != "Entities 2" {
		t.Errorf("card figure %q", got)
	}
	if got := b.text("#customer-count"); got != "4 customers" {
		t.Errorf("count %q", got)
	}
	b.shot("customer-added")

	// Next checks the required fields in the page, then the whole step on
	// the server: the messages come back beside the fields, the typed
	// values kept and focus on the first invalid field.
	b.do("open Add Customer again",
		chromedp.Click(chromedp.ID("add-customer")),
		chromedp.WaitVisible(chromedp.CSS("dialog#sidebar #f-name")),
		settled(),
		chromedp.SendKeys(chromedp.ID("f-code"), "a b"),
		chromedp.SendKeys(chromedp.ID("f-business-email"), "x@"),
		chromedp.Click(chromedp.ID("wizard-next")),
		chromedp.WaitVisible(chromedp.ID("f-name-error")),
	)
	if got := b.text("#f-name-error"); got != "Customer Name is required." {
		t.Errorf("client check says %q", got)
	}
	if got := b.eval("document.activeElement.id"); got != "f-name" {
		t.Errorf("focus on %q after the check", got)
	}
	b.shot("next-required")
	b.do("fix name, next",
		chromedp.SendKeys(chromedp.ID("f-name"), "Zed"),
		chromedp.WaitNotPresent(chromedp.ID("f-name-error")),
		chromedp.Click(chromedp.ID("wizard-next")),
		chromedp.WaitVisible(chromedp.ID("f-code-error")),
	)
	if got := b.eval(`String(document.getElementById("step-details").hidden)`); got != "false" {
		t.Errorf("Next went on past a refused step")
	}
	if got := b.text("#f-code-error"); !strings.Contains(got, "Use only letters") {
		t.Errorf("code error %q", got)
	}
	if got := b.text("#f-business-email-error"); !strings.Contains(got, "Not a valid email") {
		t.Errorf("email error %q", got)
	}
	if got := b.value("#f-code"); got != "a b" {
		t.Errorf("typed code not kept: %q", got)
	}
	if got := b.value("#f-business-email"); got != "x@" {
		t.Errorf("typed email not kept: %q", got)
	}
	if got := b.eval("document.activeElement.id"); got != "f-code" {
		t.Errorf("focus on %q, not the first invalid field", got)
	}
	if got := b.eval(`document.getElementById("f-code").getAttribute("aria-describedby")`); !strings.HasPrefix(got, "f-code-error") {
		t.Errorf("aria-describedby %q", got)
	}
	b.shot("validation-errors")
	// A code another customer holds is refused by Next too; once the
	// step passes, it is marked done.
	b.do("a taken code",
		chromedp.SetValue(chromedp.ID("f-code"), "air001"),
		chromedp.SetValue(chromedp.ID("f-business-email"), "zed@example.com"),
		chromedp.Click(chromedp.ID("wizard-next")),
	)
	b.waitFor("taken code refused", `(document.getElementById("f-code-error")||{}).textContent.includes("already exists")`)
	if got := b.eval(`String(!!document.getElementById("f-business-email-error"))`); got != "false" {
		t.Errorf("the fixed email still shows an error")
	}
	b.do("a free code",
		chromedp.SetValue(chromedp.ID("f-code"), "ZED1"),
		chromedp.Click(chromedp.ID("wizard-next")),
		chromedp.WaitVisible(chromedp.ID("f-entity-name")),
	)
	if got := b.eval(`document.querySelector("[data-step-item=details]").className`); !strings.Contains(got, "done") {
		t.Errorf("Customer Details not marked done: %q", got)
	}
	b.shot("details-done")

	// Escape with typed input asks first; Discard closes and focus goes
	// back to the page.
	b.do("escape asks",
		chromedp.KeyEvent("\x1b"),
		chromedp.WaitVisible(chromedp.ID("discard")),
	)
	b.shot("discard-question")
	b.do("discard",
		chromedp.Click(chromedp.CSS("[data-discard]")),
		chromedp.WaitNotPresent(chromedp.CSS("dialog#sidebar")),
	)
	if got := b.eval("location.pathname"); got != "/customers" {
		t.Errorf("after closing, address bar says %q", got)
	}
	if n := len(s.customers()); n != 4 {
		t.Errorf("%d customers after the rejected form", n)
	}

	// Edit: the same sidebar, filled in.
	b.do("open Edit",
		chromedp.Click(chromedp.CSS(card+` a[href$="/edit"]`)),
		chromedp.WaitVisible(chromedp.CSS("dialog#sidebar #f-name")),
		settled(),
	)
	if got := b.value("#f-name"); got != "Airtel" {
		t.Errorf("edit form name %q", got)
	}
	if got, region := b.value("#f-phone"), b.value("#f-phone-region"); got != "201-555-0123" || region != "US" {
		t.Errorf("edit form phone %q %q", region, got)
	}
	if got := b.text("#sidebar-title"); got != "Edit Customer" {
		t.Errorf("sidebar title %q", got)
	}
	b.do("rename",
		chromedp.Clear(chromedp.ID("f-name")),
		chromedp.SendKeys(chromedp.ID("f-name"), "Airtel Business"),
	)
	b.shot("edit-customer")
	// Edit mode manages the stored entities: delete one (it asks first,
	// in its row), then save the renamed customer.
	pune := s.entitiesOf(airtel.ID)[1]
	row := "#entity-" + pune.ID
	b.do("entity details in edit mode",
		chromedp.Click(chromedp.CSS(`[data-step-item=entities] button`)),
		chromedp.WaitVisible(chromedp.CSS(row)),
		chromedp.Click(chromedp.CSS(row+"-delete")),
		chromedp.WaitVisible(chromedp.CSS(row+"-confirm")),
	)
	if got := b.eval("document.activeElement.id"); got != "entity-"+pune.ID+"-keep" {
		t.Errorf("focus on %q when asked", got)
	}
	b.shot("edit-entity-delete-question")
	b.do("delete entity",
		chromedp.Click(chromedp.CSS(row+"-delete-confirm")),
		chromedp.WaitNotPresent(chromedp.CSS(row)),
	)
	if got := b.text("#entity-status"); !strings.Contains(got, "was deleted") {
		t.Errorf("status %q", got)
	}
	if got := b.value("#f-name"); got != "Airtel Business" {
		t.Errorf("typed name lost by the entity action: %q", got)
	}
	if n := len(s.entitiesOf(airtel.ID)); n != 1 {
		t.Errorf("%d entities after delete", n)
	}
	b.do("save",
		chromedp.Click(chromedp.ID("customer-submit")),
		chromedp.WaitVisible(chromedp.ID("flash")),
		chromedp.WaitNotPresent(chromedp.CSS("dialog#sidebar")),
	)
	if got := b.text(card + " .card-title"); got != "Airtel Business" {
		t.Errorf("card title after edit %q", got)
	}
	if got := b.text(card + ` [data-figure=entities]`); got != "Entities 1" {
		t.Errorf("card figure after edit %q", got)
	}
	b.shot("customer-edited")

	// Delete: the dialog names the customer; Delete is enabled only once the
	// code is typed.
	b.do("open Delete",
		chromedp.Click(chromedp.CSS(card+` a[href$="/delete"]`)),
		chromedp.WaitVisible(chromedp.ID("confirm-code")),
	)
	if got := b.text("#delete-desc"); !strings.Contains(got, "Airtel Business") {
		t.Errorf("dialog says %q", got)
	}
	if got := b.eval(`String(document.getElementById("delete-confirm").disabled)`); got != "true" {
		t.Errorf("Delete enabled before the code is typed")
	}
	b.do("type code",
		chromedp.SendKeys(chromedp.ID("confirm-code"), "air001"),
		chromedp.WaitEnabled(chromedp.ID("delete-confirm")),
	)
	b.shot("delete-dialog")
	b.do("delete",
		chromedp.Click(chromedp.ID("delete-confirm")),
		chromedp.WaitVisible(chromedp.ID("flash")),
		chromedp.WaitNotPresent(chromedp.CSS(card)),
	)
	if got := b.text("#customer-count"); got != "3 customers" {
		t.Errorf("count after delete %q", got)
	}
	if got := b.text("#flash"); !strings.Contains(got, "deleted") {
		t.Errorf("notice %q", got)
	}
	b.shot("customer-deleted")

	// A tablet in portrait: the grid reflows and the sidebar still fits.
	b.do("tablet",
		chromedp.EmulateViewport(820, 1180),
		chromedp.Navigate(base+"/customers/new"),
		chromedp.WaitVisible(chromedp.CSS("dialog#sidebar #f-name")),
		settled(),
	)
	b.shot("tablet-add-customer")
	b.do("tablet list",
		chromedp.KeyEvent("\x1b"),
		chromedp.WaitNotPresent(chromedp.CSS("dialog#sidebar")),
	)
	b.shot("tablet-customers")

	b.checkConsole()
	if err := chromedp.Cancel(b.ctx); err != nil && !errors.Is(err, context.Canceled) {
		t.Logf("closing chromium: %v", err)
	}
	t.Logf("browser test took %s", time.Since(began).Round(time.Millisecond))
}

// TestBrowserSearchFilter searches as a person types, builds a
// two-condition filter in the panel, and removes one chip.
func TestBrowserSearchFilter(t *testing.T) {
	began := time.Now()
	b := newBrowser(t)
	s := MustStack(t, service.FirstStart{OrgName: "Northwind MSP"}, false)
	for _, c := range [][2]string{
		{"Airtel", "AIR001"}, {"Airtel Business", "AIR002"}, {"Bharti Telecom", "BHA-01"},
		{"Jio Platforms", "JIO"}, {"Vodafone Idea", "VOD_9"}, {"Tata Teleservices", "TATA"},
		{"Contoso Retail", "CON-7"}, {"Fabrikam Health", "FAB_02"},
	} {
		s.MustCreateCustomer(domain.CustomerInput{Name: c[0], Code: c[1]})
	}
	base := s.srv.URL
	b.do("sign in",
		chromedp.Navigate(base+"/login?next=%2Fcustomers"),
		chromedp.WaitVisible(chromedp.ID("login-email")),
		chromedp.SendKeys(chromedp.ID("login-email"), adminEmail),
		chromedp.SendKeys(chromedp.ID("login-password"), adminPassword+"\r"),
		chromedp.WaitVisible(chromedp.ID("list-q")),
	)
	if got := b.eval(`getComputedStyle(document.getElementById("list-submit")).display`); got != "none" {
		t.Errorf("the no-script Search button shows: %q", got)
	}

	// Search as you type: the cards narrow without a page load, and the
	// address bar holds the query.
	b.do("mark page", chromedp.Evaluate[chromedp.Void](`window.samePage = true`))
	b.do("type search", chromedp.SendKeys(chromedp.ID("list-q"), "tel"))
	b.waitFor("search narrows", `document.querySelectorAll("[data-customer]").length === 4`)
	if got := b.cards(); got != "Airtel|Airtel Business|Bharti Telecom|Tata Teleservices" {
		t.Errorf("search tel: %q", got)
	}
	b.waitFor("url has q", `location.search === "?q=tel"`)
	if got := b.text("#customer-count"); got != "4 customers" {
		t.Errorf("count %q", got)
	}
	b.shot("search-tel")
	b.do("type more", chromedp.SendKeys(chromedp.ID("list-q"), "e"))
	b.waitFor("search narrows more", `document.querySelectorAll("[data-customer]").length === 2`)
	if got := b.cards(); got != "Bharti Telecom|Tata Teleservices" {
		t.Errorf("search tele: %q", got)
	}
	b.do("type nonsense", chromedp.SendKeys(chromedp.ID("list-q"), "zzz"))
	b.waitFor("no match", `!!document.getElementById("empty-state")`)
	if got := b.text("#empty-state h2"); got != "No customers match" {
		t.Errorf("empty state %q", got)
	}
	b.shot("search-no-match")
	b.do("clear from the empty state",
		chromedp.Click(chromedp.ID("clear-filters")),
	)
	b.waitFor("all back", `document.querySelectorAll("[data-customer]").length === 8 && location.search === ""`)
	if got := b.value("#list-q"); got != "" {
		t.Errorf("search box after clearing %q", got)
	}

	// A two-condition filter built in the panel: Customer Name contains
	// "tel" AND Customer Code not in AIR002, TATA (entered as chips).
	b.do("open filter",
		chromedp.Click(chromedp.ID("filter-toggle")),
		chromedp.WaitVisible(chromedp.ID("filter-panel")),
	)
	b.waitFor("focus in the panel", `document.activeElement.id === "fr-0-field"`)
	b.do("first condition",
		b.choose("#fr-0-field", "name"),
		b.choose("#fr-0-op", "contains"),
		chromedp.SendKeys(chromedp.ID("fr-0-value"), "tel"),
		chromedp.Click(chromedp.ID("filter-add")),
		chromedp.WaitVisible(chromedp.ID("fr-1-field")),
		chromedp.Click(chromedp.ID("filter-add")),
		chromedp.WaitVisible(chromedp.ID("fr-2-field")),
	)
	// One row too many: remove it; the rows renumber.
	b.do("remove the spare row",
		chromedp.Click(chromedp.CSS(`#filter-rows [data-row]:nth-child(3) [data-remove-row]`)),
		chromedp.WaitNotPresent(chromedp.ID("fr-2-field")),
	)
	b.do("second condition",
		b.choose("#fr-1-field", "code"),
		b.choose("#fr-1-op", "not_in"),
		chromedp.SendKeys(chromedp.ID("fr-1-value"), "AIR002\r"),
		chromedp.SendKeys(chromedp.ID("fr-1-value"), "tata,"),
	)
	if got := b.eval(`[...document.querySelectorAll("#filter-rows .vchip")].map(e => e.dataset.value).join("|")`); got != "AIR002|tata" {
		t.Errorf("value chips %q", got)
	}
	b.shot("filter-panel")
	b.do("apply", chromedp.Click(chromedp.ID("filter-apply")))
	b.waitFor("filter narrows", `document.querySelectorAll("[data-customer]").length === 2`)
	if got := b.cards(); got != "Airtel|Bharti Telecom" {
		t.Errorf("filtered: %q", got)
	}
	b.waitFor("panel closed", `!document.getElementById("filter").open`)
	b.waitFor("url has the conditions", `location.search === "?code.not_in=AIR002&code.not_in=tata&name.contains=tel"`)
	chips := b.eval(`[...document.querySelectorAll("#filter-chips .chip-text")].map(e => e.textContent.replace(/\s+/g, " ").trim()).join("|")`)
	if chips != "Customer Code not in AIR002, tata|Customer Name contains tel" {
		t.Errorf("chips %q", chips)
	}
	if got := b.text("#filter-count"); !strings.HasPrefix(got, "2") {
		t.Errorf("filter button count %q", got)
	}
	b.shot("filter-applied")

	// Removing the code chip widens the list to every name with "tel".
	b.do("remove chip", chromedp.Click(chromedp.CSS(`#filter-chips .chip:first-child .chip-remove`)))
	b.waitFor("chip widens", `document.querySelectorAll("[data-customer]").length === 4`)
	if got := b.cards(); got != "Airtel|Airtel Business|Bharti Telecom|Tata Teleservices" {
		t.Errorf("after removing a chip: %q", got)
	}
	b.waitFor("url keeps one condition", `location.search === "?name.contains=tel"`)
	if n := b.eval(`String(document.querySelectorAll("#filter-rows [data-row]").length)`); n != "2" {
		t.Errorf("panel rows after removing a chip: %s", n)
	}
	b.shot("chip-removed")

	// Sort, then reload: the bookmarked URL shows the same view.
	b.do("sort", b.choose("#list-sort", "-name"))
	b.waitFor("sorted", `location.search === "?name.contains=tel&sort=-name"`)
	if got := b.cards(); got != "Tata Teleservices|Bharti Telecom|Airtel Business|Airtel" {
		t.Errorf("sorted: %q", got)
	}
	if got := b.eval(`String(window.samePage === true)`); got != "true" {
		t.Errorf("the page reloaded while searching and filtering")
	}
	b.do("reload",
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.ID("filter-chips")),
	)
	if got := b.cards(); got != "Tata Teleservices|Bharti Telecom|Airtel Business|Airtel" {
		t.Errorf("after reload: %q", got)
	}

	// A tablet: the toolbar wraps, the panel fits.
	b.do("tablet",
		chromedp.EmulateViewport(820, 1180),
		chromedp.Click(chromedp.ID("filter-toggle")),
		chromedp.WaitVisible(chromedp.ID("filter-panel")),
	)
	b.shot("tablet-filter")
	b.do("escape closes the panel", chromedp.KeyEvent("\x1b"))
	b.waitFor("panel closed by Escape", `!document.getElementById("filter").open && document.activeElement.id === "filter-toggle"`)

	b.checkConsole()
	if err := chromedp.Cancel(b.ctx); err != nil && !errors.Is(err, context.Canceled) {
		t.Logf("closing chromium: %v", err)
	}
	t.Logf("browser test took %s", time.Since(began).Round(time.Millisecond))
}

// TestBrowserNoScript uses the page with JavaScript off: the search and the
// filter panel are a GET form, the wizard's buttons are round trips, and
// the Enter key means what it means with the script.
func TestBrowserNoScript(t *testing.T) {
	began := time.Now()
	b := newBrowser(t)
	s := MustStack(t, service.FirstStart{OrgName: "Northwind MSP"}, false)
	for _, c := range [][2]string{{"Airtel", "AIR001"}, {"Airtel Business", "AIR002"}, {"Jio Platforms", "JIO"}} {
		s.MustCreateCustomer(domain.CustomerInput{Name: c[0], Code: c[1]})
	}
	base := s.srv.URL
	b.do("scripts off", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	}))
	b.do("sign in",
		chromedp.Navigate(base+"/login?next=%2Fcustomers"),
		chromedp.WaitVisible(chromedp.ID("login-email")),
		chromedp.SendKeys(chromedp.ID("login-email"), adminEmail),
		chromedp.SendKeys(chromedp.ID("login-password"), adminPassword+"\r"),
		chromedp.WaitVisible(chromedp.ID("list-submit")),
	)
	// Enter in the search box submits the form; the page answers with the
	// canonical URL.
	b.do("search", chromedp.SendKeys(chromedp.ID("list-q"), "air\r"))
	b.waitFor("searched", `location.search === "?q=air"`)
	if got := b.cards(); got != "Airtel|Airtel Business" {
		t.Errorf("search: %q", got)
	}
	b.do("filter",
		chromedp.Click(chromedp.ID("filter-toggle")),
		chromedp.WaitVisible(chromedp.ID("fr-0-value")),
		chromedp.SetValue(chromedp.ID("fr-0-field"), "code"),
		chromedp.SetValue(chromedp.ID("fr-0-op"), "not_in"),
		chromedp.SendKeys(chromedp.ID("fr-0-value"), "AIR002, JIO"),
	)
	if got := b.eval(`getComputedStyle(document.getElementById("filter-add")).display`); got != "none" {
		t.Errorf("Add condition shows without the script, which it needs: %q", got)
	}
	b.shot("filter-panel")
	b.do("apply", chromedp.Click(chromedp.ID("filter-apply")))
	b.waitFor("filtered", `location.search === "?code.not_in=AIR002&code.not_in=JIO&q=air"`)
	if got := b.cards(); got != "Airtel" {
		t.Errorf("filter: %q", got)
	}
	b.do("remove chip", chromedp.Click(chromedp.CSS("#filter-chips .chip-remove")))
	b.waitFor("chip removed", `location.search === "?q=air"`)

	// The wizard: Enter on Customer Details is Next, Enter in the entity
	// form is Save, Back keeps everything, Submit creates it all.
	b.do("open wizard",
		chromedp.Navigate(base+"/customers/new"),
		chromedp.WaitVisible(chromedp.ID("f-name")),
		chromedp.SendKeys(chromedp.ID("f-name"), "Bharti"),
		chromedp.SendKeys(chromedp.ID("f-code"), "BHA01\r"),
		chromedp.WaitVisible(chromedp.ID("f-entity-name")),
		chromedp.SendKeys(chromedp.ID("f-entity-name"), "Bharti Delhi\r"),
		chromedp.WaitVisible(chromedp.ID("entity-0")),
	)
	b.shot("wizard-entities")
	b.do("back and next",
		chromedp.Click(chromedp.ID("wizard-back")),
		chromedp.WaitVisible(chromedp.ID("f-name")),
	)
	if got := b.value("#f-code"); got != "BHA01" {
		t.Errorf("after Back, code %q", got)
	}
	b.do("next, next, submit",
		chromedp.Click(chromedp.ID("wizard-next")),
		chromedp.WaitVisible(chromedp.ID("entity-0")),
		chromedp.Click(chromedp.ID("wizard-next")),
		chromedp.WaitVisible(chromedp.ID("f-admin-role")),
		chromedp.Click(chromedp.ID("wizard-next")),
		chromedp.WaitVisible(chromedp.ID("f-licenses-users")),
		chromedp.Click(chromedp.ID("customer-submit")),
		chromedp.WaitVisible(chromedp.ID("flash")),
	)
	var bharti domain.Customer
	for _, c := range s.customers() {
		if c.Code == "BHA01" {
			bharti = c
		}
	}
	if es := s.entitiesOf(bharti.ID); len(es) != 1 || es[0].Name != "Bharti Delhi" {
		t.Errorf("entities %+v", es)
	}
	if got := b.text("#customer-" + bharti.ID + " [data-figure=entities]"); got != "Entities 1" {
		t.Errorf("card figure %q", got)
	}

	b.checkConsole()
	if err := chromedp.Cancel(b.ctx); err != nil && !errors.Is(err, context.Canceled) {
		t.Logf("closing chromium: %v", err)
	}
	t.Logf("browser test took %s", time.Since(began).Round(time.Millisecond))
}
