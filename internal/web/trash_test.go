package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/custreg/custreg/internal/domain"
)

// TestTrashPage drives the Trash page over HTTP on both stores: the tabs
// each caller may see, a restore refused because the code was taken and
// then done under a new code, a purge that asks first, and no trash for
// who may delete nothing.
func TestTrashPage(t *testing.T) {
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			f := mustTenantsOn(t, kind)
			c := f.signedIn()
			if err := f.svc.DeleteCustomer(f.admin, f.globex.ID, 0); err != nil {
				t.Fatal(err)
			}
			if res := f.get(c, "/trash"); res.status != http.StatusSeeOther || res.location != "/trash/customers" {
				t.Fatalf("GET /trash: %d → %q", res.status, res.location)
			}
			res := f.get(c, "/trash/customers")
			row := text(byID(res.doc, "trash-"+f.globex.ID))
			if res.status != http.StatusOK || !strings.Contains(row, "Globex Hidden") || !strings.Contains(row, "GLX") {
				t.Fatalf("the customer trash: %d, row %q", res.status, row)
			}
			for _, tab := range []string{"customers", "users", "assets"} {
				if byID(res.doc, "trash-tab-"+tab) == nil {
					t.Errorf("no %s tab for the organization admin", tab)
				}
			}

			// Its code is taken meanwhile: the row asks for another.
			f.MustCreateCustomer(domain.CustomerInput{Name: "Globex Two", Code: "GLX"})
			res = f.post(c, "/trash/customers/"+f.globex.ID+"/restore", url.Values{})
			if res.status != http.StatusConflict || byID(res.doc, "rename-restore") == nil ||
				!strings.Contains(text(byID(res.doc, "refusal-"+f.globex.ID)), "code GLX") {
				t.Fatalf("restore with its code taken: %d %q", res.status, text(byID(res.doc, "main")))
			}
			if got := attr(byID(res.doc, "rename-code"), "value"); got != "GLX" {
				t.Errorf("the rename form starts from %q", got)
			}
			if res := f.post(c, "/trash/customers/"+f.globex.ID+"/restore", url.Values{"code": {"a b"}}); res.status != http.StatusConflict ||
				!strings.Contains(text(byID(res.doc, "refusal-"+f.globex.ID)), "not valid") {
				t.Errorf("restore under a bad code: %d %q", res.status, text(byID(res.doc, "main")))
			}
			if n := len(f.customers()); n != 2 {
				t.Fatalf("refused restores changed the customers: %d live", n)
			}
			res = f.post(c, "/trash/customers/"+f.globex.ID+"/restore", url.Values{"code": {"GLX-OLD"}})
			if res.status != http.StatusSeeOther || res.location != "/customers/"+f.globex.ID {
				t.Fatalf("restore under a new code: %d → %q", res.status, res.location)
			}
			if got, err := f.svc.Customer(f.admin, f.globex.ID); err != nil || got.Code != "GLX-OLD" || got.Name != "Globex Hidden" {
				t.Errorf("restored: %+v, %v", got, err)
			}

			// A customer's admin: its users' and assets' trash only.
			if err := f.svc.DeleteUser(f.admin, f.airtelUser.ID, 0); err != nil {
				t.Fatal(err)
			}
			carla := f.signedInAs("carla@airtel.com", userPassword)
			if res := f.get(carla, "/trash"); res.status != http.StatusSeeOther || res.location != "/trash/users" {
				t.Fatalf("GET /trash as a customer admin: %d → %q", res.status, res.location)
			}
			res = f.get(carla, "/trash/users")
			if res.status != http.StatusOK || byID(res.doc, "trash-"+f.airtelUser.ID) == nil || byID(res.doc, "trash-tab-customers") != nil {
				t.Fatalf("the user trash for Airtel's admin: %d %q", res.status, text(byID(res.doc, "main")))
			}
			if res := f.get(carla, "/trash/customers"); res.status != http.StatusForbidden {
				t.Errorf("the customer trash for a customer admin: %d", res.status)
			}
			// Purge asks first, then erases.
			res = f.get(carla, "/trash/users?purge="+f.airtelUser.ID)
			if byID(res.doc, "purge-yes-"+f.airtelUser.ID) == nil || !strings.Contains(text(byID(res.doc, "purge-confirm-"+f.airtelUser.ID)), "cannot be undone") {
				t.Fatalf("no confirmation before the purge: %q", text(byID(res.doc, "main")))
			}
			if page, _ := f.svc.TrashedUsers(f.admin, 50, ""); len(page.Items) != 1 {
				t.Fatalf("asking changed the trash: %d", len(page.Items))
			}
			res = f.post(carla, "/trash/users/"+f.airtelUser.ID+"/purge", url.Values{})
			if res.status != http.StatusSeeOther || res.location != "/trash/users" {
				t.Fatalf("purge: %d → %q", res.status, res.location)
			}
			if res := f.get(carla, "/trash/users"); byID(res.doc, "trash-empty") == nil {
				t.Errorf("the user trash after the purge: %q", text(byID(res.doc, "main")))
			}
			if res := f.post(carla, "/trash/users/"+f.airtelUser.ID+"/restore", url.Values{}); res.status != http.StatusNotFound {
				t.Errorf("restore after the purge: %d", res.status)
			}
			// Globex's user is not Airtel's admin's to purge.
			if err := f.svc.DeleteUser(f.admin, f.globexUser.ID, 0); err != nil {
				t.Fatal(err)
			}
			if res := f.post(carla, "/trash/users/"+f.globexUser.ID+"/purge", url.Values{}); res.status != http.StatusNotFound {
				t.Errorf("another customer's user purged by Airtel's admin: %d", res.status)
			}

			// Who may delete nothing has no trash, nor a menu item for it.
			f.MustCreateUser(domain.UserInput{Email: "plain@airtel.com", Name: "Plain", Role: domain.RoleCustomerUser, CustomerID: f.airtel.ID})
			plain := f.signedInAs("plain@airtel.com", userPassword)
			if res := f.get(plain, "/trash"); res.status != http.StatusNotFound {
				t.Errorf("GET /trash for a plain user: %d", res.status)
			}
			if res := f.get(plain, "/customers/"+f.airtel.ID); strings.Contains(res.body, `href="/trash"`) {
				t.Errorf("a plain user's menu offers the trash")
			}
		})
	}
}
