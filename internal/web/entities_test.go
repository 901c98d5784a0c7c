package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/service"
)

// withEntity adds entity i's fields to a wizard form, as the hidden fields
// of a row in the Entity Details list.
func withEntity(f url.Values, i int, fields map[string]string) url.Values {
	p := "entities[" + string(rune('0'+i)) + "]."
	for k, v := range fields {
		f.Set(p+k, v)
	}
	return f
}

// mumbai and pune are two valid entities of the Airtel example.
var (
	mumbai = map[string]string{"name": "Airtel Mumbai", "code": "AIR-MUM", "type": "branch", "is_active": "on",
		"business_email": "mumbai@airtel.com", "location.country": "IN", "location.city": "Mumbai", "location.pin_code": "400001"}
	pune = map[string]string{"name": "Airtel Pune Ops", "type": "department", "is_active": "on",
		"phone_region": "IN", "phone": "98765 43210", "location.country": "IN", "location.city": "Pune"}
)

// isHidden reports whether the element with id is in the page but hidden.
func isHidden(doc *html.Node, id string) bool { return hasAttr(byID(doc, id), "hidden") }

// entitiesOf lists a customer's live entities through the service.
func (s *stack) entitiesOf(customerID string) []domain.Entity {
	s.t.Helper()
	page, err := s.svc.ListEntities(s.admin, customerID, domain.EntityFilter{Limit: domain.MaxPageSize})
	if err != nil {
		s.t.Fatalf("list entities: %v", err)
	}
	return page.Items
}

