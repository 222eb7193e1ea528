package translator

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/miccmac/miccmac-osq/queries"
)

func sampleHost(name string) *queries.HostResults {
	return &queries.HostResults{
		Host:        name,
		Decorations: map[string]string{"host_uuid": "4C4C4544-0000-1000-8000-000000000001", PlatformDecoration: "linux"},
		CollectedAt: time.Unix(1772445600, 0).UTC(),
		Results: map[string]*queries.Result{
			"os_version": {Status: queries.StatusOK, Source: "osqueryi", Rows: []queries.Row{
				{"name": "Ubuntu", "major": "24", "build": "", "win_timestamp": "134168832000000001", "quote": `a "b" <c> & é`},
			}},
			"deb_packages": {Status: queries.StatusOK, Source: "osqueryi", Rows: []queries.Row{
				{"name": "apt", "version": "2.7.14"}, {"name": "apt", "version": "2.7.14"}, {},
			}, Warnings: []string{"two identical rows"}},
			"shadow":  {Status: queries.StatusError, Source: "osqueryi", Error: "no such table: shadow"},
			"patches": {Status: queries.StatusNotRun, Source: "osqueryi"},
			"users":   {Status: queries.StatusOK, Source: "osqueryi", Rows: []queries.Row{}},
		},
	}
}

// TestBundle_RoundTrip: Read(WriteBundle(h)) == h.
func TestBundle_RoundTrip(t *testing.T) {
	h := sampleHost("web-01")
	var buf bytes.Buffer
	if err := WriteBundle(&buf, h); err != nil {
		t.Fatal(err)
	}
	in, err := Read("b.json", bytes.NewReader(buf.Bytes()), testCatalog())
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if len(in.Hosts) != 1 || len(in.Warnings) != 0 {
		t.Fatalf("hosts %d, warnings %q", len(in.Hosts), inputWarns(in))
	}
	if got := in.Hosts[0]; !reflect.DeepEqual(got, h) {
		t.Errorf("round trip differs:\n got %+v\nwant %+v", got, h)
		for q := range h.Results {
			if !reflect.DeepEqual(got.Results[q], h.Results[q]) {
				t.Errorf("%s: got %+v want %+v", q, got.Results[q], h.Results[q])
			}
		}
	}
	if Platform(in.Hosts[0]) != "linux" {
		t.Errorf("Platform %q", Platform(in.Hosts[0]))
	}
	if !strings.Contains(buf.String(), `"platform": "linux"`) || strings.Contains(buf.String(), PlatformDecoration) {
		t.Errorf("platform not written as its own field:\n%s", buf.String())
	}

	// Several hosts in one file, and the same bundles one per line.
	var list bytes.Buffer
	if err := WriteBundles(&list, []*queries.HostResults{sampleHost("b"), sampleHost("a")}); err != nil {
		t.Fatal(err)
	}
	var lines strings.Builder
	for _, n := range []string{"a", "b"} {
		var one bytes.Buffer
		if err := WriteBundle(&one, sampleHost(n)); err != nil {
			t.Fatal(err)
		}
		lines.WriteString(strings.Join(strings.Fields(one.String()), " ") + "\n")
	}
	for name, text := range map[string]string{"list": list.String(), "ndjson": lines.String()} {
		in, err := Read(name, strings.NewReader(text), testCatalog())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(in.Hosts) != 2 || in.Hosts[0].Host != "a" || in.Hosts[1].Host != "b" {
			t.Fatalf("%s: hosts %v", name, in.Hosts)
		}
		for _, got := range in.Hosts {
			if want := sampleHost(got.Host); !reflect.DeepEqual(got.Results["deb_packages"], want.Results["deb_packages"]) ||
				!reflect.DeepEqual(got.Results["shadow"], want.Results["shadow"]) {
				t.Errorf("%s: %s results differ", name, got.Host)
			}
		}
	}
}

// TestBundle_Lenient: hand-written bundles may use numbers, null, RFC 3339
// times and no status; a result without "source" gets file:line.
func TestBundle_Lenient(t *testing.T) {
	text := `{
  "format": "miccmac-bundle",
  "version": "1",
  "host": "h1",
  "collected_at": "2026-03-02T10:00:00Z",
  "future_field": {"ignored": true},
  "results": {
    "os_version": {"rows": [{"major": 24, "minor": null, "name": "Ubuntu"}]},
    "pack_miccmac_shadow": {"error": "no such table: shadow"}
  }
}`
	in, err := Read("h1.json", strings.NewReader(text), testCatalog("shadow"))
	if err != nil {
		t.Fatal(err)
	}
	h := hostOf(t, in, "h1")
	if h.CollectedAt.Unix() != 1772445600 {
		t.Errorf("CollectedAt %v", h.CollectedAt)
	}
	r := resultOf(t, in, "h1", "os_version")
	if !sameRow(r.Rows[0], queries.Row{"major": "24", "name": "Ubuntu"}) || r.Source != "h1.json:8" {
		t.Errorf("os_version %+v", r)
	}
	if r := resultOf(t, in, "h1", "shadow"); r.Status != queries.StatusError || r.Error != "no such table: shadow" || r.Rows != nil {
		t.Errorf("shadow %+v", r)
	}
}

