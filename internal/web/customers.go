package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/listquery"
	"github.com/custreg/custreg/internal/service"
	"github.com/custreg/custreg/internal/web/webform"
)

// customersView is the Customer Registration page, with the sidebar or the
// delete dialog open over it when Form or Delete is set.
type customersView struct {
	Shell
	Cards   []cardView
	Total   int64
	Count   string // "128 customers", or "1000+ customers" for a lower bound
	NextURL string // "load more": the next page's URL, "" on the last page
	Paged   bool   // showing a page after the first
	CanEdit bool
	Form    *customerForm
	Delete  *deleteView
	// Licenses is the license sidebar open over the list.
	Licenses *licenseSidebar
	// CanLicenses offers each card's Customer License control.
	CanLicenses bool
	// CanAssets and CanUsers make a card's figures links to the
	// customer's filtered lists.
	CanAssets, CanUsers bool

	// The list's query (list.go).
	URL         string // the canonical URL of this view
	FirstURL    string // the first page of this view
	Search      string
	SortOptions []option
	Chips       []chipView
	Rows        []filterRow
	BlankRow    filterRow
	Advanced    string // a filter tree the panel cannot edit, as JSON
	CondCount   int
	Filtered    bool
	ClearURL    string
	// QueryError says why the query could not be used (a 400).
	QueryError string
}

// cardView is one customer card.
type cardView struct {
	ID, Name, Code string
	Active         bool
	Domain         string
	Place          string // "New York, United States"
	Entities       int64
	Assets, Users  int64
}

// deleteView is the delete confirmation dialog.
type deleteView struct {
	ID, Name, Code string
	Version        int64
	Typed          string
	Error          string // beside the code input
	Alert          string // an error that is not about the typed code
	// Goes says what goes with the customer ("2 entities", ...), Returned
	// the allocation returned to the pool ("Users 5", ...).
	Goes, Returned []string
}

// withImpact fills in what deleting the customer takes with it.
func (h *Handler) withImpact(ctx context.Context, d *deleteView) error {
	imp, err := h.svc.customers.DeletePreview(ctx, d.ID)
	if err != nil {
		return err
	}
	d.Goes = []string{pluralize(imp.Entities, "entity", "entities"),
		pluralize(imp.Users, "user", "users") + ", who can no longer sign in",
		pluralize(imp.Assets, "asset", "assets")}
	for _, l := range imp.Returned {
		d.Returned = append(d.Returned, licenseLabels[l.Type]+" "+figure(l.Allocated))
	}
	return nil
}

// listView loads the customer list of s for the page. The sidebar and the
// dialog are drawn over the first page of the plain list.
func (h *Handler) listView(r *http.Request, title string, s listState) (customersView, error) {
	v := customersView{Shell: h.shell(r, "customers", title)}
	if p, ok := domain.PrincipalFrom(r.Context()); ok {
		v.CanEdit = allows(p, "UpdateCustomerWithLicenses")
		v.CanLicenses = can(p, "licenses", "view")
		v.CanAssets, v.CanUsers = allows(p, "ListAssets"), allows(p, "ListUsers")
	}
	v.listControls(s)
	first := s
	first.Cursor = nil
	v.FirstURL = first.url()
	v.Paged = s.Cursor != nil
	page, err := h.svc.customers.ListCustomers(r.Context(), s.query().Filter())
	if err != nil {
		return v, err
	}
	v.Total = page.Total
	v.Count = countLabel(page.Total, page.TotalExact, "customer", "customers")
	for _, c := range page.Items {
		v.Cards = append(v.Cards, cardView{ID: c.ID, Name: c.Name, Code: c.Code, Active: c.IsActive, Domain: c.Domain,
			Place: place(c.Location), Entities: c.EntitiesCount,
			Assets: c.AssetsCount, Users: c.UsersCount})
	}
	if page.Next != nil {
		next := s.query().Values()
		next.Set("cursor", *listquery.EncodeCursor(string(s.Sort), page.Next))
		if s.Limit != 0 {
			next.Set("limit", strconv.Itoa(s.Limit))
		}
		v.NextURL = "/customers?" + next.Encode()
	}
	return v, nil
}