// TestWizardRoundTrips walks the Add wizard without the script: every
// button is a round trip that carries everything typed.
func TestWizardRoundTrips(t *testing.T) {
	s := MustStack(t, service.FirstStart{}, false)
	c := s.signedIn()

	t.Run("NextChecksDetails", func(t *testing.T) {
		f := validForm()
		f.Set("code", "a b")
		f.Set("op", "step:entities")
		res := s.post(c, "/customers/new", f)
		if res.status != http.StatusUnprocessableEntity || isHidden(res.doc, "step-details") {
			t.Fatalf("status %d, details hidden %v", res.status, isHidden(res.doc, "step-details"))
		}
		if attr(byID(res.doc, "f-code"), "aria-invalid") != "true" {
			t.Errorf("code not marked invalid on Next")
		}
	})

	// Next carries Customer Details to Entity Details.
	f := validForm()
	f.Set("op", "step:entities")
	f.Set("step", "details")
	res := s.post(c, "/customers/new", f)
	if res.status != http.StatusOK || !isHidden(res.doc, "step-details") || isHidden(res.doc, "step-entities") {
		t.Fatalf("Next: status %d", res.status)
	}
	if got := attr(byID(res.doc, "f-name"), "value"); got != "Airtel" {
		t.Errorf("customer name not carried: %q", got)
	}
	// Entity Details is the middle step: Back and Next, no Submit yet.
	if attr(byID(res.doc, "wizard-step"), "value") != "entities" || !isHidden(res.doc, "customer-submit") || isHidden(res.doc, "wizard-back") ||
		isHidden(res.doc, "wizard-next") || attr(byID(res.doc, "wizard-next"), "value") != "step:settings" || attr(byID(res.doc, "wizard-back"), "value") != "step:details" {
		t.Errorf("footer not for the middle step")
	}
	if attr(byID(res.doc, "f-entity-name"), "autofocus") == "" && !hasAttr(byID(res.doc, "f-entity-name"), "autofocus") {
		t.Errorf("the entity editor's first field has no focus")
	}
	if !strings.Contains(text(byID(res.doc, "entity-empty")), "No entities yet") {
		t.Errorf("empty list: %q", text(byID(res.doc, "entity-empty")))
	}

	// Save the first entity from the editor: it joins the list as hidden
	// fields.
	f.Set("op", "entity_save")
	f.Set("step", "entities")
	for k, v := range mumbai {
		f.Set("entity."+k, v)
	}
	res = s.post(c, "/customers/new", f)
	if res.status != http.StatusOK {
		t.Fatalf("save entity: %d\n%s", res.status, text(byID(res.doc, "entity-panel")))
	}
	row := byID(res.doc, "entity-0")
	if txt := text(row); !strings.Contains(txt, "Airtel Mumbai") || !strings.Contains(txt, "Branch") || !strings.Contains(txt, "AIR-MUM") {
		t.Errorf("row: %q", txt)
	}
	if attr(find(row, func(n *html.Node) bool { return attr(n, "name") == "entities[0].location.pin_code" }), "value") != "400001" {
		t.Errorf("row does not carry its fields")
	}
	if v := attr(byID(res.doc, "f-entity-name"), "value"); v != "" {
		t.Errorf("editor not cleared: %q", v)
	}
	if !strings.Contains(text(byID(res.doc, "entity-status")), "Airtel Mumbai") {
		t.Errorf("no status: %q", text(byID(res.doc, "entity-status")))
	}
	if n := len(s.customers()); n != 0 {
		t.Fatalf("Save created %d customers before Submit", n)
	}

	// Edit it: the editor opens with its values and the row is marked.
	f = formOf(res.doc, "customer-form")
	f.Set("op", "entity_edit:0")
	res = s.post(c, "/customers/new", f)
	if got := attr(byID(res.doc, "f-entity-location-city"), "value"); got != "Mumbai" {
		t.Fatalf("editor city %q", got)
	}
	if attr(find(res.doc, func(n *html.Node) bool { return attr(n, "name") == "entity.index" }), "value") != "0" ||
		!strings.Contains(text(byID(res.doc, "entity-0")), "Editing") {
		t.Errorf("row being edited not marked")
	}
	f = formOf(res.doc, "customer-form")
	f.Set("entity.name", "Airtel Mumbai West")
	f.Set("op", "entity_save")
	res = s.post(c, "/customers/new", f)
	if !strings.Contains(text(byID(res.doc, "entity-0")), "Airtel Mumbai West") || byID(res.doc, "entity-1") != nil {
		t.Fatalf("edit did not replace the row: %q", text(byID(res.doc, "entity-list")))
	}

	// A second entity with the same name is refused beside the field.
	f = formOf(res.doc, "customer-form")
	f.Set("entity.name", "airtel mumbai west")
	f.Set("op", "entity_save")
	res = s.post(c, "/customers/new", f)
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(text(byID(res.doc, "f-entity-name-error")), "already has this name") {
		t.Fatalf("duplicate name: %d %q", res.status, text(byID(res.doc, "f-entity-name-error")))
	}

	// Add Pune, add and remove a third; Back keeps everything.
	f = formOf(res.doc, "customer-form")
	for k, v := range pune {
		f.Set("entity."+k, v)
	}
	f.Set("op", "entity_save")
	res = s.post(c, "/customers/new", f)
	f = formOf(res.doc, "customer-form")
	f.Set("entity.name", "Temporary")
	f.Set("op", "entity_save")
	res = s.post(c, "/customers/new", f)
	f = formOf(res.doc, "customer-form")
	f.Set("op", "entity_remove:2")
	res = s.post(c, "/customers/new", f)
	if byID(res.doc, "entity-2") != nil || !strings.Contains(text(byID(res.doc, "entity-status")), "Temporary") {
		t.Fatalf("remove: %q", text(byID(res.doc, "entity-list")))
	}
	f = formOf(res.doc, "customer-form")
	f.Set("op", "step:details")
	res = s.post(c, "/customers/new", f)
	if isHidden(res.doc, "step-details") || attr(byID(res.doc, "f-location-landmark"), "value") != "Near Bryant Park" {
		t.Fatalf("Back lost Customer Details")
	}
	if byID(res.doc, "entity-1") == nil {
		t.Fatalf("Back lost the entities")
	}

	// Submit creates the customer and both entities.
	f = formOf(res.doc, "customer-form")
	f.Set("op", "submit")
	res = s.post(c, "/customers/new", f)
	if res.status != http.StatusSeeOther {
		t.Fatalf("submit: %d\n%s", res.status, text(byID(res.doc, "sidebar")))
	}
	all := s.customers()
	if len(all) != 1 {
		t.Fatalf("%d customers", len(all))
	}
	es := s.entitiesOf(all[0].ID)
	if len(es) != 2 || es[0].Name != "Airtel Mumbai West" || es[1].Name != "Airtel Pune Ops" || es[1].Phone != "+919876543210" ||
		es[1].Type != domain.EntityDepartment || es[0].Location.PinCode != "400001" {
		t.Fatalf("entities: %+v", es)
	}
	res = s.get(c, "/customers")
	if !strings.Contains(text(byID(res.doc, "flash")), "with 2 entities") {
		t.Errorf("flash %q", text(byID(res.doc, "flash")))
	}
}

