package web

import (
	"context"
	"net/url"
	"slices"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/listquery"
	"github.com/custreg/custreg/internal/web/webform"
)

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

func (h *Handler) assetForm(ctx context.Context, _ domain.Principal, pl placement, edit, _ bool, values url.Values, errs formErrors) (*recordForm, error) {
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
			c, err := pl.customerPicker(customerPicker{ID: "f-customer-id", Name: "customer_id", Label: "Customer",
				NoneLabel: "None — the organization's own", Target: "entity-picker", URL: "/pickers/entities?kind=asset", Refresh: true,
				Error: errs.Msg("customer_id")}, values.Get("customer_id"))
			if err != nil {
				return nil, err
			}
			f.Customer = c
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

// assetConflict is the conflict view of an edit of a refused because a
// changed since the form was opened: a as stored now beside values as typed.
func (h *Handler) assetConflict(ctx context.Context, pl placement, _ bool, a domain.Asset, values url.Values) (formErrors, error) {
	fields := fieldConflicts(append(slices.Clone(assetTopFields), assetMonitoringFields...),
		map[string]map[string]string{"class": assetClassLabels})
	if pl.MSP {
		ents, err := pl.entityNames(h, []string{a.CustomerID, values.Get("customer_id")})
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

var moveAssetRefs = map[string]fieldRef{
	"customer_id": {ID: "move-customer", Label: "To customer"},
	"entity_id":   {ID: "move-entity-id", Label: "To entity"},
	"ids":         {Label: "Selection"},
}

// assetRows are a page of assets as the table shows them.
func (h *Handler) assetRows(ctx context.Context, _ domain.Principal, pl placement, assets []domain.Asset, ticked map[string]bool) (any, error) {
	var custs []string
	for _, a := range assets {
		custs = append(custs, a.CustomerID)
	}
	names, err := pl.entityNames(h, custs)
	if err != nil {
		return nil, err
	}
	rows := make([]assetRow, 0, len(assets))
	for _, a := range assets {
		rows = append(rows, assetRow{ID: a.ID, Name: a.Name, Class: assetClassLabels[a.Class],
			Customer: pl.customerName(a.CustomerID), Entity: names[a.EntityID],
			Availability: a.AvailabilityMonitoring, Perf: a.PerformanceMonitoring, Serial: a.Serial, IPAddress: a.IPAddress,
			Checked: ticked[a.ID]})
	}
	return rows, nil
}

// assetPage is the Assets page: the records page of assets.
var assetPage = &recordPage[domain.Asset, domain.AssetInput]{
	texts: recordTexts{Title: "Assets", One: "Asset", Noun: "asset", Plural: "assets", Base: "/assets", Icon: "i-assets",
		SubAll:        "The devices and items {org} manages, each mapped to the organization or to a customer and its entity.",
		SubOwn:        "The devices and items of {customer}.",
		EmptyFiltered: "No asset is mapped to this customer or entity yet.",
		EmptyAdd:      "Add the devices and items you manage, and map each to a customer and, if you like, one of its entities.",
		MoveNone:      "None — the organization's own", EntitiesField: "entity_id",
		EmptyNone: "No assets have been added yet."},
	ops: func(h *Handler) recordOps[domain.Asset, domain.AssetInput] {
		s := h.svc.assets
		move := func(ctx context.Context, ids []string, customerID string, entities []string) error {
			entity := ""
			if len(entities) > 0 {
				entity = entities[0]
			}
			return s.MoveAssets(ctx, ids, customerID, entity)
		}
		return recordOps[domain.Asset, domain.AssetInput]{s.Asset, s.CreateAsset, s.UpdateAsset, s.DeleteAsset, move}
	},
	order: listquery.AssetsByName,
	list: func(h *Handler, ctx context.Context, q recordQuery) (domain.AssetPage, error) {
		return h.svc.assets.ListAssets(ctx, domain.AssetFilter{CustomerID: q.CustomerID, EntityID: q.EntityID, Cursor: q.Cursor})
	},
	id:       func(a domain.Asset) string { return a.ID },
	version:  func(a domain.Asset) int64 { return a.Version },
	name:     func(a domain.Asset) string { return a.Name },
	told:     func(a domain.Asset) string { return "Asset “" + a.Name + "”" },
	values:   assetValues,
	blank:    func(placement) url.Values { return url.Values{} },
	input:    assetInput,
	refs:     assetRefs,
	form:     (*Handler).assetForm,
	conflict: (*Handler).assetConflict,
	rows:     (*Handler).assetRows,
	moveRefs: moveAssetRefs,
	moveTo: func(posted url.Values) []string {
		if e := posted.Get("move_entity_id"); e != "" {
			return []string{e}
		}
		return nil
	},
	deleted: assetDelete,
	self:    func(domain.Asset, domain.Principal) bool { return false },
	pin:     func(domain.Asset, url.Values, bool) {},
}
