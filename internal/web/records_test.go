package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/service"
)

const userPassword = "a long enough password"

// tenants is two customers with entities, a user and an asset each, and a
// customer admin of the first: the fixture of the user and asset pages.
type tenants struct {
	*stack
	airtel, globex                domain.Customer
	mumbai, pune, berlin          domain.Entity
	airtelUser, globexUser, carla domain.User
	airtelAsset, globexAsset      domain.Asset
}

func mustTenants(t *testing.T) *tenants {
	t.Helper()
	return mustTenantsOn(t, "sqlite")
}

// mustTenantsOn is mustTenants on a store of kind.
func mustTenantsOn(t *testing.T, kind string) *tenants {
	t.Helper()
	s := mustStackOn(t, kind, service.FirstStart{OrgName: "Northwind MSP"}, false)
	f := &tenants{stack: s}
	f.airtel = s.MustCreateCustomer(domain.CustomerInput{Name: "Airtel", Code: "AIR001"})
	f.globex = s.MustCreateCustomer(domain.CustomerInput{Name: "Globex Hidden", Code: "GLX"})
	f.mumbai = s.MustCreateEntity(f.airtel.ID, "Airtel Mumbai")
	f.pune = s.MustCreateEntity(f.airtel.ID, "Airtel Pune")
	f.berlin = s.MustCreateEntity(f.globex.ID, "Globex Berlin")
	f.airtelUser = s.MustCreateUser(domain.UserInput{Email: "ravi@airtel.com", Name: "Ravi Kumar", Role: domain.RoleCustomerUser,
		CustomerID: f.airtel.ID, EntityIDs: []string{f.mumbai.ID}})
	f.carla = s.MustCreateUser(domain.UserInput{Email: "carla@airtel.com", Name: "Carla Admin", Role: domain.RoleCustomerAdmin,
		CustomerID: f.airtel.ID})
	f.globexUser = s.MustCreateUser(domain.UserInput{Email: "gus@globex.example", Name: "Gus Globex", Role: domain.RoleCustomerUser,
		CustomerID: f.globex.ID, EntityIDs: []string{f.berlin.ID}})
	f.airtelAsset = s.MustCreateAsset(domain.AssetInput{Name: "Mumbai core switch", Class: domain.AssetIT, CustomerID: f.airtel.ID, EntityID: f.mumbai.ID})
	f.globexAsset = s.MustCreateAsset(domain.AssetInput{Name: "Globex Berlin router", Class: domain.AssetIT, CustomerID: f.globex.ID, EntityID: f.berlin.ID})
	return f
}

// MustCreateEntity adds an entity to a customer through the service.
func (s *stack) MustCreateEntity(customerID, name string) domain.Entity {
	s.t.Helper()
	e, err := s.svc.CreateEntity(s.admin, customerID, domain.EntityInput{Name: name})
	if err != nil {
		s.t.Fatalf("create entity: %v", err)
	}
	return e
}

// MustCreateUser creates a user through the service, with userPassword.
func (s *stack) MustCreateUser(in domain.UserInput) domain.User {
	s.t.Helper()
	in.Password = userPassword
	u, err := s.svc.CreateUser(s.admin, in)
	if err != nil {
		s.t.Fatalf("create user: %v", err)
	}
	return u
}

// MustCreateAsset creates an asset through the service.
func (s *stack) MustCreateAsset(in domain.AssetInput) domain.Asset {
	s.t.Helper()
	a, err := s.svc.CreateAsset(s.admin, in)
	if err != nil {
		s.t.Fatalf("create asset: %v", err)
	}
	return a
}

// signedInAs returns a client signed in through the login form.
func (s *stack) signedInAs(email, password string) *http.Client {
	s.t.Helper()
	c := s.client()
	res := s.post(c, "/login", url.Values{"email": {email}, "password": {password}})
	if res.status != http.StatusSeeOther {
		s.t.Fatalf("login %s: status %d", email, res.status)
	}
	return c
}

// user reads a user through the service as the admin; ok is false when it
// is gone.
func (s *stack) user(id string) (domain.User, bool) {
	s.t.Helper()
	u, err := s.svc.User(s.admin, id)
	if domain.ErrorCode(err) == domain.ENotFound {
		return u, false
	}
	if err != nil {
		s.t.Fatalf("user: %v", err)
	}
	return u, true
}

func (s *stack) asset(id string) (domain.Asset, bool) {
	s.t.Helper()
	a, err := s.svc.Asset(s.admin, id)
	if domain.ErrorCode(err) == domain.ENotFound {
		return a, false
	}
	if err != nil {
		s.t.Fatalf("asset: %v", err)
	}
	return a, true
}

func (s *stack) allUsers() []domain.User {
	s.t.Helper()
	page, err := s.svc.ListUsers(s.admin, domain.UserFilter{Limit: domain.MaxPageSize})
	if err != nil {
		s.t.Fatal(err)
	}
	return page.Items
}

func (s *stack) allAssets() []domain.Asset {
	s.t.Helper()
	page, err := s.svc.ListAssets(s.admin, domain.AssetFilter{Limit: domain.MaxPageSize})
	if err != nil {
		s.t.Fatal(err)
	}
	return page.Items
}

// rowIDs returns the ids of the table rows marked with attribute data.
func rowIDs(doc *html.Node, data, prefix string) []string {
	var out []string
	for _, n := range findAll(doc, func(n *html.Node) bool { return hasAttr(n, data) }) {
		out = append(out, strings.TrimPrefix(attr(n, "id"), prefix))
	}
	return out
}

// optionValues returns the values of the options (or checkboxes) inside the
// element with id.
func optionValues(doc *html.Node, id string) []string {
	var out []string
	for _, n := range findAll(byID(doc, id), func(n *html.Node) bool {
		return (n.Data == "option" || (n.Data == "input" && attr(n, "type") == "checkbox")) && attr(n, "value") != ""
	}) {
		out = append(out, attr(n, "value"))
	}
	return out
}

