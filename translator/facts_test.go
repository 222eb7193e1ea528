package translator

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/queries"
)

func TestToFacts_QueryStates(t *testing.T) {
	d := factsHost("web-1").
		ok("os_version", rowOSUbuntu).
		fail("deb_packages", "no such table: deb_packages").
		facts(t)

	cases := []struct {
		query  string
		state  facts.State
		rows   int
		reason string
	}{
		{"os_version", facts.StateOK, 1, ""},
		{"deb_packages", facts.StateUnknown, 0, "no such table: deb_packages"},
		{"systemd_units", facts.StateUnknown, 0, "not in the input"},
		{"alf", facts.StateNotApplicable, 0, "runs on darwin; host is linux"},
		{"os_version_windows", facts.StateNotApplicable, 0, "runs on windows; host is linux"},
		{"processes", facts.StateUnknown, 0, "not in the input"},
	}
	for _, c := range cases {
		got, ok := d.Queries[c.query]
		if !ok {
			t.Errorf("%s: no entry in Queries", c.query)
			continue
		}
		if got.State != c.state || got.Rows != c.rows || got.Reason != c.reason {
			t.Errorf("%s: got %+v, want state %s rows %d reason %q", c.query, got, c.state, c.rows, c.reason)
		}
	}
	for _, q := range factsCatalog(t) {
		if _, ok := d.Queries[q.Name]; !ok {
			t.Errorf("catalogue query %s has no entry in Document.Queries", q.Name)
		}
	}
}

func TestToFacts_FailedQueryIsUnknownSection(t *testing.T) {
	d := factsHost("web-1").
		ok("os_version", rowOSUbuntu).
		fail("deb_packages", "no such table: deb_packages").
		fail("users", "permission denied").
		fail("listening_ports_linux", "Error: timeout").
		facts(t)

	if d.Packages.State != facts.StateUnknown || d.Packages.Items != nil {
		t.Fatalf("packages: got %s with %d items, want unknown without items", d.Packages.State, len(d.Packages.Items))
	}
	for _, want := range []string{"deb_packages: no such table: deb_packages", "rpm_packages: not in the input"} {
		if !strings.Contains(d.Packages.Reason, want) {
			t.Errorf("packages reason %q lacks %q", d.Packages.Reason, want)
		}
	}
	if strings.Contains(d.Packages.Reason, "apps") {
		t.Errorf("packages reason %q names a macOS source on a Linux host", d.Packages.Reason)
	}
	if got := d.PackageSources["deb"]; got.State != facts.StateUnknown || !strings.Contains(got.Reason, "no such table") {
		t.Errorf("package source deb: %+v", got)
	}
	if got := d.PackageSources["apps"]; got.State != facts.StateNotApplicable {
		t.Errorf("package source apps on linux: %+v, want not_applicable", got)
	}
	if d.Users.State != facts.StateUnknown || d.Users.Reason != "users: permission denied" || d.Users.Items != nil {
		t.Errorf("users: %+v", d.Users)
	}
	if d.ListeningPorts.State != facts.StateUnknown || d.ListeningPorts.Reason != "listening_ports_linux: Error: timeout" {
		t.Errorf("listening ports: %+v", d.ListeningPorts.Origin)
	}
	if d.Services.State != facts.StateUnknown || d.Services.Reason != "systemd_units: not in the input" {
		t.Errorf("services: %+v", d.Services.Origin)
	}
}

func TestToFacts_WrongPlatformIsNotApplicable(t *testing.T) {
	d := factsHost("web-1").ok("os_version", rowOSUbuntu).facts(t)
	checks := map[string]facts.Origin{
		"alf":              d.Firewall.ALFOrigin,
		"sip":              d.SIP.Origin,
		"hotfixes":         d.Hotfixes.Origin,
		"security_center":  d.SecurityCenter.Origin,
		"firewall_profile": d.Firewall.Profiles.Origin,
		"gatekeeper":       d.Gatekeeper.Origin,
	}
	for name, o := range checks {
		if o.State != facts.StateNotApplicable || !strings.Contains(o.Reason, "linux") {
			t.Errorf("%s on linux: %+v, want not_applicable naming the platform", name, o)
		}
	}
	// A section fed on several platforms is unknown when the host's own query did not run.
	if d.SecureBoot.State != facts.StateUnknown || d.SecureBoot.Reason != "secureboot: not in the input" {
		t.Errorf("secure boot: %+v", d.SecureBoot.Origin)
	}
}