// fragmentHeader asks for the list's results alone (the script's search
// and filter), not the whole page.
const fragmentHeader = "X-Custreg-Fragment"

func (h *Handler) customers(w http.ResponseWriter, r *http.Request) error {
	if p := principalOf(r); p.CustomerID != "" {
		// A customer's people have one customer: theirs.
		return seeOther(w, r, "/customers/"+url.PathEscape(p.CustomerID))
	}
	w.Header().Set("Vary", fragmentHeader)
	vals := r.URL.Query()
	if isBuilderForm(vals) {
		s, err := builderState(vals)
		if err == nil {
			return seeOther(w, r, s.url())
		}
		return h.badListQuery(w, r, err, listState{Q: domain.CleanText(vals.Get("q"))})
	}
	q, err := listquery.Parse(vals)
	if err != nil {
		return h.badListQuery(w, r, err, listState{})
	}
	v, err := h.listView(r, "Customers", stateOf(q))
	if err != nil {
		return h.badListQuery(w, r, err, listState{})
	}
	v.Flash = takeFlash(w, r)
	if v.Flash != "" && allows(principalOf(r), "RestoreCustomer") {
		v.Undo = takeUndo(w, r)
	}
	h.renderList(w, r, http.StatusOK, v)
	return nil
}

// badListQuery shows the page with a message that says why the query could
// not be used (400), or fails for any other error.
func (h *Handler) badListQuery(w http.ResponseWriter, r *http.Request, err error, s listState) error {
	de := domainErr(err)
	if de == nil || de.Code != domain.EBadRequest {
		return err
	}
	v := customersView{Shell: h.shell(r, "customers", "Customers")}
	if p, ok := domain.PrincipalFrom(r.Context()); ok {
		v.CanEdit = allows(p, "UpdateCustomerWithLicenses")
	}
	v.listControls(s)
	v.FirstURL = "/customers"
	v.QueryError = de.Message
	h.renderList(w, r, http.StatusBadRequest, v)
	return nil
}

// renderList renders the page, or only its results for the script.
func (h *Handler) renderList(w http.ResponseWriter, r *http.Request, status int, v customersView) {
	if r.Header.Get(fragmentHeader) == "results" {
		h.renderTemplate(w, r, status, "customers", "customer-fragment", v)
		return
	}
	h.render(w, r, status, "customers", v)
}

// requireUseCase refuses a page that runs use case name to a caller whose
// role the use case's declared need (service.UseCases) does not allow: the
// table the service enforces, so the UI refuses exactly what the API does.
func requireUseCase(r *http.Request, name string) error {
	if !allows(principalOf(r), name) {
		return domain.Errorf(domain.EForbidden, "Your role does not allow this.")
	}
	return nil
}

// allows reports whether the caller's role meets use case name's need.
func allows(p domain.Principal, name string) bool { return service.NeedOf(name).Allows(p) }

// requireAdminFor refuses the pages that change customer id to a caller the
// use case does not allow: 404 when the customer is hidden from them,
// since they must not learn that it exists, else 403.
func (h *Handler) requireAdminFor(r *http.Request, id, useCase string) error {
	err := requireUseCase(r, useCase)
	if err == nil {
		return nil
	}
	if _, cerr := h.svc.customers.Customer(r.Context(), id); cerr != nil {
		return cerr
	}
	return err
}

func (h *Handler) newCustomer(w http.ResponseWriter, r *http.Request) error {
	if err := requireUseCase(r, "RegisterCustomer"); err != nil {
		return err
	}
	wz := &wizard{step: webform.Details, customer: url.Values{"is_active": {"on"}}, licenses: defaultAllocation()}
	setSettings(wz.customer, domain.CustomerInput{})
	wz.clearDraft()
	form, err := h.addForm(r.Context(), wz, formErrors{}, panelNote{})
	if err != nil {
		return err
	}
	return h.openForm(w, r, "Add Customer", form)
}