// fieldError returns the message beside the input id, checking that the
// input points at it.
func fieldError(t *testing.T, doc *html.Node, id string) string {
	t.Helper()
	in := byID(doc, id)
	if in == nil {
		t.Errorf("no input %s", id)
		return ""
	}
	if !strings.Contains(attr(in, "aria-describedby"), id+"-error") || attr(in, "aria-invalid") != "true" {
		t.Errorf("%s: aria-invalid=%q aria-describedby=%q", id, attr(in, "aria-invalid"), attr(in, "aria-describedby"))
	}
	return text(byID(doc, id+"-error"))
}

func TestUsersList(t *testing.T) {
	f := mustTenants(t)
	c := f.signedIn()
	res := f.get(c, "/users")
	if res.status != http.StatusOK || title(res.doc) != "Users · Northwind MSP · custreg" {
		t.Fatalf("status %d, title %q", res.status, title(res.doc))
	}
	nav := find(res.doc, func(n *html.Node) bool { return n.Data == "nav" && attr(n, "aria-label") == "Main menu" })
	if l := linkTo(nav, "/users"); l == nil || attr(l, "aria-current") != "page" || linkTo(nav, "/assets") == nil {
		t.Errorf("menu lacks Users (current) or Assets")
	}
	if got := text(byID(res.doc, "record-count")); got != "4 users" {
		t.Errorf("count %q", got)
	}
	row := text(byID(res.doc, "user-"+f.airtelUser.ID))
	for _, want := range []string{"ravi@airtel.com", "Ravi Kumar", "User", "Customer User", "Airtel", "Airtel Mumbai", "Active"} {
		if !strings.Contains(row, want) {
			t.Errorf("row %q lacks %q", row, want)
		}
	}
	if row := text(byID(res.doc, "user-"+f.carla.ID)); !strings.Contains(row, "Whole customer") || !strings.Contains(row, "Customer Admin") {
		t.Errorf("Carla's row %q", row)
	}
	// The admin's own row: organization, no delete, no checkbox.
	var adminID string
	for _, u := range f.allUsers() {
		if u.Email == adminEmail {
			adminID = u.ID
		}
	}
	self := byID(res.doc, "user-"+adminID)
	if !strings.Contains(text(self), "Organization") || linkTo(self, "/users/"+adminID+"/delete") != nil || byID(res.doc, "check-"+adminID) != nil {
		t.Errorf("own row offers delete or move: %q", text(self))
	}
	if linkTo(byID(res.doc, "user-"+f.airtelUser.ID), "/users/"+f.airtelUser.ID+"/delete") == nil {
		t.Errorf("no delete link for another user")
	}

	t.Run("FilterByCustomerAndEntity", func(t *testing.T) {
		res := f.get(c, "/users?customer_id="+f.airtel.ID)
		if got := rowIDs(res.doc, "data-user", "user-"); !sameSet(got, []string{f.airtelUser.ID, f.carla.ID}) {
			t.Errorf("Airtel's users: %v", got)
		}
		if selected(res.doc, "filter-customer") != f.airtel.ID {
			t.Errorf("filter picker does not show Airtel")
		}
		if got := optionValues(res.doc, "filter-entity"); !sameSet(got, []string{f.mumbai.ID, f.pune.ID}) {
			t.Errorf("entity filter offers %v", got)
		}
		res = f.get(c, "/users?customer_id="+f.airtel.ID+"&entity_id="+f.mumbai.ID)
		if got := rowIDs(res.doc, "data-user", "user-"); !slices.Equal(got, []string{f.airtelUser.ID}) {
			t.Errorf("Mumbai's users: %v", got)
		}
		// An entity of another customer is not a filter of this one.
		res = f.get(c, "/users?customer_id="+f.airtel.ID+"&entity_id="+f.berlin.ID)
		if got := rowIDs(res.doc, "data-user", "user-"); len(got) != 2 {
			t.Errorf("stale entity filter: %v", got)
		}
		if res := f.get(c, "/users?customer_id=nope"); res.status != http.StatusNotFound {
			t.Errorf("unknown customer: %d", res.status)
		}
	})

	t.Run("Paging", func(t *testing.T) {
		for i := range domain.DefaultPageSize {
			f.MustCreateUser(domain.UserInput{Email: "p" + string(rune('a'+i%26)) + strings.Repeat("x", i/26) + "@globex.example",
				Name: "Pager", Role: domain.RoleCustomerUser, CustomerID: f.globex.ID})
		}
		res := f.get(c, "/users")
		first := rowIDs(res.doc, "data-user", "user-")
		next := attr(byID(res.doc, "next-page"), "href")
		if len(first) != domain.DefaultPageSize || next == "" {
			t.Fatalf("first page: %d rows, next %q", len(first), next)
		}
		res = f.get(c, next)
		second := rowIDs(res.doc, "data-user", "user-")
		if len(second) != 4 || slices.ContainsFunc(second, func(id string) bool { return slices.Contains(first, id) }) {
			t.Errorf("second page: %v", second)
		}
		if res := f.get(c, "/users?cursor=abc"); res.status != http.StatusBadRequest {
			t.Errorf("bad cursor: %d", res.status)
		}
		// A cursor of the asset list is not one of the user list.
		u, _ := url.Parse(next)
		if res := f.get(c, "/assets?cursor="+url.QueryEscape(u.Query().Get("cursor"))); res.status != http.StatusBadRequest {
			t.Errorf("user cursor on the asset list: %d", res.status)
		}
	})
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// userForm is a complete Add User form as a browser posts it.
func userForm(f *tenants) url.Values {
	return url.Values{"email": {"meera@airtel.com"}, "name": {"Meera Nair"}, "kind": {domain.KindTechnician},
		"role": {domain.RoleCustomerTechnician}, "customer_id": {f.airtel.ID}, "entity_ids": {f.mumbai.ID, f.pune.ID},
		"is_active": {"on"}, "password": {userPassword}}
}

func TestAddUser(t *testing.T) {
	f := mustTenants(t)
	c := f.signedIn()

	res := f.get(c, "/users/new")
	sb := byID(res.doc, "sidebar")
	if res.status != http.StatusOK || sb == nil || !strings.HasPrefix(title(res.doc), "Add User · ") {
		t.Fatalf("status %d, no sidebar", res.status)
	}
	for id, label := range map[string]string{"f-email": "Email *", "f-name": "Name *", "f-kind": "Kind", "f-role": "Role *",
		"f-customer-id-q": "Customer", "f-password": "Password *"} {
		l := find(sb, func(n *html.Node) bool { return n.Data == "label" && attr(n, "for") == id })
		if text(l) != label {
			t.Errorf("%s: label %q, want %q", id, text(l), label)
		}
	}
	// The customer box lists no customer: it searches as one types.
	if box := byID(sb, "f-customer-id-q"); attr(box, "role") != "combobox" || attr(box, "data-combo-url") != "/pickers/customers" {
		t.Errorf("customer box %v is not a combobox over /pickers/customers", box)
	}
	if got := optionValues(sb, "f-customer-id"); len(got) != 0 {
		t.Errorf("customer picker lists %v", got)
	}
	// No customer chosen yet: the entity picker says to choose one.
	if !strings.Contains(text(byID(sb, "entity-picker")), "Choose a customer first") {
		t.Errorf("entity picker: %q", text(byID(sb, "entity-picker")))
	}
	if got := optionValues(sb, "f-role"); !slices.Contains(got, domain.RoleOrgAdmin) || !slices.Contains(got, domain.RoleCustomerAdmin) {
		t.Errorf("roles offered: %v", got)
	}

	t.Run("ChooseCustomerFirst", func(t *testing.T) {
		// Without the script, "Show its entities" is a round trip that
		// keeps what was typed.
		form := url.Values{"email": {"meera@airtel.com"}, "name": {"Meera"}, "customer_id": {f.airtel.ID}, "op": {"customer"}}
		res := f.post(c, "/users/new", form)
		if res.status != http.StatusOK {
			t.Fatalf("status %d", res.status)
		}
		if got := optionValues(res.doc, "f-entity-ids"); !sameSet(got, []string{f.mumbai.ID, f.pune.ID}) {
			t.Errorf("entities offered %v", got)
		}
		if attr(byID(res.doc, "f-name"), "value") != "Meera" || selected(res.doc, "f-customer-id") != f.airtel.ID {
			t.Errorf("typed values not kept")
		}
		if len(f.allUsers()) != 4 {
			t.Errorf("the round trip created a user")
		}
	})

	t.Run("Pickers", func(t *testing.T) {
		res := f.get(c, "/pickers/entities?kind=user&customer_id="+f.globex.ID)
		if res.status != http.StatusOK || !slices.Equal(optionValues(res.doc, "f-entity-ids"), []string{f.berlin.ID}) {
			t.Errorf("user picker for Globex: %d %v", res.status, optionValues(res.doc, "f-entity-ids"))
		}
		res = f.get(c, "/pickers/entities?kind=asset&customer_id="+f.airtel.ID)
		if attr(byID(res.doc, "entity-picker"), "data-customer") != f.airtel.ID || !sameSet(optionValues(res.doc, "f-entity-id"), []string{f.mumbai.ID, f.pune.ID}) {
			t.Errorf("asset picker for Airtel: %v", optionValues(res.doc, "f-entity-id"))
		}
		if res := f.get(c, "/pickers/entities?kind=asset&customer_id=nope"); res.status != http.StatusNotFound {
			t.Errorf("unknown customer: %d", res.status)
		}
		if res := f.get(c, "/pickers/entities?kind=nope"); res.status != http.StatusBadRequest {
			t.Errorf("unknown kind: %d", res.status)
		}
	})

	t.Run("Invalid", func(t *testing.T) {
		form := userForm(f)
		form.Set("email", "not-an-email")
		form.Set("password", "short")
		res := f.post(c, "/users/new", form)
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", res.status)
		}
		if msg := fieldError(t, res.doc, "f-email"); !strings.Contains(msg, "Not a valid email") {
			t.Errorf("email: %q", msg)
		}
		if msg := fieldError(t, res.doc, "f-password"); !strings.Contains(msg, "at least 12") {
			t.Errorf("password: %q", msg)
		}
		if attr(byID(res.doc, "f-password"), "value") != "" {
			t.Errorf("the password was sent back")
		}
		if !strings.Contains(text(byID(res.doc, "error-summary")), "Email") {
			t.Errorf("summary %q", text(byID(res.doc, "error-summary")))
		}
		// An entity of another customer: refused beside the entity picker.
		form = userForm(f)
		form["entity_ids"] = []string{f.berlin.ID}
		res = f.post(c, "/users/new", form)
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("foreign entity: status %d", res.status)
		}
		if msg := fieldError(t, res.doc, "f-entity-ids"); !strings.Contains(msg, "No such entity") {
			t.Errorf("entities: %q", msg)
		}
		// An organization role for a customer's user.
		form = userForm(f)
		form.Set("role", domain.RoleTechnician)
		res = f.post(c, "/users/new", form)
		if msg := fieldError(t, res.doc, "f-role"); res.status != http.StatusUnprocessableEntity || !strings.Contains(msg, "customer role") {
			t.Errorf("role: %d %q", res.status, msg)
		}
		if n := len(f.allUsers()); n != 4 {
			t.Errorf("%d users after refused forms", n)
		}
	})

	t.Run("OK", func(t *testing.T) {
		res := f.post(c, "/users/new", userForm(f))
		if res.status != http.StatusSeeOther || res.location != "/users" {
			t.Fatalf("got %d %q:\n%s", res.status, res.location, res.body)
		}
		var got domain.User
		for _, u := range f.allUsers() {
			if u.Email == "meera@airtel.com" {
				got = u
			}
		}
		if got.CustomerID != f.airtel.ID || !sameSet(got.EntityIDs, []string{f.mumbai.ID, f.pune.ID}) ||
			got.Kind != domain.KindTechnician || got.Role != domain.RoleCustomerTechnician || !got.IsActive {
			t.Fatalf("stored %+v", got)
		}
		res = f.get(c, "/users")
		if !strings.Contains(text(byID(res.doc, "flash")), "Meera Nair") {
			t.Errorf("no notice")
		}
		if row := text(byID(res.doc, "user-"+got.ID)); !strings.Contains(row, "Airtel Mumbai, Airtel Pune") || !strings.Contains(row, "Technician") {
			t.Errorf("row %q", row)
		}
		// The new user can sign in with the password.
		f.signedInAs("meera@airtel.com", userPassword)
	})
}