func TestToFacts_UnknownPlatformDecidesNothingApplicable(t *testing.T) {
	d := factsHost("x").fail("os_version", "no such table: os_version").facts(t)
	if d.OS.State != facts.StateUnknown || d.OS.Family != facts.FamilyUnknown || d.OS.Kind != "unknown" {
		t.Fatalf("os: %+v", d.OS)
	}
	if got := d.Queries["alf"]; got.State != facts.StateUnknown || got.Reason != "not in the input" {
		t.Errorf("alf with unknown platform: %+v", got)
	}
	if d.Firewall.ALFOrigin.State != facts.StateUnknown {
		t.Errorf("alf origin with unknown platform: %+v", d.Firewall.ALFOrigin)
	}
}

func TestToFacts_AnsweredWithNoRows(t *testing.T) {
	d := factsHost("web-1").
		ok("os_version", rowOSUbuntu).
		ok("deb_packages").
		ok("rpm_packages").
		ok("system_info").
		facts(t)
	if d.Packages.State != facts.StateOK || d.Packages.Items == nil || len(d.Packages.Items) != 0 {
		t.Errorf("packages with 0 rows: %s %v, want ok with an empty (non-nil) list", d.Packages.State, d.Packages.Items)
	}
	if d.Hardware.State != facts.StateUnknown || d.Hardware.Reason != "system_info answered with no rows" {
		t.Errorf("hardware with 0 rows: %+v, want unknown", d.Hardware.Origin)
	}
}

func TestToFacts_SourceFailureIsNotedOnAnsweredSection(t *testing.T) {
	d := factsHost("web-1").
		ok("os_version", rowOSUbuntu).
		ok("deb_packages", queries.Row{"name": "bash", "version": "5.2", "status": "install ok installed"}).
		fail("rpm_packages", "rpm database locked").
		facts(t)
	if d.Packages.State != facts.StateOK || !reflect.DeepEqual(d.Packages.Queries, []string{"deb_packages"}) {
		t.Fatalf("packages: %+v", d.Packages.Origin)
	}
	if !containsNote(d.Packages.Notes, "did not answer: rpm_packages: rpm database locked") {
		t.Errorf("packages notes %q lack the rpm failure", d.Packages.Notes)
	}
	if got := d.PackageSources["rpm"]; got.State != facts.StateUnknown {
		t.Errorf("rpm source: %+v", got)
	}
}

func TestToFacts_InputWarningsAreNoted(t *testing.T) {
	b := factsHost("web-1").ok("os_version", rowOSUbuntu).ok("sudoers")
	b.h.Results["sudoers"].Warnings = []string{`line 7: old "snapshot": "" read as 0 rows`}
	d := b.facts(t)
	if d.Sudoers.State != facts.StateOK || !containsNote(d.Sudoers.Notes, `sudoers: line 7: old "snapshot": "" read as 0 rows`) {
		t.Errorf("sudoers: %+v", d.Sudoers.Origin)
	}
}

func TestToFacts_ForeignTableShapeIsNotUsed(t *testing.T) {
	// pack_x_logged_in_users resolves to "users" by its suffix; its rows are not accounts.
	d := factsHost("web-1").
		ok("os_version", rowOSUbuntu).
		ok("users", queries.Row{"user": "alice", "type": "user", "tty": "pts/0", "pid": "4242"}).
		facts(t)
	if d.Users.State != facts.StateUnknown || !strings.Contains(d.Users.Reason, "rows have none of the columns username") {
		t.Errorf("users from a foreign table: %+v", d.Users.Origin)
	}
	if d.Queries["users"].State != facts.StateOK {
		t.Errorf("the query itself answered: %+v", d.Queries["users"])
	}
}

