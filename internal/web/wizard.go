package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/web/webform"
)

// The Add / Edit Customer sidebar is one form whose steps are all in the
// page, the current one shown. Everything it holds travels with every
// request, so that the wizard works without JavaScript by server round
// trips (Next, Back, Save entity, ...) and nothing typed is lost; app.js
// switches steps in the browser and sends only the entity actions, swapping
// the Entity Details panel with the server's answer.
//
// What the form carries:
//
//	step                   the step shown
//	name, code, location.… the customer's fields
//	entities[i].name, …    Add only: the entities in the list, as hidden fields
//	entity.name, …         the entity editor: a new entity or one being edited
//	entity.index           Add only: the list row being edited ("" for a new one)
//	entity.id, .version    Edit only: the stored entity being edited
//	licenses.<type>        the License Allocation step's counts (licenses.go)
//	op                     the button pressed: "step:entities", "entity_save",
//	                       "entity_edit:<row or id>", "entity_remove:<row>",
//	                       "entity_delete:<id>", "entity_delete_confirm:<id>:<version>",
//	                       "entity_cancel", "submit", or "enter" (the Enter key)
//
// In the Add wizard the entities and the license allocation are created
// with the customer in one request (RegisterCustomer). In edit mode each
// entity action is its own request to the service (CreateEntity,
// UpdateEntity, DeleteEntity), carrying the entity's version; Submit saves
// the customer's details and the changed allocation in one transaction
// (UpdateCustomerWithLicenses).

// maxWizardBytes bounds the Add Customer form, which carries up to
// domain.MaxEntitiesPerRequest entities.
const maxWizardBytes = 1 << 20

// editorPrefix names the entity editor's inputs.
const editorPrefix = "entity."

// maxEntityRows bounds the row indices a posted form may use.
const maxEntityRows = domain.MaxEntitiesPerRequest

// entityTypeLabels are the words the UI uses for the entity types.
var entityTypeLabels = map[string]string{
	domain.EntityBranch:       "Branch",
	domain.EntityDepartment:   "Department",
	domain.EntityRegion:       "Region",
	domain.EntityBusinessUnit: "Business Unit",
	domain.EntityOther:        "Other",
}

func entityTypeLabel(t string) string {
	if l, ok := entityTypeLabels[t]; ok {
		return l
	}
	return entityTypeLabels[domain.EntityBranch]
}

func entityTypeOptions(selected string) []option {
	if selected == "" {
		selected = domain.EntityBranch
	}
	out := make([]option, 0, len(domain.EntityTypes))
	for _, t := range domain.EntityTypes {
		out = append(out, option{Value: t, Label: entityTypeLabels[t], Selected: t == selected})
	}
	return out
}

// entityPaths is every field path of an entity the form carries.
var entityPaths = func() map[string]bool {
	m := map[string]bool{"phone_region": true}
	for _, s := range webform.EntitySections {
		for _, f := range s.Fields {
			m[f.Path] = true
		}
	}
	return m
}()

// editorRefs maps the editor's field paths to its inputs.
var editorRefs = sectionRefs(webform.EntitySections, editorPrefix, "")

// newEntityDraft is an empty editor: an active branch.
func newEntityDraft() url.Values {
	return url.Values{"type": {domain.EntityBranch}, "is_active": {"on"}}
}

// entityBlank reports whether v holds nothing a person typed: the type, the
// toggle and the phone's country code have defaults and do not count.
func entityBlank(v url.Values) bool {
	for k, vals := range v {
		if k == "type" || k == "is_active" || k == "phone_region" {
			continue
		}
		for _, x := range vals {
			if strings.TrimSpace(x) != "" {
				return false
			}
		}
	}
	return true
}

// sameValues reports whether two sets of form values show the same thing.
func sameValues(a, b url.Values) bool { return a.Encode() == b.Encode() }

