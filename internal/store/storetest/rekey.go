package storetest

import (
	"context"
	"testing"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/store"
	"github.com/custreg/custreg/internal/store/sqlstore"
)

// Rekey checks migration 12 on keys an older release wrote with a plain
// case fold: a name holding fullwidth letters, a zero-width space or a
// double space gets the key domain.Fold gives it, and is then taken by its
// look-alike and found by search; a row whose new key another live row
// already holds keeps its old key (and the migration does not fail).
func Rekey(t *testing.T, exec func(q string) error, migrateTo func(version int64) error, open func() store.Store) {
	if err := migrateTo(sqlstore.RekeyVersion - 1); err != nil {
		t.Fatal(err)
	}
	at := "'2026-11-30T12:00:00.000000Z'"
	for _, q := range []string{
		`INSERT INTO customers (id, name, name_key, code, code_key, is_active, created_at, updated_at, version) VALUES
		 ('c-1', 'Ａｃｍｅ  Widgets', 'ａｃｍｅ  widgets', 'AW1', 'aw1', TRUE, ` + at + `, ` + at + `, 1),
		 ('c-2', 'Beta` + "\u200b" + `', 'beta` + "\u200b" + `', 'B2', 'b2', TRUE, ` + at + `, ` + at + `, 1),
		 ('c-3', 'Beta', 'beta', 'B3', 'b3', TRUE, ` + at + `, ` + at + `, 1)`,
		`INSERT INTO customer_licenses (customer_id, type, allocated, used) SELECT c.id, t.type, 0, 0 FROM customers c, license_types t`,
		`INSERT INTO entities (id, customer_id, name, name_key, type, is_active, created_at, updated_at, version) VALUES
		 ('e-1', 'c-1', 'Ｎorth', 'ｎorth', 'branch', TRUE, ` + at + `, ` + at + `, 1)`,
	} {
		if err := exec(q); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
	st := open()
	c := context.Background()
	mustRead(t, st, func(tx store.Tx) error {
		nameTaken, _, err := tx.CustomerTaken(c, domain.Fold("ACME widgets"), "zz", "")
		if err != nil {
			return err
		}
		if !nameTaken {
			t.Error(`"ACME widgets" is not taken by "Ａｃｍｅ  Widgets" after the migration`)
		}
		page, err := tx.Customers(c, domain.OrgScope, domain.CustomerFilter{Where: domain.SearchFilter("acme wid"), Limit: 10, Sort: domain.SortNameAsc})
		if err != nil {
			return err
		}
		if len(page.Items) != 1 || page.Items[0].ID != "c-1" {
			t.Errorf("search for %q found %d customers", "acme wid", len(page.Items))
		}
		e, _, err := tx.EntityTaken(c, "c-1", domain.Fold("north"), "", "")
		if err != nil {
			return err
		}
		if !e {
			t.Error(`entity "north" is not taken by "Ｎorth" after the migration`)
		}
		return nil
	})
	// "Beta\u200b" would now be "beta", held by c-3: it keeps its old key.
	var key string
	if err := exec(`UPDATE customers SET landmark = name_key WHERE id = 'c-2'`); err != nil {
		t.Fatal(err)
	}
	mustRead(t, st, func(tx store.Tx) error {
		got, err := tx.Customer(c, domain.OrgScope, "c-2")
		key = got.Location.Landmark
		return err
	})
	if key != "beta\u200b" {
		t.Errorf("the look-alike's key = %q, want its old key kept", key)
	}
}