func TestToFacts_DocumentFields(t *testing.T) {
	b := factsHost("host-a").ok("os_version", rowOSUbuntu).ok("pack_other_thing", queries.Row{"a": "1"})
	b.h.CollectedAt = time.Unix(1772445600, 0)
	b.h.Decorations = map[string]string{"host_uuid": "4C4C4544-0000-1000-8000-000000000001"}
	d := b.facts(t)
	if d.SchemaVersion != facts.SchemaVersion || d.Host != "host-a" || d.CollectedAt != 1772445600 {
		t.Errorf("header: %q %q %d", d.SchemaVersion, d.Host, d.CollectedAt)
	}
	if d.Decorations["host_uuid"] != "4C4C4544-0000-1000-8000-000000000001" {
		t.Errorf("decorations: %v", d.Decorations)
	}
	if !containsNote(d.Notes, "not in the catalogue were not used: pack_other_thing") {
		t.Errorf("document notes: %q", d.Notes)
	}
	if ToFacts(nil, factsCatalog(t)).OS.State != facts.StateUnknown {
		t.Error("nil host results must give an unknown document")
	}
}

// TestToFacts_GenericSectionsAppendEveryQuery uses a catalogue with two
// registry helpers, as the engine's x_*.sql files add them.
func TestToFacts_GenericSectionsAppendEveryQuery(t *testing.T) {
	cat := append([]queries.Query(nil), factsCatalog(t)...)
	for _, src := range []string{
		"-- name: x_a\n-- platforms: windows\n-- feeds: registry\nSELECT key, path, name, type, data FROM registry WHERE key = 'A';",
		"-- name: x_b\n-- platforms: windows\n-- feeds: registry\nSELECT key, path, name, type, data FROM registry WHERE key = 'B';",
		"-- name: x_c\n-- platforms: windows\n-- feeds: registry\nSELECT key, path, name, type, data FROM registry WHERE key = 'C';",
	} {
		q, err := queries.Parse("test.sql", src)
		if err != nil {
			t.Fatal(err)
		}
		cat = append(cat, q)
	}
	h := factsHost("ws").
		ok("os_version_windows", rowOSWindows).
		ok("x_a", queries.Row{"key": `HKEY_LOCAL_MACHINE\A`, "path": `HKEY_LOCAL_MACHINE\A\EnableLUA`, "name": "EnableLUA", "type": "REG_DWORD", "data": "1"}).
		ok("x_b", queries.Row{"key": `HKEY_LOCAL_MACHINE\B`, "path": `HKEY_LOCAL_MACHINE\B\AutoRun`, "name": "AutoRun", "type": "REG_DWORD", "data": "0"}).
		fail("x_c", "access denied").h
	d := ToFacts(h, cat)
	if d.Registry.State != facts.StateOK || len(d.Registry.Items) != 2 {
		t.Fatalf("registry: %+v with %d items, want ok with 2", d.Registry.Origin, len(d.Registry.Items))
	}
	if d.Registry.Items[0].Name != "EnableLUA" || d.Registry.Items[1].Data != "0" {
		t.Errorf("registry items: %+v", d.Registry.Items)
	}
	if !reflect.DeepEqual(d.Registry.Queries, []string{"x_a", "x_b"}) || !containsNote(d.Registry.Notes, "x_c: access denied") {
		t.Errorf("registry origin: %+v", d.Registry.Origin)
	}
}

func TestFeedKeysCoverCatalogue(t *testing.T) {
	known := map[string]bool{}
	for _, k := range FeedKeys() {
		known[k] = true
	}
	fed := map[string]bool{}
	for _, q := range factsCatalog(t) {
		for _, k := range q.Feeds {
			if !known[k] {
				t.Errorf("%s: feeds %q, which no mapper reads", q.File, k)
			}
			fed[k] = true
		}
	}
	for k := range known {
		if !fed[k] {
			t.Errorf("mapper key %q is fed by no catalogue query", k)
		}
	}
}

func TestFactsJSONRoundTrip(t *testing.T) {
	for name, h := range map[string]*queries.HostResults{
		"linux":   richLinuxHost(3),
		"windows": richWindowsHost(),
		"empty":   factsHost("nothing").h,
	} {
		d := ToFacts(h, factsCatalog(t))
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatalf("%s: marshal: %v", name, err)
		}
		var back facts.Document
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&back); err != nil {
			t.Fatalf("%s: unmarshal: %v", name, err)
		}
		if !reflect.DeepEqual(d, &back) {
			b2, _ := json.Marshal(&back)
			t.Errorf("%s: round trip changed the document:\n%s\n%s", name, b, b2)
		}
	}
}

func containsNote(notes []string, sub string) bool {
	for _, n := range notes {
		if strings.Contains(n, sub) {
			return true
		}
	}
	return false
}