// entityPath splits "entities[3].location.city" into 3 and "location.city".
func entityPath(p string) (int, string, bool) {
	rest, ok := strings.CutPrefix(p, "entities[")
	if !ok {
		return 0, "", false
	}
	num, rel, ok := strings.Cut(rest, "].")
	if !ok || num == "" || len(num) > 4 {
		return 0, "", false
	}
	i, err := strconv.Atoi(num)
	if err != nil || i < 0 || strconv.Itoa(i) != num {
		return 0, "", false
	}
	return i, rel, true
}

// rowPrefix is the name prefix of the hidden fields of list row i.
func rowPrefix(i int) string { return "entities[" + strconv.Itoa(i) + "]." }

// rowEditID is the id of the Edit button of an entity row.
func rowEditID(key string) string { return "entity-" + key + "-edit" }

// wizard is the state the sidebar's form carries.
type wizard struct {
	edit     bool
	step     string
	customer url.Values
	// rows are the Add wizard's entities, in list order.
	rows []url.Values
	// draft is the entity editor; draftIndex the Add wizard's row it edits
	// (-1: a new entity); draftID and draftVersion the stored entity an
	// edit edits ("": a new entity).
	draft      url.Values
	draftIndex int
	// countryDefault is the country defaultCountry gave the editor (the
	// customer's, as it was), carried by the form.
	countryDefault string
	draftID        string
	draftVersion   int64
	// licenses are the License Allocation counts as typed, by type; in
	// edit mode only the types posted.
	licenses url.Values
	// seen is, in edit mode, the allocation the form showed when it was
	// opened (or after a conflict), by type; nil: the stored one.
	seen url.Values
	// logoNotes are the warnings of logos just taken, by kind; logoStatus
	// says what the last logo action did.
	logoNotes  map[string]string
	logoStatus string
}

// readWizard reads the posted sidebar form.
func readWizard(posted url.Values, edit bool) (*wizard, error) {
	wz := &wizard{edit: edit, step: webform.ValidStep(posted.Get("step")), customer: formValues(posted), draftIndex: -1}
	wz.draft = webform.Pick(posted, webform.EntitySections, editorPrefix)
	wz.countryDefault = posted.Get(editorPrefix + "country_default")
	wz.licenses = readCounts(posted, allocPrefix)
	if !edit {
		for t, v := range defaultAllocation() {
			if _, ok := wz.licenses[t]; !ok {
				wz.licenses[t] = v
			}
		}
	}
	if edit {
		if wz.seen = readCounts(posted, allocSeenPrefix); len(wz.seen) == 0 {
			wz.seen = nil
		}
		wz.draftID = strings.TrimSpace(posted.Get(editorPrefix + "id"))
		if wz.draftID != "" {
			ver, err := strconv.ParseInt(posted.Get(editorPrefix+"version"), 10, 64)
			if err != nil || ver < 1 {
				return nil, domain.Errorf(domain.EBadRequest, "The entity form is missing the entity's version; open the customer again.")
			}
			wz.draftVersion = ver
		}
		wz.defaultCountry()
		return wz, nil
	}
	byIndex := map[int]url.Values{}
	for k, vals := range posted {
		i, rel, ok := entityPath(k)
		if !ok || !entityPaths[rel] {
			continue
		}
		if i >= maxEntityRows {
			return nil, domain.Errorf(domain.EBadRequest, "At most %d entities can be added with a customer; add more afterwards.", domain.MaxEntitiesPerRequest)
		}
		row := byIndex[i]
		if row == nil {
			row = url.Values{}
			byIndex[i] = row
		}
		if len(vals) > 0 && vals[0] != "" {
			row.Set(rel, vals[0])
		}
	}
	idx := make([]int, 0, len(byIndex))
	for i := range byIndex {
		idx = append(idx, i)
	}
	slices.Sort(idx)
	for _, i := range idx {
		wz.rows = append(wz.rows, byIndex[i])
	}
	if s := posted.Get(editorPrefix + "index"); s != "" {
		i, err := strconv.Atoi(s)
		if err != nil || i < 0 || i >= len(wz.rows) {
			return nil, domain.Errorf(domain.EBadRequest, "The entity form names an entity that is not in the list; open Add Customer again.")
		}
		// Rows are renumbered in index order; find the row's new place.
		wz.draftIndex = slices.Index(idx, i)
		if wz.draftIndex < 0 {
			return nil, domain.Errorf(domain.EBadRequest, "The entity form names an entity that is not in the list; open Add Customer again.")
		}
	}
	wz.defaultCountry()
	return wz, nil
}

