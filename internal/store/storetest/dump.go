package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
)

// TablesHolding returns, for each table of the database (the migrations'
// bookkeeping aside), the rows in which any of needles occurs as text:
// every column of every row is rendered and searched, so that a table
// added later is checked without being named. driver is "sqlite" or
// "pgx"; dsn the database's path or URL. Tests of erasure use it to prove
// that nothing of a purged record is left anywhere.
func TablesHolding(tb testing.TB, driver, dsn string, needles ...string) map[string][]string {
	tb.Helper()
	ctx := context.Background()
	db, err := sql.Open(driver, dsn)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	listQ := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
	rowQ := func(table string) string { return `SELECT * FROM "` + table + `"` }
	if driver == "pgx" {
		listQ = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`
		rowQ = func(table string) string { return `SELECT row_to_json(t)::text FROM "` + table + `" t` }
	}
	var tables []string
	rows, err := db.QueryContext(ctx, listQ)
	if err != nil {
		tb.Fatal(err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			tb.Fatal(err)
		}
		if name != "goose_db_version" {
			tables = append(tables, name)
		}
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	rows.Close()
	if len(tables) < 10 {
		tb.Fatalf("only %d tables found in %s: %v", len(tables), dsn, tables)
	}
	out := map[string][]string{}
	for _, table := range tables {
		rows, err := db.QueryContext(ctx, rowQ(table))
		if err != nil {
			tb.Fatalf("%s: %v", table, err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				tb.Fatalf("%s: %v", table, err)
			}
			var b strings.Builder
			for i, v := range vals {
				if bs, ok := v.([]byte); ok {
					v = string(bs)
				}
				fmt.Fprintf(&b, "%s=%v ", cols[i], v)
			}
			row := b.String()
			for _, n := range needles {
				if n != "" && strings.Contains(strings.ToLower(row), strings.ToLower(n)) {
					out[table] = append(out[table], row)
					break
				}
			}
		}
		if err := rows.Err(); err != nil {
			tb.Fatalf("%s: %v", table, err)
		}
		rows.Close()
	}
	return out
}
