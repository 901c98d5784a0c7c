package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/listquery"
	"github.com/custreg/custreg/internal/web/webform"
)

// assetsView is the Assets page, with the sidebar or the delete dialog
// open over it when Form or Delete is set.
type assetsView struct {
	Shell
	Filter   listFilter
	Rows     []assetRow
	Count    string
	URL      string
	NextURL  string
	FirstURL string
	Paged    bool
	// What the caller's role allows.
	CanAdd, CanEdit, CanDelete bool
	ShowCustomer               bool
	FixedCustomer              string
	Move                       *moveBar
	Form                       *recordForm
	Delete                     *recordDelete
}

// assetRow is one row of the asset table.
type assetRow struct {
	ID, Name, Class    string
	Customer, Entity   string
	Availability, Perf bool
	Serial, IPAddress  string
	Checked            bool
}

// assetClassLabels are the classes in words.
var assetClassLabels = map[string]string{
	domain.AssetIT: "IT asset", domain.AssetNonIT: "Non-IT asset", domain.AssetMobile: "Mobile device",
}

// assetTopFields are the asset's own fields (domain.AssetInput).
var assetTopFields = []webform.Field{
	{Path: "name", Label: "Asset Name", Placeholder: "Mumbai core switch", Max: domain.MaxAssetName, Type: "text", Required: true, Wide: true},
	{Path: "class", Label: "Class", Kind: webform.Select, Required: true},
	{Path: "serial", Label: "Serial Number", Placeholder: "FOC1234X0AB", Max: domain.MaxSerial, Type: "text", Code: true},
	{Path: "ip_address", Label: "IP Address", Placeholder: "10.20.0.1", Max: 45, Type: "text", Code: true,
		Hint: "IPv4 or IPv6."},
}

var assetMonitoringFields = []webform.Field{
	{Path: "availability_monitoring", Label: "Availability Monitoring", Kind: webform.Toggle, OnLabel: "On", OffLabel: "Off"},
	{Path: "performance_monitoring", Label: "Performance Monitoring", Kind: webform.Toggle, OnLabel: "On", OffLabel: "Off"},
}

var assetRefs = map[string]fieldRef{
	"name":                    {ID: "f-name", Label: "Asset Name"},
	"class":                   {ID: "f-class", Label: "Class"},
	"serial":                  {ID: "f-serial", Label: "Serial Number"},
	"ip_address":              {ID: "f-ip-address", Label: "IP Address"},
	"customer_id":             {ID: "f-customer-id", Label: "Customer"},
	"entity_id":               {ID: "f-entity-id", Label: "Entity"},
	"availability_monitoring": {ID: "f-availability-monitoring", Label: "Availability Monitoring"},
	"performance_monitoring":  {ID: "f-performance-monitoring", Label: "Performance Monitoring"},
}

func assetValues(a domain.Asset) url.Values {
	return url.Values{"name": {a.Name}, "class": {a.Class}, "customer_id": {a.CustomerID}, "entity_id": {a.EntityID},
		"serial": {a.Serial}, "ip_address": {a.IPAddress},
		"availability_monitoring": {boolValue(a.AvailabilityMonitoring)}, "performance_monitoring": {boolValue(a.PerformanceMonitoring)}}
}

func assetInput(v url.Values, pl placement) domain.AssetInput {
	in := domain.AssetInput{Name: v.Get("name"), Class: v.Get("class"), Serial: v.Get("serial"), IPAddress: v.Get("ip_address"),
		AvailabilityMonitoring: checked(v.Get("availability_monitoring")), PerformanceMonitoring: checked(v.Get("performance_monitoring"))}
	if pl.MSP {
		in.CustomerID = pl.fixedCustomer(v.Get("customer_id"))
		in.EntityID = v.Get("entity_id")
	}
	return in
}

func (h *Handler) assetForm(ctx context.Context, pl placement, edit bool, values url.Values, errs formErrors) (*recordForm, error) {
	f := &recordForm{Edit: edit, Errors: errs, Title: "Add Asset", Submit: "Add asset", PlacementLegend: "Customer and entity"}
	if edit {
		f.Title, f.Submit = "Edit Asset", "Save"
	}
	fields := fieldsView(assetTopFields, values, errs)
	classes := []option{{Value: "", Label: "Choose a class", Selected: values.Get("class") == ""}}
	for _, c := range domain.AssetClasses {
		classes = append(classes, option{Value: c, Label: assetClassLabels[c], Selected: c == values.Get("class")})
	}
	withOptions(fields, "class", classes)
	f.Top = []sectionView{{Legend: "Asset", Fields: fields}}
	f.Bottom = []sectionView{{Legend: "Monitoring", Fields: fieldsView(assetMonitoringFields, values, errs)}}
	if pl.MSP {
		if pl.Picks() {
			f.Customer = pl.customerPicker(customerPicker{ID: "f-customer-id", Name: "customer_id", Label: "Customer",
				NoneLabel: "None — the organization's own", Target: "entity-picker", URL: "/pickers/entities?kind=asset", Refresh: true,
				Error: errs.Msg("customer_id")}, values.Get("customer_id"))
		} else {
			f.Fixed = pl.customerName(pl.Own)
		}
		e, err := h.entityPicker(ctx, pl, "asset", values.Get("customer_id"), []string{values.Get("entity_id")})
		if err != nil {
			return nil, err
		}
		e.Error = errs.Msg("entity_id")
		f.Entities = e
	}
	f.focusFirst()
	return f, nil
}

