package osqsim

import (
	"database/sql/driver"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"modernc.org/sqlite/vtab"

	"github.com/miccmac/miccmac-osq/queries"
)

// moduleName is the SQLite module every osqsim table is created with.
const moduleName = "osqsim_osquery"

// stores maps a handle id to the rows its tables serve. The module finds a
// table's data here when SQLite creates (or reconnects) the virtual table.
var stores sync.Map // int64 -> *store

// store is the data of one DB: each table's declaration and converted rows.
type store struct {
	tables map[string]*tableData
}

// tableData is one virtual table: its CREATE TABLE declaration and its rows,
// one driver value per schema column, in schema order.
type tableData struct {
	decl string
	rows [][]driver.Value
}

// newStore checks tables against the schema (on opts.Platform) and converts
// every cell the way osquery's virtual tables type them.
func newStore(tables map[string][]queries.Row, opts Options) (*store, error) {
	schema, err := queries.Schema()
	if err != nil {
		return nil, err
	}
	version, _ := queries.SchemaVersion()
	switch opts.Platform {
	case "", "linux", "darwin", "windows":
	default:
		return nil, fmt.Errorf("osqsim: platform %q is not one of linux, darwin, windows", opts.Platform)
	}
	names := make([]string, 0, len(tables))
	for n := range tables {
		names = append(names, n)
	}
	sort.Strings(names)
	st := &store{tables: make(map[string]*tableData, len(tables))}
	for _, name := range names {
		t, ok := schema[name]
		if !ok {
			return nil, fmt.Errorf("osqsim: no table %q in osquery %s's schema", name, version)
		}
		if !t.On(opts.Platform) {
			return nil, fmt.Errorf("osqsim: table %s does not exist on %s (osquery %s has it on %s)",
				name, opts.Platform, version, strings.Join(t.Platforms, ", "))
		}
		td, err := newTableData(t, tables[name], opts)
		if err != nil {
			return nil, err
		}
		st.tables[name] = td
	}
	return st, nil
}

func newTableData(t queries.Table, rows []queries.Row, opts Options) (*tableData, error) {
	var decl strings.Builder
	fmt.Fprintf(&decl, "CREATE TABLE %s(", quoteIdent(t.Name))
	index := make(map[string]int, len(t.Columns))
	for i, c := range t.Columns {
		typ, ok := sqlTypes[c.Type]
		if !ok {
			return nil, fmt.Errorf("osqsim: table %s: column %s has unknown type %q", t.Name, c.Name, c.Type)
		}
		if i > 0 {
			decl.WriteString(", ")
		}
		decl.WriteString(quoteIdent(c.Name) + " " + typ)
		if c.HiddenOn(opts.Platform) {
			decl.WriteString(" HIDDEN")
		}
		index[c.Name] = i
	}
	decl.WriteString(")")
	td := &tableData{decl: decl.String(), rows: make([][]driver.Value, 0, len(rows))}
	for r, row := range rows {
		vals := make([]driver.Value, len(t.Columns))
		for name, v := range row {
			i, ok := index[name]
			if !ok {
				return nil, fmt.Errorf("osqsim: table %s: row %d: no column %q in osquery's schema for %s", t.Name, r, name, t.Name)
			}
			vals[i] = cellValue(t.Columns[i].Type, v, opts.OsqueryNulls)
		}
		td.rows = append(td.rows, vals)
	}
	return td, nil
}

// sqlTypes are the declared types osquery gives its virtual table columns.
var sqlTypes = map[string]string{
	"text":            "TEXT",
	"integer":         "INTEGER",
	"bigint":          "BIGINT",
	"unsigned_bigint": "UNSIGNED BIGINT",
	"double":          "DOUBLE",
}

// module creates osqsim's virtual tables: CREATE VIRTUAL TABLE t USING
// osqsim_osquery(<handle id>, <table name>).
type module struct{}

func (module) Create(ctx vtab.Context, args []string) (vtab.Table, error) { return connect(ctx, args) }
func (module) Connect(ctx vtab.Context, args []string) (vtab.Table, error) {
	return connect(ctx, args)
}

func connect(ctx vtab.Context, args []string) (vtab.Table, error) {
	// args: module name, database name, table name, then the USING arguments.
	if len(args) != 5 {
		return nil, fmt.Errorf("osqsim: want USING %s(id, table), got %q", moduleName, args)
	}
	id, err := strconv.ParseInt(strings.TrimSpace(args[3]), 10, 64)
	if err != nil {
		return nil, fmt.Errorf("osqsim: bad store id %q", args[3])
	}
	v, ok := stores.Load(id)
	if !ok {
		return nil, fmt.Errorf("osqsim: store %d is closed", id)
	}
	td, ok := v.(*store).tables[strings.TrimSpace(args[4])]
	if !ok {
		return nil, fmt.Errorf("osqsim: store %d has no table %q", id, args[4])
	}
	if err := ctx.Declare(td.decl); err != nil {
		return nil, fmt.Errorf("osqsim: declare %s: %w", args[4], err)
	}
	return &table{rows: td.rows}, nil
}

// table serves fixed rows; SQLite itself evaluates every constraint.
type table struct {
	rows [][]driver.Value
}

func (t *table) BestIndex(info *vtab.IndexInfo) error {
	info.EstimatedRows = int64(len(t.rows))
	info.EstimatedCost = float64(len(t.rows) + 1)
	return nil
}

func (t *table) Open() (vtab.Cursor, error) { return &cursor{rows: t.rows}, nil }
func (t *table) Disconnect() error          { return nil }
func (t *table) Destroy() error             { return nil }

type cursor struct {
	rows [][]driver.Value
	i    int
}

func (c *cursor) Filter(int, string, []vtab.Value) error { c.i = 0; return nil }
func (c *cursor) Next() error                            { c.i++; return nil }
func (c *cursor) Eof() bool                              { return c.i >= len(c.rows) }
func (c *cursor) Column(col int) (vtab.Value, error)     { return c.rows[c.i][col], nil }
func (c *cursor) Rowid() (int64, error)                  { return int64(c.i), nil }
func (c *cursor) Close() error                           { return nil }
