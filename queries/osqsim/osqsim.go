// Package osqsim executes osquery SQL against an in-memory SQLite database
// whose tables have osquery 5.23.1's columns, so tests evaluate WHERE clauses
// and JOINs for real and a misspelt table or column fails as it would in osquery.
package osqsim

import (
	"context"
	"errors"

	"github.com/miccmac/miccmac-osq/queries"
)

// DB is an in-memory osquery look-alike.
type DB struct{}

// Open creates a database holding only the given tables (with every column of
// the osquery schema), loaded with rows. A table absent from tables answers
// "no such table", as an uncollected table does in osquery.
func Open(tables map[string][]queries.Row) (*DB, error) {
	return nil, errors.New("osqsim: not implemented yet")
}

// Query runs sql and returns rows as osquery would: text values, NULL columns
// absent from the row.
func (db *DB) Query(ctx context.Context, sql string) ([]queries.Row, error) {
	return nil, errors.New("osqsim: not implemented yet")
}