// formOf returns the values a browser would post from the form with id
// (text inputs, hidden inputs, checked boxes and selected options; no
// buttons).
func formOf(doc *html.Node, id string) url.Values {
	v := url.Values{}
	form := byID(doc, id)
	for _, n := range findAll(form, func(n *html.Node) bool { return n.Data == "input" || n.Data == "select" }) {
		name := attr(n, "name")
		if name == "" {
			continue
		}
		switch {
		case n.Data == "select":
			v.Add(name, attr(find(n, func(o *html.Node) bool { return o.Data == "option" && hasAttr(o, "selected") }), "value"))
		case attr(n, "type") == "checkbox":
			if hasAttr(n, "checked") {
				v.Add(name, attr(n, "value"))
			}
		default:
			v.Add(name, attr(n, "value"))
		}
	}
	return v
}

func TestWizardSubmitTwoEntities(t *testing.T) {
	s := MustStack(t, service.FirstStart{}, false)
	c := s.signedIn()
	f := withEntity(withEntity(validForm(), 0, mumbai), 1, pune)
	f.Set("op", "submit")
	res := s.post(c, "/customers/new", f)
	if res.status != http.StatusSeeOther {
		t.Fatalf("status %d\n%s", res.status, text(byID(res.doc, "sidebar")))
	}
	cust := s.customers()[0]
	if es := s.entitiesOf(cust.ID); len(es) != 2 {
		t.Fatalf("%d entities", len(es))
	}
	res = s.get(c, "/customers")
	card := byID(res.doc, "customer-"+cust.ID)
	fig := find(card, func(n *html.Node) bool { return attr(n, "data-figure") == "entities" })
	if got := text(fig); got != "Entities 2" {
		t.Errorf("card figure %q", got)
	}
	for _, want := range []struct{ figure, text string }{{"assets", "Assets 0"}, {"users", "Users 0"}} {
		fig := find(card, func(n *html.Node) bool { return attr(n, "data-figure") == want.figure })
		if got := text(fig); got != want.text {
			t.Errorf("card figure %q, want %q", got, want.text)
		}
	}

	t.Run("EditorTakenAsSaved", func(t *testing.T) {
		// Submit with an entity still in the editor creates it too.
		f := validForm()
		f.Set("name", "Jio")
		f.Set("code", "JIO")
		f.Set("entity.name", "Jio Delhi")
		f.Set("entity.type", "region")
		f.Set("op", "submit")
		if res := s.post(c, "/customers/new", f); res.status != http.StatusSeeOther {
			t.Fatalf("status %d", res.status)
		}
		var jio domain.Customer
		for _, x := range s.customers() {
			if x.Code == "JIO" {
				jio = x
			}
		}
		if es := s.entitiesOf(jio.ID); len(es) != 1 || es[0].Name != "Jio Delhi" || es[0].Type != "region" {
			t.Fatalf("entities %+v", es)
		}
	})
}