func (h *Handler) assetsList(r *http.Request, title string, pl placement, q recordQuery) (assetsView, error) {
	ctx := r.Context()
	p := principalOf(r)
	v := assetsView{Shell: h.shell(r, "assets", title), URL: q.url(), CanAdd: can(p, "assets", "add"),
		CanEdit: can(p, "assets", "edit"), CanDelete: can(p, "assets", "delete"), ShowCustomer: pl.Picks()}
	if pl.MSP && !pl.OrgScope {
		v.FixedCustomer = pl.customerName(pl.Own)
	}
	first := q
	first.Cursor = nil
	v.FirstURL = first.url()
	v.Paged = q.Cursor != nil
	var err error
	if v.Filter, err = h.listFilter(ctx, pl, q, "customers"); err != nil {
		return v, err
	}
	page, err := h.svc.assets.ListAssets(ctx, domain.AssetFilter{CustomerID: q.CustomerID, EntityID: q.EntityID, Cursor: q.Cursor})
	if err != nil {
		return v, err
	}
	v.Count = pluralize(page.Total, "asset", "assets")
	var custs []string
	for _, a := range page.Items {
		custs = append(custs, a.CustomerID)
	}
	names, err := h.entityNames(ctx, custs)
	if err != nil {
		return v, err
	}
	for _, a := range page.Items {
		v.Rows = append(v.Rows, assetRow{ID: a.ID, Name: a.Name, Class: assetClassLabels[a.Class],
			Customer: pl.customerName(a.CustomerID), Entity: names[a.EntityID],
			Availability: a.AvailabilityMonitoring, Perf: a.PerformanceMonitoring, Serial: a.Serial, IPAddress: a.IPAddress})
	}
	if page.Next != nil {
		v.NextURL = q.pageURL(listquery.AssetsByName, page.Next)
	}
	if v.CanEdit && pl.MSP && len(v.Rows) > 0 {
		mb, err := h.assetMoveBar(ctx, pl, q.CustomerID, "", formErrors{})
		if err != nil {
			return v, err
		}
		mb.Return = v.URL
		v.Move = mb
	}
	return v, nil
}

func (h *Handler) assetMoveBar(ctx context.Context, pl placement, customerID, entityID string, errs formErrors) (*moveBar, error) {
	mb := &moveBar{Action: "/assets/move", Noun: "assets", Errors: errs, Selected: map[string]bool{}}
	if pl.Picks() {
		mb.Customer = pl.customerPicker(customerPicker{ID: "move-customer", Name: "move_customer_id", Label: "To customer",
			NoneLabel: "None — the organization's own", Target: "move-entity-picker", URL: "/pickers/entities?kind=move-asset", Refresh: true,
			Error: errs.Msg("customer_id")}, customerID)
	}
	e, err := h.entityPicker(ctx, pl, "move-asset", customerID, []string{entityID})
	if err != nil {
		return nil, err
	}
	e.Error = errs.Msg("entity_id")
	mb.Entities = e
	return mb, nil
}

func (h *Handler) assets(w http.ResponseWriter, r *http.Request) error {
	pl, err := h.recordsPlacement(r, "assets")
	if err != nil {
		return err
	}
	q, err := h.readRecordQuery(r.Context(), "/assets", r.URL.Query(), listquery.AssetsByName, pl)
	if err != nil {
		return err
	}
	v, err := h.assetsList(r, "Assets", pl, q)
	if err != nil {
		return err
	}
	v.Flash = takeFlash(w, r)
	h.render(w, r, http.StatusOK, "assets", v)
	return nil
}

func (h *Handler) showAssetForm(w http.ResponseWriter, r *http.Request, status int, title string, pl placement, form *recordForm) error {
	v, err := h.assetsList(r, title, pl, recordQuery{Base: "/assets"})
	if err != nil {
		return err
	}
	form.Return = returnTo(r.FormValue("return"), "/assets")
	v.Form = form
	h.render(w, r, status, "assets", v)
	return nil
}

