package web_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/custreg/custreg/internal/domain"
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

// shot saves a PNG of the viewport as NN-name.png.
func (b *browser) shot(name string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	// Let the sidebar finish sliding in, so the picture shows where things
	// settle. A page whose animations never end is still captured.
	_, _ = chromedp.Run(ctx, chromedp.Poll[bool](
		`document.getAnimations().every(a => a.playState !== "running")`,
		chromedp.WithPollingTimeout(2*time.Second)))
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return
	}
	b.n++
	p := filepath.Join(b.shots, fmt.Sprintf("%02d-%s.png", b.n, name))
	if err := os.WriteFile(p, buf, 0o644); err != nil {
		b.t.Errorf("write screenshot: %v", err)
		return
	}
	b.t.Logf("screenshot %s", p)
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
	card := "#customer-" + airtel.ID
	if got := b.text(card); !strings.Contains(got, "Airtel") || !strings.Contains(got, "AIR001") {
		t.Errorf("card says %q", got)
	}
	if got := b.text("#customer-count"); got != "4 customers" {
		t.Errorf("count %q", got)
	}
	b.shot("customer-added")

	// A rejected form comes back with the message beside the field, the
	// typed values kept and focus on the first invalid field.
	b.do("open Add Customer again",
		chromedp.Click(chromedp.ID("add-customer")),
		chromedp.WaitVisible(chromedp.CSS("dialog#sidebar #f-name")),
		chromedp.SendKeys(chromedp.ID("f-code"), "a b"),
		chromedp.SendKeys(chromedp.ID("f-business-email"), "x@"),
		chromedp.Click(chromedp.ID("customer-submit")),
		chromedp.WaitVisible(chromedp.ID("f-code-error")),
	)
	if got := b.text("#f-code-error"); !strings.Contains(got, "Use only letters") {
		t.Errorf("code error %q", got)
	}
	if got := b.text("#f-name-error"); !strings.Contains(got, "required") {
		t.Errorf("name error %q", got)
	}
	if got := b.value("#f-code"); got != "a b" {
		t.Errorf("typed code not kept: %q", got)
	}
	if got := b.value("#f-business-email"); got != "x@" {
		t.Errorf("typed email not kept: %q", got)
	}
	if got := b.eval("document.activeElement.id"); got != "f-name" {
		t.Errorf("focus on %q, not the first invalid field", got)
	}
	if got := b.eval(`document.getElementById("f-code").getAttribute("aria-describedby")`); !strings.HasPrefix(got, "f-code-error") {
		t.Errorf("aria-describedby %q", got)
	}
	b.shot("validation-errors")

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
	b.do("save",
		chromedp.Click(chromedp.ID("customer-submit")),
		chromedp.WaitVisible(chromedp.ID("flash")),
		chromedp.WaitNotPresent(chromedp.CSS("dialog#sidebar")),
	)
	if got := b.text(card + " .card-title"); got != "Airtel Business" {
		t.Errorf("card title after edit %q", got)
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
