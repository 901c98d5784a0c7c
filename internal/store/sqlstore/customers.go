package sqlstore

import (
	"context"
	"hash/fnv"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/store"
)

// customers is the customers table (aliased c): one entry a column.
var customers = newTable("customers", "c",
	[]column[domain.Customer]{
		str("id", onInsert, func(c *domain.Customer) *string { return &c.ID }),
		str("name", always, func(c *domain.Customer) *string { return &c.Name }),
		key("name_key", false, func(c *domain.Customer) string { return c.NameKey() }),
		str("code", always, func(c *domain.Customer) *string { return &c.Code }),
		key("code_key", false, func(c *domain.Customer) string { return c.CodeKey() }),
		text("domain", always, func(c *domain.Customer) *string { return &c.Domain }),
		text("business_email", always, func(c *domain.Customer) *string { return &c.BusinessEmail }),
		text("phone", always, func(c *domain.Customer) *string { return &c.Phone }),
		text("website", always, func(c *domain.Customer) *string { return &c.Website }),
		text("subscription_id", always, func(c *domain.Customer) *string { return &c.SubscriptionID }),
		boolean("is_active", always, func(c *domain.Customer) *bool { return &c.IsActive }),
		str("admin_role", always, func(c *domain.Customer) *string { return &c.AdminRole }),
		keyList("reports", always, func(c *domain.Customer) *[]string { return &c.Reports }),
		keyList("dashboards", always, func(c *domain.Customer) *[]string { return &c.Dashboards }),
	},
	location(func(c *domain.Customer) *domain.Location { return &c.Location }),
	[]column[domain.Customer]{
		timestamp("created_at", onInsert, func(c *domain.Customer) *time.Time { return &c.CreatedAt }),
		timestamp("updated_at", always, func(c *domain.Customer) *time.Time { return &c.UpdatedAt }),
		deletedAt(func(c *domain.Customer) **time.Time { return &c.DeletedAt }),
		integer("version", always, func(c *domain.Customer) *int64 { return &c.Version }),
		// The counts are kept by the writes of entities, assets and
		// users; a new customer starts with the entities it is
		// registered with.
		integer("entities_count", onInsert, func(c *domain.Customer) *int64 { return &c.EntitiesCount }),
		integer("assets_count", readOnly, func(c *domain.Customer) *int64 { return &c.AssetsCount }),
		integer("users_count", readOnly, func(c *domain.Customer) *int64 { return &c.UsersCount }),
	})

