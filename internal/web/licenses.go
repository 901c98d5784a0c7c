package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/listquery"
	"github.com/custreg/custreg/internal/web/webform"
)

// Licenses in the UI (SPEC §3):
//
//   - the Add / Edit Customer sidebar's License Allocation step: a count
//     per type, inputs named "licenses.<type>", with what the pool has left
//     beside each (wizard.go, customers.go);
//   - the license sidebar of a customer, GET /customers/{id}/licenses: per
//     type the used against the allocated, amber from 80 %, red at 100 %
//     (said in words too); over the customer list for organization users,
//     over the customer's own page for its own people;
//   - the organization's Licenses page, GET and POST /licenses: the pool
//     (editable by organization admins; inputs "pool.<type>", empty for
//     unlimited) with what is allocated, unallocated and used, and the pool
//     spread over the customers, 50 to a page.
//
// A count that is not a whole number is sent to the service as -1, so that
// the service's own validation reports it beside its field together with
// every other problem of the request, and nothing is applied. A refusal by
// the license rules (a *domain.Error with License set) is shown beside the
// input of its type.

// licenseLabels are the seed's words for the License Allocation inputs
// (customer-registration-seed.md, "License | Add Customer").
var licenseLabels = map[string]string{
	domain.LicenseUsers:         "User Count",
	domain.LicenseTechnicians:   "Technician User Count",
	domain.LicenseITAssets:      "IT Asset Count",
	domain.LicenseNonITAssets:   "Non-IT Asset Count",
	domain.LicenseMobileDevices: "Mobile Device Count",
	domain.LicenseAvailability:  "Availability Monitoring Count",
	domain.LicensePerformance:   "Performance Monitoring Count",
}

// licenseGroups are the two groups the seed shows, in order.
var licenseGroups = []struct {
	Key, Legend string
	Types       []string
}{
	{"user", "User License Count", domain.UserLicenseTypes},
	{"asset", "Asset License Count", domain.AssetLicenseTypes},
}

// Usage levels: amber from warnPercent, red when all is used.
const warnPercent = 80

// allocPrefix names the License Allocation inputs; poolPrefix the pool's.
const (
	allocPrefix = "licenses."
	poolPrefix  = "pool."
)

// allocSeenPrefix and poolSeenPrefix name the hidden inputs that carry the
// counts an edit form showed: the allocation and the pool have no version,
// so the service compares these with the stored counts instead
// (UpdateCustomerWithLicensesSeen, SetOrgPoolSeen).
const (
	allocSeenPrefix = "licenses_seen."
	poolSeenPrefix  = "pool_seen."
)

// seenCounts turns the counts a form showed into the service's request; nil
// when the form carries none (a form from before they existed). An empty
// count is nil (the pool's unlimited), a bad one -1, which matches nothing.
func seenCounts(seen url.Values) domain.LicenseCounts {
	if len(seen) == 0 {
		return nil
	}
	out := domain.LicenseCounts{}
	for t := range seen {
		n, empty := parseCount(seen.Get(t))
		if empty {
			out[t] = nil
			continue
		}
		out[t] = &n
	}
	return out
}

// ---- Reading and showing counts ----

// readCounts keeps the posted counts under prefix by type, as typed
// (trimmed); a type not posted is absent.
func readCounts(posted url.Values, prefix string) url.Values {
	v := url.Values{}
	for _, t := range domain.LicenseTypes {
		if vals, ok := posted[prefix+t]; ok && len(vals) > 0 {
			v.Set(t, strings.TrimSpace(vals[0]))
		}
	}
	return v
}

// parseCount reads one typed count: "" is empty, a whole number is itself,
// anything else is -1, which the service refuses beside the field.
func parseCount(s string) (n int64, empty bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return -1, false
	}
	return n, false
}

// allocationCounts turns typed allocation counts into the service's
// request; an empty input is 0.
func allocationCounts(v url.Values) domain.LicenseCounts {
	out := domain.LicenseCounts{}
	for t := range v {
		n, _ := parseCount(v.Get(t))
		out[t] = &n
	}
	return out
}

// allocationValues shows a customer's allocation as form values.
func allocationValues(ls []domain.CustomerLicense) url.Values {
	v := url.Values{}
	for _, t := range domain.LicenseTypes {
		v.Set(t, "0")
	}
	for _, l := range ls {
		v.Set(l.Type, strconv.FormatInt(l.Allocated, 10))
	}
	return v
}

// defaultAllocation is the Add wizard's start: 0 of every type.
func defaultAllocation() url.Values { return allocationValues(nil) }