func TestEditUser(t *testing.T) {
	f := mustTenants(t)
	c := f.signedIn()
	id := f.airtelUser.ID
	res := f.get(c, "/users/"+id+"/edit")
	if res.status != http.StatusOK {
		t.Fatalf("status %d", res.status)
	}
	sb := byID(res.doc, "sidebar")
	if !hasAttr(byID(sb, "f-email"), "readonly") || attr(byID(sb, "f-email"), "value") != "ravi@airtel.com" {
		t.Errorf("email not shown read-only")
	}
	if selected(sb, "f-customer-id") != f.airtel.ID {
		t.Errorf("customer not selected")
	}
	mumbai := find(sb, func(n *html.Node) bool { return attr(n, "value") == f.mumbai.ID && n.Data == "input" })
	if !hasAttr(mumbai, "checked") {
		t.Errorf("Mumbai not checked")
	}
	form := formOf(res.doc, "record-form")
	if form.Get("version") != "1" {
		t.Fatalf("version %q", form.Get("version"))
	}

	t.Run("ErrStale", func(t *testing.T) {
		stale := formOf(res.doc, "record-form")
		stale.Set("version", "7")
		res := f.post(c, "/users/"+id+"/edit", stale)
		if res.status != http.StatusConflict || !strings.Contains(text(byID(res.doc, "form-alert")), "Someone else changed this user") {
			t.Errorf("stale: %d %q", res.status, text(byID(res.doc, "form-alert")))
		}
	})

	t.Run("MoveToAnotherCustomer", func(t *testing.T) {
		form := formOf(res.doc, "record-form")
		form.Set("email", "someone.else@example.com") // cannot change; ignored
		form.Set("name", "Ravi K.")
		form.Set("customer_id", f.globex.ID)
		form["entity_ids"] = []string{f.berlin.ID}
		form.Del("is_active")
		form.Set("password", "")
		res := f.post(c, "/users/"+id+"/edit", form)
		if res.status != http.StatusSeeOther {
			t.Fatalf("status %d:\n%s", res.status, text(byID(res.doc, "form-errors")))
		}
		u, _ := f.user(id)
		if u.Email != "ravi@airtel.com" || u.Name != "Ravi K." || u.CustomerID != f.globex.ID ||
			!slices.Equal(u.EntityIDs, []string{f.berlin.ID}) || u.IsActive || u.Version != 2 {
			t.Errorf("stored %+v", u)
		}
		// An empty password kept the old one: the user is only inactive.
		if _, _, err := f.svc.Login(t.Context(), "ravi@airtel.com", userPassword); domain.ErrorCode(err) != domain.EUnauthorized {
			t.Errorf("inactive user signs in: %v", err)
		}
	})

	t.Run("SelfLocked", func(t *testing.T) {
		var adminID string
		for _, u := range f.allUsers() {
			if u.Email == adminEmail {
				adminID = u.ID
			}
		}
		res := f.get(c, "/users/"+adminID+"/edit")
		if !hasAttr(byID(res.doc, "f-role"), "disabled") || byID(res.doc, "f-customer-id") != nil || !hasAttr(byID(res.doc, "f-is-active"), "disabled") {
			t.Errorf("own role, customer or activity offered")
		}
		form := formOf(res.doc, "record-form")
		form.Set("name", "Ada A. Admin")
		if res := f.post(c, "/users/"+adminID+"/edit", form); res.status != http.StatusSeeOther {
			t.Errorf("own name: %d %s", res.status, text(byID(res.doc, "form-errors")))
		}
		if u, _ := f.user(adminID); u.Name != "Ada A. Admin" || u.Role != domain.RoleOrgAdmin || !u.IsActive {
			t.Errorf("stored %+v", u)
		}
	})
}