// resolveOp reads the button pressed. The Enter key presses the form's
// hidden first button ("enter"); it means what a person expects where they
// are: Save in the entity editor, Next before the Add wizard's last step,
// Submit otherwise.
func (wz *wizard) resolveOp(raw string) (op, arg string) {
	op, arg, _ = strings.Cut(raw, ":")
	if op == "enter" {
		switch {
		case wz.step == webform.Entities && !wz.draftBlank():
			return "entity_save", ""
		case wz.step != webform.LastStep && !wz.edit:
			return "step", webform.NextStep(wz.step)
		default:
			return "submit", ""
		}
	}
	if op == "" {
		op = "submit"
	}
	return op, arg
}

func (wz *wizard) clearDraft() {
	wz.draft, wz.draftIndex, wz.draftID, wz.draftVersion = newEntityDraft(), -1, "", 0
	wz.defaultCountry()
}

// defaultCountry starts a new entity, while nothing else is typed in it,
// in its customer's country: most of a customer's branches are where it
// is. The country it gave is carried (countryDefault), so that it follows
// the customer's when that changes, and so that a country the person
// picked themselves is kept.
func (wz *wizard) defaultCountry() {
	country := wz.customer.Get("location.country")
	if wz.draftIndex < 0 && wz.draftID == "" && entityBlank(withoutCountry(wz.draft)) {
		if c := wz.draft.Get("location.country"); c == "" || c == wz.countryDefault {
			if country != "" {
				wz.draft.Set("location.country", country)
			} else {
				wz.draft.Del("location.country")
			}
		}
	}
	wz.countryDefault = country
}

// withoutCountry is v without its location's country.
func withoutCountry(v url.Values) url.Values {
	out := cloneValues(v)
	out.Del("location.country")
	return out
}

// draftBlank reports whether the entity editor holds nothing a person
// typed: a country counts only when it is not the one defaultCountry gave.
func (wz *wizard) draftBlank() bool {
	if c := wz.draft.Get("location.country"); c != "" && c == wz.countryDefault {
		return entityBlank(withoutCountry(wz.draft))
	}
	return entityBlank(wz.draft)
}

// sameAddress copies the customer's location block, as typed, into the
// entity editor (the rest of what was typed there stays).
func (wz *wizard) sameAddress(note *panelNote) {
	for _, s := range webform.EntitySections {
		for _, f := range s.Fields {
			if strings.HasPrefix(f.Path, "location.") {
				if v := wz.customer.Get(f.Path); v != "" {
					wz.draft.Set(f.Path, v)
				} else {
					wz.draft.Del(f.Path)
				}
			}
		}
	}
	note.status = "The customer's address was copied into the entity."
	note.focus = webform.ID(editorPrefix + "location.location_name")
}

// addDraftPending reports whether the Add wizard's editor holds input that
// is not in the list.
func (wz *wizard) addDraftPending() bool {
	if wz.draftIndex >= 0 {
		return !sameValues(wz.draft, wz.rows[wz.draftIndex])
	}
	return !wz.draftBlank()
}

// checkDraft validates the Add wizard's editor as the service will: the
// entity's own rules, and a name and code unique among the listed
// entities. Field paths are relative to the entity.
func (wz *wizard) checkDraft() error {
	e, fe := webform.EntityInput(wz.draft).Normalize("")
	for i, row := range wz.rows {
		if i == wz.draftIndex {
			continue
		}
		other := domain.Entity{Name: domain.CleanText(row.Get("name")), Code: domain.CleanText(row.Get("code"))}
		if e.Name != "" && !fe.Has("name") && other.NameKey() == e.NameKey() {
			fe.Add("name", domain.FieldTaken, "Entity "+strconv.Itoa(i+1)+" in the list already has this name.")
		}
		if e.Code != "" && !fe.Has("code") && other.CodeKey() == e.CodeKey() {
			fe.Add("code", domain.FieldTaken, "Entity "+strconv.Itoa(i+1)+" in the list already has this code.")
		}
	}
	return fe.Err()
}

