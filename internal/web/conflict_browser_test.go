package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/custreg/custreg/internal/domain"
)

// TestBrowserConflict edits a user in the sidebar while someone else saves
// the same user: Save answers with the conflict view (what is saved now
// beside what was typed, the typed values still in the inputs), and Save
// again replaces the other person's change.
func TestBrowserConflict(t *testing.T) {
	b := newBrowser(t)
	f := mustTenants(t)
	base := f.srv.URL
	id := f.airtelUser.ID

	b.do("sign in",
		chromedp.EmulateViewport(1400, 900),
		chromedp.Navigate(base+"/login?next=%2Fusers"),
		chromedp.WaitVisible(chromedp.ID("login-email")),
		chromedp.SendKeys(chromedp.ID("login-email"), adminEmail),
		chromedp.SendKeys(chromedp.ID("login-password"), adminPassword+"\r"),
		chromedp.WaitVisible(chromedp.ID("user-table")),
	)
	b.do("open the user",
		chromedp.Navigate(base+"/users/"+id+"/edit"),
		chromedp.WaitVisible(chromedp.ID("record-form")),
		chromedp.Clear(chromedp.ID("f-name")),
		chromedp.SendKeys(chromedp.ID("f-name"), "Ravi K."),
	)
	b.do("choose technician", b.choose("#f-kind", domain.KindTechnician))

	// Meanwhile someone else renames the user and moves it to Pune.
	if _, err := f.svc.UpdateUser(f.admin, id, 1, func(in domain.UserInput) (domain.UserInput, error) {
		in.Name, in.EntityIDs = "Ravi Kumar Sr.", []string{f.pune.ID}
		return in, nil
	}); err != nil {
		t.Fatal(err)
	}
	b.do("save", chromedp.Click(chromedp.ID("record-submit")), chromedp.WaitVisible(chromedp.CSS("#form-alert[data-conflict]")))
	alert := b.text("#form-alert")
	for _, want := range []string{"Someone else changed this user after you opened it (saved ", "Ravi Kumar Sr.", "Ravi K.",
		"Airtel Pune", "Technician", "Save again", "discard my changes and reload"} {
		if !strings.Contains(alert, want) {
			t.Errorf("alert %q lacks %q", alert, want)
		}
	}
	if got := b.value("#f-name"); got != "Ravi K." {
		t.Errorf("typed name lost: %q", got)
	}
	if got := b.value("#f-kind"); got != domain.KindTechnician {
		t.Errorf("typed kind lost: %q", got)
	}
	if got := b.eval(`document.querySelector("#record-form input[name=version]").value`); got != "2" {
		t.Errorf("hidden version %q", got)
	}
	if got := b.eval(`String(document.activeElement && document.activeElement.closest("#sidebar") !== null)`); got != "true" {
		t.Errorf("focus left the sidebar")
	}
	b.shot("conflict")

	b.do("save again", chromedp.Click(chromedp.ID("record-submit")), chromedp.WaitVisible(chromedp.ID("flash")))
	if u, _ := f.svc.User(f.admin, id); u.Name != "Ravi K." || u.Kind != domain.KindTechnician || u.Version != 3 {
		t.Errorf("second save: %+v", u)
	}
	b.shot("saved")

	// The pool, which has no version: the counts the page showed.
	b.do("open the pool",
		chromedp.Navigate(base+"/licenses"),
		chromedp.WaitVisible(chromedp.ID("pool-form")),
		chromedp.SendKeys(chromedp.ID("f-pool-it-assets"), "4000"),
	)
	if _, err := f.svc.SetOrgPool(f.admin, domain.LicenseCounts{domain.LicenseUsers: count(5000)}); err != nil {
		t.Fatal(err)
	}
	b.do("save the pool", chromedp.Click(chromedp.ID("pool-save")), chromedp.WaitVisible(chromedp.CSS("#form-alert[data-conflict]")))
	if got := b.value("#f-pool-it-assets"); got != "4000" {
		t.Errorf("typed pool lost: %q", got)
	}
	b.shot("pool-conflict")
	b.checkConsole()
}