func TestDeleteUser(t *testing.T) {
	f := mustTenants(t)
	c := f.signedIn()
	id := f.airtelUser.ID
	res := f.get(c, "/users/"+id+"/delete")
	dlg := byID(res.doc, "delete-dialog")
	if res.status != http.StatusOK || !strings.Contains(text(dlg), "Ravi Kumar") {
		t.Fatalf("dialog: %d %q", res.status, text(dlg))
	}
	form := formOf(res.doc, "delete-dialog")
	bad := url.Values{"version": {"9"}}
	if res := f.post(c, "/users/"+id+"/delete", bad); res.status != http.StatusConflict || !strings.Contains(text(byID(res.doc, "delete-alert")), "Someone else") {
		t.Errorf("stale delete: %d", res.status)
	}
	if _, ok := f.user(id); !ok {
		t.Fatal("stale delete deleted")
	}
	res = f.post(c, "/users/"+id+"/delete", form)
	if res.status != http.StatusSeeOther || res.location != "/users" {
		t.Fatalf("delete: %d %q", res.status, res.location)
	}
	if _, ok := f.user(id); ok {
		t.Errorf("user still there")
	}
	res = f.get(c, "/users")
	if byID(res.doc, "user-"+id) != nil || !strings.Contains(text(byID(res.doc, "flash")), "was deleted") {
		t.Errorf("deleted user still listed, or no notice")
	}
	if res := f.get(c, "/users/"+id+"/edit"); res.status != http.StatusNotFound {
		t.Errorf("deleted user's page: %d", res.status)
	}
}

