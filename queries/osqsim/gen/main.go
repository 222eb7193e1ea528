// Command gen derives data/osquery-tables.json, the compact osquery schema
// that queries.Schema and osqsim read, from osquery's published per-version
// schema (osquery/osquery-site src/data/osquery_schema_versions/<v>.json) and
// the Fleet extension tables. It is a one-off tool, run by hand when the
// osquery version changes; no test runs it.
//
//	go run ./queries/osqsim/gen \
//	  -raw ../shared/osquery-schema/osquery_schema_5.23.1.raw.json \
//	  -fleet ../shared/osquery-schema/fleet_extension_tables.json \
//	  -out data/osquery-tables.json
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
)

// rawTable is one table of osquery's published schema JSON.
type rawTable struct {
	Name      string      `json:"name"`
	Platforms []string    `json:"platforms"`
	Evented   bool        `json:"evented"`
	Columns   []rawColumn `json:"columns"`
}

type rawColumn struct {
	Name      string   `json:"name"`
	Type      string   `json:"type"`
	Hidden    bool     `json:"hidden"`
	Required  bool     `json:"required"`
	Index     bool     `json:"index"`
	Platforms []string `json:"platforms"`
}

// outTable is one line of the compact file; optional keys appear only when set.
type outTable struct {
	Platforms       []string            `json:"platforms"`
	Columns         [][2]string         `json:"columns"`
	Hidden          []string            `json:"hidden,omitempty"`
	Required        []string            `json:"required,omitempty"`
	Index           []string            `json:"index,omitempty"`
	ColumnPlatforms map[string][]string `json:"column_platforms,omitempty"`
	Evented         bool                `json:"evented,omitempty"`
	Extension       string              `json:"extension,omitempty"`
}

func main() {
	rawPath := flag.String("raw", "", "osquery published schema JSON (osquery_schema_<v>.raw.json)")
	fleetPath := flag.String("fleet", "", "Fleet extension tables JSON (optional)")
	version := flag.String("version", "5.23.1", "osquery version the schema describes")
	source := flag.String("source", "osquery/osquery-site src/data/osquery_schema_versions/5.23.1.json @086d2d5515422b404d6708c568bc9057a6e1e13b; mdm from fleetdm/fleet schema/tables/mdm.yml @02437a098e4837b9ac7a44a81a4253c31aa1b9b8", "provenance recorded in the output")
	out := flag.String("out", "data/osquery-tables.json", "output file")
	flag.Parse()
	if err := run(*rawPath, *fleetPath, *version, *source, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(rawPath, fleetPath, version, source, out string) error {
	if rawPath == "" {
		return fmt.Errorf("-raw is required")
	}
	b, err := os.ReadFile(rawPath)
	if err != nil {
		return err
	}
	var raw []rawTable
	if err := json.Unmarshal(b, &raw); err != nil {
		return fmt.Errorf("%s: %w", rawPath, err)
	}
	tables := map[string]outTable{}
	for _, t := range raw {
		tables[t.Name] = compact(t, "")
	}
	if fleetPath != "" {
		b, err := os.ReadFile(fleetPath)
		if err != nil {
			return err
		}
		var fleet map[string]rawTable
		if err := json.Unmarshal(b, &fleet); err != nil {
			return fmt.Errorf("%s: %w", fleetPath, err)
		}
		for name, t := range fleet {
			if _, dup := tables[name]; dup {
				return fmt.Errorf("%s: table %q is already a core osquery table", fleetPath, name)
			}
			tables[name] = compact(t, "fleet")
		}
	}
	names := make([]string, 0, len(tables))
	for n := range tables {
		names = append(names, n)
	}
	sort.Strings(names)

	var buf bytes.Buffer
	head, _ := json.Marshal(version)
	src, _ := json.Marshal(source)
	fmt.Fprintf(&buf, "{\"version\":%s,\n\"source\":%s,\n\"tables\":{\n", head, src)
	for i, n := range names {
		line, err := json.Marshal(tables[n])
		if err != nil {
			return err
		}
		key, _ := json.Marshal(n)
		sep := ","
		if i == len(names)-1 {
			sep = ""
		}
		fmt.Fprintf(&buf, "%s:%s%s\n", key, line, sep)
	}
	buf.WriteString("}}\n")
	return os.WriteFile(out, buf.Bytes(), 0o644)
}

// compact keeps what a query checker needs: column names and types in order,
// the hidden/required/index flags and the column platforms. Column platforms
// are normalised to linux, darwin, windows (osquery also lists win32, cygwin).
func compact(t rawTable, extension string) outTable {
	o := outTable{Platforms: normPlatforms(t.Platforms), Evented: t.Evented, Extension: extension}
	for _, c := range t.Columns {
		o.Columns = append(o.Columns, [2]string{c.Name, c.Type})
		if c.Hidden {
			o.Hidden = append(o.Hidden, c.Name)
		}
		if c.Required {
			o.Required = append(o.Required, c.Name)
		}
		if c.Index {
			o.Index = append(o.Index, c.Name)
		}
		if len(c.Platforms) > 0 {
			if o.ColumnPlatforms == nil {
				o.ColumnPlatforms = map[string][]string{}
			}
			o.ColumnPlatforms[c.Name] = normPlatforms(c.Platforms)
		}
	}
	return o
}

func normPlatforms(ps []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range ps {
		if p == "win32" || p == "cygwin" {
			p = "windows"
		}
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}
