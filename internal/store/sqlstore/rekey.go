package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"github.com/pressly/goose/v3"

	"github.com/custreg/custreg/internal/domain"
)

// RekeyVersion is the migration that recomputes the stored keys.
const RekeyVersion = 12

// RekeyMigration is migration 12, written in Go because the keys are the
// domain's: it recomputes every stored name and code key with domain.Fold
// (NFKC, case folding, invisible characters removed, white space runs as
// one space), which replaced a plain case fold, so that rows written before
// collide with their look-alikes and are found by searches exactly like
// rows written after. A row whose new key would take one that another live
// row holds (two names that were distinct and are now look-alikes) keeps its
// old key and is logged, so that an administrator can rename one of them;
// the migration never fails on the data. On SQLite the search index follows
// through its triggers. numbered says whether the dialect writes
// placeholders as $1.
func RekeyMigration(numbered bool) *goose.Migration {
	return goose.NewGoMigration(RekeyVersion,
		&goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error { return rekey(ctx, tx, numbered) }},
		&goose.GoFunc{RunTx: func(context.Context, *sql.Tx) error { return nil }}) // keys stay valid under the old fold's readers
}

// keyed is one text column with its key column, unique per group among
// the rows that live selects.
type keyed struct {
	table, text, key, group, live string
}

var rekeyed = []keyed{
	{"customers", "name", "name_key", "''", "deleted_at IS NULL"},
	{"customers", "code", "code_key", "''", "deleted_at IS NULL"},
	{"entities", "name", "name_key", "customer_id", "deleted_at IS NULL"},
	{"entities", "code", "code_key", "customer_id", "deleted_at IS NULL"},
	{"assets", "name", "name_key", "''", "FALSE"}, // not unique
	{"roles", "name", "name_key", "''", "TRUE"},
}

func rekey(ctx context.Context, tx *sql.Tx, numbered bool) error {
	for _, k := range rekeyed {
		if err := rekeyColumn(ctx, tx, numbered, k); err != nil {
			return fmt.Errorf("rekey %s.%s: %w", k.table, k.key, err)
		}
	}
	return nil
}

func rekeyColumn(ctx context.Context, tx *sql.Tx, numbered bool, k keyed) error {
	id := "id"
	if k.table == "roles" {
		id = "key"
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+id+`, coalesce(`+k.group+`, ''), `+k.live+`, `+k.text+`, `+k.key+
		` FROM `+k.table+` WHERE `+k.text+` IS NOT NULL ORDER BY `+id)
	if err != nil {
		return err
	}
	type row struct {
		id, group, old, new string
		live                bool
	}
	var changed []row
	taken := map[[2]string]int{} // (group, key) → live rows holding it
	for rows.Next() {
		var r row
		var text string
		if err := rows.Scan(&r.id, &r.group, &r.live, &text, &r.old); err != nil {
			rows.Close()
			return err
		}
		if r.live {
			taken[[2]string{r.group, r.old}]++
		}
		if r.new = domain.Fold(text); r.new != r.old {
			changed = append(changed, r)
		}
	}
	if err := rows.Close(); err != nil {
		return err
	}
	update := `UPDATE ` + k.table + ` SET ` + k.key + ` = ? WHERE ` + id + ` = ?`
	if numbered {
		update = strings.Replace(strings.Replace(update, "?", "$1", 1), "?", "$2", 1)
	}
	kept := 0
	for _, r := range changed {
		if r.live {
			if taken[[2]string{r.group, r.new}] > 0 {
				kept++
				slog.Warn("migration: a name is now a look-alike of another and keeps its old key; rename one of them",
					"table", k.table, "column", k.text, "id", r.id, "key", strconv.Quote(r.new))
				continue
			}
			taken[[2]string{r.group, r.old}]--
			taken[[2]string{r.group, r.new}]++
		}
		if _, err := tx.ExecContext(ctx, update, r.new, r.id); err != nil {
			return err
		}
	}
	if len(changed) > 0 {
		slog.Info("migration: keys recomputed", "table", k.table, "column", k.key, "changed", len(changed)-kept, "kept", kept)
	}
	return nil
}
