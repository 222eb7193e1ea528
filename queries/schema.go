package queries

import (
	"encoding/json"
	"fmt"
	"slices"
	"sync"

	"github.com/miccmac/miccmac-osq/data"
)

// schemaFile is the embedded compact osquery schema (see data/osquery-tables.md).
const schemaFile = "osquery-tables.json"

// Table is one osquery table as the published schema describes it.
type Table struct {
	Name string
	// Platforms are the osquery platforms the table exists on: linux, darwin, windows.
	Platforms []string
	// Columns are in osquery's order, hidden ones included.
	Columns []Column
	// Evented tables are filled by osquery's event publishers.
	Evented bool
	// Extension names the extension that provides a non-core table ("fleet"); empty for core tables.
	Extension string
}

// Column is one column of an osquery table.
type Column struct {
	Name string
	// Type is osquery's type: text, integer, bigint, unsigned_bigint or double.
	Type string
	// Hidden is the published schema's flag: the column is left out of SELECT *.
	// See HiddenOn for the per-platform rule.
	Hidden bool
	// Required columns must be constrained in WHERE for the table to return rows.
	Required bool
	// Index marks columns osquery uses as an index or input.
	Index bool
	// Platforms restricts the column to some of its table's platforms; nil means all of them.
	Platforms []string
}

// On reports whether the table exists on the osquery platform; "" means any.
func (t Table) On(platform string) bool {
	return platform == "" || slices.Contains(t.Platforms, platform)
}

// Column returns the named column (names are matched exactly, as osquery emits them).
func (t Table) Column(name string) (Column, bool) {
	for _, c := range t.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}

// On reports whether the column is populated on the osquery platform; "" means any.
func (c Column) On(platform string) bool {
	return platform == "" || len(c.Platforms) == 0 || slices.Contains(c.Platforms, platform)
}

// HiddenOn reports whether SELECT * leaves the column out on the platform
// ("" means: as the published schema says). osquery marks a column that
// belongs to other platforms HIDDEN; the published schema is generated on
// Linux, so its hidden flag on a column restricted to darwin or windows says
// nothing about that column on its own platform, where it is treated as shown.
func (c Column) HiddenOn(platform string) bool {
	switch {
	case platform == "":
		return c.Hidden
	case !c.On(platform):
		return true
	case len(c.Platforms) > 0 && !slices.Contains(c.Platforms, "linux"):
		return false
	default:
		return c.Hidden
	}
}

// schemaJSON is the on-disk shape of data/osquery-tables.json.
type schemaJSON struct {
	Version string                     `json:"version"`
	Source  string                     `json:"source"`
	Tables  map[string]schemaTableJSON `json:"tables"`
}

type schemaTableJSON struct {
	Platforms       []string            `json:"platforms"`
	Columns         [][2]string         `json:"columns"`
	Hidden          []string            `json:"hidden"`
	Required        []string            `json:"required"`
	Index           []string            `json:"index"`
	ColumnPlatforms map[string][]string `json:"column_platforms"`
	Evented         bool                `json:"evented"`
	Extension       string              `json:"extension"`
}

var (
	schemaOnce    sync.Once
	schemaTables  map[string]Table
	schemaVersion string
	schemaErr     error
)

// Schema returns osquery's tables by name, read once from the embedded
// data/osquery-tables.json. Callers must not modify the result.
func Schema() (map[string]Table, error) {
	schemaOnce.Do(func() {
		b, err := data.FS.ReadFile(schemaFile)
		if err != nil {
			schemaErr = fmt.Errorf("queries: schema: %w", err)
			return
		}
		schemaTables, schemaVersion, schemaErr = parseSchema(b)
	})
	return schemaTables, schemaErr
}

// SchemaVersion is the osquery release the embedded schema describes.
func SchemaVersion() (string, error) {
	_, err := Schema()
	return schemaVersion, err
}

func parseSchema(b []byte) (map[string]Table, string, error) {
	var s schemaJSON
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, "", fmt.Errorf("queries: data/%s: %w", schemaFile, err)
	}
	if s.Version == "" || len(s.Tables) == 0 {
		return nil, "", fmt.Errorf("queries: data/%s: no version or no tables", schemaFile)
	}
	out := make(map[string]Table, len(s.Tables))
	for name, st := range s.Tables {
		t := Table{Name: name, Platforms: st.Platforms, Evented: st.Evented, Extension: st.Extension}
		idx := map[string]int{}
		for _, c := range st.Columns {
			if _, dup := idx[c[0]]; dup || c[0] == "" || c[1] == "" {
				return nil, "", fmt.Errorf("queries: data/%s: table %s: bad or repeated column %q", schemaFile, name, c[0])
			}
			idx[c[0]] = len(t.Columns)
			t.Columns = append(t.Columns, Column{Name: c[0], Type: c[1]})
		}
		flag := func(key string, names []string, set func(*Column)) error {
			for _, n := range names {
				i, ok := idx[n]
				if !ok {
					return fmt.Errorf("queries: data/%s: table %s: %s names unknown column %q", schemaFile, name, key, n)
				}
				set(&t.Columns[i])
			}
			return nil
		}
		if err := flag("hidden", st.Hidden, func(c *Column) { c.Hidden = true }); err != nil {
			return nil, "", err
		}
		if err := flag("required", st.Required, func(c *Column) { c.Required = true }); err != nil {
			return nil, "", err
		}
		if err := flag("index", st.Index, func(c *Column) { c.Index = true }); err != nil {
			return nil, "", err
		}
		for n, ps := range st.ColumnPlatforms {
			if err := flag("column_platforms", []string{n}, func(c *Column) { c.Platforms = ps }); err != nil {
				return nil, "", err
			}
		}
		out[name] = t
	}
	return out, s.Version, nil
}
