package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/custreg/custreg/internal/domain"
)

// The audit history in the UI: the Audit page (GET /audit, filters as the
// API's, "Older" pages back, CSV from the API) and the History section of
// a customer's page. Each entry reads as a sentence with what changed from
// what to what.

// auditRow is one entry as the UI shows it.
type auditRow struct {
	At, Actor, Action, Target string
	// Changes are "Website: — → https://…" lines of an update; empty for
	// a create or a delete, which Action says.
	Changes []string
}

// auditView is the Audit page.
type auditView struct {
	Shell
	Rows                          []auditRow
	TargetType, ActionQ, From, To string
	CustomerID, CustomerName      string
	Older, CSV                    string
	TargetTypes                   []option
}

// actionWords say what an action did, for people.
var actionWords = map[string]string{
	"customer.create": "created the customer", "customer.update": "changed the customer", "customer.delete": "deleted the customer",
	"customer.licenses": "changed the customer's license allocation", "customer.logo.upload": "uploaded a logo", "customer.logo.remove": "removed a logo",
	"customer.restore": "restored the customer from trash", "customer.purge": "purged a customer from trash",
	"user.move": "moved a user", "asset.move": "moved an asset", "role.create": "created a role", "role.delete": "deleted a role",
	"user.restore": "restored a user from trash", "user.purge": "purged a user from trash",
	"asset.restore": "restored an asset from trash", "asset.purge": "purged an asset from trash",
	"entity.create": "added an entity", "entity.update": "changed an entity", "entity.delete": "deleted an entity",
	"user.create": "added a user", "user.update": "changed a user", "user.delete": "deleted a user",
	"asset.create": "added an asset", "asset.update": "changed an asset", "asset.delete": "deleted an asset",
	"auth.signin": "signed in", "auth.signin_failed": "failed to sign in", "auth.signin_throttled": "was refused sign-in (too many attempts)",
	"token.create": "created an API token", "token.revoke": "revoked an API token",
	"org.update": "changed the organization's settings", "org.initialize": "set up the organization", "licenses.pool": "changed the license pool",
	"org.logo.upload": "uploaded the organization's logo", "org.logo.remove": "removed the organization's logo",
}

func actionText(a string) string {
	if w, ok := actionWords[a]; ok {
		return w
	}
	return strings.ReplaceAll(a, ".", " ")
}

// changes lists what an update changed, field by field, from the JSON
// snapshots before and after (nested objects by their paths). Times and
// the version, which every update changes, are left out.
func changes(before, after []byte) []string {
	if len(before) == 0 || len(after) == 0 {
		return nil
	}
	var b, a map[string]any
	if json.Unmarshal(before, &b) != nil || json.Unmarshal(after, &a) != nil {
		return nil
	}
	flat := func(m map[string]any) map[string]string {
		out := map[string]string{}
		var walk func(prefix string, v any)
		walk = func(prefix string, v any) {
			switch x := v.(type) {
			case map[string]any:
				for k, y := range x {
					walk(prefix+k+".", y)
				}
			case nil:
				out[strings.TrimSuffix(prefix, ".")] = ""
			default:
				out[strings.TrimSuffix(prefix, ".")] = fmt.Sprint(x)
			}
		}
		walk("", m)
		return out
	}
	fb, fa := flat(b), flat(a)
	keys := map[string]bool{}
	for k := range fb {
		keys[k] = true
	}
	for k := range fa {
		keys[k] = true
	}
	var out []string
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range keys {
			if !yield(k) {
				return
			}
		}
	}) {
		switch strings.ToLower(strings.ReplaceAll(k, "_", "")) {
		case "updatedat", "createdat", "version", "deletedat":
			continue
		}
		if fb[k] == fa[k] {
			continue
		}
		from, to := fb[k], fa[k]
		if from == "" {
			from = "—"
		}
		if to == "" {
			to = "—"
		}
		out = append(out, strings.ReplaceAll(k, "_", " ")+": "+from+" → "+to)
	}
	return out
}

func auditRows(es []domain.AuditEntry) []auditRow {
	rows := make([]auditRow, len(es))
	for i, e := range es {
		actor := e.ActorEmail
		if actor == "" {
			actor = "the system"
		}
		rows[i] = auditRow{At: e.At.UTC().Format("2 Jan 2006 15:04 UTC"), Actor: actor, Action: actionText(e.Action),
			Target: e.TargetType, Changes: changes(e.Before, e.After)}
	}
	return rows
}

// auditTargetTypes are the kinds of record the filter offers.
var auditTargetTypes = []string{"customer", "entity", "user", "asset", "role", "token", "org"}

func (h *Handler) auditPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := domain.AuditFilter{CustomerID: q.Get("customer_id"), TargetType: q.Get("target_type"), Action: strings.TrimSpace(q.Get("action")),
		Before: q.Get("cursor"), Limit: domain.DefaultPageSize}
	v := auditView{Shell: h.shell(r, "audit", "Audit"), TargetType: f.TargetType, ActionQ: f.Action, From: q.Get("from"), To: q.Get("to"),
		CustomerID: f.CustomerID}
	for _, b := range []struct {
		s   string
		dst *time.Time
	}{{v.From, &f.From}, {v.To, &f.To}} {
		if b.s == "" {
			continue
		}
		t, err := time.Parse("2006-01-02", b.s)
		if err != nil {
			return domain.Errorf(domain.EBadRequest, "Dates are written 2026-12-01, not %q.", b.s)
		}
		*b.dst = t
	}
	if !f.To.IsZero() {
		f.To = f.To.AddDate(0, 0, 1) // the To day included
	}
	if f.CustomerID != "" {
		if c, err := h.svc.customers.Customer(r.Context(), f.CustomerID); err == nil {
			v.CustomerName = c.Name
		}
	}
	page, err := h.svc.audit.AuditLog(r.Context(), f)
	if err != nil {
		return err
	}
	v.Rows = auditRows(page.Items)
	api := url.Values{"format": {"csv"}}
	keep := url.Values{}
	for _, k := range []string{"customer_id", "target_type", "action", "from", "to"} {
		if x := q.Get(k); x != "" {
			keep.Set(k, x)
		}
	}
	for k, vals := range keep {
		switch k {
		case "from", "to":
		default:
			api[k] = vals
		}
	}
	if !f.From.IsZero() {
		api.Set("from", f.From.Format(time.RFC3339))
	}
	if !f.To.IsZero() {
		api.Set("to", f.To.Format(time.RFC3339))
	}
	v.CSV = "/api/v1/audit?" + api.Encode()
	if page.Next != "" {
		keep.Set("cursor", page.Next)
		v.Older = "/audit?" + keep.Encode()
	}
	v.TargetTypes = []option{{Value: "", Label: "Any record", Selected: f.TargetType == ""}}
	for _, t := range auditTargetTypes {
		v.TargetTypes = append(v.TargetTypes, option{Value: t, Label: strings.ToUpper(t[:1]) + t[1:], Selected: t == f.TargetType})
	}
	h.render(w, r, http.StatusOK, "audit", v)
	return nil
}