// editorErrors shows an entity's field errors (paths relative to the
// entity) beside the editor's inputs; the summary names the entity by what
// was typed as its name.
func editorErrors(err error, draft url.Values) formErrors {
	who := "New entity"
	if name := domain.CleanText(draft.Get("name")); name != "" {
		who = "Entity “" + name + "”"
	}
	return formErrorsFrom(err, func(field string) (string, fieldRef, bool) {
		ref, ok := editorRefs[editorPrefix+field]
		ref.Label = who + " · " + ref.Label
		return editorPrefix + field, ref, ok
	})
}

// entityRow is one entity in the Entity Details list.
type entityRow struct {
	Key     string // Add: the row's index; edit: the entity's id
	Num     int    // 1-based position
	Name    string
	Code    string
	Type    string
	Place   string
	Active  bool
	Editing bool // open in the editor
	// Hidden are the Add wizard's fields of the entity, carried in the form.
	Hidden []hiddenField
	// Problems are the server's messages for an entity not open in the
	// editor.
	Problems []string
	// Confirm shows the question before an edit-mode delete.
	Confirm bool
	Version int64
}

// EditID is the id of the row's Edit button.
func (r entityRow) EditID() string { return rowEditID(r.Key) }

// hiddenField is an <input type=hidden>.
type hiddenField struct{ Name, Value string }

// entityEditor is the inline form that adds or edits one entity.
type entityEditor struct {
	// CountryDefault is the country the editor was started in (wizard's
	// countryDefault), posted back with it.
	CountryDefault string
	Editing        bool   // an entity of the list, not a new one
	Name           string // the name of the entity being edited
	Index          string // Add: the row being edited
	ID             string // edit: the entity being edited
	Version        int64
	Sections       []sectionView
}

// entityPanel is the Entity Details step.
type entityPanel struct {
	Edit   bool
	Rows   []entityRow
	Total  int64 // edit: every live entity, which may be more than Rows
	Editor entityEditor
	// Alert is an error about no field (a stale version, an entity that
	// is gone or in use, unsaved changes in the editor); AlertLinks lead
	// to where it is fixed.
	Alert      string
	AlertLinks []navLink
	// Conflict is the conflict view of a save of the editor's entity
	// refused because it changed meanwhile; drawn instead of Alert.
	Conflict *conflict
	// Status says what the last action did; the script announces it.
	Status string
	// Focus is the id of the element that has focus after the action.
	Focus string
}

// Cut reports whether the list shows fewer entities than there are.
func (p entityPanel) Cut() bool { return p.Total > int64(len(p.Rows)) }

// panelNote is what an entity action tells the panel.
type panelNote struct {
	alert, status, focus string
	links                []navLink        // beside the alert: where to fix it
	conflict             *conflict        // the editor's entity changed meanwhile
	confirm              string           // edit: the entity whose delete is asked
	problems             map[int][]string // Add: messages of rows not in the editor
}

// navLink is a link the page offers.
type navLink struct{ Href, Label string }

// place is "City, Country" of a location.
func place(l domain.Location) string {
	var parts []string
	if l.City != "" {
		parts = append(parts, l.City)
	}
	if n := domain.CountryName(l.Country); n != "" {
		parts = append(parts, n)
	} else if l.Country != "" {
		parts = append(parts, l.Country)
	}
	return strings.Join(parts, ", ")
}