// excessAsField turns a refusal by the license rules into a field error of
// the input of its type (prefix + type), so that it shows beside that
// input and in the summary. Any other error is returned as it is.
func excessAsField(err error, prefix string) error {
	de := domainErr(err)
	if de == nil || de.License == nil || len(de.Fields) > 0 {
		return err
	}
	xs := de.Excesses
	if len(xs) == 0 {
		xs = []domain.LicenseExcess{*de.License}
	}
	out := &domain.Error{Code: de.Code, Type: de.Type, Message: de.Message, License: de.License, Excesses: xs}
	for _, x := range xs {
		msg := de.Message // one excess: the message as the service worded it
		if len(xs) > 1 {
			// Several: pool excesses, whose words name no customer.
			msg = domain.ErrLicense(x, "").Message
		}
		out.Fields = append(out.Fields, domain.FieldError{Field: prefix + x.Type, Code: "license_exceeded", Message: msg})
	}
	return out
}

// licenseTypeOf returns the type of a field path "licenses.users" (or,
// from SetCustomerLicenses, "users") and whether it is one.
func licenseTypeOf(field, prefix string) (string, bool) {
	t := strings.TrimPrefix(field, prefix)
	for _, k := range domain.LicenseTypes {
		if k == t {
			return t, true
		}
	}
	return "", false
}

// allocRef is the input of an allocation field, for the error summary.
func allocRef(t string) fieldRef {
	return fieldRef{ID: webform.ID(allocPrefix + t), Label: licenseLabels[t]}
}

// ---- The License Allocation step ----

// licensePanel is the License Allocation step of the sidebar.
type licensePanel struct {
	Edit   bool
	Groups []licenseGroup
}

// licenseGroup is "User License Count" or "Asset License Count".
type licenseGroup struct {
	Key, Legend string
	Fields      []licenseField
}

// licenseField is one count input with the pool's figure beside it.
type licenseField struct {
	Type, Label, ID, Name, Value, Error string
	Max                                 string
	// Pool says what the organization's pool has left of the type.
	Pool string
	// Used is, in edit mode, what the customer uses (the least it can be
	// allocated).
	Used string
	// Room is the most this customer can be allocated of the type within
	// the pool (what is unallocated, plus in edit mode what it holds now);
	// "" while the pool is unlimited. The script counts down from it as
	// one types.
	Room      string
	Autofocus bool
	// Seen is, in edit mode, the allocation the form showed first (the
	// hidden licenses_seen.<type>).
	Seen, SeenName string
}

// DescribedBy returns the ids of the elements that describe the input.
func (f licenseField) DescribedBy() string {
	ids := []string{}
	if f.Error != "" {
		ids = append(ids, f.ID+"-error")
	}
	return strings.Join(append(ids, f.ID+"-pool"), " ")
}

// poolNote says what the pool has left of one type.
func poolNote(l domain.OrgLicense, known bool) string {
	if !known {
		return ""
	}
	un := l.Unallocated()
	if un == nil {
		return "Pool unlimited"
	}
	s := figure(*un) + " unallocated in the pool"
	if l.OrgUsed > 0 {
		s += ", " + figure(l.OrgUsed) + " of them used by the organization"
	}
	return s
}

// buildLicensePanel draws the step: values by type as typed, errors by
// full field path ("licenses.users"), the pool by type, and in edit mode
// the customer's use by type.
func buildLicensePanel(edit bool, values url.Values, errs formErrors, pool map[string]domain.OrgLicense, used map[string]domain.CustomerLicense) licensePanel {
	p := licensePanel{Edit: edit}
	for _, g := range licenseGroups {
		lg := licenseGroup{Key: g.Key, Legend: g.Legend}
		for _, t := range g.Types {
			name := allocPrefix + t
			l, ok := pool[t]
			f := licenseField{Type: t, Label: licenseLabels[t], ID: webform.ID(name), Name: name, Value: values.Get(t),
				Error: errs.Msg(name), Max: strconv.Itoa(domain.MaxLicenseCount), Pool: poolNote(l, ok)}
			if u, ok := used[t]; ok && edit {
				f.Used = "Uses " + figure(u.Used)
			}
			if un := l.Unallocated(); ok && un != nil {
				room := *un
				if u, ok := used[t]; ok && edit {
					room += u.Allocated
				}
				f.Room = strconv.FormatInt(room, 10)
			}
			lg.Fields = append(lg.Fields, f)
		}
		p.Groups = append(p.Groups, lg)
	}
	return p
}