func TestWizardEntityErrors(t *testing.T) {
	s := MustStack(t, service.FirstStart{}, false)
	c := s.signedIn()
	bad := map[string]string{"name": "", "code": "no spaces", "type": "branch", "location.country": "US", "location.pin_code": "ABC"}
	worse := map[string]string{"name": "Third", "business_email": "x@", "type": "other"}
	f := withEntity(withEntity(withEntity(validForm(), 0, mumbai), 1, bad), 2, worse)
	f.Set("op", "submit")
	res := s.post(c, "/customers/new", f)
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", res.status)
	}
	if n := len(s.customers()); n != 0 {
		t.Fatalf("%d customers created", n)
	}
	// The wizard jumps to Entity Details, the first step with a problem.
	if !isHidden(res.doc, "step-details") || isHidden(res.doc, "step-entities") {
		t.Fatalf("not on Entity Details")
	}
	// The first bad entity is open in the editor, its messages beside its
	// fields.
	if attr(find(res.doc, func(n *html.Node) bool { return attr(n, "name") == "entity.index" }), "value") != "1" {
		t.Errorf("entity 2 is not open in the editor")
	}
	for id, want := range map[string]string{
		"f-entity-name":              "Entity name is required.",
		"f-entity-code":              "Use only letters",
		"f-entity-location-pin-code": "Not a valid postal code",
	} {
		in := byID(res.doc, id)
		desc := strings.Fields(attr(in, "aria-describedby"))
		if attr(in, "aria-invalid") != "true" || len(desc) == 0 || desc[0] != id+"-error" {
			t.Errorf("%s: aria-invalid %q, describedby %q", id, attr(in, "aria-invalid"), attr(in, "aria-describedby"))
			continue
		}
		if msg := text(byID(res.doc, desc[0])); !strings.Contains(msg, want) {
			t.Errorf("%s: %q, want %q", id, msg, want)
		}
	}
	if got := attr(byID(res.doc, "f-entity-location-pin-code"), "value"); got != "ABC" {
		t.Errorf("typed pin code not kept: %q", got)
	}
	// The other bad entity's messages are in its row; the good one has none.
	if txt := text(byID(res.doc, "entity-2-problems")); !strings.Contains(txt, "Business Email") || !strings.Contains(txt, "Not a valid email") {
		t.Errorf("entity 3 problems: %q", txt)
	}
	if byID(res.doc, "entity-0-problems") != nil {
		t.Errorf("a good entity shows problems")
	}
	// The summary names every problem, linked to where it is fixed.
	summary := byID(res.doc, "error-summary")
	if got := len(findAll(summary, func(n *html.Node) bool { return n.Data == "li" })); got != 4 {
		t.Errorf("summary lists %d: %q", got, text(summary))
	}
	if linkTo(summary, "#f-entity-location-pin-code") == nil || linkTo(summary, "#entity-2-edit") == nil {
		t.Errorf("summary links: %q", text(summary))
	}
	// Every entity is still carried, and the customer's fields too.
	if attr(find(res.doc, func(n *html.Node) bool { return attr(n, "name") == "entities[2].business_email" }), "value") != "x@" ||
		attr(byID(res.doc, "f-name"), "value") != "Airtel" {
		t.Errorf("typed values lost")
	}

	t.Run("CustomerFirst", func(t *testing.T) {
		// A bad customer field sends the wizard to Customer Details.
		f := withEntity(validForm(), 0, bad)
		f.Set("name", "")
		f.Set("op", "submit")
		res := s.post(c, "/customers/new", f)
		if res.status != http.StatusUnprocessableEntity || isHidden(res.doc, "step-details") {
			t.Fatalf("status %d, details hidden %v", res.status, isHidden(res.doc, "step-details"))
		}
		if attr(byID(res.doc, "f-name"), "aria-invalid") != "true" || attr(byID(res.doc, "f-entity-name"), "aria-invalid") != "true" {
			t.Errorf("errors not beside both steps' fields")
		}
	})
}

