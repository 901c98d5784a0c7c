package web

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/custreg/custreg/internal/auth"
	"github.com/custreg/custreg/internal/domain"
)

// customersView is the Customer Registration page, with the sidebar or the
// delete dialog open over it when Form or Delete is set.
type customersView struct {
	Shell
	Cards   []cardView
	Total   int64
	NextURL string // "load more": the next page's URL, "" on the last page
	Paged   bool   // showing a page after the first
	CanEdit bool
	Form    *customerForm
	Delete  *deleteView
}

// cardView is one customer card.
type cardView struct {
	ID, Name, Code string
	Active         bool
	Domain         string
	Place          string // "New York, United States"
}

// deleteView is the delete confirmation dialog.
type deleteView struct {
	ID, Name, Code string
	Version        int64
	Typed          string
	Error          string // beside the code input
	Alert          string // an error that is not about the typed code
}

// listCursor encodes a keyset position for the "load more" link: base64url
// of the domain's cursor in JSON. It is opaque to people and carries nothing
// secret: only the sort key and id of the last card shown.
func encodeListCursor(c *domain.CustomerCursor) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeListCursor(s string) (*domain.CustomerCursor, error) {
	bad := domain.Errorf(domain.EBadRequest, "This link to more customers is not valid. Start again from the first page.")
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, bad
	}
	var c domain.CustomerCursor
	if err := json.Unmarshal(b, &c); err != nil || c.ID == "" {
		return nil, bad
	}
	return &c, nil
}

// listView loads the customer list for the page. The sidebar and the dialog
// are drawn over the first page; the list itself uses ?cursor=.
func (h *Handler) listView(r *http.Request, title string, withCursor bool) (customersView, error) {
	v := customersView{Shell: h.shell(r, "customers", title)}
	if p, ok := auth.FromContext(r.Context()); ok {
		v.CanEdit = p.IsOrgAdmin()
	}
	f := domain.CustomerFilter{Sort: domain.SortNameAsc}
	if s := r.URL.Query().Get("cursor"); s != "" && withCursor {
		c, err := decodeListCursor(s)
		if err != nil {
			return v, err
		}
		f.Cursor, v.Paged = c, true
	}
	page, err := h.svc.ListCustomers(r.Context(), f)
	if err != nil {
		return v, err
	}
	v.Total = page.Total
	for _, c := range page.Items {
		cv := cardView{ID: c.ID, Name: c.Name, Code: c.Code, Active: c.IsActive, Domain: c.Domain}
		var place []string
		if c.Location.City != "" {
			place = append(place, c.Location.City)
		}
		if n := domain.CountryName(c.Location.Country); n != "" {
			place = append(place, n)
		}
		cv.Place = strings.Join(place, ", ")
		v.Cards = append(v.Cards, cv)
	}
	if page.Next != nil {
		v.NextURL = "/customers?cursor=" + url.QueryEscape(encodeListCursor(page.Next))
	}
	return v, nil
}

func (h *Handler) customers(w http.ResponseWriter, r *http.Request) error {
	v, err := h.listView(r, "Customers", true)
	if err != nil {
		return err
	}
	v.Flash = takeFlash(w, r)
	h.render(w, r, http.StatusOK, "customers", v)
	return nil
}

// requireAdmin refuses the pages that change customers to anyone who is not
// an organization admin; the service refuses the changes themselves too.
func requireAdmin(r *http.Request) error {
	p, _ := auth.FromContext(r.Context())
	if !p.IsOrgAdmin() {
		return domain.Errorf(domain.EForbidden, "Only an organization admin can add, edit or delete customers.")
	}
	return nil
}

func (h *Handler) newCustomer(w http.ResponseWriter, r *http.Request) error {
	if err := requireAdmin(r); err != nil {
		return err
	}
	v, err := h.listView(r, "Add Customer", false)
	if err != nil {
		return err
	}
	v.Form = &customerForm{Action: "/customers/new", Title: "Add Customer", Steps: customerSteps("details"),
		Step: "details", Values: url.Values{"is_active": {"on"}}}
	h.render(w, r, http.StatusOK, "customers", v)
	return nil
}

func (h *Handler) createCustomer(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	in := customerInput(r.PostForm)
	c, err := h.svc.CreateCustomer(r.Context(), in)
	if err == nil {
		setFlash(w, "Customer “"+c.Name+"” ("+c.Code+") was added.")
		return seeOther(w, r, "/customers")
	}
	form := &customerForm{Action: "/customers/new", Title: "Add Customer", Steps: customerSteps("details"),
		Step: "details", Values: formValues(r.PostForm), Dirty: true}
	return h.formFailed(w, r, form, err)
}