// firstInvalidLicense returns the id of the first count input with an
// error, or "".
func firstInvalidLicense(errs formErrors) string {
	for _, t := range domain.LicenseTypes {
		if errs.Msg(allocPrefix+t) != "" {
			return webform.ID(allocPrefix + t)
		}
	}
	return ""
}

// orgPool returns the organization's licenses by type.
func (h *Handler) orgPool(ctx context.Context) (map[string]domain.OrgLicense, error) {
	ls, err := h.svc.org.OrgLicenses(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]domain.OrgLicense, len(ls))
	for _, l := range ls {
		out[l.Type] = l
	}
	return out, nil
}

// ---- Usage: the license sidebar and the spread over customers ----

// usageRow is one license type of a customer as the sidebar shows it.
type usageRow struct {
	Type, Name                          string
	Allocated, Used, Available, Percent int64
	// Bar is the filled part of the bar, 0 to 100.
	Bar int64
	// Level is "", "warn" (from 80 %) or "full" (100 %); Status says it in
	// words.
	Level, Status string
}

// usageGroup is one of the seed's two groups.
type usageGroup struct {
	Key, Legend string
	Rows        []usageRow
}

// levelOf sorts a use into the sidebar's levels.
func levelOf(l domain.CustomerLicense) (level, status string) {
	switch {
	case l.Allocated == 0 && l.Used == 0:
		return "", "None allocated"
	case l.Used >= l.Allocated:
		return "full", "Full"
	case l.PercentUsed() >= warnPercent:
		return "warn", "Nearly full"
	}
	return "", ""
}

func usageOf(l domain.CustomerLicense) usageRow {
	r := usageRow{Type: l.Type, Name: domain.LicenseName(l.Type), Allocated: l.Allocated, Used: l.Used,
		Available: l.Available(), Percent: l.PercentUsed()}
	r.Bar = min(r.Percent, 100)
	if l.Allocated > 0 && l.Used >= l.Allocated {
		r.Bar = 100
	}
	r.Level, r.Status = levelOf(l)
	return r
}

// usageGroups groups a customer's licenses as the seed does.
func usageGroups(ls []domain.CustomerLicense) []usageGroup {
	byType := map[string]domain.CustomerLicense{}
	for _, l := range ls {
		byType[l.Type] = l
	}
	var out []usageGroup
	for _, g := range licenseGroups {
		ug := usageGroup{Key: g.Key, Legend: g.Legend}
		for _, t := range g.Types {
			l, ok := byType[t]
			if !ok {
				l = domain.CustomerLicense{Type: t}
			}
			ug.Rows = append(ug.Rows, usageOf(l))
		}
		out = append(out, ug)
	}
	return out
}

// licenseSidebar is the Customer License sidebar.
type licenseSidebar struct {
	ID, Name, Code string
	Groups         []usageGroup
	// Return is where closing it goes: the page it opens over.
	Return string
	// CanEdit offers to change the allocation (organization admins).
	CanEdit bool
}

// showLicenses answers GET /customers/{id}/licenses: the license sidebar
// open over the customer list, or, for a customer's own people, over its
// page. A customer the caller cannot see is a page that does not exist.
func (h *Handler) showLicenses(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id := r.PathValue("id")
	c, err := h.svc.customers.Customer(ctx, id)
	if err != nil {
		return err
	}
	ls, err := h.svc.customers.CustomerLicenses(ctx, c.ID)
	if err != nil {
		return err
	}
	p := principalOf(r)
	sb := &licenseSidebar{ID: c.ID, Name: c.Name, Code: c.Code, Groups: usageGroups(ls), CanEdit: allows(p, "SetCustomerLicenses")}
	title := "Customer License · " + c.Name
	if p.CustomerID != "" {
		v, err := h.customerPage(r, c.ID)
		if err != nil {
			return err
		}
		v.Shell = h.shell(r, "customers", title)
		v.ListTitle = c.Name
		sb.Return = "/customers/" + url.PathEscape(c.ID)
		v.Licenses = sb
		h.render(w, r, http.StatusOK, "customer", v)
		return nil
	}
	v, err := h.listView(r, title, listState{})
	if err != nil {
		return err
	}
	sb.Return = "/customers"
	v.Licenses = sb
	h.render(w, r, http.StatusOK, "customers", v)
	return nil
}

// ---- The organization's Licenses page ----