func TestMoveUsers(t *testing.T) {
	f := mustTenants(t)
	c := f.signedIn()
	res := f.get(c, "/users")
	mv := byID(res.doc, "move-form")
	if mv == nil || attr(byID(res.doc, "check-"+f.carla.ID), "form") != "move-form" {
		t.Fatal("no move bar, or rows not tied to it")
	}
	ids := []string{f.airtelUser.ID, f.carla.ID}

	t.Run("ChooseCustomerFirst", func(t *testing.T) {
		res := f.post(c, "/users/move", url.Values{"ids": ids, "move_customer_id": {f.globex.ID}, "op": {"customer"}, "return": {"/users"}})
		if res.status != http.StatusOK || !slices.Equal(optionValues(res.doc, "move-entity-ids"), []string{f.berlin.ID}) {
			t.Errorf("round trip: %d %v", res.status, optionValues(res.doc, "move-entity-ids"))
		}
		if !hasAttr(byID(res.doc, "check-"+f.carla.ID), "checked") || hasAttr(byID(res.doc, "check-"+f.globexUser.ID), "checked") {
			t.Errorf("checked rows not kept")
		}
	})

	t.Run("ErrForeignEntity", func(t *testing.T) {
		res := f.post(c, "/users/move", url.Values{"ids": ids, "move_customer_id": {f.globex.ID}, "move_entity_ids": {f.mumbai.ID}, "op": {"move"}})
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", res.status)
		}
		if msg := fieldError(t, res.doc, "move-entity-ids"); !strings.Contains(msg, "No such entity") {
			t.Errorf("message %q", msg)
		}
		if u, _ := f.user(f.carla.ID); u.CustomerID != f.airtel.ID {
			t.Errorf("a refused move moved a user")
		}
	})

	t.Run("OK", func(t *testing.T) {
		res := f.post(c, "/users/move", url.Values{"ids": ids, "move_customer_id": {f.globex.ID}, "move_entity_ids": {f.berlin.ID},
			"op": {"move"}, "return": {"/users?customer_id=" + f.airtel.ID}})
		if res.status != http.StatusSeeOther || res.location != "/users?customer_id="+f.airtel.ID {
			t.Fatalf("got %d %q: %s", res.status, res.location, text(byID(res.doc, "move-form")))
		}
		for _, id := range ids {
			if u, _ := f.user(id); u.CustomerID != f.globex.ID || !slices.Equal(u.EntityIDs, []string{f.berlin.ID}) {
				t.Errorf("not moved: %+v", u)
			}
		}
		res = f.get(c, res.location)
		if !strings.Contains(text(byID(res.doc, "flash")), "Moved 2 users to “Globex Hidden”") {
			t.Errorf("notice %q", text(byID(res.doc, "flash")))
		}
		if len(rowIDs(res.doc, "data-user", "user-")) != 0 {
			t.Errorf("Airtel still lists moved users")
		}
	})
}

func TestAssets(t *testing.T) {
	f := mustTenants(t)
	c := f.signedIn()
	res := f.get(c, "/assets")
	if res.status != http.StatusOK || text(byID(res.doc, "record-count")) != "2 assets" {
		t.Fatalf("status %d, count %q", res.status, text(byID(res.doc, "record-count")))
	}
	if row := text(byID(res.doc, "asset-"+f.airtelAsset.ID)); !strings.Contains(row, "IT asset") || !strings.Contains(row, "Airtel Mumbai") || !strings.Contains(row, "Airtel") {
		t.Errorf("row %q", row)
	}
	res = f.get(c, "/assets?customer_id="+f.globex.ID)
	if got := rowIDs(res.doc, "data-asset", "asset-"); !slices.Equal(got, []string{f.globexAsset.ID}) {
		t.Errorf("Globex's assets %v", got)
	}

	res = f.get(c, "/assets/new")
	sb := byID(res.doc, "sidebar")
	var classes []string
	for _, o := range findAll(byID(sb, "f-class"), func(n *html.Node) bool { return n.Data == "option" && attr(n, "value") != "" }) {
		classes = append(classes, text(o))
	}
	if !slices.Equal(classes, []string{"IT asset", "Non-IT asset", "Mobile device"}) {
		t.Errorf("classes %v", classes)
	}
	if !hasAttr(byID(sb, "f-entity-id"), "disabled") {
		t.Errorf("entity picker enabled before a customer is chosen")
	}

	valid := url.Values{"name": {"Pune firewall"}, "class": {domain.AssetNonIT}, "customer_id": {f.airtel.ID}, "entity_id": {f.pune.ID},
		"availability_monitoring": {"on"}, "serial": {"SN-77"}, "ip_address": {"10.0.0.7"}}

	t.Run("Invalid", func(t *testing.T) {
		form := url.Values{"name": {""}, "class": {""}, "customer_id": {f.airtel.ID}, "entity_id": {f.berlin.ID}, "ip_address": {"300.1.1.1"}}
		res := f.post(c, "/assets/new", form)
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", res.status)
		}
		for id, want := range map[string]string{"f-name": "required", "f-class": "required", "f-ip-address": "Not an IPv4"} {
			if msg := fieldError(t, res.doc, id); !strings.Contains(msg, want) {
				t.Errorf("%s: %q", id, msg)
			}
		}
		form = cloneForm(valid)
		form.Set("entity_id", f.berlin.ID)
		res = f.post(c, "/assets/new", form)
		if msg := fieldError(t, res.doc, "f-entity-id"); res.status != http.StatusUnprocessableEntity || !strings.Contains(msg, "No such entity") {
			t.Errorf("foreign entity: %d %q", res.status, msg)
		}
		if len(f.allAssets()) != 2 {
			t.Errorf("refused forms created assets")
		}
	})

	var created domain.Asset
	t.Run("Create", func(t *testing.T) {
		res := f.post(c, "/assets/new", valid)
		if res.status != http.StatusSeeOther {
			t.Fatalf("status %d: %s", res.status, text(byID(res.doc, "form-errors")))
		}
		for _, a := range f.allAssets() {
			if a.Name == "Pune firewall" {
				created = a
			}
		}
		if created.Class != domain.AssetNonIT || created.EntityID != f.pune.ID || !created.AvailabilityMonitoring || created.PerformanceMonitoring ||
			created.Serial != "SN-77" || created.IPAddress != "10.0.0.7" {
			t.Fatalf("stored %+v", created)
		}
	})

	t.Run("EditMove", func(t *testing.T) {
		res := f.get(c, "/assets/"+created.ID+"/edit")
		if selected(res.doc, "f-entity-id") != f.pune.ID || selected(res.doc, "f-class") != domain.AssetNonIT {
			t.Errorf("edit form not filled")
		}
		form := formOf(res.doc, "record-form")
		form.Set("customer_id", f.globex.ID)
		form.Set("entity_id", f.berlin.ID)
		form.Set("performance_monitoring", "on")
		res = f.post(c, "/assets/"+created.ID+"/edit", form)
		if res.status != http.StatusSeeOther {
			t.Fatalf("status %d: %s", res.status, text(byID(res.doc, "form-errors")))
		}
		if a, _ := f.asset(created.ID); a.CustomerID != f.globex.ID || a.EntityID != f.berlin.ID || !a.PerformanceMonitoring {
			t.Errorf("stored %+v", a)
		}
	})

	t.Run("Move", func(t *testing.T) {
		ids := []string{f.airtelAsset.ID, created.ID}
		res := f.post(c, "/assets/move", url.Values{"ids": ids, "move_customer_id": {f.airtel.ID}, "move_entity_id": {f.berlin.ID}, "op": {"move"}})
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(fieldError(t, res.doc, "move-entity-id"), "No such entity") {
			t.Errorf("foreign entity: %d", res.status)
		}
		if a, _ := f.asset(created.ID); a.CustomerID != f.globex.ID {
			t.Errorf("refused move moved")
		}
		res = f.post(c, "/assets/move", url.Values{"ids": ids, "move_customer_id": {f.airtel.ID}, "move_entity_id": {f.pune.ID}, "op": {"move"}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("move: %d %s", res.status, text(byID(res.doc, "move-form")))
		}
		for _, id := range ids {
			if a, _ := f.asset(id); a.CustomerID != f.airtel.ID || a.EntityID != f.pune.ID {
				t.Errorf("not moved: %+v", a)
			}
		}
	})

	t.Run("Delete", func(t *testing.T) {
		res := f.get(c, "/assets/"+created.ID+"/delete")
		if !strings.Contains(text(byID(res.doc, "delete-dialog")), "Pune firewall") {
			t.Fatalf("dialog %q", text(byID(res.doc, "delete-dialog")))
		}
		res = f.post(c, "/assets/"+created.ID+"/delete", formOf(res.doc, "delete-dialog"))
		if res.status != http.StatusSeeOther {
			t.Fatalf("status %d", res.status)
		}
		if _, ok := f.asset(created.ID); ok {
			t.Errorf("asset still there")
		}
	})
}