func (h *Handler) editCustomer(w http.ResponseWriter, r *http.Request) error {
	if err := requireAdmin(r); err != nil {
		return err
	}
	id := r.PathValue("id")
	c, err := h.svc.Customer(r.Context(), id)
	if err != nil {
		return err
	}
	v, err := h.listView(r, "Edit Customer "+c.Name, false)
	if err != nil {
		return err
	}
	v.Form = &customerForm{Edit: true, Action: "/customers/" + url.PathEscape(c.ID) + "/edit", ID: c.ID, Version: c.Version,
		Title: "Edit Customer", Steps: customerSteps("details"), Step: "details", Values: customerValues(c.Input())}
	h.render(w, r, http.StatusOK, "customers", v)
	return nil
}

func (h *Handler) updateCustomer(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	id := r.PathValue("id")
	version, err := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if err != nil || version < 1 {
		return domain.Errorf(domain.EBadRequest, "The form is missing the customer's version; open the customer again.")
	}
	posted := customerInput(r.PostForm)
	c, err := h.svc.UpdateCustomer(r.Context(), id, version, func(domain.CustomerInput) (domain.CustomerInput, error) {
		// The form shows every writable field, so what was posted is
		// the whole new state.
		return posted, nil
	})
	if err == nil {
		setFlash(w, "Customer “"+c.Name+"” ("+c.Code+") was saved.")
		return seeOther(w, r, "/customers")
	}
	form := &customerForm{Edit: true, Action: "/customers/" + url.PathEscape(id) + "/edit", ID: id, Version: version,
		Title: "Edit Customer", Steps: customerSteps("details"), Step: "details", Values: formValues(r.PostForm), Dirty: true}
	return h.formFailed(w, r, form, err)
}

// formFailed shows the sidebar again after the service refused a customer
// form: with every typed value, a message beside each bad field and a
// summary (422), or an alert for an error that is about no field (409).
// Errors a form cannot show (signed out, not found, internal) go to fail.
func (h *Handler) formFailed(w http.ResponseWriter, r *http.Request, form *customerForm, err error) error {
	de, status := domainErr(err), 0
	switch {
	case de == nil:
		return err
	case de.Code == domain.EInvalid:
		status = http.StatusUnprocessableEntity
	case de.Code == domain.EPrecondition:
		status = http.StatusConflict
		form.Errors = formErrors{Alert: "Someone else changed this customer after you opened it, so your changes were not saved. " +
			"Open the latest version to see what changed, then make your changes again.",
			Reload: form.Action}
	case de.Code == domain.EConflict, de.Code == domain.ENotFound && de.Type == "msp-disabled":
		status = http.StatusConflict
	default:
		return err
	}
	if !form.Errors.Any() {
		form.Errors = newFormErrors(err, customerRefs)
	}
	v, lerr := h.listView(r, form.Title, false)
	if lerr != nil {
		if domainErr(lerr) == nil {
			return lerr
		}
		// The list behind is not essential (MSP mode was just turned off,
		// say): show the form with its alert over an empty page.
		v = customersView{Shell: h.shell(r, "customers", form.Title)}
	}
	if form.Edit {
		v.Shell.Title = "Edit Customer"
	}
	v.Form = form
	h.render(w, r, status, "customers", v)
	return nil
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
	if err := requireAdmin(r); err != nil {
		return err
	}
	c, err := h.svc.Customer(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	v, err := h.listView(r, "Delete Customer "+c.Name, false)
	if err != nil {
		return err
	}
	v.Delete = &deleteView{ID: c.ID, Name: c.Name, Code: c.Code, Version: c.Version}
	h.render(w, r, http.StatusOK, "customers", v)
	return nil
}

func (h *Handler) deleteCustomer(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	if err := requireAdmin(r); err != nil {
		return err
	}
	c, err := h.svc.Customer(r.Context(), r.PathValue("id"))
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
		err := h.svc.DeleteCustomer(r.Context(), c.ID, version)
		if err == nil {
			setFlash(w, "Customer “"+c.Name+"” ("+c.Code+") was deleted.")
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
	v, err := h.listView(r, "Delete Customer "+c.Name, false)
	if err != nil {
		return err
	}
	v.Delete = d
	h.render(w, r, status, "customers", v)
	return nil
}
