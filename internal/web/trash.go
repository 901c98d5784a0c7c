package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/service"
)

// The Trash page: customers, and users and assets deleted on their own,
// each kind a tab for whoever may delete it, with Restore and Purge. A
// purge asks first (the row turns into a confirmation, without
// JavaScript); a customer whose name or code was taken meanwhile is
// restored under a new one typed in its row.

// trashKinds are the tabs, in order, with the use case that lists each.
var trashKinds = []struct{ Key, Label, UseCase string }{
	{"customers", "Customers", "Trash"},
	{"users", "Users", "UserTrash"},
	{"assets", "Assets", "AssetTrash"},
}

// trashRow is one record in trash.
type trashRow struct {
	ID, Name, Detail, Customer string
	DeletedAt, PurgeAt         string
}

// trashView is the Trash page.
type trashView struct {
	Shell
	Kind, Noun string
	Tabs       []NavItem
	Rows       []trashRow
	Older      string
	// Confirm is the id of the row asking whether to purge.
	Confirm string
	// Failed is the row a restore was refused for, with why; Rename asks
	// for a new name or code (a customer's were taken).
	Failed, Error           string
	Rename                  bool
	RenameName, RenameCode  string
	ShowCustomer, Retention bool
}

func trashTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format("2 Jan 2006 15:04 UTC")
}

// trashPage answers GET /trash: the first tab the caller may see.
func (h *Handler) trashPage(w http.ResponseWriter, r *http.Request) error {
	p := principalOf(r)
	for _, k := range trashKinds {
		if allows(p, k.UseCase) {
			return seeOther(w, r, "/trash/"+k.Key)
		}
	}
	// Nothing this caller may delete: there is no trash to show.
	return domain.Errorf(domain.ENotFound, "There is no trash for you: you may not delete customers, users or assets.")
}

func (h *Handler) customerTrash(w http.ResponseWriter, r *http.Request) error {
	return h.showTrash(w, r, http.StatusOK, "customers", trashView{})
}
func (h *Handler) userTrash(w http.ResponseWriter, r *http.Request) error {
	return h.showTrash(w, r, http.StatusOK, "users", trashView{})
}
func (h *Handler) assetTrash(w http.ResponseWriter, r *http.Request) error {
	return h.showTrash(w, r, http.StatusOK, "assets", trashView{})
}

// showTrash renders the tab kind, with v's confirmation or refusal.
func (h *Handler) showTrash(w http.ResponseWriter, r *http.Request, status int, kind string, v trashView) error {
	ctx, q := r.Context(), r.URL.Query()
	p := principalOf(r)
	v.Shell, v.Kind = h.shell(r, "trash", "Trash"), kind
	for _, k := range trashKinds {
		if allows(p, k.UseCase) {
			v.Tabs = append(v.Tabs, NavItem{Key: k.Key, Label: k.Label, Href: "/trash/" + k.Key})
		}
	}
	if v.Confirm == "" {
		v.Confirm = q.Get("purge")
	}
	cursor := q.Get("cursor")
	var next string
	names := map[string]string{}
	customerName := func(id string) string {
		if id == "" {
			return ""
		}
		if n, ok := names[id]; ok {
			return n
		}
		c, err := h.svc.customers.Customer(ctx, id)
		if err == nil {
			names[id] = c.Name
		}
		return names[id]
	}
	switch kind {
	case "customers":
		v.Noun = "customer"
		page, err := h.svc.trash.TrashedCustomers(ctx, domain.DefaultPageSize, cursor)
		if err != nil {
			return err
		}
		for _, c := range page.Items {
			v.Rows = append(v.Rows, h.trashRow(c.ID, c.Name, "Code "+c.Code, "", c.DeletedAt))
		}
		next = page.Next
	case "users":
		v.Noun, v.ShowCustomer = "user", p.CustomerID == ""
		page, err := h.svc.trash.TrashedUsers(ctx, domain.DefaultPageSize, cursor)
		if err != nil {
			return err
		}
		for _, u := range page.Items {
			v.Rows = append(v.Rows, h.trashRow(u.ID, u.Name, u.Email, customerName(u.CustomerID), u.DeletedAt))
		}
		next = page.Next
	case "assets":
		v.Noun, v.ShowCustomer = "asset", p.CustomerID == ""
		page, err := h.svc.trash.TrashedAssets(ctx, domain.DefaultPageSize, cursor)
		if err != nil {
			return err
		}
		for _, a := range page.Items {
			detail := a.Class
			if a.Serial != "" {
				detail += " · serial " + a.Serial
			}
			v.Rows = append(v.Rows, h.trashRow(a.ID, a.Name, detail, customerName(a.CustomerID), a.DeletedAt))
		}
		next = page.Next
	}
	for _, row := range v.Rows {
		v.Retention = v.Retention || row.PurgeAt != ""
	}
	if next != "" {
		v.Older = "/trash/" + kind + "?" + url.Values{"cursor": {next}}.Encode()
	}
	h.render(w, r, status, "trash", v)
	return nil
}

