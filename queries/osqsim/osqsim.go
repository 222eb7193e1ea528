// Package osqsim executes osquery SQL against an in-memory SQLite database
// whose tables have osquery 5.23.1's columns, so tests evaluate WHERE clauses
// and JOINs for real and a misspelt table or column fails as it would in osquery.
//
// Each table is an SQLite virtual table, as in osquery: hidden columns are
// left out of SELECT *, declared types (TEXT, INTEGER, BIGINT, UNSIGNED
// BIGINT, DOUBLE) give comparisons osquery's affinities, and only the tables
// handed to Open exist, so an uncollected table answers "no such table".
// osquery's SQL functions that SQLite lacks are registered (see funcs.go).
//
// Values. A cell of a numeric column that osquery's own conversion accepts
// (strtoll base 0 for integer types, strtod for double) is stored as a number,
// so port = 22 and size > 100 compare numerically. Any other text, "" included,
// is kept as the text given, so rows round-trip unchanged; osquery itself
// turns such a cell into NULL. Options.OsqueryNulls selects osquery's exact
// behaviour instead: such cells are NULL and NULL prints as "".
//
// Output. Every value is text: integers in decimal, doubles in the shortest
// form that reads back exactly, with ".0" added to whole numbers as osquery's
// castVariant does (osquery itself prints 17 significant digits, so it may
// show 0.10000000000000001 where osqsim shows 0.1); NULL leaves the key out of
// the row (or is "" under OsqueryNulls). Column names are SQLite's, so aliases
// work, and where two result columns share a name the last wins, as in osquery.
package osqsim

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"modernc.org/sqlite"

	"github.com/miccmac/miccmac-osq/queries"
)

// Options tune how closely a database imitates osquery.
type Options struct {
	// Platform (linux, darwin or windows) makes the database look like osquery
	// on that platform: a table osquery lacks there cannot be loaded, and
	// columns that belong to other platforms are hidden. Empty means the
	// published schema as is, with every table allowed.
	Platform string
	// OsqueryNulls stores a numeric cell that osquery cannot parse ("" included)
	// as NULL, as osquery does, and prints NULL as "" instead of leaving the key out.
	OsqueryNulls bool
}

// DB is an in-memory osquery look-alike. It is safe for concurrent use;
// queries run one at a time.
type DB struct {
	mu      sync.Mutex
	h       *handle
	opts    Options
	cleanup runtime.Cleanup
}

// SQLError is an error SQLite reported for a query, with osquery's wording
// ("no such table: x", "no such column: y").
type SQLError struct {
	Msg  string
	Code int
}

// Error returns SQLite's message, as osquery reports it.
func (e *SQLError) Error() string { return e.Msg }

// Open creates a database holding only the given tables (with every column of
// the osquery schema), loaded with rows. A table absent from tables answers
// "no such table", as an uncollected table does in osquery. A table or a row
// column that osquery's schema does not have is an error.
func Open(tables map[string][]queries.Row) (*DB, error) {
	return OpenWith(tables, Options{})
}

// OpenWith is Open with options.
func OpenWith(tables map[string][]queries.Row, opts Options) (*DB, error) {
	st, err := newStore(tables, opts)
	if err != nil {
		return nil, err
	}
	return open(st, opts)
}

// OpenAll creates every table of the schema, empty: enough to compile
// (EXPLAIN) any query osquery would accept on some platform.
func OpenAll() (*DB, error) {
	return OpenAllWith(Options{})
}

// OpenAllWith creates every table that exists on opts.Platform (every table
// when it is empty), empty.
func OpenAllWith(opts Options) (*DB, error) {
	schema, err := queries.Schema()
	if err != nil {
		return nil, err
	}
	tables := map[string][]queries.Row{}
	for name, t := range schema {
		if t.On(opts.Platform) {
			tables[name] = nil
		}
	}
	return OpenWith(tables, opts)
}

