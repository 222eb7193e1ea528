package packs

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/miccmac/miccmac-osq/engine"
	"github.com/miccmac/miccmac-osq/queries"
)

var update = flag.Bool("update", false, "rewrite the committed packs from the catalogue")

// generated returns every generated pack file keyed by its path under packs/.
func generated(t *testing.T) map[string][]byte {
	t.Helper()
	catalog := queries.MustBuiltin()
	files := map[string][]byte{}
	osq, err := OsqueryFiles(catalog)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range osq {
		files[k] = v
	}
	fl, err := FleetFiles(catalog, engine.Catalog(), DefaultMinTier)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range fl {
		files[filepath.Join("fleet", k)] = v
	}
	return files
}

// TestPacksUpToDate fails when packs/ drifts from queries/ and the check
// catalogue; run `go test ./packs -update` after changing either.
func TestPacksUpToDate(t *testing.T) {
	for name, want := range generated(t) {
		if *update {
			if err := os.WriteFile(name, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(name)
		if err != nil {
			t.Fatalf("%s: %v (run go test ./packs -update)", name, err)
		}
		if string(got) != string(want) {
			t.Errorf("packs/%s is out of date with the catalogue: run go test ./packs -update", name)
		}
	}
}

func TestShippedPacksLintClean(t *testing.T) {
	for name, data := range generated(t) {
		fs, err := Lint(name, data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, f := range fs {
			t.Errorf("%s: %s", name, f)
		}
	}
}

func TestOsqueryPackCoversCatalogue(t *testing.T) {
	catalog := queries.MustBuiltin()
	p := OsqueryPack(catalog)
	if len(p.Queries) != len(catalog) {
		t.Fatalf("pack has %d queries, catalogue %d", len(p.Queries), len(catalog))
	}
	for _, q := range catalog {
		pq, ok := p.Queries[q.Name]
		if !ok || pq.Query != q.SQL || !pq.Snapshot || pq.Interval != q.Interval {
			t.Errorf("%s: pack entry %+v does not match the catalogue", q.Name, pq)
		}
	}
	ext := ExtensionPack()
	if len(ext.Discovery) != 1 || ext.Discovery[0] != DiscoveryQuery {
		t.Errorf("extension pack discovery = %v", ext.Discovery)
	}
}

func TestFleetPolicies(t *testing.T) {
	checks := engine.Catalog()
	ps, err := fleetPolicies(checks, "Defensible")
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != len(checks)+1 {
		t.Fatalf("%d policies for %d checks", len(ps), len(checks))
	}
	for i, c := range checks {
		if ps[i].Critical != (c.Risk == "CRITICAL") || ps[i].Resolution != c.Remediation {
			t.Errorf("%s: critical=%v resolution=%q", c.ID, ps[i].Critical, ps[i].Resolution)
		}
	}
	last := ps[len(ps)-1]
	if last.Query != "SELECT 1 FROM miccmac_readiness WHERE tier IN ('Defensible', 'Zero Trust Ready');" {
		t.Errorf("composite policy query = %s", last.Query)
	}
	if _, err := fleetPolicies(checks, "Great"); err == nil {
		t.Error("unknown tier accepted")
	}
}

// TestLint_B25 runs the linter over the field case's pack and compares with
// the findings the case lists.
func TestLint_B25(t *testing.T) {
	raw, err := os.ReadFile("../testdata/bugcases/B25.json")
	if err != nil {
		t.Fatal(err)
	}
	var bc struct {
		Pack     json.RawMessage `json:"pack_under_test"`
		Expected []Finding       `json:"expected_lint"`
		OK       []string        `json:"expected_ok"`
	}
	if err := json.Unmarshal(raw, &bc); err != nil {
		t.Fatal(err)
	}
	got, err := Lint("B25", bc.Pack)
	if err != nil {
		t.Fatal(err)
	}
	key := func(f Finding) string { return f.Where + "|" + f.Level + "|" + f.Msg }
	var gotKeys, wantKeys []string
	for _, f := range got {
		gotKeys = append(gotKeys, key(f))
	}
	for _, f := range bc.Expected {
		wantKeys = append(wantKeys, key(f))
	}
	sort.Strings(gotKeys)
	sort.Strings(wantKeys)
	if len(gotKeys) != len(wantKeys) {
		t.Fatalf("got %d findings, want %d:\ngot  %q\nwant %q", len(gotKeys), len(wantKeys), gotKeys, wantKeys)
	}
	for i := range gotKeys {
		if gotKeys[i] != wantKeys[i] {
			t.Errorf("finding %d:\ngot  %s\nwant %s", i, gotKeys[i], wantKeys[i])
		}
	}
	for _, ok := range bc.OK {
		for _, f := range got {
			if f.Where == ok {
				t.Errorf("%s should lint clean, got %s", ok, f)
			}
		}
	}
}

func TestLintTablesAndColumns(t *testing.T) {
	tests := []struct {
		name, pack, want string
	}{
		{"misspelt table", `{"queries":{"q":{"query":"SELECT name FROM deb_pakages;","interval":60,"platform":"linux"}}}`, "error: q: table deb_pakages is not an osquery 5.23.1 core table"},
		{"misspelt column", `{"queries":{"q":{"query":"SELECT nmae FROM deb_packages;","interval":60,"platform":"linux"}}}`, "error: q: table deb_packages has no column nmae"},
		{"wrong platform", `{"queries":{"q":{"query":"SELECT name FROM deb_packages;","interval":60,"platform":"darwin"}}}`, "error: q: table deb_packages does not exist on darwin"},
		{"second statement", `{"queries":{"q":{"query":"SELECT name FROM processes; DROP TABLE x;","interval":60}}}`, "error: q: more than one statement (only one SELECT is allowed)"},
		{"not a select", `{"queries":{"q":{"query":"SELEC name FROM processes","interval":60}}}`, "error: q: not a SELECT statement"},
		{"zero interval", `{"queries":{"q":{"query":"SELECT name FROM processes;","interval":0}}}`, "error: q: interval 0 is not a whole number of seconds between 1 and 604800"},
		{"interval with a unit", `{"queries":{"q":{"query":"SELECT name FROM processes;","interval":"30s"}}}`, `error: q: interval "30s" is not a whole number of seconds between 1 and 604800`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs, err := Lint("t", []byte(tt.pack))
			if err != nil {
				t.Fatal(err)
			}
			if len(fs) != 1 || fs[0].String() != tt.want {
				t.Errorf("got %v, want [%s]", fs, tt.want)
			}
		})
	}
	if _, err := Lint("bad.yml", []byte("just: text\n")); err == nil {
		t.Error("a YAML file without queries linted without error")
	}
}