func cloneForm(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}

// figure returns a customer card's figure ("Assets 2").
func figure(doc *html.Node, customerID, name string) string {
	return text(find(byID(doc, "customer-"+customerID), func(n *html.Node) bool { return attr(n, "data-figure") == name }))
}

// TestCardFigures checks the customer cards' Assets and Users figures as
// assets and users are added, moved and deleted through the pages.
func TestCardFigures(t *testing.T) {
	f := mustTenants(t)
	c := f.signedIn()
	check := func(step string, airtelAssets, airtelUsers, globexAssets, globexUsers string) {
		t.Helper()
		res := f.get(c, "/customers")
		for _, w := range []struct{ id, fig, want string }{
			{f.airtel.ID, "assets", "Assets " + airtelAssets}, {f.airtel.ID, "users", "Users " + airtelUsers},
			{f.globex.ID, "assets", "Assets " + globexAssets}, {f.globex.ID, "users", "Users " + globexUsers},
		} {
			if got := figure(res.doc, w.id, w.fig); got != w.want {
				t.Errorf("%s: %s card says %q, want %q", step, w.id, got, w.want)
			}
		}
	}
	check("start", "1", "2", "1", "1")
	if res := f.post(c, "/assets/new", url.Values{"name": {"Laptop 1"}, "class": {domain.AssetMobile}, "customer_id": {f.airtel.ID}}); res.status != http.StatusSeeOther {
		t.Fatalf("add asset: %d", res.status)
	}
	if res := f.post(c, "/users/new", userForm(f)); res.status != http.StatusSeeOther {
		t.Fatalf("add user: %d", res.status)
	}
	check("added", "2", "3", "1", "1")
	if res := f.post(c, "/assets/move", url.Values{"ids": {f.airtelAsset.ID}, "move_customer_id": {f.globex.ID}}); res.status != http.StatusSeeOther {
		t.Fatalf("move asset: %d", res.status)
	}
	if res := f.post(c, "/users/move", url.Values{"ids": {f.airtelUser.ID, f.carla.ID}, "move_customer_id": {f.globex.ID}}); res.status != http.StatusSeeOther {
		t.Fatalf("move users: %d", res.status)
	}
	check("moved", "1", "1", "2", "3")
	if res := f.post(c, "/assets/"+f.globexAsset.ID+"/delete", url.Values{"version": {"1"}}); res.status != http.StatusSeeOther {
		t.Fatalf("delete asset: %d", res.status)
	}
	if res := f.post(c, "/users/"+f.globexUser.ID+"/delete", url.Values{"version": {"1"}}); res.status != http.StatusSeeOther {
		t.Fatalf("delete user: %d", res.status)
	}
	check("deleted", "1", "1", "1", "2")
	// A card opens the customer's page, and its figures the lists they count.
	res := f.get(c, "/customers")
	card := byID(res.doc, "customer-"+f.globex.ID)
	for _, href := range []string{"/customers/" + f.globex.ID, "/assets?customer_id=" + f.globex.ID,
		"/users?customer_id=" + f.globex.ID, "/customers/" + f.globex.ID + "#customer-entities"} {
		if linkTo(card, href) == nil {
			t.Errorf("the Globex card has no link to %s", href)
		}
	}
	if got := rowIDs(f.get(c, "/assets?customer_id="+f.globex.ID).doc, "data-asset", "asset-"); !slices.Equal(got, []string{f.airtelAsset.ID}) {
		t.Errorf("the assets figure's list shows %v", got)
	}
	// The customer's own page shows the same figures.
	res = f.get(c, "/customers/"+f.globex.ID)
	if got := text(find(byID(res.doc, "customer-figures"), func(n *html.Node) bool { return attr(n, "data-figure") == "users" })); !strings.HasPrefix(got, "Users 2") {
		t.Errorf("customer page: %q (%d) %s", got, res.status, text(byID(res.doc, "main")))
	}
}