// Query runs sql and returns rows as osquery would: text values, NULL columns
// absent from the row (see Options.OsqueryNulls). A query that matches
// nothing returns an empty, non-nil slice. SQL errors are *SQLError; a
// cancelled or expired ctx stops the query and its error wraps ctx.Err().
// Give one statement: of "SELECT 1; SELECT 2" only the last statement's rows
// come back, where osquery would return the rows of both.
func (db *DB) Query(ctx context.Context, sql string) ([]queries.Row, error) {
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.h == nil {
		return nil, errors.New("osqsim: query on a closed DB")
	}
	rows, err := db.h.conn.QueryContext(ctx, sql)
	if err != nil {
		return nil, queryError(ctx, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, queryError(ctx, err)
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	out := []queries.Row{}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, queryError(ctx, err)
		}
		row := make(queries.Row, len(cols))
		for i, c := range cols {
			if s, ok := outputText(vals[i]); ok {
				row[c] = s
			} else if db.opts.OsqueryNulls {
				row[c] = ""
			} else {
				delete(row, c) // a later NULL column of the same name wins, as in osquery
			}
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		return nil, queryError(ctx, err)
	}
	return out, nil
}

// Close releases the database. A DB that is never closed is released when it
// is garbage collected.
func (db *DB) Close() error {
	db.mu.Lock()
	h := db.h
	db.h = nil
	db.mu.Unlock()
	if h == nil {
		return nil
	}
	db.cleanup.Stop()
	return h.close()
}

// handle owns the SQLite connection and the rows its virtual tables serve.
type handle struct {
	id   int64
	sql  *sql.DB
	conn *sql.Conn
	once sync.Once
	err  error
}

func (h *handle) close() error {
	h.once.Do(func() {
		stores.Delete(h.id)
		if h.conn != nil {
			h.err = h.conn.Close()
		}
		if err := h.sql.Close(); h.err == nil {
			h.err = err
		}
	})
	return h.err
}

var nextID atomic.Int64

func open(st *store, opts Options) (*DB, error) {
	h := &handle{id: nextID.Add(1), sql: sql.OpenDB(connector{})}
	stores.Store(h.id, st)
	// ":memory:" is private to its connection: keep exactly one, for good.
	h.sql.SetMaxOpenConns(1)
	h.sql.SetMaxIdleConns(1)
	h.sql.SetConnMaxLifetime(0)
	h.sql.SetConnMaxIdleTime(0)
	ctx := context.Background()
	conn, err := h.sql.Conn(ctx)
	if err != nil {
		h.close()
		return nil, fmt.Errorf("osqsim: open: %w", err)
	}
	h.conn = conn
	names := make([]string, 0, len(st.tables))
	for n := range st.tables {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		stmt := fmt.Sprintf("CREATE VIRTUAL TABLE %s USING %s(%d, %s)", quoteIdent(n), moduleName, h.id, n)
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			h.close()
			return nil, fmt.Errorf("osqsim: create table %s: %w", n, queryError(ctx, err))
		}
	}
	db := &DB{h: h, opts: opts}
	db.cleanup = runtime.AddCleanup(db, func(h *handle) { h.close() }, h)
	return db, nil
}

// connector opens private in-memory databases on this package's driver, which
// carries osquery's functions and the table module.
type connector struct{}

func (connector) Connect(context.Context) (driver.Conn, error) { return drv.Open(":memory:") }
func (connector) Driver() driver.Driver                        { return drv }

// drv is a private driver so osquery's functions (split, log, concat_ws, ...)
// reach only osqsim's connections.
var drv = newDriver()

func newDriver() *sqlite.Driver {
	d := &sqlite.Driver{}
	if err := d.RegisterModule(moduleName, module{}); err != nil {
		panic(err)
	}
	registerFunctions(d)
	return d
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// queryError turns a driver error into osquery's wording, or into the
// context's error when the query was cancelled.
func queryError(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return fmt.Errorf("osqsim: query stopped: %w", cerr)
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return &SQLError{Msg: sqliteMessage(se.Error()), Code: se.Code()}
	}
	return err
}

// sqliteMessage strips the driver's decoration ("SQL logic error: ... (1)")
// to leave sqlite3_errmsg's text, which is what osquery reports.
func sqliteMessage(s string) string {
	if i := strings.LastIndex(s, " ("); i >= 0 && strings.HasSuffix(s, ")") {
		if _, err := strconv.Atoi(s[i+2 : len(s)-1]); err == nil {
			s = s[:i]
		}
	}
	if _, msg, ok := strings.Cut(s, ": "); ok {
		return msg
	}
	return s
}