func (h *Handler) newAsset(w http.ResponseWriter, r *http.Request) error {
	if err := requireCan(r, "assets", "add"); err != nil {
		return err
	}
	pl, err := h.recordsPlacement(r, "assets")
	if err != nil {
		return err
	}
	values := url.Values{}
	if c := r.URL.Query().Get("customer_id"); c != "" && pl.Picks() && pl.knows(c) {
		values.Set("customer_id", c)
	}
	form, err := h.assetForm(r.Context(), pl, false, values, formErrors{})
	if err != nil {
		return err
	}
	form.Action = "/assets/new"
	return h.showAssetForm(w, r, http.StatusOK, "Add Asset", pl, form)
}

func (h *Handler) createAsset(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	if err := requireCan(r, "assets", "add"); err != nil {
		return err
	}
	pl, err := h.recordsPlacement(r, "assets")
	if err != nil {
		return err
	}
	values := r.PostForm
	status := http.StatusOK
	var errs formErrors
	if r.PostFormValue("op") != "customer" {
		a, err := h.svc.assets.CreateAsset(r.Context(), assetInput(values, pl))
		if err == nil {
			setFlash(w, "Asset “"+a.Name+"” was added.")
			return seeOther(w, r, returnTo(r.PostFormValue("return"), "/assets"))
		}
		var ferr error
		if status, ferr = formStatus(err); ferr != nil {
			return ferr
		}
		errs = formErrorsFrom(err, fieldResolverFor(assetRefs))
	}
	form, err := h.assetForm(r.Context(), pl, false, values, errs)
	if err != nil {
		return err
	}
	form.Action, form.Dirty = "/assets/new", true
	return h.showAssetForm(w, r, status, "Add Asset", pl, form)
}

func (h *Handler) editAsset(w http.ResponseWriter, r *http.Request) error {
	a, err := recordFor(r, h.svc.assets.Asset, "assets", "edit")
	if err != nil {
		return err
	}
	pl, err := h.recordsPlacement(r, "assets")
	if err != nil {
		return err
	}
	form, err := h.assetForm(r.Context(), pl, true, assetValues(a), formErrors{})
	if err != nil {
		return err
	}
	form.Action, form.Version = "/assets/"+url.PathEscape(a.ID)+"/edit", a.Version
	return h.showAssetForm(w, r, http.StatusOK, "Edit Asset "+a.Name, pl, form)
}