// addForm builds the sidebar of an Add wizard; pool is the organization's
// licenses by type, for the License Allocation step.
func (h *Handler) addForm(ctx context.Context, wz *wizard, errs formErrors, note panelNote) (*customerForm, error) {
	pool, err := h.orgPool(ctx)
	if err != nil {
		return nil, err
	}
	f := &customerForm{Action: "/customers/new", Title: "Add Customer", Step: wz.step, Steps: customerSteps(wz.step),
		Values: wz.customer, Errors: errs}
	if f.Settings, err = buildSettings(ctx, h, false, nil, wz.customer, errs, wz.logoNotes); err != nil {
		return nil, err
	}
	f.Settings.Status = wz.logoStatus
	f.Licenses = buildLicensePanel(false, wz.licenses, errs, pool, nil)
	p := entityPanel{Alert: note.alert, Status: note.status, Focus: note.focus}
	for i, row := range wz.rows {
		in := webform.EntityInput(row)
		r := entityRow{Key: strconv.Itoa(i), Num: i + 1, Name: domain.CleanText(in.Name), Code: domain.CleanText(in.Code),
			Type: entityTypeLabel(in.Type), Active: *in.IsActive, Editing: i == wz.draftIndex, Problems: note.problems[i]}
		loc, _ := in.Location.Normalize()
		r.Place = place(loc)
		keys := make([]string, 0, len(row))
		for k := range row {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			r.Hidden = append(r.Hidden, hiddenField{Name: rowPrefix(i) + k, Value: row.Get(k)})
		}
		p.Rows = append(p.Rows, r)
	}
	p.Total = int64(len(p.Rows))
	p.Editor = entityEditor{Sections: buildSections(webform.EntitySections, editorPrefix, wz.draft, errs, ""), CountryDefault: wz.countryDefault}
	if wz.draftIndex >= 0 {
		p.Editor.Editing = true
		p.Editor.Index = strconv.Itoa(wz.draftIndex)
		p.Editor.Name = p.Rows[wz.draftIndex].Name
	}
	f.Entities = p
	f.finish()
	return f, nil
}

