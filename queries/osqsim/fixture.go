package osqsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/miccmac/miccmac-osq/queries"
)

// Fixture is one simulated host: the rows osquery would hold in each table.
//
//	{"host": "deb12-laptop", "platform": "linux",
//	 "description": "optional note",
//	 "tables": {"os_version": [{"name": "Debian GNU/Linux", "major": "12"}]}}
//
// Values are strings as osquery emits them; a JSON number is taken as its
// text and null leaves the column NULL.
type Fixture struct {
	// File is where the fixture was read from, for messages.
	File        string                   `json:"-"`
	Host        string                   `json:"host"`
	Platform    string                   `json:"platform"`
	Description string                   `json:"description,omitempty"`
	Tables      map[string][]queries.Row `json:"tables"`
}

// LoadFixture reads and checks a fixture file: the platform must be linux,
// darwin or windows and every table and column must exist there in osquery's
// schema.
func LoadFixture(path string) (*Fixture, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("osqsim: %w", err)
	}
	return ParseFixture(path, b)
}

// ParseFixture is LoadFixture for text already in memory; file names it in errors.
func ParseFixture(file string, b []byte) (*Fixture, error) {
	var raw struct {
		Host        string                      `json:"host"`
		Platform    string                      `json:"platform"`
		Description string                      `json:"description"`
		Tables      map[string][]map[string]any `json:"tables"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("osqsim: %s: %w", file, err)
	}
	switch raw.Platform {
	case "linux", "darwin", "windows":
	default:
		return nil, fmt.Errorf("osqsim: %s: platform %q is not one of linux, darwin, windows", file, raw.Platform)
	}
	f := &Fixture{File: file, Host: raw.Host, Platform: raw.Platform, Description: raw.Description,
		Tables: make(map[string][]queries.Row, len(raw.Tables))}
	names := make([]string, 0, len(raw.Tables))
	for n := range raw.Tables {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		rows := make([]queries.Row, 0, len(raw.Tables[name]))
		for i, r := range raw.Tables[name] {
			row := make(queries.Row, len(r))
			for col, v := range r {
				switch x := v.(type) {
				case string:
					row[col] = x
				case json.Number:
					row[col] = x.String()
				case nil:
					// NULL: leave the column out.
				default:
					return nil, fmt.Errorf("osqsim: %s: tables.%s[%d].%s: want a string (osquery emits text), got %T", file, name, i, col, v)
				}
			}
			rows = append(rows, row)
		}
		f.Tables[name] = rows
	}
	if _, err := newStore(f.Tables, Options{Platform: f.Platform}); err != nil {
		return nil, fmt.Errorf("osqsim: %s: %s", file, strings.TrimPrefix(err.Error(), "osqsim: "))
	}
	return f, nil
}

// Open creates the fixture's database as osquery on its platform would hold it.
func (f *Fixture) Open() (*DB, error) {
	return OpenWith(f.Tables, Options{Platform: f.Platform})
}
