package queries_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/miccmac/miccmac-osq/queries"
	"github.com/miccmac/miccmac-osq/queries/osqsim"
)

func TestSchema(t *testing.T) {
	schema, err := queries.Schema()
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := queries.SchemaVersion(); v != "5.23.1" {
		t.Errorf("version %q, want 5.23.1", v)
	}
	if len(schema) != 287 {
		t.Errorf("%d tables, want 286 core + mdm", len(schema))
	}
	types := map[string]bool{"text": true, "integer": true, "bigint": true, "unsigned_bigint": true, "double": true}
	for name, tb := range schema {
		if tb.Name != name || len(tb.Platforms) == 0 || len(tb.Columns) == 0 {
			t.Errorf("%s: name %q, platforms %v, %d columns", name, tb.Name, tb.Platforms, len(tb.Columns))
		}
		for _, c := range tb.Columns {
			if !types[c.Type] {
				t.Errorf("%s.%s: type %q", name, c.Name, c.Type)
			}
			for _, p := range c.Platforms {
				if p != "linux" && p != "darwin" && p != "windows" {
					t.Errorf("%s.%s: platform %q", name, c.Name, p)
				}
			}
		}
	}

	col := func(table, column string) queries.Column {
		t.Helper()
		c, ok := schema[table].Column(column)
		if !ok {
			t.Fatalf("no %s.%s", table, column)
		}
		return c
	}
	if got := schema["deb_packages"].Platforms; !reflect.DeepEqual(got, []string{"linux"}) {
		t.Errorf("deb_packages platforms %v", got)
	}
	if mdm := schema["mdm"]; mdm.Extension != "fleet" || !mdm.On("darwin") || mdm.On("linux") {
		t.Errorf("mdm: extension %q platforms %v", mdm.Extension, mdm.Platforms)
	}
	if c := col("os_version", "extra"); !reflect.DeepEqual(c.Platforms, []string{"darwin"}) || !c.Hidden {
		t.Errorf("os_version.extra: %+v", c)
	}
	if c := col("processes", "upid"); c.HiddenOn("darwin") || !c.HiddenOn("linux") || !c.HiddenOn("") {
		t.Errorf("processes.upid hidden on darwin/linux/any = %v/%v/%v, want false/true/true",
			c.HiddenOn("darwin"), c.HiddenOn("linux"), c.HiddenOn(""))
	}
	if c := col("users", "include_remote"); !c.HiddenOn("linux") {
		t.Error("users.include_remote should stay hidden on linux")
	}
	if c := col("processes", "cgroup_path"); c.HiddenOn("linux") || !c.HiddenOn("windows") {
		t.Error("processes.cgroup_path: shown on linux, hidden elsewhere")
	}
	if !col("file", "path").Required || !col("file", "directory").Required || col("file", "size").Required {
		t.Error("file: path and directory are the required columns")
	}
	if c := col("system_extensions", "UUID"); c.Type != "text" {
		t.Errorf("system_extensions.UUID: %+v", c)
	}
}

var (
	platformDBsOnce sync.Once
	platformDBs     map[string]*osqsim.DB
	platformDBsErr  error
)

// explainDBs holds, per platform, every table osquery has there (empty).
func explainDBs(t *testing.T) map[string]*osqsim.DB {
	t.Helper()
	platformDBsOnce.Do(func() {
		platformDBs = map[string]*osqsim.DB{}
		for _, p := range []string{"linux", "darwin", "windows"} {
			db, err := osqsim.OpenAllWith(osqsim.Options{Platform: p})
			if err != nil {
				platformDBsErr = err
				return
			}
			platformDBs[p] = db
		}
	})
	if platformDBsErr != nil {
		t.Fatal(platformDBsErr)
	}
	return platformDBs
}

// checkQuery lists what osquery 5.23.1 would reject in q on its declared
// platforms: SQL that does not compile there (unknown table or column, bad
// function), tables the platform lacks, and tables read without the
// constraint on a required column that makes them return rows.
func checkQuery(t *testing.T, q queries.Query) []string {
	t.Helper()
	schema, err := queries.Schema()
	if err != nil {
		t.Fatal(err)
	}
	dbs := explainDBs(t)
	var problems []string
	for _, p := range q.Platforms {
		if _, err := dbs[p].Query(context.Background(), "EXPLAIN "+q.SQL); err != nil {
			problems = append(problems, fmt.Sprintf("does not compile on %s: %v", p, err))
		}
	}
	for _, name := range tablesRead(q.SQL) {
		tb, ok := schema[name]
		if !ok {
			problems = append(problems, fmt.Sprintf("reads %s, which is not in osquery's schema", name))
			continue
		}
		for _, p := range q.Platforms {
			if !tb.On(p) {
				problems = append(problems, fmt.Sprintf("declares %s but reads %s, which osquery has only on %s",
					p, name, strings.Join(tb.Platforms, ", ")))
			}
		}
		var required []string
		constrained := false
		for _, c := range tb.Columns {
			if c.Required {
				required = append(required, c.Name)
				constrained = constrained || constrains(q.SQL, c.Name)
			}
		}
		if len(required) > 0 && !constrained {
			problems = append(problems, fmt.Sprintf("reads %s without constraining a required column (%s): osquery returns no rows",
				name, strings.Join(required, " or ")))
		}
	}
	return problems
}