// TestCustomerAdminIsolation signs in as Airtel's customer admin: only
// Airtel shows, with no customer to pick, and every page of Globex answers
// 404 without its name.
func TestCustomerAdminIsolation(t *testing.T) {
	f := mustTenants(t)
	c := f.signedInAs("carla@airtel.com", userPassword)
	noGlobex := func(path string, res response) {
		t.Helper()
		for _, leak := range []string{"Globex", "GLX", "gus@globex", f.globex.ID, f.berlin.ID} {
			if strings.Contains(res.body, leak) {
				t.Errorf("%s: the page contains %q", path, leak)
			}
		}
	}

	// The start page is the customer's own page.
	res := f.get(c, "/")
	if res.status != http.StatusSeeOther || res.location != "/customers" {
		t.Fatalf("/: %d %q", res.status, res.location)
	}
	res = f.get(c, "/customers")
	if res.status != http.StatusSeeOther || res.location != "/customers/"+f.airtel.ID {
		t.Fatalf("/customers: %d %q", res.status, res.location)
	}
	res = f.get(c, res.location)
	if res.status != http.StatusOK || text(byID(res.doc, "customer-name")) != "Airtel" || !strings.Contains(res.body, "AIR001") {
		t.Fatalf("own customer page: %d %q", res.status, text(byID(res.doc, "customer-name")))
	}
	for path, want := range map[string]string{
		"/users":  "The people of Airtel who sign in to Northwind MSP.",
		"/assets": "The devices and items of Airtel.",
	} {
		page := f.get(c, path)
		sub := find(page.doc, func(n *html.Node) bool { return strings.Contains(attr(n, "class"), "page-sub") })
		if got := strings.Join(strings.Fields(text(sub)), " "); got != want {
			t.Errorf("%s says %q, want %q", path, got, want)
		}
	}
	if got := text(find(byID(res.doc, "customer-figures"), func(n *html.Node) bool { return attr(n, "data-figure") == "users" })); !strings.HasPrefix(got, "Users 2") {
		t.Errorf("users figure %q", got)
	}
	if got := text(byID(res.doc, "entity-list")); !strings.Contains(got, "Airtel Mumbai") || !strings.Contains(got, "Airtel Pune") {
		t.Errorf("entities %q", got)
	}
	if linkTo(res.doc, "/customers/"+f.airtel.ID+"/edit") != nil {
		t.Errorf("a customer admin is offered to edit the customer")
	}
	noGlobex("own page", res)

	res = f.get(c, "/users")
	if got := rowIDs(res.doc, "data-user", "user-"); !sameSet(got, []string{f.airtelUser.ID, f.carla.ID}) {
		t.Errorf("users %v", got)
	}
	if byID(res.doc, "filter-customer") != nil || byID(res.doc, "move-customer") != nil {
		t.Errorf("a customer picker is offered")
	}
	if got := optionValues(res.doc, "filter-entity"); !sameSet(got, []string{f.mumbai.ID, f.pune.ID}) {
		t.Errorf("entity filter %v", got)
	}
	if byID(res.doc, "add-user") == nil || linkTo(res.doc, "/users/"+f.airtelUser.ID+"/delete") == nil {
		t.Errorf("a customer admin is not offered to add or delete users")
	}
	noGlobex("/users", res)
	res = f.get(c, "/users/new")
	if byID(res.doc, "f-customer-id") != nil || text(byID(res.doc, "fixed-customer")) != "Airtel" {
		t.Errorf("Add User offers a customer picker, or does not name Airtel")
	}
	if got := optionValues(res.doc, "f-role"); slices.Contains(got, domain.RoleOrgAdmin) || !slices.Contains(got, domain.RoleCustomerAdmin) {
		t.Errorf("roles offered %v", got)
	}
	if got := optionValues(res.doc, "f-entity-ids"); !sameSet(got, []string{f.mumbai.ID, f.pune.ID}) {
		t.Errorf("entities offered %v", got)
	}
	noGlobex("/users/new", res)
	res = f.get(c, "/assets")
	if got := rowIDs(res.doc, "data-asset", "asset-"); !slices.Equal(got, []string{f.airtelAsset.ID}) {
		t.Errorf("assets %v", got)
	}
	noGlobex("/assets", res)

	// Adding a user and an asset places them in Airtel.
	form := userForm(f)
	form.Del("customer_id")
	form.Set("email", "new.tech@airtel.com")
	if res := f.post(c, "/users/new", form); res.status != http.StatusSeeOther {
		t.Fatalf("add user: %d %s", res.status, text(byID(res.doc, "form-errors")))
	}
	form = url.Values{"name": {"Pune printer"}, "class": {domain.AssetNonIT}, "entity_id": {f.pune.ID}}
	if res := f.post(c, "/assets/new", form); res.status != http.StatusSeeOther {
		t.Fatalf("add asset: %d %s", res.status, text(byID(res.doc, "form-errors")))
	}
	for _, a := range f.allAssets() {
		if a.Name == "Pune printer" && a.CustomerID != f.airtel.ID {
			t.Errorf("asset placed in %s", a.CustomerID)
		}
	}
	// A form naming another customer is refused as the API refuses it —
	// as a customer that does not exist — not quietly placed at Airtel.
	// The answer may echo the id the form sent, and nothing else of Globex.
	noGlobexName := func(path string, res response) {
		t.Helper()
		for _, leak := range []string{"Globex", "GLX", "gus@globex", f.berlin.ID} {
			if strings.Contains(res.body, leak) {
				t.Errorf("%s: the page contains %q", path, leak)
			}
		}
	}
	form = url.Values{"name": {"Smuggled printer"}, "class": {domain.AssetNonIT}, "customer_id": {f.globex.ID}}
	if res := f.post(c, "/assets/new", form); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "No such customer") {
		t.Errorf("add asset at Globex: %d %s", res.status, text(byID(res.doc, "form-errors")))
	} else {
		noGlobexName("POST /assets/new at Globex", res)
	}
	form = userForm(f)
	form.Set("customer_id", f.globex.ID)
	form.Set("email", "smuggled@airtel.com")
	if res := f.post(c, "/users/new", form); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "No such customer") {
		t.Errorf("add user at Globex: %d %s", res.status, text(byID(res.doc, "form-errors")))
	} else {
		noGlobexName("POST /users/new at Globex", res)
	}
	if res := f.post(c, "/assets/move", url.Values{"ids": {f.airtelAsset.ID}, "move_customer_id": {f.globex.ID}}); res.status == http.StatusSeeOther {
		t.Errorf("moved an asset to another customer")
	} else {
		noGlobexName("POST /assets/move to Globex", res)
	}
	for _, a := range f.allAssets() {
		if a.Name == "Smuggled printer" || (a.ID == f.airtelAsset.ID && a.CustomerID != f.airtel.ID) {
			t.Errorf("asset %s placed at %s", a.Name, a.CustomerID)
		}
	}

	// Pages a customer admin's role never opens — editing or deleting a
	// customer — are 403 whichever customer they name, its own, Globex or
	// none, so they tell nothing of Globex either.
	for _, id := range []string{f.globex.ID, f.airtel.ID, "01a00000-0000-7000-8000-000000000000"} {
		for _, path := range []string{"/customers/" + id + "/edit", "/customers/" + id + "/delete"} {
			res := f.get(c, path)
			if res.status != http.StatusForbidden {
				t.Errorf("%s: status %d, want 403", path, res.status)
			}
			noGlobex(path, res)
		}
		res := f.post(c, "/customers/"+id+"/delete", url.Values{"version": {"1"}, "confirm_code": {"GLX"}})
		if res.status != http.StatusForbidden {
			t.Errorf("POST /customers/%s/delete: status %d, want 403", id, res.status)
		}
	}
	// Globex by URL: a page that does not exist, without its name.
	for _, path := range []string{
		"/customers/" + f.globex.ID,
		"/customers/" + f.globex.ID + "/entities/" + f.berlin.ID,
		"/customers/" + f.airtel.ID + "/entities/" + f.berlin.ID,
		"/users/" + f.globexUser.ID + "/edit",
		"/users/" + f.globexUser.ID + "/delete",
		"/assets/" + f.globexAsset.ID + "/edit",
		"/assets/" + f.globexAsset.ID + "/delete",
		"/users?customer_id=" + f.globex.ID,
		"/assets?customer_id=" + f.globex.ID,
		"/pickers/entities?kind=asset&customer_id=" + f.globex.ID,
	} {
		res := f.get(c, path)
		if res.status != http.StatusNotFound {
			t.Errorf("%s: status %d", path, res.status)
		}
		noGlobex(path, res)
	}
	for _, path := range []string{"/users/" + f.globexUser.ID + "/delete", "/assets/" + f.globexAsset.ID + "/delete",
		"/users/" + f.globexUser.ID + "/edit"} {
		res := f.post(c, path, url.Values{"version": {"1"}, "name": {"Hijacked"}, "confirm_code": {"GLX"}})
		if res.status != http.StatusNotFound {
			t.Errorf("POST %s: status %d", path, res.status)
		}
		noGlobex("POST "+path, res)
	}
	if res := f.post(c, "/assets/move", url.Values{"ids": {f.globexAsset.ID}, "move_entity_id": {f.mumbai.ID}}); res.status == http.StatusSeeOther {
		t.Errorf("moved another customer's asset")
	} else {
		noGlobex("POST /assets/move", res)
	}
	if u, ok := f.user(f.globexUser.ID); !ok || u.Name != "Gus Globex" {
		t.Errorf("Globex's user changed: %+v", u)
	}
	if a, ok := f.asset(f.globexAsset.ID); !ok || a.CustomerID != f.globex.ID {
		t.Errorf("Globex's asset changed: %+v", a)
	}
	// Its own customer: visible, but not an admin's to change.
	if res := f.get(c, "/customers/"+f.airtel.ID+"/edit"); res.status != http.StatusForbidden {
		t.Errorf("own customer's edit page: %d", res.status)
	}
}