// splitKeys reads a comma-separated list of catalog keys (migration 00014).
func splitKeys(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

func (t *tx) CreateCustomer(ctx context.Context, nc store.NewCustomer) error {
	c := nc.Customer
	if err := entitiesOf(c.ID, nc.Entities); err != nil {
		return err
	}
	c.EntitiesCount = int64(len(nc.Entities))
	insert := customers.insertRows(t, c)
	// Its license rows are written once, with the allocation; the pool
	// gives the units last, below.
	stmts := []statement{insert, liveCustomersDelta(c.ID, 1), customerLicenseRows(c.ID, nc.Licenses)}
	if len(nc.Entities) > 0 {
		stmts = append(stmts, t.entityRows(nc.Entities))
	}
	if len(nc.Audit) > 0 {
		stmts = append(stmts, t.auditRows(nc.Audit))
	}
	taken := map[string]int64{}
	for typ, n := range nc.Licenses {
		if n != 0 {
			taken[typ] = n
		}
	}
	// Not in the same statement as the rest on PostgreSQL: there the
	// main query runs before its WITH writes, and the organization's rows
	// would be held while those ran.
	if err := t.execAll(ctx, stmts...); err != nil {
		return err
	}
	if err := t.takeFromPool(ctx, taken); err != nil {
		return err
	}
	if t.created == nil {
		t.created = map[string]map[string]int64{}
	}
	t.created[c.ID] = nc.Licenses
	return nil
}

// liveSlots is the number of rows the live-customer count is spread over
// (migration 00004).
const liveSlots = 16

// addLiveCustomers keeps the count of live customers, in the slot of the
// customer's id.
func (t *tx) addLiveCustomers(ctx context.Context, customerID string, delta int) error {
	return t.execAll(ctx, liveCustomersDelta(customerID, delta))
}

func liveCustomersDelta(customerID string, delta int) statement {
	h := fnv.New32a()
	h.Write([]byte(customerID))
	return statement{`UPDATE live_customer_slots SET n = n + ? WHERE slot = ?`, []any{delta, int(h.Sum32() % liveSlots)}}
}

// scopeClause restricts customers (aliased c) to scope.
func scopeClause(scope domain.Scope) (string, []any) {
	if scope.IsOrg() {
		return "", nil
	}
	return ` AND c.id = ?`, []any{scope.CustomerID}
}

func (t *tx) Customer(ctx context.Context, scope domain.Scope, id string) (domain.Customer, error) {
	sc, sargs := scopeClause(scope)
	args := append([]any{id}, sargs...)
	c, err := customers.scan(t.queryRow(ctx, `SELECT `+customers.columns+` FROM customers c WHERE c.id = ? AND c.deleted_at IS NULL`+sc+t.lockRow("c"), args...))
	return c, rowErr(err, "Customer")
}

func (t *tx) LockCustomers(ctx context.Context, ids []string) error {
	if t.db.d.ForUpdate == "" {
		return nil // one writer at a time: nothing to order
	}
	var args []any
	for _, id := range ids {
		if id != "" && !slices.Contains(args, any(id)) {
			args = append(args, id)
		}
	}
	if len(args) == 0 {
		return nil
	}
	// The rows are locked as they come out of the sort, so in id order.
	rows, err := t.query(ctx, `SELECT id FROM customers WHERE deleted_at IS NULL AND id IN (`+placeholders(len(args))+`) ORDER BY id`+t.db.d.ForUpdate, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
	}
	return rows.Err()
}

func (t *tx) CustomerTaken(ctx context.Context, nameKey, codeKey, exceptID string) (bool, bool, error) {
	// Two EXISTS probes, each served by its partial unique index; an OR of
	// both in one WHERE would scan the table.
	var nameTaken, codeTaken bool
	err := t.queryRow(ctx, `SELECT
  EXISTS (SELECT 1 FROM customers WHERE name_key = ? AND deleted_at IS NULL AND id <> ?),
  EXISTS (SELECT 1 FROM customers WHERE code_key = ? AND deleted_at IS NULL AND id <> ?)`,
		nameKey, exceptID, codeKey, exceptID).Scan(&nameTaken, &codeTaken)
	return nameTaken, codeTaken, err
}

func (t *tx) UpdateCustomer(ctx context.Context, scope domain.Scope, c domain.Customer) error {
	sc, sargs := scopeClause(scope)
	set, args := customers.set(t, c)
	args = append(append(args, c.ID, c.Version-1), sargs...)
	res, err := t.exec(ctx, set+` WHERE c.id = ? AND c.version = ? AND c.deleted_at IS NULL`+sc, args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 1 {
		return nil
	}
	if _, err := t.Customer(ctx, scope, c.ID); err != nil {
		return err
	}
	return domain.Errorf(domain.EPrecondition, "The customer was changed by someone else; reload it and try again.")
}

func (t *tx) TrashCustomer(ctx context.Context, scope domain.Scope, id string, at time.Time) error {
	if _, err := t.Customer(ctx, scope, id); err != nil {
		return err
	}
	if err := t.releaseCustomerLicenses(ctx, id); err != nil {
		return err
	}
	sc, sargs := scopeClause(scope)
	args := append([]any{t.time(at), t.time(at), id}, sargs...)
	res, err := t.exec(ctx, `UPDATE customers AS c SET deleted_at = ?, updated_at = ?, version = version + 1
WHERE c.id = ? AND c.deleted_at IS NULL`+sc, args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return notFound("Customer")
	}
	return t.addLiveCustomers(ctx, id, -1)
}

func (t *tx) CountCustomers(ctx context.Context) (int64, error) {
	var n int64
	err := t.queryRow(ctx, `SELECT count(*) FROM customers`).Scan(&n)
	return n, err
}

// sortSpec says how one ordering of the list is written in SQL.
type sortSpec struct {
	column string // the key column
	desc   bool
	time   bool // the key is a time
}

var sorts = map[domain.CustomerSort]sortSpec{
	domain.SortNameAsc:       {column: "name_key"},
	domain.SortNameDesc:      {column: "name_key", desc: true},
	domain.SortCodeAsc:       {column: "code_key"},
	domain.SortCodeDesc:      {column: "code_key", desc: true},
	domain.SortCreatedAtAsc:  {column: "created_at", time: true},
	domain.SortCreatedAtDesc: {column: "created_at", desc: true, time: true},
}

// sortKey returns the cursor key of c for ordering s.
func sortKey(s sortSpec, c domain.Customer) string {
	switch s.column {
	case "name_key":
		return c.NameKey()
	case "code_key":
		return c.CodeKey()
	}
	return c.CreatedAt.UTC().Format(time.RFC3339Nano)
}

func (t *tx) Customers(ctx context.Context, scope domain.Scope, f domain.CustomerFilter) (domain.CustomerPage, error) {
	var page domain.CustomerPage
	spec, ok := sorts[f.Sort]
	if !ok {
		spec = sorts[domain.SortNameAsc]
	}
	limit := f.Limit
	if limit <= 0 || limit > domain.MaxPageSize {
		limit = domain.DefaultPageSize
	}
	from := ` FROM customers c`
	// A dialect that finds a page of substring matches in its search index,
	// in list order, is asked for that page; the list then joins it.
	var pageCond string
	var pageArgs []any
	usePage := false
	if t.db.d.SearchPage != nil && f.Where != nil {
		if cols, v, ok := containsOnly(*f.Where); ok {
			pageCond, pageArgs, usePage = t.db.d.SearchPage(cols, domain.Fold(v), spec.column, spec.desc, f.Cursor, limit+1)
		}
	}
	// A substring filter that matches many customers is cheaper to page by
	// walking the sort key's index, testing each row, than by fetching and
	// sorting every match; the substring index counts the matches first.
	var counted *domain.CustomerPage
	broad := false
	if t.db.d.CountContains != nil && scope.IsOrg() && f.Where != nil {
		if cols, v, ok := containsOnly(*f.Where); ok {
			if cq, cargs, ok := t.db.d.CountContains(cols, domain.Fold(v), domain.TotalCountLimit+1); ok {
				var n int64
				if err := t.queryRow(ctx, cq, cargs...).Scan(&n); err != nil {
					return page, err
				}
				counted = &domain.CustomerPage{Total: min(n, domain.TotalCountLimit), TotalExact: n <= domain.TotalCountLimit}
				broad = n > broadMatches && !usePage
				if broad && t.db.d.SortIndex != nil {
					from += ` ` + t.db.d.SortIndex(spec.column)
				}
			}
		}
	}
	where := ` WHERE c.deleted_at IS NULL`
	sc, args := scopeClause(scope)
	where += sc
	switch {
	case usePage:
		where += ` AND ` + pageCond
		args = append(args, pageArgs...)
	case f.Where != nil:
		fq, fargs := t.compileFilter(*f.Where)
		where += ` AND ` + fq
		args = append(args, fargs...)
	}
	countArgs := append([]any(nil), args...)
	q := `SELECT ` + customers.columns + from + where
	if f.Cursor != nil {
		op := ">"
		if spec.desc {
			op = "<"
		}
		var key any = f.Cursor.Key
		if spec.time {
			kt, err := time.Parse(time.RFC3339Nano, f.Cursor.Key)
			if err != nil {
				return page, domain.Errorf(domain.EBadRequest, "The cursor is not valid.")
			}
			key = t.time(kt)
		}
		// A row-value comparison, which both databases serve from the
		// (key, id) order of the index.
		q += ` AND (c.` + spec.column + `, c.id) ` + op + ` (?, ?)`
		args = append(args, key, f.Cursor.ID)
	}
	dir := " ASC"
	if spec.desc {
		dir = " DESC"
	}
	orderKey := `c.` + spec.column
	if t.db.d.SortAfterContains && hasContains(f.Where) && !broad {
		// An expression no index provides: the planner then finds the
		// matches through the trigram index and sorts them.
		orderKey = `(` + orderKey + ` || '')`
		if spec.time {
			orderKey = `(c.` + spec.column + ` + interval '0')`
		}
	}
	q += ` ORDER BY ` + orderKey + dir + `, c.id` + dir + ` LIMIT ?`
	args = append(args, limit+1)

	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return page, err
	}
	defer rows.Close()
	page.Items = make([]domain.Customer, 0, limit)
	for rows.Next() {
		c, err := customers.scan(rows)
		if err != nil {
			return page, err
		}
		page.Items = append(page.Items, c)
	}
	if err := rows.Err(); err != nil {
		return page, err
	}
	page.Items, page.Next = trimPage(page.Items, limit, func(c domain.Customer) domain.Cursor {
		return domain.Cursor{Key: sortKey(spec, c), ID: c.ID}
	})
	if counted != nil {
		page.Total, page.TotalExact = counted.Total, counted.TotalExact
		return page, nil
	}
	if f.Cursor == nil && page.Next == nil {
		// The first page holds every match: that is the total.
		page.Total, page.TotalExact = int64(len(page.Items)), true
		return page, nil
	}
	return page, t.countCustomers(ctx, scope, f.Where, where, countArgs, &page)
}

// countCustomers fills page.Total for the list's WHERE clause (where, args).
// The unfiltered organization-wide total is the maintained live count; a
// single negated equality (neq, not_in) is the live count less its few
// matches; anything else is counted up to domain.TotalCountLimit.
func (t *tx) countCustomers(ctx context.Context, scope domain.Scope, filter *domain.Filter, where string, args []any, page *domain.CustomerPage) error {
	// (A substring filter the search index counts was counted by Customers
	// before the page.)
	page.TotalExact = true
	if scope.IsOrg() && (filter == nil || filter.Op == domain.OpNeq || filter.Op == domain.OpNotIn) {
		var live int64
		if err := t.queryRow(ctx, `SELECT coalesce(sum(n), 0) FROM live_customer_slots`).Scan(&live); err != nil {
			return err
		}
		if filter == nil {
			page.Total = live
			return nil
		}
		positive := *filter
		positive.Op = domain.OpEq
		if filter.Op == domain.OpNotIn {
			positive.Op = domain.OpIn
		}
		pq, pargs := t.compileFilter(positive)
		var matches int64
		if err := t.queryRow(ctx, `SELECT count(*) FROM customers c WHERE c.deleted_at IS NULL AND `+pq, pargs...).Scan(&matches); err != nil {
			return err
		}
		page.Total = live - matches
		return nil
	}
	var n int64
	if err := t.queryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM customers c`+where+` LIMIT ?) m`,
		append(append([]any{}, args...), domain.TotalCountLimit+1)...).Scan(&n); err != nil {
		return err
	}
	page.Total = min(n, domain.TotalCountLimit)
	page.TotalExact = n <= domain.TotalCountLimit
	return nil
}

// broadMatches is how many substring matches make walking the sort index
// cheaper than sorting the matches (about 1 in 500 rows at 100,000
// customers: the walk then finds a page within a few thousand rows).
const broadMatches = 200

// containsOnly recognises a filter that is one substring condition, or the
// search box's "name or code contains", and returns its key columns and
// value.
func containsOnly(f domain.Filter) ([]string, string, bool) {
	if v, ok := searchValue(f); ok {
		return []string{"name_key", "code_key"}, v, true
	}
	if f.Op == domain.OpContains {
		return []string{filterColumns[f.Field]}, f.Value, true
	}
	return nil, "", false
}

// hasContains reports whether a filter tree has a positive substring
// condition of three characters or more (one its trigram index can serve).
// not_contains matches nearly everything: the sort index serves it best.
func hasContains(f *domain.Filter) bool {
	if f == nil {
		return false
	}
	if f.IsGroup() {
		for i := range f.Conditions {
			if hasContains(&f.Conditions[i]) {
				return true
			}
		}
		return false
	}
	return f.Op == domain.OpContains && utf8.RuneCountInString(f.Value) >= 3
}