// createCustomer answers every button of the Add wizard: moving between
// steps, the entity actions and the logo actions re-render it with all it
// carries; Submit creates the customer with its entities, logos and
// license allocation in one request.
func (h *Handler) createCustomer(w http.ResponseWriter, r *http.Request) error {
	if err := requireUseCase(r, "RegisterCustomer"); err != nil {
		return err
	}
	files, err := parseWizardForm(w, r, maxWizardBytes)
	if err != nil {
		return err
	}
	wz, err := readWizard(r.PostForm, false)
	if err != nil {
		return err
	}
	ctx := r.Context()
	show := func(status int, errs formErrors, note panelNote) error {
		form, err := h.addForm(ctx, wz, errs, note)
		if err != nil {
			return err
		}
		form.Dirty = true
		return h.showForm(w, r, status, "Add Customer", form)
	}
	op, arg := wz.resolveOp(r.PostFormValue("op"))
	lr, err := h.takeLogos(ctx, wz, nil, files, op, arg)
	if err != nil {
		return err
	}
	wz.logoNotes, wz.logoStatus = lr.notes, lr.status
	if len(lr.fields) > 0 || op == "logo_remove" {
		wz.step = webform.Settings
		if err := lr.fields.Err(); err != nil {
			return show(http.StatusUnprocessableEntity, formErrorsFrom(err, settingsRef), panelNote{})
		}
		return show(http.StatusOK, formErrors{}, panelNote{})
	}
	switch {
	case op == "step":
		errs, status, err := h.wizardStep(ctx, wz, arg, "")
		if err != nil {
			return err
		}
		if r.Header.Get("X-Custreg-Check") != "" {
			return writeCheck(w, wz.step, errs)
		}
		return show(status, errs, panelNote{})
	case strings.HasPrefix(op, "entity_"):
		errs, note, status, err := addEntityAction(wz, op, arg)
		if err != nil {
			return err
		}
		return show(status, errs, note)
	}
	entities := wz.entityInputs()
	var logos []service.LogoFile
	for _, kind := range domain.LogoKinds {
		if id := wz.customer.Get(draftField(kind)); id != "" {
			logos = append(logos, service.LogoFile{Kind: kind, DraftID: id})
		}
	}
	c, err := h.svc.customers.RegisterCustomer(ctx, service.NewCustomer{Customer: customerInput(wz.customer), Entities: entities,
		Licenses: allocationCounts(wz.licenses), Logos: logos})
	if err == nil {
		msg := "Customer “" + c.Name + "” (" + c.Code + ") was added"
		if n := len(entities); n > 0 {
			msg += " with " + pluralize(int64(n), "entity", "entities")
		}
		setFlash(w, msg+".")
		return seeOther(w, r, "/customers")
	}
	status, ferr := formStatus(err)
	if ferr != nil {
		return ferr
	}
	errs, note := wz.submitErrors(err)
	return show(status, errs, note)
}

// formStatus sorts the service's refusal of a form: 422 for bad fields, 409
// for a conflict, a stale version or MSP mode turned off (shown as an
// alert in the form). Any other error is returned for fail to show.
func formStatus(err error) (int, error) {
	de := domainErr(err)
	switch {
	case de == nil:
		return 0, err
	case de.Code == domain.EInvalid:
		return http.StatusUnprocessableEntity, nil
	case de.Code == domain.EPrecondition, de.Code == domain.EConflict,
		de.Code == domain.ENotFound && de.Type == "msp-disabled":
		return http.StatusConflict, nil
	}
	return 0, err
}

