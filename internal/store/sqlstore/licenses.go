package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"strings"

	"github.com/custreg/custreg/internal/domain"
)

// Every license check is one conditional UPDATE: it changes the row only
// if the invariant holds with the change, under the row's lock, so two
// writers racing for the last unit cannot both win — on SQLite (one
// writer) and on PostgreSQL alike (at READ COMMITTED an UPDATE re-reads a
// row changed by a concurrent transaction before it tests its WHERE). When
// it changes nothing, the row is read to say which figure would have
// broken the limit. Rows are locked in one order everywhere — a customer's
// rows before the organization's, types in domain.LicenseTypes order — so
// that writers do not deadlock.

// customerLicenseRows writes a new customer's row of every license type,
// allocated alloc[type] (0 for a type not given) and used 0.
func customerLicenseRows(customerID string, alloc map[string]int64) statement {
	types := licenseOrder(alloc)
	if len(types) == 0 {
		return statement{`INSERT INTO customer_licenses (customer_id, type, allocated, used)
SELECT ?, type, 0, 0 FROM license_types`, []any{customerID}}
	}
	set, args := caseByType(alloc, types)
	return statement{`INSERT INTO customer_licenses (customer_id, type, allocated, used)
SELECT ?, type, COALESCE(` + set + `, 0), 0 FROM license_types`, append([]any{customerID}, args...)}
}

