package translator

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/miccmac/miccmac-osq/queries"
)

// testCatalog is a fixed catalogue for the input tests (the built-in one
// changes as queries are added; these tests are about reading, not about it).
func testCatalog(extra ...string) []queries.Query {
	names := []string{
		"alf", "deb_packages", "disk_encryption", "groups", "kernel_info", "listening_ports", "mounts",
		"os_version", "osquery_info", "osquery_schedule", "processes", "services", "time", "user_groups",
		"users", "windows_update_history",
	}
	var out []queries.Query
	for _, n := range append(names, extra...) {
		out = append(out, queries.Query{Name: n})
	}
	return out
}

func samplePath(p string) string {
	return filepath.Join("..", "testdata", "samples", filepath.FromSlash(p))
}
func bugcasePath(p string) string { return filepath.Join("..", "testdata", "bugcases", p) }

// readOne reads path with the test catalogue and fails the test on error.
func readOne(t *testing.T, path string) *Input {
	t.Helper()
	in, err := ReadFiles([]string{path}, testCatalog())
	if err != nil {
		t.Fatalf("ReadFiles(%s): %v", path, err)
	}
	return in
}

// hostOf returns the named host of in, failing when it is missing.
func hostOf(t *testing.T, in *Input, host string) *queries.HostResults {
	t.Helper()
	for _, h := range in.Hosts {
		if h.Host == host {
			return h
		}
	}
	var got []string
	for _, h := range in.Hosts {
		got = append(got, h.Host)
	}
	t.Fatalf("host %q not found; hosts: %v", host, got)
	return nil
}

// resultOf returns host's result for query, failing when it is missing.
func resultOf(t *testing.T, in *Input, host, query string) *queries.Result {
	t.Helper()
	h := hostOf(t, in, host)
	r, ok := h.Results[query]
	if !ok {
		var got []string
		for q := range h.Results {
			got = append(got, q)
		}
		t.Fatalf("host %q has no result %q; results: %v", host, query, got)
	}
	return r
}

// rowsWhere returns the rows whose column col equals val.
func rowsWhere(rows []queries.Row, col, val string) []queries.Row {
	var out []queries.Row
	for _, r := range rows {
		if v, ok := r[col]; ok && v == val {
			out = append(out, r)
		}
	}
	return out
}

// oneRow returns the single row whose col equals val.
func oneRow(t *testing.T, rows []queries.Row, col, val string) queries.Row {
	t.Helper()
	got := rowsWhere(rows, col, val)
	if len(got) != 1 {
		t.Fatalf("%d rows with %s=%q, want 1", len(got), col, val)
	}
	return got[0]
}

func hasWarning(list []string, sub string) bool {
	for _, w := range list {
		if strings.Contains(w, sub) {
			return true
		}
	}
	return false
}

func inputWarns(in *Input) []string {
	var out []string
	for _, w := range in.Warnings {
		out = append(out, w.String())
	}
	return out
}

// writeFile writes text to dir/name and returns the path.
func writeTemp(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