func TestEditEntities(t *testing.T) {
	s := MustStack(t, service.FirstStart{}, false)
	c := s.signedIn()
	cust := s.MustCreateCustomer(domain.CustomerInput{Name: "Bharti", Code: "BHA01", Location: domain.Location{Country: "IN"}})
	first, err := s.svc.CreateEntity(s.admin, cust.ID, domain.EntityInput{Name: "Bharti Delhi", Code: "DEL", Type: "region"})
	if err != nil {
		t.Fatal(err)
	}
	editPath := "/customers/" + cust.ID + "/edit"

	res := s.get(c, editPath+"?step=entities")
	if res.status != http.StatusOK || isHidden(res.doc, "step-entities") {
		t.Fatalf("status %d", res.status)
	}
	row := byID(res.doc, "entity-"+first.ID)
	if txt := text(row); !strings.Contains(txt, "Bharti Delhi") || !strings.Contains(txt, "Region") || !strings.Contains(txt, "DEL") {
		t.Fatalf("row %q", txt)
	}
	if byID(row, "entity-"+first.ID+"-delete") == nil || !isHidden(res.doc, "entity-"+first.ID+"-confirm") {
		t.Errorf("no delete button, or its question shows before asked")
	}

	// Add: the customer's typed (unsaved) name is carried, not saved.
	f := formOf(res.doc, "customer-form")
	f.Set("name", "Bharti Group")
	for k, v := range pune {
		f.Set("entity."+k, v)
	}
	f.Set("op", "entity_save")
	res = s.post(c, editPath, f)
	if res.status != http.StatusOK {
		t.Fatalf("add: %d\n%s", res.status, text(byID(res.doc, "entity-panel")))
	}
	es := s.entitiesOf(cust.ID)
	if len(es) != 2 {
		t.Fatalf("%d entities after add", len(es))
	}
	if attr(byID(res.doc, "f-name"), "value") != "Bharti Group" || attr(byID(res.doc, "customer-form"), "data-dirty") != "true" {
		t.Errorf("typed customer name not carried")
	}
	if now, _ := s.svc.Customer(s.admin, cust.ID); now.Name != "Bharti" {
		t.Errorf("an entity action saved the customer: %q", now.Name)
	}
	if !strings.Contains(text(byID(res.doc, "entity-status")), "was added") {
		t.Errorf("status %q", text(byID(res.doc, "entity-status")))
	}

	// Invalid: messages beside the editor's fields, nothing stored.
	f = formOf(res.doc, "customer-form")
	f.Set("entity.name", "bharti delhi")
	f.Set("op", "entity_save")
	res = s.post(c, editPath, f)
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(text(byID(res.doc, "f-entity-name-error")), "already has an entity with this name") {
		t.Fatalf("taken: %d %q", res.status, text(byID(res.doc, "f-entity-name-error")))
	}

	// Edit: the editor opens with the stored entity and its version.
	f = formOf(res.doc, "customer-form")
	f.Set("op", "entity_cancel")
	res = s.post(c, editPath, f)
	f = formOf(res.doc, "customer-form")
	f.Set("op", "entity_edit:"+first.ID)
	res = s.post(c, editPath, f)
	if attr(byID(res.doc, "f-entity-name"), "value") != "Bharti Delhi" ||
		attr(find(res.doc, func(n *html.Node) bool { return attr(n, "name") == "entity.version" }), "value") != "1" {
		t.Fatalf("editor not filled: %q", attr(byID(res.doc, "f-entity-name"), "value"))
	}
	edited := formOf(res.doc, "customer-form")
	edited.Set("entity.name", "Bharti New Delhi")
	edited.Set("op", "entity_save")

	t.Run("ErrStale", func(t *testing.T) {
		if _, err := s.svc.UpdateEntity(s.admin, cust.ID, first.ID, 1, func(in domain.EntityInput) (domain.EntityInput, error) {
			in.Code = "DL"
			return in, nil
		}); err != nil {
			t.Fatal(err)
		}
		res := s.post(c, editPath, edited)
		if res.status != http.StatusConflict || !strings.Contains(text(byID(res.doc, "entity-alert")), "Someone else changed this entity") {
			t.Fatalf("stale: %d %q", res.status, text(byID(res.doc, "entity-alert")))
		}
		if attr(byID(res.doc, "f-entity-name"), "value") != "Bharti New Delhi" {
			t.Errorf("typed name lost")
		}
		if e, _ := s.svc.Entity(s.admin, cust.ID, first.ID); e.Name != "Bharti Delhi" {
			t.Errorf("stale save changed the entity: %q", e.Name)
		}
		edited.Set("entity.version", "2")
	})

	res = s.post(c, editPath, edited)
	if res.status != http.StatusOK {
		t.Fatalf("save: %d %q", res.status, text(byID(res.doc, "entity-panel")))
	}
	if e, _ := s.svc.Entity(s.admin, cust.ID, first.ID); e.Name != "Bharti New Delhi" || e.Code != "DEL" || e.Version != 3 {
		t.Errorf("after edit: %+v", e)
	}

	// Delete asks first (without the script, in a round trip), then deletes.
	f = formOf(res.doc, "customer-form")
	f.Set("op", "entity_delete:"+first.ID)
	res = s.post(c, editPath, f)
	confirm := byID(res.doc, "entity-"+first.ID+"-confirm")
	if confirm == nil || hasAttr(confirm, "hidden") || !strings.Contains(text(confirm), "Bharti New Delhi") {
		t.Fatalf("no question before delete")
	}
	if len(s.entitiesOf(cust.ID)) != 2 {
		t.Fatalf("deleted without confirmation")
	}
	del := byID(confirm, "entity-"+first.ID+"-delete-confirm")
	f = formOf(res.doc, "customer-form")
	f.Set("op", attr(del, "value"))
	res = s.post(c, editPath, f)
	if res.status != http.StatusOK || !strings.Contains(text(byID(res.doc, "entity-status")), "was deleted") {
		t.Fatalf("delete: %d %q", res.status, text(byID(res.doc, "entity-panel")))
	}
	if es := s.entitiesOf(cust.ID); len(es) != 1 || es[0].Name != "Airtel Pune Ops" {
		t.Fatalf("after delete: %+v", es)
	}
	if byID(res.doc, "entity-"+first.ID) != nil {
		t.Errorf("deleted entity still listed")
	}

	t.Run("DeleteInUse", func(t *testing.T) {
		// An entity with an asset mapped to it: the reason, with the
		// counts, and where to move what is mapped to it; nothing deleted.
		left := s.entitiesOf(cust.ID)[0]
		if _, err := s.svc.CreateAsset(s.admin, domain.AssetInput{Name: "Pune laptop", Class: domain.AssetIT, CustomerID: cust.ID, EntityID: left.ID}); err != nil {
			t.Fatal(err)
		}
		f := formOf(res.doc, "customer-form")
		f.Set("op", "entity_delete_confirm:"+left.ID+":"+strconv.FormatInt(left.Version, 10))
		r := s.post(c, editPath, f)
		alert := byID(r.doc, "entity-alert")
		if r.status != http.StatusConflict || !strings.Contains(text(alert), "Airtel Pune Ops cannot be deleted: 1 asset is mapped to it and 0 users are narrowed to it") {
			t.Fatalf("delete in use: %d %q", r.status, text(alert))
		}
		if linkTo(alert, "/assets?customer_id="+cust.ID+"&entity_id="+left.ID) == nil || linkTo(alert, "/users?customer_id="+cust.ID+"&entity_id="+left.ID) == nil {
			t.Errorf("no links to move what is mapped: %q", text(alert))
		}
		if len(s.entitiesOf(cust.ID)) != 1 {
			t.Errorf("an entity in use was deleted")
		}
	})

	t.Run("SubmitWithUnsavedEntity", func(t *testing.T) {
		f := formOf(res.doc, "customer-form")
		f.Set("entity.name", "Half typed")
		f.Set("op", "submit")
		res := s.post(c, editPath, f)
		if res.status != http.StatusConflict || isHidden(res.doc, "step-entities") ||
			!strings.Contains(text(byID(res.doc, "entity-alert")), "Save or cancel the entity") {
			t.Fatalf("status %d %q", res.status, text(byID(res.doc, "entity-alert")))
		}
		// Submit with the editor empty saves the customer as before.
		f.Del("entity.name")
		res = s.post(c, editPath, f)
		if res.status != http.StatusSeeOther {
			t.Fatalf("save: %d", res.status)
		}
		if now, _ := s.svc.Customer(s.admin, cust.ID); now.Name != "Bharti Group" {
			t.Errorf("customer not saved: %q", now.Name)
		}
	})

	res = s.get(c, "/customers")
	if got := text(find(byID(res.doc, "customer-"+cust.ID), func(n *html.Node) bool { return attr(n, "data-figure") == "entities" })); got != "Entities 1" {
		t.Errorf("card figure %q", got)
	}
}

