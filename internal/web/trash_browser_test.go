package web_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserTrash: an administrator deletes a customer and reads what
// goes with it, undoes the delete from the notice, deletes it again,
// finds it on the Trash page (at every width), restores it from there and
// reads the story on the customer's History.
func TestBrowserTrash(t *testing.T) {
	b := newBrowser(t)
	f := mustTenants(t)
	base, id := f.srv.URL, f.airtel.ID

	b.do("sign in",
		chromedp.EmulateViewport(1400, 900),
		chromedp.Navigate(base+"/login?next=%2Fcustomers"),
		chromedp.WaitVisible(chromedp.ID("login-email")),
		chromedp.SendKeys(chromedp.ID("login-email"), adminEmail),
		chromedp.SendKeys(chromedp.ID("login-password"), adminPassword+"\r"),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/customers/`+id+`/delete"]`)),
	)
	deleteAirtel := func(step string) {
		t.Helper()
		b.do(step+": open the dialog",
			chromedp.Click(chromedp.CSS(`a[href="/customers/`+id+`/delete"]`)),
			chromedp.WaitVisible(chromedp.ID("delete-impact")),
		)
		impact := b.text("#delete-impact")
		for _, want := range []string{"2 entities", "2 users", "1 asset"} {
			if !strings.Contains(impact, want) {
				t.Errorf("%s: the impact %q lacks %q", step, impact, want)
			}
		}
		b.shot(step + "-impact")
		b.do(step+": confirm",
			chromedp.SendKeys(chromedp.ID("confirm-code"), "AIR001"),
			chromedp.Click(chromedp.ID("delete-confirm")),
			chromedp.WaitVisible(chromedp.ID("flash-undo")),
		)
	}
	deleteAirtel("first delete")
	if got := b.text("#flash"); !strings.Contains(got, "Airtel") || !strings.Contains(got, "deleted") {
		t.Errorf("notice after the delete: %q", got)
	}
	b.shot("deleted-with-undo")
	b.do("undo",
		chromedp.Click(chromedp.ID("flash-undo")),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/customers/`+id+`/delete"]`)),
	)
	if got := b.text("#flash"); !strings.Contains(got, "was restored") {
		t.Errorf("notice after the undo: %q", got)
	}
	if c, err := f.svc.Customer(f.admin, id); err != nil || c.UsersCount != 2 || c.EntitiesCount != 2 {
		t.Fatalf("after the undo: %+v, %v", c, err)
	}

	deleteAirtel("second delete")
	b.do("open the trash from the menu",
		chromedp.Click(chromedp.CSS(`nav a[href="/trash"]`)),
		chromedp.WaitVisible(chromedp.ID("trash-"+id)),
	)
	row := b.text("#trash-" + id)
	for _, want := range []string{"Airtel", "AIR001", "Restore", "Purge"} {
		if !strings.Contains(row, want) {
			t.Errorf("trash row %q lacks %q", row, want)
		}
	}
	for _, w := range []int64{1400, 768, 390} {
		b.do("resize", chromedp.EmulateViewport(w, 900))
		if got := b.eval(`String(document.documentElement.scrollWidth > document.documentElement.clientWidth)`); got != "false" {
			t.Errorf("the Trash page scrolls sideways at %d px", w)
		}
		b.shot(fmt.Sprintf("trash-%dpx", w))
	}
	b.do("back to desktop", chromedp.EmulateViewport(1400, 900))
	b.do("restore",
		chromedp.Click(chromedp.ID("restore-"+id)),
		chromedp.WaitVisible(chromedp.ID("history")),
	)
	if got := b.text("#flash"); !strings.Contains(got, "restored") {
		t.Errorf("notice after the restore: %q", got)
	}
	history := b.text("#history")
	if n := strings.Count(history, "deleted the customer"); n != 2 {
		t.Errorf("History tells %d deletes: %q", n, history)
	}
	if n := strings.Count(history, "restored the customer from trash"); n != 2 {
		t.Errorf("History tells %d restores (the undo and the Trash): %q", n, history)
	}
	b.do("scroll to the history", chromedp.ScrollIntoView(chromedp.ID("history")))
	b.shot("history")
	if c, err := f.svc.Customer(f.admin, id); err != nil || c.UsersCount != 2 || c.AssetsCount != 1 {
		t.Errorf("after the restore: %+v, %v", c, err)
	}
	b.checkConsole()
}