// licensesView is the Licenses page.
type licensesView struct {
	Shell
	CanEdit bool
	Pool    []poolGroup
	Errors  formErrors
	// Focus is the first invalid input after a refused change.
	Focus string
	// The spread over customers (MSP mode on).
	Types    []typeHead
	Spread   []spreadRow
	Count    string
	NextURL  string
	FirstURL string
	Paged    bool
}

// typeHead is a column of the spread table.
type typeHead struct{ Type, Name string }

// poolGroup is one of the seed's groups of the pool table.
type poolGroup struct {
	Key, Legend string
	Rows        []poolRow
}

// poolRow is one license type of the organization.
type poolRow struct {
	Type, Name  string
	ID, Input   string // the pool input's id and name
	Value       string // the pool as typed ("" for unlimited)
	Pool        string // the pool as stored, "Unlimited" for none
	Allocated   int64
	Unallocated string
	Used        int64
	OrgUsed     int64
	Error       string
	// Seen is the pool the form showed ("" for unlimited), carried in the
	// hidden SeenInput so that a change made meanwhile is noticed.
	Seen, SeenInput string
}

// spreadRow is one customer in the spread table.
type spreadRow struct {
	ID, Name, Code string
	Active         bool
	Cells          []usageRow
}

func (h *Handler) licensesPage(w http.ResponseWriter, r *http.Request) error {
	v, err := h.licensesView(r, nil, nil, formErrors{})
	if err != nil {
		return err
	}
	v.Flash = takeFlash(w, r)
	h.render(w, r, http.StatusOK, "licenses", v)
	return nil
}

// licensesView builds the page; typed holds the pool as posted (by type)
// after a refused change, nil to show the stored pool; seen the pool the
// form showed, nil for the stored pool.
func (h *Handler) licensesView(r *http.Request, typed, seen url.Values, errs formErrors) (licensesView, error) {
	ctx := r.Context()
	if err := requireCan(r, "licenses", "view"); err != nil {
		return licensesView{}, err
	}
	ls, err := h.svc.org.OrgLicenses(ctx)
	if err != nil {
		return licensesView{}, err
	}
	v := licensesView{Shell: h.shell(r, "licenses", "Licenses"), CanEdit: allows(principalOf(r), "SetOrgPool"), Errors: errs}
	byType := map[string]domain.OrgLicense{}
	for _, l := range ls {
		byType[l.Type] = l
	}
	for _, g := range licenseGroups {
		pg := poolGroup{Key: g.Key, Legend: g.Legend}
		for _, t := range g.Types {
			l, ok := byType[t]
			if !ok {
				l = domain.OrgLicense{Type: t}
			}
			row := poolRow{Type: t, Name: domain.LicenseName(t), ID: webform.ID(poolPrefix + t), Input: poolPrefix + t,
				Pool: "Unlimited", Allocated: l.Allocated, Unallocated: "Unlimited", Used: l.Used, OrgUsed: l.OrgUsed,
				Error: errs.Msg(poolPrefix + t)}
			if l.Pool != nil {
				row.Pool = figure(*l.Pool)
				row.Value = strconv.FormatInt(*l.Pool, 10) // the input's, as typed
				row.Unallocated = figure(*l.Unallocated())
			}
			row.Seen, row.SeenInput = row.Value, poolSeenPrefix+t
			if s, ok := seen[t]; ok {
				row.Seen = s[0]
			}
			if typed != nil {
				if s, ok := typed[t]; ok {
					row.Value = s[0]
				}
			}
			if row.Error != "" && v.Focus == "" {
				v.Focus = row.ID
			}
			pg.Rows = append(pg.Rows, row)
		}
		v.Pool = append(v.Pool, pg)
	}
	if !v.MSP {
		return v, nil
	}
	for _, t := range domain.LicenseTypes {
		v.Types = append(v.Types, typeHead{Type: t, Name: domain.LicenseName(t)})
	}
	if err := h.spread(r, &v); err != nil {
		return v, err
	}
	return v, nil
}

// spreadPageSize is how many customers a page of the spread shows.
const spreadPageSize = domain.DefaultPageSize