// TestEntityStartsFromTheCustomer checks that a new entity of the Add
// wizard starts in its customer's country, and that "Same address as the
// customer" copies the customer's location into the editor without
// touching the rest of what was typed there.
func TestEntityStartsFromTheCustomer(t *testing.T) {
	s := MustStack(t, service.FirstStart{}, false)
	c := s.signedIn()
	f := validForm() // in the United States
	f.Set("op", "step:entities")
	f.Set("step", "details")
	res := s.post(c, "/customers/new", f)
	if res.status != http.StatusOK {
		t.Fatalf("Next: status %d", res.status)
	}
	if got := selected(res.doc, "f-entity-location-country"); got != "US" {
		t.Errorf("a new entity starts in %q, want the customer's US", got)
	}

	f = formOf(res.doc, "customer-form")
	f.Set("entity.name", "Airtel Midtown")
	f.Set("entity.location.city", "Boston")
	f.Set("op", "entity_same_address")
	res = s.post(c, "/customers/new", f)
	if res.status != http.StatusOK {
		t.Fatalf("same address: status %d", res.status)
	}
	for id, want := range map[string]string{
		"f-entity-name": "Airtel Midtown", "f-entity-location-city": "New York", "f-entity-location-pin-code": "10036",
		"f-entity-location-address-line1": "1095 Avenue of the Americas", "f-entity-location-location-name": "Airtel Corporate HQ",
	} {
		if got := attr(byID(res.doc, id), "value"); got != want {
			t.Errorf("%s = %q, want %q", id, got, want)
		}
	}
	if !strings.Contains(text(byID(res.doc, "entity-status")), "address was copied") {
		t.Errorf("no status: %q", text(byID(res.doc, "entity-status")))
	}
	if n := len(s.customers()); n != 0 {
		t.Fatalf("the action created %d customers", n)
	}

	// A blank editor (only the default country in it) is not an entity
	// left unsaved: Submit goes through without asking.
	f = formOf(res.doc, "customer-form")
	f.Set("op", "entity_cancel")
	res = s.post(c, "/customers/new", f)
	if got := selected(res.doc, "f-entity-location-country"); got != "US" {
		t.Errorf("after Clear the editor is in %q, want US", got)
	}
	// The default follows the customer's country while nothing else is
	// typed in the editor.
	f = formOf(res.doc, "customer-form")
	f.Set("location.country", "GB")
	f.Set("location.pin_code", "SW1A 1AA")
	f.Set("op", "step:entities")
	res = s.post(c, "/customers/new", f)
	if got := selected(res.doc, "f-entity-location-country"); got != "GB" {
		t.Errorf("after the customer moved to GB the editor is in %q", got)
	}
	// A country the person picks is theirs: it is kept, and it is an
	// entity left unsaved.
	f = formOf(res.doc, "customer-form")
	f.Set("entity.location.country", "IN")
	f.Set("op", "step:entities")
	res = s.post(c, "/customers/new", f)
	if got := selected(res.doc, "f-entity-location-country"); got != "IN" {
		t.Errorf("a picked country became %q", got)
	}
	f = formOf(res.doc, "customer-form")
	f.Set("op", "submit")
	if res := s.post(c, "/customers/new", f); res.status == http.StatusSeeOther {
		t.Errorf("Submit went through with an entity's country picked and not saved")
	}
	f.Set("entity.location.country", "GB")
	if res := s.post(c, "/customers/new", f); res.status != http.StatusSeeOther {
		t.Errorf("Submit with a blank editor: status %d\n%s", res.status, text(byID(res.doc, "form-errors")))
	}
}