func (h *Handler) updateAsset(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	ctx := r.Context()
	a, err := h.svc.assets.Asset(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := requireCan(r, "assets", "edit"); err != nil {
		return err
	}
	version, err := versionOf(r, "asset")
	if err != nil {
		return err
	}
	pl, err := h.recordsPlacement(r, "assets")
	if err != nil {
		return err
	}
	values := r.PostForm
	status := http.StatusOK
	var errs formErrors
	if r.PostFormValue("op") != "customer" {
		in := assetInput(values, pl)
		saved, err := h.svc.assets.UpdateAsset(ctx, a.ID, version, func(domain.AssetInput) (domain.AssetInput, error) { return in, nil })
		if err == nil {
			setFlash(w, "Asset “"+saved.Name+"” was saved.")
			return seeOther(w, r, returnTo(r.PostFormValue("return"), "/assets"))
		}
		var ferr error
		if status, ferr = formStatus(err); ferr != nil {
			return ferr
		}
		errs = formErrorsFrom(err, fieldResolverFor(assetRefs))
		if domain.ErrorCode(err) == domain.EPrecondition {
			if a, err = h.svc.assets.Asset(ctx, a.ID); err != nil {
				return err
			}
			version = a.Version
			if errs, err = h.assetConflict(ctx, pl, a, values); err != nil {
				return err
			}
		}
	}
	form, err := h.assetForm(ctx, pl, true, values, errs)
	if err != nil {
		return err
	}
	form.Action, form.Version, form.Dirty = "/assets/"+url.PathEscape(a.ID)+"/edit", version, true
	return h.showAssetForm(w, r, status, "Edit Asset "+a.Name, pl, form)
}

// assetConflict is the conflict view of an edit of a refused because a
// changed since the form was opened: a as stored now beside values as typed.
func (h *Handler) assetConflict(ctx context.Context, pl placement, a domain.Asset, values url.Values) (formErrors, error) {
	fields := fieldConflicts(append(slices.Clone(assetTopFields), assetMonitoringFields...),
		map[string]map[string]string{"class": assetClassLabels})
	if pl.MSP {
		ents, err := h.entityNames(ctx, []string{a.CustomerID, values.Get("customer_id")})
		if err != nil {
			return formErrors{}, err
		}
		ents[""] = "None"
		fields = append(fields,
			conflictField{Label: "Customer", Say: func(v url.Values) string {
				return pl.customerNames("None — the organization's own")[pl.fixedCustomer(v.Get("customer_id"))]
			}},
			conflictField{Label: "Entity", Say: func(v url.Values) string { return ents[v.Get("entity_id")] }})
	}
	c := newConflict("asset", a.UpdatedAt, "/assets/"+url.PathEscape(a.ID)+"/edit", fields, assetValues(a), values)
	return c.errors(), nil
}

func assetDelete(a domain.Asset) *recordDelete {
	return &recordDelete{Noun: "asset", Action: "/assets/" + url.PathEscape(a.ID) + "/delete", Return: "/assets",
		Name: a.Name, Version: a.Version, Detail: "It leaves the asset list and no longer counts against any license."}
}

func (h *Handler) confirmDeleteAsset(w http.ResponseWriter, r *http.Request) error {
	a, err := recordFor(r, h.svc.assets.Asset, "assets", "delete")
	if err != nil {
		return err
	}
	pl, err := h.recordsPlacement(r, "assets")
	if err != nil {
		return err
	}
	v, err := h.assetsList(r, "Delete Asset "+a.Name, pl, recordQuery{Base: "/assets"})
	if err != nil {
		return err
	}
	v.Delete = assetDelete(a)
	h.render(w, r, http.StatusOK, "assets", v)
	return nil
}

func (h *Handler) deleteAsset(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	a, err := recordFor(r, h.svc.assets.Asset, "assets", "delete")
	if err != nil {
		return err
	}
	version, err := versionOf(r, "asset")
	if err != nil {
		return err
	}
	err = h.svc.assets.DeleteAsset(r.Context(), a.ID, version)
	if err == nil {
		setFlash(w, "Asset “"+a.Name+"” was deleted.")
		return seeOther(w, r, "/assets")
	}
	de := domainErr(err)
	if de == nil || (de.Code != domain.EPrecondition && de.Code != domain.EConflict) {
		return err
	}
	pl, perr := h.recordsPlacement(r, "assets")
	if perr != nil {
		return perr
	}
	v, lerr := h.assetsList(r, "Delete Asset "+a.Name, pl, recordQuery{Base: "/assets"})
	if lerr != nil {
		return lerr
	}
	v.Delete = assetDelete(a)
	v.Delete.Alert = de.Message
	if de.Code == domain.EPrecondition {
		v.Delete.Alert = "Someone else changed this asset after you opened this dialog, so it was not deleted. Check the asset, then confirm again."
		v.Delete.Version = a.Version
	}
	h.render(w, r, http.StatusConflict, "assets", v)
	return nil
}

var moveAssetRefs = map[string]fieldRef{
	"customer_id": {ID: "move-customer", Label: "To customer"},
	"entity_id":   {ID: "move-entity-id", Label: "To entity"},
	"ids":         {Label: "Selection"},
}

// moveAssets moves the checked assets to a customer and entity; without
// the script, "Show entities" comes here too.
func (h *Handler) moveAssets(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	if err := requireCan(r, "assets", "edit"); err != nil {
		return err
	}
	pl, err := h.recordsPlacement(r, "assets")
	if err != nil {
		return err
	}
	ret := returnTo(r.PostFormValue("return"), "/assets")
	ids := r.PostForm["ids"]
	target := pl.fixedCustomer(r.PostFormValue("move_customer_id"))
	entity := r.PostFormValue("move_entity_id")
	status := http.StatusOK
	var errs formErrors
	if r.PostFormValue("op") != "customer" {
		err := h.svc.assets.MoveAssets(r.Context(), ids, target, entity)
		if err == nil {
			where := "the organization"
			if target != "" {
				where = "“" + pl.customerName(target) + "”"
			}
			setFlash(w, "Moved "+pluralize(int64(len(ids)), "asset", "assets")+" to "+where+".")
			return seeOther(w, r, ret)
		}
		var ferr error
		if status, ferr = moveStatus(err); ferr != nil {
			return ferr
		}
		errs = formErrorsFrom(err, fieldResolverFor(moveAssetRefs))
	}
	u, _ := url.Parse(ret)
	q, err := h.readRecordQuery(r.Context(), "/assets", u.Query(), listquery.AssetsByName, pl)
	if err != nil {
		return err
	}
	v, err := h.assetsList(r, "Assets", pl, q)
	if err != nil {
		return err
	}
	if v.Move != nil {
		mb, err := h.assetMoveBar(r.Context(), pl, target, entity, errs)
		if err != nil {
			return err
		}
		mb.Return = v.URL
		for _, id := range ids {
			mb.Selected[id] = true
		}
		v.Move = mb
		for i := range v.Rows {
			v.Rows[i].Checked = slices.Contains(ids, v.Rows[i].ID)
		}
	}
	h.render(w, r, status, "assets", v)
	return nil
}