func (t *tx) OrgLicenses(ctx context.Context) ([]domain.OrgLicense, error) {
	rows, err := t.query(ctx, `SELECT o.type, o.pool, o.allocated, o.org_used,
  (SELECT coalesce(sum(s.n), 0) FROM license_used_slots s WHERE s.type = o.type)
FROM org_licenses o JOIN license_types lt ON lt.type = o.type ORDER BY lt.position`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.OrgLicense
	for rows.Next() {
		var l domain.OrgLicense
		var pool sql.NullInt64
		var customersUsed int64
		if err := rows.Scan(&l.Type, &pool, &l.Allocated, &l.OrgUsed, &customersUsed); err != nil {
			return nil, err
		}
		if pool.Valid {
			l.Pool = &pool.Int64
		}
		l.Used = customersUsed + l.OrgUsed
		out = append(out, l)
	}
	return out, rows.Err()
}

func (t *tx) orgLicense(ctx context.Context, typ string) (domain.OrgLicense, error) {
	all, err := t.OrgLicenses(ctx)
	if err != nil {
		return domain.OrgLicense{}, err
	}
	for _, l := range all {
		if l.Type == typ {
			return l, nil
		}
	}
	return domain.OrgLicense{}, notFound("License type")
}

func (t *tx) SetPool(ctx context.Context, typ string, pool *int64) error {
	var p any
	if pool != nil {
		p = *pool
	}
	return t.guarded(ctx, func() (domain.LicenseExcess, error) {
		l, err := t.orgLicense(ctx, typ)
		return domain.LicenseExcess{Type: typ, Limit: domain.LimitPool, LimitValue: *pool, Result: l.Allocated + l.OrgUsed, Lowering: true}, err
	}, `UPDATE org_licenses SET pool = ? WHERE type = ? AND (CAST(? AS BIGINT) IS NULL OR allocated + org_used <= ?)`, p, typ, p, p)
}

// guarded runs a conditional UPDATE whose WHERE holds only if the change
// keeps a license rule; when it changes no row, the change would have
// broken the rule, and refused says how.
func (t *tx) guarded(ctx context.Context, refused func() (domain.LicenseExcess, error), q string, args ...any) error {
	res, err := t.exec(ctx, q, args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n > 0 {
		return err
	}
	x, err := refused()
	if err != nil {
		return err
	}
	return domain.ErrLicense(x, "")
}

func (t *tx) CustomerLicenses(ctx context.Context, scope domain.Scope, customerID string) ([]domain.CustomerLicense, error) {
	if !scope.IsOrg() && scope.CustomerID != customerID {
		return nil, notFound("Customer")
	}
	rows, err := t.query(ctx, `SELECT cl.type, cl.allocated, cl.used FROM customer_licenses cl
JOIN customers c ON c.id = cl.customer_id JOIN license_types lt ON lt.type = cl.type
WHERE cl.customer_id = ? AND c.deleted_at IS NULL ORDER BY lt.position`, customerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.CustomerLicense
	for rows.Next() {
		var l domain.CustomerLicense
		if err := rows.Scan(&l.Type, &l.Allocated, &l.Used); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, notFound("Customer")
	}
	return out, nil
}

func (t *tx) customerLicense(ctx context.Context, customerID, typ string) (domain.CustomerLicense, error) {
	l := domain.CustomerLicense{Type: typ}
	err := t.queryRow(ctx, `SELECT allocated, used FROM customer_licenses WHERE customer_id = ? AND type = ?`, customerID, typ).
		Scan(&l.Allocated, &l.Used)
	return l, rowErr(err, "Customer")
}

func (t *tx) SetAllocation(ctx context.Context, customerID string, alloc map[string]int64) error {
	types := licenseOrder(alloc)
	if len(types) == 0 {
		return nil
	}
	// Hold the customer's rows of these types (in the one order every
	// writer takes them) while the change is computed from them. A
	// customer created in this transaction has them as it was created,
	// and no one else can see it yet.
	var held []domain.CustomerLicense
	if initial, ok := t.created[customerID]; ok {
		for _, typ := range types {
			held = append(held, domain.CustomerLicense{Type: typ, Allocated: initial[typ]})
		}
	} else {
		var err error
		if held, err = t.lockCustomerLicenses(ctx, customerID, types); err != nil {
			return err
		}
		if len(held) < len(types) {
			return notFound("Customer")
		}
		if err := t.requireLiveCustomer(ctx, customerID); err != nil {
			return err
		}
	}
	set, setArgs := caseByType(alloc, types)
	changed := map[string]int64{}
	for _, l := range held {
		n := alloc[l.Type]
		if n < l.Used {
			return domain.ErrLicense(domain.LicenseExcess{Type: l.Type, Limit: domain.LimitAllocation, LimitValue: n, Result: l.Used,
				CustomerID: customerID, Lowering: true}, "")
		}
		if d := n - l.Allocated; d != 0 {
			changed[l.Type] = d
		}
	}
	if len(changed) == 0 {
		return nil
	}
	args := append(append(setArgs, customerID), anys(types)...)
	if _, err := t.exec(ctx, `UPDATE customer_licenses SET allocated = `+set+` WHERE customer_id = ? AND type IN (`+placeholders(len(types))+`)`, args...); err != nil {
		return err
	}
	if initial, ok := t.created[customerID]; ok {
		now := maps.Clone(initial)
		if now == nil {
			now = map[string]int64{}
		}
		maps.Copy(now, alloc)
		t.created[customerID] = now
	}
	return t.takeFromPool(ctx, changed)
}

// takeFromPool moves delta[type] units of each type from the
// organization's pool into customers' allocations (a negative delta gives
// them back) in one guarded statement, taken last in a write so that the
// organization's rows, which every allocation shares, are held for the
// shortest time, and locked in one order. A type whose pool lacks room is
// not changed; then every such type is named in one refusal, and the
// caller's transaction is rolled back.
func (t *tx) takeFromPool(ctx context.Context, delta map[string]int64) error {
	types := licenseOrder(delta)
	if len(types) == 0 {
		return nil
	}
	d, dargs := caseByType(delta, types)
	in := placeholders(len(types))
	var args []any
	q := `UPDATE org_licenses SET allocated = allocated + ` + d
	if t.db.d.ForUpdate != "" {
		// PostgreSQL: the rows are locked first, in the one type order
		// every writer takes them in (so that two writers never wait on
		// each other in a cycle); the update then touches only rows this
		// transaction already holds. The lock is the one the UPDATE takes
		// anyway (NO KEY UPDATE), which, unlike FOR UPDATE, does not wait
		// for the key-share locks that inserting a customer's license rows
		// takes through their foreign key: a create holding those while it
		// waits for a row another create holds would close a cycle.
		q = `WITH held AS MATERIALIZED (SELECT type AS held_type FROM org_licenses WHERE type IN (` + in + `) ORDER BY ` + typeOrder + ` FOR NO KEY UPDATE)
` + q + ` FROM held WHERE type = held_type`
		args = append(append(args, anys(types)...), dargs...)
	} else {
		args = append(args, dargs...)
		q += ` WHERE type IN (` + in + `)`
		args = append(args, anys(types)...)
	}
	q += ` AND (` + d + ` <= 0 OR pool IS NULL OR allocated + ` + d + ` + org_used <= pool)`
	args = append(append(args, dargs...), dargs...)
	rows, err := t.query(ctx, q+` RETURNING type`, args...)
	if err != nil {
		return err
	}
	taken := map[string]bool{}
	for rows.Next() {
		var typ string
		if err := rows.Scan(&typ); err != nil {
			rows.Close()
			return err
		}
		taken[typ] = true
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return err
	}
	if len(taken) == len(types) {
		return nil
	}
	var over []domain.LicenseExcess
	for _, typ := range types {
		if taken[typ] {
			continue
		}
		l, err := t.orgLicense(ctx, typ)
		if err != nil {
			return err
		}
		over = append(over, domain.LicenseExcess{Type: typ, Limit: domain.LimitPool, LimitValue: deref(l.Pool), Result: l.Allocated + delta[typ] + l.OrgUsed})
	}
	return domain.ErrLicenses(over, "")
}

// lockCustomerLicenses reads a customer's rows of types and holds them
// until the transaction ends, taking them in domain.LicenseTypes order.
func (t *tx) lockCustomerLicenses(ctx context.Context, customerID string, types []string) ([]domain.CustomerLicense, error) {
	args := append([]any{customerID}, anys(types)...)
	rows, err := t.query(ctx, `SELECT type, allocated, used FROM customer_licenses WHERE customer_id = ? AND type IN (`+
		placeholders(len(types))+`) ORDER BY `+typeOrder+t.db.d.ForUpdate, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.CustomerLicense
	for rows.Next() {
		var l domain.CustomerLicense
		if err := rows.Scan(&l.Type, &l.Allocated, &l.Used); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// typeOrder sorts rows with a type column in domain.LicenseTypes order.
var typeOrder = func() string {
	var b strings.Builder
	b.WriteString("CASE type")
	for i, typ := range domain.LicenseTypes {
		fmt.Fprintf(&b, " WHEN '%s' THEN %d", typ, i)
	}
	b.WriteString(" END")
	return b.String()
}()

// caseByType returns "CASE type WHEN ? THEN ? ... END" over types with
// their values in m, and its arguments.
func caseByType(m map[string]int64, types []string) (string, []any) {
	var b strings.Builder
	var args []any
	b.WriteString("CASE type")
	for _, typ := range types {
		b.WriteString(" WHEN ? THEN CAST(? AS BIGINT)")
		args = append(args, typ, m[typ])
	}
	b.WriteString(" END")
	return b.String(), args
}

func (t *tx) AddUsage(ctx context.Context, customerID string, delta domain.Licenses) error {
	delete(t.created, customerID) // its rows are no longer as created
	locked := false               // holds one of the customer's rows
	for _, typ := range licenseOrder(delta) {
		d := delta[typ]
		if d == 0 {
			continue
		}
		if customerID == "" {
			if err := t.guarded(ctx, func() (domain.LicenseExcess, error) {
				l, err := t.orgLicense(ctx, typ)
				return domain.LicenseExcess{Type: typ, Limit: domain.LimitUnallocated, LimitValue: deref(l.Unallocated()), Result: l.OrgUsed + d}, err
			}, `UPDATE org_licenses SET org_used = org_used + ? WHERE type = ? AND (? <= 0 OR pool IS NULL OR org_used + ? <= pool - allocated)`, d, typ, d, d); err != nil {
				return err
			}
			continue
		}
		if err := t.guarded(ctx, func() (domain.LicenseExcess, error) {
			l, err := t.customerLicense(ctx, customerID, typ)
			return domain.LicenseExcess{Type: typ, Limit: domain.LimitAllocation, LimitValue: l.Allocated, Result: l.Used + d, CustomerID: customerID}, err
		}, `UPDATE customer_licenses SET used = used + ? WHERE customer_id = ? AND type = ? AND (? <= 0 OR used + ? <= allocated)`, d, customerID, typ, d, d); err != nil {
			return err
		}
		locked = true
	}
	if locked {
		if err := t.requireLiveCustomer(ctx, customerID); err != nil {
			return err
		}
	}
	return t.addCustomersUsed(ctx, customerID, delta, 1)
}

// requireLiveCustomer fails if the customer went to trash. Called once the
// writer holds one of the customer's license rows, it sees a trash that
// committed while it waited for that lock (the trash holds them all), so
// that nothing is counted for a customer whose counts were just released.
func (t *tx) requireLiveCustomer(ctx context.Context, customerID string) error {
	var live bool
	err := t.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM customers WHERE id = ? AND deleted_at IS NULL)`, customerID).Scan(&live)
	if err == nil && !live {
		err = notFound("Customer")
	}
	return err
}

// addCustomersUsed adds a customer's usage delta to the organization's
// total, in the customer's slot.
func (t *tx) addCustomersUsed(ctx context.Context, customerID string, delta domain.Licenses, sign int64) error {
	if customerID == "" {
		return nil
	}
	d := map[string]int64{}
	for typ, n := range delta {
		if n != 0 {
			d[typ] = sign * n
		}
	}
	if len(d) == 0 {
		return nil
	}
	h := fnv.New32a()
	h.Write([]byte(customerID))
	types := licenseOrder(d)
	add, args := caseByType(d, types)
	args = append(append(args, int(h.Sum32()%liveSlots)), anys(types)...)
	_, err := t.exec(ctx, `UPDATE license_used_slots SET n = n + `+add+` WHERE slot = ? AND type IN (`+placeholders(len(types))+`)`, args...)
	return err
}

// releaseCustomerLicenses returns a customer's allocation to the pool and
// takes its use out of the organization's total: a customer in trash holds
// nothing (its own rows stay, for a restore).
func (t *tx) releaseCustomerLicenses(ctx context.Context, customerID string) error {
	held, err := t.lockCustomerLicenses(ctx, customerID, domain.LicenseTypes)
	if err != nil {
		return err
	}
	used := domain.Licenses{}
	for _, l := range held {
		used[l.Type] = l.Used
		if l.Allocated != 0 {
			if _, err := t.exec(ctx, `UPDATE org_licenses SET allocated = allocated - ? WHERE type = ?`, l.Allocated, l.Type); err != nil {
				return err
			}
		}
	}
	return t.addCustomersUsed(ctx, customerID, used, -1)
}

// licenseOrder returns the types of m in domain.LicenseTypes order.
func licenseOrder[V any](m map[string]V) []string {
	var out []string
	for _, typ := range domain.LicenseTypes {
		if _, ok := m[typ]; ok {
			out = append(out, typ)
		}
	}
	for typ := range m {
		if !slices.Contains(domain.LicenseTypes, typ) {
			out = append(out, typ) // unknown: the foreign key refuses it
		}
	}
	return out
}

func deref(n *int64) int64 {
	if n == nil {
		return 0
	}
	return *n
}

// anys returns vs as statement arguments.
func anys[T any](vs []T) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = v
	}
	return out
}
