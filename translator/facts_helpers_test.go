package translator

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/queries"
)

// builtin returns the embedded catalogue or fails the test.
func factsCatalog(t testing.TB) []queries.Query {
	t.Helper()
	qs, err := queries.Builtin()
	if err != nil {
		t.Fatalf("catalogue: %v", err)
	}
	return qs
}

// factsHostBuilder assembles hand-made HostResults.
type factsHostBuilder struct{ h *queries.HostResults }

func factsHost(name string) *factsHostBuilder {
	return &factsHostBuilder{h: &queries.HostResults{Host: name, Results: map[string]*queries.Result{}}}
}

func (b *factsHostBuilder) ok(query string, rows ...queries.Row) *factsHostBuilder {
	if rows == nil {
		rows = []queries.Row{}
	}
	b.h.Results[query] = &queries.Result{Status: queries.StatusOK, Rows: rows}
	return b
}

func (b *factsHostBuilder) fail(query, msg string) *factsHostBuilder {
	b.h.Results[query] = &queries.Result{Status: queries.StatusError, Error: msg}
	return b
}

func (b *factsHostBuilder) facts(t testing.TB) *facts.Document {
	t.Helper()
	return ToFacts(b.h, factsCatalog(t))
}

var (
	rowOSUbuntu  = queries.Row{"name": "Ubuntu", "version": "24.04.1 LTS (Noble Numbat)", "major": "24", "minor": "4", "patch": "1", "build": "", "platform": "ubuntu", "platform_like": "debian", "codename": "noble", "arch": "x86_64"}
	rowOSWindows = queries.Row{"name": "Microsoft Windows 11 Enterprise", "version": "10.0.22631", "major": "10", "minor": "0", "patch": "", "build": "22631", "revision": "4169", "platform": "windows", "platform_like": "windows", "arch": "64-bit"}
	rowOSMac     = queries.Row{"name": "macOS", "version": "14.1.2", "major": "14", "minor": "1", "patch": "2", "build": "23B92", "platform": "darwin", "platform_like": "darwin", "arch": "x86_64"}
)

// readJSON decodes a testdata file.
func readFactsTestdata(t testing.TB, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", path))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func int64p(n int64) *int64 { return &n }

// eqInt compares an optional integer with an expected one (nil = unknown).
func sameInt(got, want *int64) bool {
	if got == nil || want == nil {
		return got == nil && want == nil
	}
	return *got == *want
}

func showInt(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

func showBool(p *bool) any {
	if p == nil {
		return nil
	}
	return *p
}