// TestCustomerUserReadOnly signs in as a customer user, whose role only
// views users and assets: nothing to add, edit, delete or move is offered.
func TestCustomerUserReadOnly(t *testing.T) {
	f := mustTenants(t)
	c := f.signedInAs("ravi@airtel.com", userPassword)
	for _, path := range []string{"/users", "/assets"} {
		res := f.get(c, path)
		if res.status != http.StatusOK {
			t.Fatalf("%s: %d", path, res.status)
		}
		if byID(res.doc, "move-form") != nil || find(res.doc, func(n *html.Node) bool { return hasAttr(n, "data-add") }) != nil ||
			find(res.doc, func(n *html.Node) bool { return n.Data == "a" && strings.HasSuffix(attr(n, "href"), "/edit") }) != nil ||
			find(res.doc, func(n *html.Node) bool { return n.Data == "a" && strings.HasSuffix(attr(n, "href"), "/delete") }) != nil {
			t.Errorf("%s offers changes to a read-only role", path)
		}
	}
	// Ravi is narrowed to Mumbai: he sees Mumbai's asset and users there.
	res := f.get(c, "/users")
	if got := rowIDs(res.doc, "data-user", "user-"); !slices.Equal(got, []string{f.airtelUser.ID}) {
		t.Errorf("users %v", got)
	}
	for _, path := range []string{"/users/new", "/assets/new", "/users/" + f.carla.ID + "/edit", "/assets/" + f.airtelAsset.ID + "/delete"} {
		if res := f.get(c, path); res.status != http.StatusForbidden && res.status != http.StatusNotFound {
			t.Errorf("%s: %d", path, res.status)
		}
	}
	if res := f.post(c, "/assets/"+f.airtelAsset.ID+"/delete", url.Values{"version": {"1"}}); res.status != http.StatusForbidden {
		t.Errorf("delete: %d", res.status)
	}
	if _, ok := f.asset(f.airtelAsset.ID); !ok {
		t.Errorf("a read-only role deleted an asset")
	}
}