func (h *Handler) editCustomer(w http.ResponseWriter, r *http.Request) error {
	if err := h.requireAdminFor(r, r.PathValue("id"), "UpdateCustomerWithLicenses"); err != nil {
		return err
	}
	c, err := h.svc.customers.Customer(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	wz := &wizard{edit: true, step: webform.ValidStep(r.URL.Query().Get("step")), customer: customerValues(c.Input()), licenses: url.Values{}}
	wz.clearDraft()
	form, err := h.editForm(r.Context(), c, c.Version, wz, formErrors{}, panelNote{})
	if err != nil {
		return err
	}
	return h.openForm(w, r, "Edit Customer "+c.Name, form)
}

// updateCustomer answers every button of the sidebar in edit mode: Submit
// saves the customer's details; the entity actions change the customer's
// entities at once, each its own request to the service, and show the
// sidebar again with the customer's details as typed.
func (h *Handler) updateCustomer(w http.ResponseWriter, r *http.Request) error {
	files, err := parseWizardForm(w, r, maxFormBytes)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	if err := h.requireAdminFor(r, id, "UpdateCustomerWithLicenses"); err != nil {
		return err
	}
	version, err := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if err != nil || version < 1 {
		return domain.Errorf(domain.EBadRequest, "The form is missing the customer's version; open the customer again.")
	}
	wz, err := readWizard(r.PostForm, true)
	if err != nil {
		return err
	}
	op, arg := wz.resolveOp(r.PostFormValue("op"))
	if len(files) > 0 || op == "logo_remove" {
		// A logo chosen or removed in edit mode is stored at once, like
		// an entity action; the rest of the form is kept as typed.
		c, err := h.svc.customers.Customer(r.Context(), id)
		if err != nil {
			return err
		}
		lr, err := h.takeLogos(r.Context(), wz, &c, files, op, arg)
		if err != nil {
			return err
		}
		wz.logoNotes, wz.logoStatus = lr.notes, lr.status
		if len(lr.fields) > 0 || op == "logo_remove" {
			if c, err = h.svc.customers.Customer(r.Context(), id); err != nil {
				return err
			}
			wz.step = webform.Settings
			status, errs := http.StatusOK, formErrors{}
			if err := lr.fields.Err(); err != nil {
				status, errs = http.StatusUnprocessableEntity, formErrorsFrom(err, settingsRef)
			}
			form, err := h.editForm(r.Context(), c, version, wz, errs, panelNote{})
			if err != nil {
				return err
			}
			return h.showForm(w, r, status, "Edit Customer "+c.Name, form)
		}
	}
	if op == "submit" {
		return h.saveCustomer(w, r, id, version, wz)
	}
	if err := requireUseCase(r, "UpdateCustomerWithLicenses"); err != nil {
		return err
	}
	c, err := h.svc.customers.Customer(r.Context(), id)
	if err != nil {
		return err
	}
	var (
		errs   formErrors
		note   panelNote
		status = http.StatusOK
	)
	if op == "step" {
		if errs, status, err = h.wizardStep(r.Context(), wz, arg, id); err != nil {
			return err
		}
		if r.Header.Get("X-Custreg-Check") != "" {
			return writeCheck(w, wz.step, errs)
		}
	} else {
		errs, note, status, err = h.editEntityAction(r.Context(), c, wz, op, arg)
		if err != nil {
			return err
		}
	}
	form, err := h.editForm(r.Context(), c, version, wz, errs, note)
	if err != nil {
		return err
	}
	return h.showForm(w, r, status, "Edit Customer "+c.Name, form)
}

// saveCustomer is the edit's Submit.
func (h *Handler) saveCustomer(w http.ResponseWriter, r *http.Request, id string, version int64, wz *wizard) error {
	ctx := r.Context()
	var errs formErrors
	var note panelNote
	status := 0
	pending, err := h.editDraftPending(ctx, id, wz)
	switch {
	case err != nil:
		return err
	case pending:
		// The entity in the editor would be lost; ask for it first
		// rather than save half of what was typed.
		wz.step = webform.Entities
		note.alert = "Save or cancel the entity in the form below before you submit the customer."
		status = http.StatusConflict
	default:
		stored, err := h.svc.customers.CustomerLicenses(ctx, id)
		if err != nil {
			return err
		}
		changed := changedAllocation(wz.licenses, stored)
		posted := customerInput(wz.customer)
		// The details and the allocation are saved in one transaction: a
		// refusal of either changes nothing.
		c, err := h.svc.customers.UpdateCustomerWithLicensesSeen(ctx, id, version, func(domain.CustomerInput) (domain.CustomerInput, error) {
			// The form shows every writable field, so what was posted is
			// the whole new state.
			return posted, nil
		}, changed, seenCounts(wz.seen))
		if err == nil {
			msg := "Customer “" + c.Name + "” (" + c.Code + ") was saved"
			if len(changed) > 0 {
				msg += " with its new license allocation"
			}
			setFlash(w, msg+".")
			return seeOther(w, r, "/customers")
		}
		var ferr error
		if status, ferr = formStatus(err); ferr != nil {
			return ferr
		}
		step := wz.step
		errs, note = wz.submitErrors(err)
		if domain.ErrorCode(err) == domain.EPrecondition {
			wz.step = step // the alert is above every step: stay where the person was
			now, err := h.svc.customers.Customer(ctx, id)
			if err != nil {
				return err
			}
			// The form now carries the stored version and allocation, so
			// Save again replaces them with what was typed.
			version, wz.seen = now.Version, nil
			if errs, err = h.customerConflict(ctx, now, wz); err != nil {
				return err
			}
			note = panelNote{}
		}
	}
	c, err := h.svc.customers.Customer(ctx, id)
	if err != nil {
		if domainErr(err) != nil && errs.Any() {
			// Gone or hidden since (MSP mode turned off): the alert says why.
			form := &customerForm{Edit: true, Action: "/customers/" + url.PathEscape(id) + "/edit", ID: id, Version: version,
				Title: "Edit Customer", Step: webform.Details, Steps: customerSteps(webform.Details), Values: wz.customer, Errors: errs, Dirty: true}
			form.Entities.Edit = true
			form.Entities.Editor.Sections = buildSections(webform.EntitySections, editorPrefix, wz.draft, formErrors{}, "")
			form.finish()
			return h.showForm(w, r, status, "Edit Customer", form)
		}
		return err
	}
	form, err := h.editForm(ctx, c, version, wz, errs, note)
	if err != nil {
		return err
	}
	form.Dirty = true
	return h.showForm(w, r, status, "Edit Customer", form)
}

// editDraftPending reports whether the edit's entity editor holds changes
// that are not stored: a new entity with anything typed, or a stored one
// that differs from what was typed.
func (h *Handler) editDraftPending(ctx context.Context, customerID string, wz *wizard) (bool, error) {
	if wz.draftID == "" {
		return !wz.draftBlank(), nil
	}
	e, err := h.svc.entities.Entity(ctx, customerID, wz.draftID)
	if domain.ErrorCode(err) == domain.ENotFound {
		return !wz.draftBlank(), nil
	}
	if err != nil {
		return false, err
	}
	return !sameValues(wz.draft, webform.EntityValues(e.Input())), nil
}

// editEntityAction runs an entity action of the edit: each is its own
// request to the service, carrying the entity's version.
func (h *Handler) editEntityAction(ctx context.Context, c domain.Customer, wz *wizard, op, arg string) (formErrors, panelNote, int, error) {
	var note panelNote
	wz.step = webform.Entities
	gone := "That entity no longer exists: someone else may have deleted it."
	switch op {
	case "entity_save":
		in := webform.EntityInput(wz.draft)
		var e domain.Entity
		var err error
		if wz.draftID == "" {
			e, err = h.svc.entities.CreateEntity(ctx, c.ID, in)
		} else {
			e, err = h.svc.entities.UpdateEntity(ctx, c.ID, wz.draftID, wz.draftVersion, func(domain.EntityInput) (domain.EntityInput, error) {
				return in, nil
			})
		}
		switch domain.ErrorCode(err) {
		case "":
			if wz.draftID == "" {
				note.status = "Entity “" + e.Name + "” was added."
			} else {
				note.status = "Entity “" + e.Name + "” was saved."
			}
			wz.clearDraft()
			return formErrors{}, note, http.StatusOK, nil
		case domain.EInvalid:
			return editorErrors(err, wz.draft), note, http.StatusUnprocessableEntity, nil
		case domain.EPrecondition:
			now, err := h.svc.entities.Entity(ctx, c.ID, wz.draftID)
			if err != nil {
				return formErrors{}, note, 0, err
			}
			// What was typed stays; the editor now carries the stored
			// version, so Save again replaces it.
			wz.draftVersion = now.Version
			note.conflict = newConflict("entity", now.UpdatedAt, "/customers/"+url.PathEscape(c.ID)+"/edit?step=entities",
				sectionConflicts(webform.EntitySections, map[string]map[string]string{"type": entityTypeLabels}), webform.EntityValues(now.Input()), wz.draft)
			note.conflict.ID = "entity-alert"
			note.alert = note.conflict.Message()
			note.focus = "entity-alert"
			return formErrors{}, note, http.StatusConflict, nil
		case domain.ENotFound:
			if _, cerr := h.svc.customers.Customer(ctx, c.ID); cerr != nil {
				return formErrors{}, note, 0, cerr
			}
			// What was typed stays; Save adds it as a new entity.
			wz.draftID, wz.draftVersion = "", 0
			note.alert = gone + " Save to add what you typed as a new entity, or Cancel."
			return formErrors{}, note, http.StatusConflict, nil
		}
		return formErrors{}, note, 0, err
	case "entity_edit":
		if arg == wz.draftID {
			return formErrors{}, note, http.StatusOK, nil
		}
		pending, err := h.editDraftPending(ctx, c.ID, wz)
		if err != nil {
			return formErrors{}, note, 0, err
		}
		if pending {
			note.alert = "Save or cancel the entity in the form below before you edit another one."
			return formErrors{}, note, http.StatusConflict, nil
		}
		e, err := h.svc.entities.Entity(ctx, c.ID, arg)
		if domain.ErrorCode(err) == domain.ENotFound {
			note.alert = gone
			return formErrors{}, note, http.StatusConflict, nil
		}
		if err != nil {
			return formErrors{}, note, 0, err
		}
		wz.draft, wz.draftID, wz.draftVersion = webform.EntityValues(e.Input()), e.ID, e.Version
		note.status = "Editing entity “" + e.Name + "”."
	case "entity_delete":
		// Without the script, Delete first asks here.
		note.confirm = arg
		note.focus = "entity-" + arg + "-keep"
	case "entity_delete_confirm":
		id, ver, _ := strings.Cut(arg, ":")
		version, err := strconv.ParseInt(ver, 10, 64)
		if err != nil || version < 1 {
			return formErrors{}, note, 0, domain.Errorf(domain.EBadRequest, "The delete button is missing the entity's version; open the customer again.")
		}
		e, err := h.svc.entities.Entity(ctx, c.ID, id)
		if err == nil {
			err = h.svc.entities.DeleteEntity(ctx, c.ID, id, version)
		}
		switch domain.ErrorCode(err) {
		case "":
			note.status = "Entity “" + e.Name + "” was deleted."
			if wz.draftID == id {
				wz.clearDraft()
			}
		case domain.ENotFound:
			note.alert = gone
			return formErrors{}, note, http.StatusConflict, nil
		case domain.EPrecondition:
			note.alert = "Someone else changed entity “" + e.Name + "” after you opened this customer, so it was not deleted. " +
				"Check it below and delete it again."
			return formErrors{}, note, http.StatusConflict, nil
		case domain.EConflict:
			// In use: say why, with the counts the service gave, and where
			// to move what is mapped to it.
			note.alert = domainErr(err).Message
			q := "?customer_id=" + url.QueryEscape(c.ID) + "&entity_id=" + url.QueryEscape(id)
			note.links = []navLink{{Href: "/assets" + q, Label: "Move its assets"}, {Href: "/users" + q, Label: "Move its users"}}
			note.focus = "entity-alert"
			return formErrors{}, note, http.StatusConflict, nil
		default:
			return formErrors{}, note, 0, err
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

// domainErr returns err as a *domain.Error, or nil for any other error.
func domainErr(err error) *domain.Error {
	var de *domain.Error
	if errors.As(err, &de) {
		return de
	}
	return nil
}

func (h *Handler) confirmDelete(w http.ResponseWriter, r *http.Request) error {
	if err := h.requireAdminFor(r, r.PathValue("id"), "DeleteCustomer"); err != nil {
		return err
	}
	c, err := h.svc.customers.Customer(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	v, err := h.listView(r, "Delete Customer "+c.Name, listState{})
	if err != nil {
		return err
	}
	v.Delete = &deleteView{ID: c.ID, Name: c.Name, Code: c.Code, Version: c.Version}
	if err := h.withImpact(r.Context(), v.Delete); err != nil {
		return err
	}
	h.render(w, r, http.StatusOK, "customers", v)
	return nil
}

// restoreCustomer is the Undo of a delete's notice: the customer comes
// back from trash as it was. A refusal (its name taken meanwhile, no room
// in the pool) is a page that says why.
func (h *Handler) restoreCustomer(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	c, err := h.svc.trash.RestoreCustomer(r.Context(), r.PathValue("id"), service.Rename{})
	if err != nil {
		return err
	}
	setFlash(w, "Customer “"+c.Name+"” ("+c.Code+") was restored with its entities, users, assets and licenses.")
	return seeOther(w, r, "/customers")
}

func (h *Handler) deleteCustomer(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	if err := h.requireAdminFor(r, r.PathValue("id"), "DeleteCustomer"); err != nil {
		return err
	}
	c, err := h.svc.customers.Customer(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	d := &deleteView{ID: c.ID, Name: c.Name, Code: c.Code, Version: c.Version, Typed: r.PostFormValue("confirm_code")}
	status := http.StatusOK
	switch {
	case !strings.EqualFold(strings.TrimSpace(d.Typed), c.Code):
		status = http.StatusUnprocessableEntity
		if strings.TrimSpace(d.Typed) == "" {
			d.Error = "Type the customer's code, " + c.Code + ", to confirm."
		} else {
			d.Error = "That is not this customer's code. Type " + c.Code + " to confirm."
		}
	case version < 1:
		return domain.Errorf(domain.EBadRequest, "The form is missing the customer's version; open the customer again.")
	default:
		err := h.svc.customers.DeleteCustomer(r.Context(), c.ID, version)
		if err == nil {
			setFlash(w, "Customer “"+c.Name+"” ("+c.Code+") was deleted.")
			setUndo(w, c.ID)
			return seeOther(w, r, "/customers")
		}
		de := domainErr(err)
		if de == nil || (de.Code != domain.EPrecondition && de.Code != domain.EConflict) {
			return err
		}
		status = http.StatusConflict
		d.Alert = de.Message
		if de.Code == domain.EPrecondition {
			d.Alert = "Someone else changed this customer after you opened this dialog, so it was not deleted. " +
				"Check the customer below, then confirm again."
		}
	}
	v, err := h.listView(r, "Delete Customer "+c.Name, listState{})
	if err != nil {
		return err
	}
	v.Delete = d
	if err := h.withImpact(r.Context(), d); err != nil && domainErr(err) == nil {
		return err
	}
	h.render(w, r, status, "customers", v)
	return nil
}

// customerConflict is the conflict view of an edit of c refused because c
// (or its allocation) changed since the form was opened: c as stored now
// beside what wz holds as typed, over every step's fields.
func (h *Handler) customerConflict(ctx context.Context, c domain.Customer, wz *wizard) (formErrors, error) {
	stored, err := h.svc.customers.CustomerLicenses(ctx, c.ID)
	if err != nil {
		return formErrors{}, err
	}
	roles := h.roleNames(ctx)
	roles[""] = "None"
	fields := sectionConflicts(webform.CustomerSections, nil)
	fields = append(fields,
		conflictField{Label: "Supported Admin Role", Say: func(v url.Values) string { return roles[v.Get("admin_role")] }},
		listConflict("Supported Reports", "reports", catalogNames(domain.Reports), "None"),
		listConflict("Supported Dashboards", "dashboards", catalogNames(domain.Dashboards), "None"))
	fields = append(fields, countConflicts(allocPrefix, func(t string) string { return licenseLabels[t] }, "0")...)
	was, typed := customerValues(c.Input()), cloneValues(wz.customer)
	alloc := allocationValues(stored)
	for t := range alloc {
		was.Set(allocPrefix+t, alloc.Get(t))
		typed.Set(allocPrefix+t, alloc.Get(t))
	}
	for t := range wz.licenses {
		typed.Set(allocPrefix+t, wz.licenses.Get(t))
	}
	cf := newConflict("customer", c.UpdatedAt, "/customers/"+url.PathEscape(c.ID)+"/edit", fields, was, typed)
	return cf.errors(), nil
}