// spread fills the table of customers and their use, a page at a time by
// name (the customer list's order and cursor).
func (h *Handler) spread(r *http.Request, v *licensesView) error {
	ctx := r.Context()
	qv := url.Values{"limit": {strconv.Itoa(spreadPageSize)}}
	if c := r.URL.Query().Get("cursor"); c != "" && r.Method == http.MethodGet {
		qv.Set("cursor", c)
	}
	q, err := listquery.Parse(qv)
	if err != nil {
		return err
	}
	v.Paged = q.Cursor != nil
	v.FirstURL = "/licenses"
	page, err := h.svc.customers.ListCustomers(ctx, q.Filter())
	if err != nil {
		return err
	}
	v.Count = countLabel(page.Total, page.TotalExact, "customer", "customers")
	for _, c := range page.Items {
		ls, err := h.svc.customers.CustomerLicenses(ctx, c.ID)
		if domain.ErrorCode(err) == domain.ENotFound {
			continue // deleted since the page was read
		}
		if err != nil {
			return err
		}
		row := spreadRow{ID: c.ID, Name: c.Name, Code: c.Code, Active: c.IsActive}
		for _, g := range usageGroups(ls) {
			row.Cells = append(row.Cells, g.Rows...)
		}
		v.Spread = append(v.Spread, row)
	}
	if page.Next != nil {
		next := url.Values{"cursor": {*listquery.EncodeCursor(string(q.Sort), page.Next)}}
		v.NextURL = "/licenses?" + next.Encode()
	}
	return nil
}

// setPool answers POST /licenses: the pool of the types whose input
// changed is set; a refusal shows beside its input and changes nothing.
func (h *Handler) setPool(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	if err := requireUseCase(r, "SetOrgPool"); err != nil {
		return err
	}
	ctx := r.Context()
	current, err := h.orgPool(ctx)
	if err != nil {
		return err
	}
	typed := readCounts(r.PostForm, poolPrefix)
	req := domain.LicenseCounts{}
	for t := range typed {
		n, empty := parseCount(typed.Get(t))
		cur := current[t].Pool
		switch {
		case empty && cur == nil:
		case empty:
			req[t] = nil
		case cur == nil || *cur != n:
			req[t] = &n
		}
	}
	if len(req) == 0 {
		setFlash(w, "The license pool is unchanged.")
		return seeOther(w, r, "/licenses")
	}
	seen := readCounts(r.PostForm, poolSeenPrefix)
	_, err = h.svc.org.SetOrgPoolSeen(ctx, req, seenCounts(seen))
	if err == nil {
		names := make([]string, 0, len(req))
		for _, t := range domain.LicenseTypes {
			if _, ok := req[t]; ok {
				names = append(names, domain.LicenseName(t))
			}
		}
		setFlash(w, "The license pool was saved: "+strings.Join(names, ", ")+".")
		return seeOther(w, r, "/licenses")
	}
	status, ferr := formStatus(err)
	if ferr != nil {
		return ferr
	}
	err = excessAsField(err, poolPrefix)
	errs := formErrorsFrom(err, func(field string) (string, fieldRef, bool) {
		t, ok := licenseTypeOf(field, poolPrefix)
		if !ok {
			return "", fieldRef{}, false
		}
		return field, fieldRef{ID: webform.ID(field), Label: "Pool of " + domain.LicenseName(t)}, true
	})
	if domain.ErrorCode(err) == domain.EPrecondition {
		// The form now carries the stored pool as seen, so Save again
		// replaces it with what was typed.
		seen = nil
		now, err := h.orgPool(ctx)
		if err != nil {
			return err
		}
		stored := url.Values{}
		for t, l := range now {
			if l.Pool != nil {
				stored.Set(poolPrefix+t, strconv.FormatInt(*l.Pool, 10))
			}
		}
		posted := url.Values{}
		for _, t := range domain.LicenseTypes {
			if s, ok := typed[t]; ok {
				posted.Set(poolPrefix+t, s[0])
			} else {
				posted[poolPrefix+t] = stored[poolPrefix+t]
			}
		}
		errs = newConflict("license pool", time.Time{}, "/licenses",
			countConflicts(poolPrefix, func(t string) string { return "Pool of " + domain.LicenseName(t) }, "Unlimited"),
			stored, posted).errors()
	}
	v, err := h.licensesView(r, typed, seen, errs)
	if err != nil {
		return err
	}
	h.render(w, r, status, "licenses", v)
	return nil
}

// changedAllocation returns the typed counts that differ from the stored
// allocation (a bad count always differs, so that the service reports it).
func changedAllocation(typed url.Values, stored []domain.CustomerLicense) domain.LicenseCounts {
	cur := map[string]int64{}
	for _, l := range stored {
		cur[l.Type] = l.Allocated
	}
	out := domain.LicenseCounts{}
	for t := range typed {
		n, _ := parseCount(typed.Get(t))
		if c, ok := cur[t]; !ok || c != n {
			out[t] = &n
		}
	}
	return out
}