func TestCatalogue_MatchesOsquerySchema(t *testing.T) {
	qs, err := queries.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) == 0 {
		t.Fatal("empty catalogue")
	}
	for _, q := range qs {
		for _, p := range checkQuery(t, q) {
			t.Errorf("%s (%s): %s", q.File, q.Name, p)
		}
	}
}

// TestCatalogueCheck_CatchesBrokenQueries proves the catalogue check fails on
// the mistakes it exists to catch, and passes a well-formed query.
func TestCatalogueCheck_CatchesBrokenQueries(t *testing.T) {
	tests := []struct {
		name, header, sql string
		want              []string // substrings of the problems, in order; none for a good query
	}{
		{"misspelt table", "linux", `SELECT name FROM os_verison;`,
			[]string{"does not compile on linux: no such table: os_verison", "reads os_verison, which is not in osquery's schema"}},
		{"misspelt column", "linux, darwin", `SELECT nmae, version FROM os_version;`,
			[]string{"does not compile on linux: no such column: nmae", "does not compile on darwin: no such column: nmae"}},
		{"table on the wrong platform", "linux, darwin", `SELECT name, version, status FROM deb_packages;`,
			[]string{"does not compile on darwin: no such table: deb_packages", "declares darwin but reads deb_packages, which osquery has only on linux"}},
		{"windows table in a join", "windows, linux",
			`SELECT p.name, s.status FROM processes p JOIN services s USING (pid);`,
			[]string{"does not compile on linux: no such table: services", "declares linux but reads services"}},
		{"unknown function", "linux", `SELECT regexp_match(name, 'x', 0) FROM os_version;`,
			[]string{"does not compile on linux: no such function: regexp_match"}},
		{"required column left out", "linux", `SELECT path, size FROM file WHERE size > 0;`,
			[]string{"reads file without constraining a required column (path or directory)"}},
		{"good query: CTE, subquery alias, comma join, functions", "linux, darwin", `
			WITH listening AS (SELECT DISTINCT pid, port FROM listening_ports WHERE port != 0)
			SELECT p.name, l.port, split(p.path, '/', 0) AS top, t.unix_time
			FROM listening l JOIN processes p USING (pid), time t
			LEFT JOIN (SELECT uid, username FROM users) u ON u.uid = p.uid
			WHERE p.pid IN (SELECT pid FROM processes WHERE on_disk = 1);`, nil},
		{"good query: required column constrained", "linux, darwin, windows",
			`SELECT f.path, h.sha256 FROM file f JOIN hash h USING (path) WHERE f.path = '/etc/hosts';`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := "-- name: broken\n-- platforms: " + tt.header + "\n-- feeds: test\n" + tt.sql + "\n"
			q, err := queries.Parse("inline.sql", text)
			if err != nil {
				t.Fatal(err)
			}
			got := checkQuery(t, q)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d problems %q, want %d %q", len(got), got, len(tt.want), tt.want)
			}
			for i, w := range tt.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("problem %d = %q, want it to contain %q", i, got[i], w)
				}
			}
		})
	}
}

func TestTablesRead(t *testing.T) {
	tests := []struct {
		sql  string
		want []string
	}{
		{`SELECT * FROM os_version;`, []string{"os_version"}},
		{`select a.x from "users" AS a join main.groups g on g.gid = a.gid, time`, []string{"users", "groups", "time"}},
		{`WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c), d AS (SELECT * FROM deb_packages)
		  SELECT * FROM c, d JOIN rpm_packages r ON 1`, []string{"deb_packages", "rpm_packages"}},
		{`SELECT * FROM (SELECT pid FROM processes) p LEFT OUTER JOIN (SELECT 1) q -- FROM commented
		  WHERE p.pid IN (SELECT pid FROM listening_ports) AND 'x FROM quoted' != ''`,
			[]string{"processes", "listening_ports"}},
		{`SELECT value FROM json_each('[1]') JOIN users`, []string{"users"}},
		{`SELECT 1 /* FROM block */`, nil},
	}
	for _, tt := range tests {
		if got := tablesRead(tt.sql); !slices.Equal(got, tt.want) {
			t.Errorf("tablesRead(%q) = %q, want %q", tt.sql, got, tt.want)
		}
	}
}

func TestConstrains(t *testing.T) {
	tests := []struct {
		sql  string
		want bool
	}{
		{`SELECT * FROM file WHERE path = '/etc/hosts'`, true},
		{`SELECT * FROM file f WHERE f.path LIKE '/etc/%'`, true},
		{`SELECT * FROM file WHERE '/etc/hosts' = path`, true},
		{`SELECT * FROM file f, x WHERE x.p = f.path`, true},
		{`SELECT * FROM file WHERE path IN ('/a', '/b')`, true},
		{`SELECT * FROM file JOIN hash USING (pid, path)`, true},
		{`SELECT path FROM file WHERE size > 0`, false},
		{`SELECT * FROM file WHERE path != '/a'`, false},
		{`SELECT * FROM file f, x WHERE x.p <= f.path`, false},
	}
	for _, tt := range tests {
		if got := constrains(tt.sql, "path"); got != tt.want {
			t.Errorf("constrains(%q, path) = %v, want %v", tt.sql, got, tt.want)
		}
	}
}