func (h *Handler) trashRow(id, name, detail, customer string, deleted *time.Time) trashRow {
	row := trashRow{ID: id, Name: name, Detail: detail, Customer: customer, DeletedAt: trashTime(deleted)}
	if deleted != nil {
		row.PurgeAt = trashTime(h.svc.trash.PurgeAt(*deleted))
	}
	return row
}

// restoreFromTrash answers POST /trash/{kind}/{id}/restore: back to the
// list it came from, or the tab again with why not.
func restoreFromTrash(kind string) func(*Handler, http.ResponseWriter, *http.Request) error {
	return func(h *Handler, w http.ResponseWriter, r *http.Request) error {
		if err := parseForm(w, r); err != nil {
			return err
		}
		ctx, id := r.Context(), r.PathValue("id")
		var msg, to string
		var err error
		rename := service.Rename{Name: r.PostFormValue("name"), Code: r.PostFormValue("code")}
		switch kind {
		case "customers":
			var c domain.Customer
			if c, err = h.svc.trash.RestoreCustomer(ctx, id, rename); err == nil {
				msg, to = "Customer “"+c.Name+"” ("+c.Code+") was restored with its entities, users, assets and licenses.", "/customers/"+c.ID
			}
		case "users":
			var u domain.User
			if u, err = h.svc.trash.RestoreUser(ctx, id); err == nil {
				msg, to = "User "+u.Email+" was restored.", "/users"
			}
		case "assets":
			var a domain.Asset
			if a, err = h.svc.trash.RestoreAsset(ctx, id); err == nil {
				msg, to = "Asset “"+a.Name+"” was restored.", "/assets"
			}
		}
		if err == nil {
			setFlash(w, msg)
			return seeOther(w, r, to)
		}
		de := domainErr(err)
		if de == nil || (de.Code != domain.EConflict && de.Code != domain.EInvalid) {
			return err
		}
		v := trashView{Failed: id, Error: de.Message, Rename: de.Type == "restore-name-taken" || de.Code == domain.EInvalid,
			RenameName: rename.Name, RenameCode: rename.Code}
		if v.Rename && v.RenameName == "" && v.RenameCode == "" {
			if page, lerr := h.svc.trash.TrashedCustomers(ctx, domain.MaxPageSize, ""); lerr == nil {
				for _, c := range page.Items {
					if c.ID == id {
						v.RenameName, v.RenameCode = c.Name, c.Code
					}
				}
			}
		}
		if de.Code == domain.EInvalid {
			v.Error = "The new name or code is not valid: " + de.Message
		}
		return h.showTrash(w, r, http.StatusConflict, kind, v)
	}
}

// purgeFromTrash answers POST /trash/{kind}/{id}/purge.
func purgeFromTrash(kind string) func(*Handler, http.ResponseWriter, *http.Request) error {
	return func(h *Handler, w http.ResponseWriter, r *http.Request) error {
		if err := parseForm(w, r); err != nil {
			return err
		}
		ctx, id := r.Context(), r.PathValue("id")
		var err error
		switch kind {
		case "customers":
			err = h.svc.trash.PurgeCustomer(ctx, id)
		case "users":
			err = h.svc.trash.PurgeUser(ctx, id)
		case "assets":
			err = h.svc.trash.PurgeAsset(ctx, id)
		}
		if err != nil {
			return err
		}
		setFlash(w, "Purged for good: nothing of it is kept but the audit entry that says so.")
		return seeOther(w, r, "/trash/"+kind)
	}
}