// editForm builds the sidebar of an edit: the customer's entities are read
// from the service.
func (h *Handler) editForm(ctx context.Context, c domain.Customer, version int64, wz *wizard, errs formErrors, note panelNote) (*customerForm, error) {
	f := &customerForm{Edit: true, Action: "/customers/" + url.PathEscape(c.ID) + "/edit", ID: c.ID, Version: version,
		Title: "Edit Customer", Step: wz.step, Steps: customerSteps(wz.step), Values: wz.customer, Errors: errs}
	page, err := h.svc.entities.ListEntities(ctx, c.ID, domain.EntityFilter{Limit: domain.MaxPageSize})
	if err != nil {
		return nil, err
	}
	stored, err := h.svc.customers.CustomerLicenses(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	pool, err := h.orgPool(ctx)
	if err != nil {
		return nil, err
	}
	used := map[string]domain.CustomerLicense{}
	for _, l := range stored {
		used[l.Type] = l
	}
	alloc := allocationValues(stored)
	f.Dirty = !sameValues(wz.customer, customerValues(c.Input())) || len(changedAllocation(wz.licenses, stored)) > 0
	for t := range wz.licenses {
		alloc.Set(t, wz.licenses.Get(t))
	}
	f.Licenses = buildLicensePanel(true, alloc, errs, pool, used)
	shown := allocationValues(stored)
	for t := range wz.seen {
		shown.Set(t, wz.seen.Get(t))
	}
	for i := range f.Licenses.Groups {
		for j := range f.Licenses.Groups[i].Fields {
			lf := &f.Licenses.Groups[i].Fields[j]
			lf.Seen, lf.SeenName = shown.Get(lf.Type), allocSeenPrefix+lf.Type
		}
	}
	if f.Settings, err = buildSettings(ctx, h, true, &c, wz.customer, errs, wz.logoNotes); err != nil {
		return nil, err
	}
	f.Settings.Status = wz.logoStatus
	p := entityPanel{Edit: true, Total: page.Total, Alert: note.alert, AlertLinks: note.links, Status: note.status, Focus: note.focus,
		Conflict: note.conflict}
	for i, e := range page.Items {
		p.Rows = append(p.Rows, entityRow{Key: e.ID, Num: i + 1, Name: e.Name, Code: e.Code, Type: entityTypeLabel(e.Type),
			Place: place(e.Location), Active: e.IsActive, Editing: e.ID == wz.draftID, Confirm: e.ID == note.confirm,
			Version: e.Version})
		if e.ID == wz.draftID {
			p.Editor.Name = e.Name
		}
	}
	p.Editor.Sections = buildSections(webform.EntitySections, editorPrefix, wz.draft, errs, "")
	p.Editor.CountryDefault = wz.countryDefault
	if wz.draftID != "" {
		p.Editor.Editing, p.Editor.ID, p.Editor.Version = true, wz.draftID, wz.draftVersion
		if p.Editor.Name == "" {
			p.Editor.Name = domain.CleanText(wz.draft.Get("name"))
		}
	}
	f.Entities = p
	f.finish()
	return f, nil
}

// finish decides what has focus when the sidebar shows: on Customer
// Details the first invalid field, or the first field when there is no
// alert to read first; on Entity Details the first invalid field of the
// editor, else what the last action named, else the editor's first field;
// on License Allocation the first invalid count, else the first count.
func (f *customerForm) finish() {
	if f.Step == webform.Licenses {
		f.Focus = firstInvalidLicense(f.Errors)
		if f.Focus == "" && !f.Errors.Any() {
			f.Focus = webform.ID(allocPrefix + domain.LicenseTypes[0])
		}
		for i := range f.Licenses.Groups {
			for j := range f.Licenses.Groups[i].Fields {
				lf := &f.Licenses.Groups[i].Fields[j]
				lf.Autofocus = lf.ID == f.Focus
			}
		}
		return
	}
	if f.Step == webform.Entities {
		f.Focus = firstInvalid(webform.EntitySections, editorPrefix, f.Errors)
		if f.Focus == "" {
			f.Focus = f.Entities.Focus
		}
		if f.Focus == "" && f.Entities.Alert == "" {
			f.Focus = webform.ID(editorPrefix + "name")
		}
	} else {
		f.Focus = f.FirstInvalid()
		if f.Focus == "" && !f.Errors.Any() {
			f.Focus = webform.ID("name")
		}
	}
	f.Entities.Focus = f.Focus
	// Only inputs carry autofocus (for pages shown without the script);
	// the script reads the panel's data-focus.
	for i := range f.Entities.Editor.Sections {
		for j := range f.Entities.Editor.Sections[i].Fields {
			fv := &f.Entities.Editor.Sections[i].Fields[j]
			fv.Autofocus = f.Step == webform.Entities && fv.ID == f.Focus
		}
	}
}

// openForm renders the customer page with the sidebar just opened over it;
// a list that cannot be read (MSP mode off) fails the page.
func (h *Handler) openForm(w http.ResponseWriter, r *http.Request, title string, form *customerForm) error {
	v, err := h.listView(r, title, listState{})
	if err != nil {
		return err
	}
	v.Form = form
	h.render(w, r, http.StatusOK, "customers", v)
	return nil
}

// showForm renders the customer page with the sidebar open over it, after
// a button of the form was pressed.
func (h *Handler) showForm(w http.ResponseWriter, r *http.Request, status int, title string, form *customerForm) error {
	v, lerr := h.listView(r, title, listState{})
	if lerr != nil {
		if domainErr(lerr) == nil {
			return lerr
		}
		// The list behind is not essential (MSP mode was just turned off,
		// say): show the form with its alert over an empty page.
		v = customersView{Shell: h.shell(r, "customers", title)}
	}
	v.Form = form
	h.render(w, r, status, "customers", v)
	return nil
}

// wizardStep moves to another step. Going on from Customer Details or
// Settings checks the customer's fields on the server as Submit will
// (formats, the name and code against the live customers, the pin code
// against the country, the admin role and the catalog keys; exceptID is
// the customer an edit edits); a refusal stays on the first step with a
// problem.
func (h *Handler) wizardStep(ctx context.Context, wz *wizard, target, exceptID string) (formErrors, int, error) {
	target = webform.ValidStep(target)
	forward := webform.StepIndex(target) > webform.StepIndex(wz.step)
	if forward && (wz.step == webform.Details || wz.step == webform.Settings) {
		err := h.svc.customers.CheckCustomer(ctx, customerInput(wz.customer), exceptID)
		if de := domainErr(err); de != nil && de.Code == domain.EInvalid {
			wz.step = webform.Settings
			for _, f := range de.Fields {
				if !isSettingsField(f.Field) {
					wz.step = webform.Details
				}
			}
			return formErrorsFrom(err, customerFieldRef), http.StatusUnprocessableEntity, nil
		} else if err != nil {
			return formErrors{}, 0, err
		}
	}
	wz.step = target
	return formErrors{}, http.StatusOK, nil
}

// customerFieldRef resolves a field path of the customer's errors to its
// input on Customer Details or Settings.
func customerFieldRef(field string) (string, fieldRef, bool) {
	if isSettingsField(field) {
		return settingsRef(field)
	}
	ref, ok := customerRefs[field]
	return field, ref, ok
}

// checkAnswer is what the script's Next asks of the server (header
// X-Custreg-Check): whether the step passes, and the messages by input.
type checkAnswer struct {
	OK     bool         `json:"ok"`
	Step   string       `json:"step"`
	Errors []checkError `json:"errors,omitempty"`
}

type checkError struct {
	ID      string `json:"id"`
	Label   string `json:"label"`
	Message string `json:"message"`
}

func writeCheck(w http.ResponseWriter, step string, errs formErrors) error {
	a := checkAnswer{OK: !errs.Any(), Step: step}
	for _, it := range errs.Summary {
		a.Errors = append(a.Errors, checkError{ID: it.ID, Label: it.Label, Message: it.Message})
	}
	if errs.Alert != "" {
		a.Errors = append(a.Errors, checkError{Message: errs.Alert})
	}
	body, err := json.Marshal(a)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	if !a.OK {
		w.WriteHeader(http.StatusUnprocessableEntity)
	}
	_, _ = w.Write(body)
	return nil
}

// rowArg reads the row index an Add-wizard action names.
func (wz *wizard) rowArg(arg string) (int, error) {
	i, err := strconv.Atoi(arg)
	if err != nil || i < 0 || i >= len(wz.rows) {
		return 0, domain.Errorf(domain.EBadRequest, "That entity is not in the list; open Add Customer again.")
	}
	return i, nil
}

// addEntityAction runs an entity action of the Add wizard: nothing is
// stored until Submit, so these only change what the form carries.
func addEntityAction(wz *wizard, op, arg string) (formErrors, panelNote, int, error) {
	var note panelNote
	wz.step = webform.Entities
	switch op {
	case "entity_save":
		if err := wz.checkDraft(); err != nil {
			return editorErrors(err, wz.draft), note, http.StatusUnprocessableEntity, nil
		}
		name := domain.CleanText(wz.draft.Get("name"))
		if wz.draftIndex >= 0 {
			wz.rows[wz.draftIndex] = wz.draft
			note.status = "Entity “" + name + "” was updated in the list."
		} else {
			wz.rows = append(wz.rows, wz.draft)
			note.status = "Entity “" + name + "” was added to the list. It is created when you submit the customer."
		}
		wz.clearDraft()
	case "entity_edit":
		i, err := wz.rowArg(arg)
		if err != nil {
			return formErrors{}, note, 0, err
		}
		if i == wz.draftIndex {
			break
		}
		if wz.addDraftPending() {
			note.alert = "Save or cancel the entity in the form below before you edit another one."
			return formErrors{}, note, http.StatusConflict, nil
		}
		wz.draft = cloneValues(wz.rows[i])
		wz.draftIndex = i
		note.status = "Editing entity “" + domain.CleanText(wz.draft.Get("name")) + "”."
	case "entity_remove":
		i, err := wz.rowArg(arg)
		if err != nil {
			return formErrors{}, note, 0, err
		}
		name := domain.CleanText(wz.rows[i].Get("name"))
		wz.rows = slices.Delete(wz.rows, i, i+1)
		switch {
		case wz.draftIndex == i:
			wz.clearDraft()
		case wz.draftIndex > i:
			wz.draftIndex--
		}
		note.status = "Entity “" + name + "” was removed from the list."
		switch {
		case i < len(wz.rows):
			note.focus = rowEditID(strconv.Itoa(i))
		case len(wz.rows) > 0:
			note.focus = rowEditID(strconv.Itoa(len(wz.rows) - 1))
		}
	case "entity_cancel":
		wz.clearDraft()
	case "entity_same_address":
		wz.sameAddress(&note)
	default:
		return formErrors{}, note, 0, domain.Errorf(domain.EBadRequest, "Unknown action %q.", op)
	}
	return formErrors{}, note, http.StatusOK, nil
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vals := range v {
		out[k] = slices.Clone(vals)
	}
	return out
}

// submitErrors shows the service's refusal of an Add wizard: customer
// fields beside their inputs, the first entity with a problem open in the
// editor with its messages beside its inputs, and the other entities'
// messages in their rows. It returns the step to show: the first with a
// problem.
func (wz *wizard) submitErrors(err error) (formErrors, panelNote) {
	var note panelNote
	err = excessAsField(err, allocPrefix)
	de := domainErr(err)
	first, customerBad, settingsBad, licenseBad := -1, false, false, false
	if de != nil {
		for _, fe := range de.Fields {
			if i, _, ok := entityPath(fe.Field); ok && i < len(wz.rows) {
				if first < 0 || i < first {
					first = i
				}
			} else if _, ok := licenseTypeOf(fe.Field, allocPrefix); ok && strings.HasPrefix(fe.Field, allocPrefix) {
				licenseBad = true
			} else if isSettingsField(fe.Field) {
				settingsBad = true
			} else {
				customerBad = true
			}
		}
	}
	if first >= 0 {
		wz.draft, wz.draftIndex = cloneValues(wz.rows[first]), first
	}
	switch {
	case customerBad || (first < 0 && !licenseBad && !settingsBad):
		wz.step = webform.Details
	case first >= 0:
		wz.step = webform.Entities
	case settingsBad:
		wz.step = webform.Settings
	default:
		wz.step = webform.Licenses
	}
	note.problems = map[int][]string{}
	errs := formErrorsFrom(err, func(field string) (string, fieldRef, bool) {
		if t, ok := licenseTypeOf(field, allocPrefix); ok && strings.HasPrefix(field, allocPrefix) {
			return field, allocRef(t), true
		}
		if isSettingsField(field) {
			return settingsRef(field)
		}
		i, rel, ok := entityPath(field)
		if !ok || i >= len(wz.rows) {
			ref, ok := customerRefs[field]
			return field, ref, ok
		}
		label := webform.Label(webform.EntitySections, rel)
		name := domain.CleanText(wz.rows[i].Get("name"))
		who := "Entity " + strconv.Itoa(i+1)
		if name != "" {
			who += " “" + name + "”"
		}
		if i == first {
			return editorPrefix + rel, fieldRef{ID: webform.ID(editorPrefix + rel), Label: who + " · " + label}, true
		}
		return "", fieldRef{ID: rowEditID(strconv.Itoa(i)), Label: who + " · " + label}, true
	})
	if de != nil {
		for _, fe := range de.Fields {
			if i, rel, ok := entityPath(fe.Field); ok && i < len(wz.rows) && i != first {
				note.problems[i] = append(note.problems[i], webform.Label(webform.EntitySections, rel)+": "+fe.Message)
			}
		}
	}
	return errs, note
}

// entityInputs returns the Add wizard's entities for the service, with an
// entity still in the editor taken as saved: Submit creates everything the
// person typed.
func (wz *wizard) entityInputs() []domain.EntityInput {
	if wz.addDraftPending() {
		if wz.draftIndex >= 0 {
			wz.rows[wz.draftIndex] = wz.draft
		} else {
			wz.rows = append(wz.rows, wz.draft)
		}
	}
	wz.clearDraft()
	wz.rows = slices.DeleteFunc(wz.rows, entityBlank)
	out := make([]domain.EntityInput, len(wz.rows))
	for i, row := range wz.rows {
		out[i] = webform.EntityInput(row)
	}
	return out
}