// TestBundle_ListInherits: inside a versioned list, bundles may omit their own
// format and version; a query given twice keeps the first, with a warning.
func TestBundle_ListInherits(t *testing.T) {
	text := `{"format":"miccmac-bundle","version":1,"hosts":[
{"host":"a","results":{"os_version":{"rows":[{"name":"A"}]},"os_version":{"rows":[]}}},
{"host":"b","results":{}}
]}`
	in, err := Read("l.json", strings.NewReader(text), testCatalog())
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Hosts) != 2 || len(resultOf(t, in, "a", "os_version").Rows) != 1 || len(hostOf(t, in, "b").Results) != 0 {
		t.Errorf("hosts %+v", in.Hosts)
	}
	if ws := inputWarns(in); len(ws) != 1 || !strings.Contains(ws[0], `l.json:2: bundle hosts[0].results: query "os_version" appears twice`) {
		t.Errorf("warnings %q", ws)
	}
	if _, err := Read("l.json", strings.NewReader(`{"hosts":[{"host":"a","results":{}}]}`), testCatalog()); err == nil ||
		!strings.Contains(err.Error(), "l.json:1: bundle hosts[0].format") {
		t.Errorf("unversioned list of unversioned bundles: %v", err)
	}
}

// TestBundle_Malformed: a broken bundle is an error naming the file, the
// line and the field.
func TestBundle_Malformed(t *testing.T) {
	head := `{"format":"miccmac-bundle","version":1,"host":"h",`
	tests := []struct{ name, in, err string }{
		{"version", `{"format":"miccmac-bundle","version":2,"host":"h","results":{}}`, "b.json:1: bundle version: 2 is not supported (this build reads version 1)"},
		{"no version", `{"format":"miccmac-bundle","host":"h","results":{}}`, "bundle version: is missing, expected 1"},
		{"no host", `{"format":"miccmac-bundle","version":1,"results":{}}`, "bundle host: is missing"},
		{"no results", head + `"x":1}`, "bundle results: is missing"},
		{"result not object", head + `"results":{"os_version":[]}}`, "bundle results.os_version: is an array"},
		{"neither", head + `"results":{"os_version":{}}}`, `bundle results.os_version: has neither "rows" nor "error"`},
		{"bad status", head + `"results":{"os_version":{"status":"maybe","rows":[]}}}`, `results.os_version.status: is the string "maybe"`},
		{"ok without rows", head + `"results":{"os_version":{"status":"ok"}}}`, `"rows" is missing`},
		{"error without message", head + `"results":{"os_version":{"status":"error"}}}`, `"error" is missing or empty`},
		{"rows not array", head + `"results":{"os_version":{"rows":{}}}}`, "results.os_version.rows: is an object"},
		{"row not object", head + `"results":{"os_version":{"rows":["x"]}}}`, "results.os_version.rows[0]: is the string"},
		{"nested value", head + `"results":{"os_version":{"rows":[{"a":"1"},{"b":[1]}]}}}`, "results.os_version.rows[1].b: is an array"},
		{"collected_at", head + `"collected_at":"yesterday","results":{}}`, "collected_at: is the string"},
		{"decorations", head + `"decorations":[],"results":{}}`, "decorations: is an array"},
		{"platform", head + `"platform":7,"results":{}}`, "platform: is the number 7"},
		{"warnings", head + `"results":{"os_version":{"rows":[],"warnings":"x"}}}`, "results.os_version.warnings: is the string"},
		{"list element", `{"hosts":[{"format":"miccmac-bundle","version":1,"host":"a","results":{}},7]}`, "b.json:1: bundle hosts[1]: is the number 7"},
		{"pretty line", "{\n\"format\": \"miccmac-bundle\",\n\"version\": 1,\n\"host\": \"h\",\n\"results\": {\n\"os_version\": {\"rows\": [\n{\"a\": {}}\n]}\n}\n}\n", "b.json:7: bundle results.os_version.rows[0].a: is an object"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read("b.json", strings.NewReader(tc.in), testCatalog())
			if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.HasPrefix(err.Error(), "b.json:") {
				t.Errorf("error %v, want %q", err, tc.err)
			}
		})
	}
}

// TestBundle_MergesWithLogs: a bundle and a result log of the same host merge;
// for the same query the newer answer wins.
func TestBundle_MergesWithLogs(t *testing.T) {
	dir := t.TempDir()
	h := sampleHost("h")
	var buf bytes.Buffer
	if err := WriteBundle(&buf, h); err != nil {
		t.Fatal(err)
	}
	bundle := writeTemp(t, dir, "h.json", buf.String())
	log := writeTemp(t, dir, "h.log", evLine("h", "pack_miccmac_os_version", 1, 0, 1772445700, "added", map[string]string{"name": "Debian"})+"\n"+
		evLine("h", "pack_miccmac_processes", 1, 0, 1772445500, "added", map[string]string{"pid": "1"})+"\n")
	in, err := ReadFiles([]string{log, bundle}, testCatalog())
	if err != nil {
		t.Fatal(err)
	}
	got := hostOf(t, in, "h")
	if got.Results["os_version"].Rows[0]["name"] != "Debian" {
		t.Errorf("os_version %v, want the newer log answer", got.Results["os_version"].Rows)
	}
	if got.Results["shadow"].Status != queries.StatusError || len(got.Results["processes"].Rows) != 1 {
		t.Errorf("results %v", got.Results)
	}
	if got.CollectedAt.Unix() != 1772445700 || got.Decorations["hostname"] != "h" || got.Decorations["host_uuid"] == "" {
		t.Errorf("host %v %v", got.CollectedAt, got.Decorations)
	}
}

func TestWriteBundle_Errors(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteBundle(&buf, &queries.HostResults{}); err == nil {
		t.Error("empty host name accepted")
	}
	h := &queries.HostResults{Host: "h", Results: map[string]*queries.Result{"x": {Status: queries.StatusError}}}
	if err := WriteBundle(&buf, h); err == nil || !strings.Contains(err.Error(), "result x") {
		t.Errorf("error without message: %v", err)
	}
}
