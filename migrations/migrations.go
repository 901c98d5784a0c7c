// Package migrations embeds the SQL migrations of each store dialect. Each
// file is a goose migration run in its own transaction and recorded in the
// goose_db_version table.
package migrations

import "embed"

// SQLite holds the SQLite migrations, under "sqlite".
//
//go:embed sqlite/*.sql
var SQLite embed.FS

// Postgres holds the PostgreSQL migrations, under "postgres".
//
//go:embed postgres/*.sql
var Postgres embed.FS
