package translator

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/miccmac/miccmac-osq/engine"
	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/packs"
	"github.com/miccmac/miccmac-osq/queries"
)

// verdictsOf reads src (named name) and maps every host to its external
// verdicts, keyed "host/check".
func verdictsOf(t *testing.T, name, src string) (*Input, map[string]facts.ExternalVerdict) {
	t.Helper()
	in, err := Read(name, strings.NewReader(src), testCatalog())
	if err != nil {
		t.Fatalf("Read(%s): %v", name, err)
	}
	out := map[string]facts.ExternalVerdict{}
	for _, h := range in.Hosts {
		for id, v := range ToFacts(h, testCatalog()).ExternalVerdicts {
			out[h.Host+"/"+id] = v
		}
	}
	return in, out
}

// TestFleetPolicies_B24 reads the field case and checks every verdict its
// "expected" block lists (keyed host/policy id), plus the reasons.
func TestFleetPolicies_B24(t *testing.T) {
	var bc struct {
		Expected map[string]string `json:"expected"`
	}
	readFactsTestdata(t, "bugcases/B24.json", &bc)
	in := readOne(t, bugcasePath("B24.json"))
	if len(in.Warnings) != 0 || in.Skipped != 0 {
		t.Errorf("warnings %v, skipped %d; want none", in.Warnings, in.Skipped)
	}
	docs := map[string]*facts.Document{}
	for _, h := range in.Hosts {
		docs[h.Host] = ToFacts(h, testCatalog())
	}
	// policy key -> check id, and what the reason must say.
	cases := map[string]struct {
		check, status string
		detail        string // regexp the detail must match ("" = empty detail)
		stale         string // regexp the stale reason must match ("" = not stale)
	}{
		"mac-01/11": {"MON-01", facts.VerdictPass, "", ""},
		"mac-01/12": {"CON-02", facts.VerdictError, `^query failed: no such table: password_policy \(table password_policy is not in the host's osquery 5\.3\.0\)$`, ""},
		"mac-01/13": {"CUR-01", facts.VerdictFail, "", ""},
		"lin-01/14": {"CUR-03", facts.VerdictNotApplicable, `^policy platform windows, host ubuntu \(linux\)$`, ""},
		"lin-01/15": {"MIN-01", facts.VerdictError, `no such table: miccmac_checks \(extension table missing on host`, ""},
		"win-01/14": {"CUR-03", facts.VerdictPass, "", `^host offline, last seen 20 days before report_time \(seen 2026-02-10T08:00:00Z, report 2026-03-02T10:00:00Z\)$`},
	}
	if len(bc.Expected) != len(cases) {
		t.Fatalf("B24 expects %d verdicts, the test covers %d", len(bc.Expected), len(cases))
	}
	statusWord := map[string]string{"PASS": facts.VerdictPass, "FAIL": facts.VerdictFail, "ERROR": facts.VerdictError, "NOT_APPLICABLE": facts.VerdictNotApplicable}
	for key, want := range bc.Expected {
		c, ok := cases[key]
		if !ok {
			t.Errorf("B24 expects %s, the test has no case for it", key)
			continue
		}
		host, policy, _ := strings.Cut(key, "/")
		if w := statusWord[strings.Fields(want)[0]]; w != c.status {
			t.Errorf("%s: case says %s, B24 says %q", key, c.status, want)
		}
		if strings.Contains(want, "stale") != (c.stale != "") {
			t.Errorf("%s: case stale %q, B24 says %q", key, c.stale, want)
		}
		d := docs[host]
		if d == nil {
			t.Errorf("%s: host %s not read", key, host)
			continue
		}
		v, ok := d.ExternalVerdicts[c.check]
		if !ok {
			t.Errorf("%s: no verdict for %s; have %v", key, c.check, d.ExternalVerdicts)
			continue
		}
		if !strings.HasPrefix(v.Source, "Fleet policy "+policy+" 'miccmac "+c.check+" ") {
			t.Errorf("%s: source %q", key, v.Source)
		}
		if v.Status != c.status {
			t.Errorf("%s: status %q, want %q (%s)", key, v.Status, c.status, want)
		}
		if (c.detail == "") != (v.Detail == "") || (c.detail != "" && !regexp.MustCompile(c.detail).MatchString(v.Detail)) {
			t.Errorf("%s: detail %q, want match %q", key, v.Detail, c.detail)
		}
		if v.Stale != (c.stale != "") || (c.stale != "" && !regexp.MustCompile(c.stale).MatchString(v.StaleReason)) {
			t.Errorf("%s: stale %v %q, want %q", key, v.Stale, v.StaleReason, c.stale)
		}
	}
	wantCount := map[string]int{"mac-01": 3, "lin-01": 2, "win-01": 1}
	wantKind := map[string]string{"mac-01": "darwin", "lin-01": "linux", "win-01": "windows"}
	for host, d := range docs {
		if len(d.ExternalVerdicts) != wantCount[host] {
			t.Errorf("%s: %d verdicts, want %d: %v", host, len(d.ExternalVerdicts), wantCount[host], d.ExternalVerdicts)
		}
		if got := d.Decorations[PlatformDecoration]; got != wantKind[host] {
			t.Errorf("%s: platform decoration %q, want %q", host, got, wantKind[host])
		}
		for _, n := range d.Notes {
			if strings.Contains(n, FleetPoliciesResult) {
				t.Errorf("%s: the policy rows are reported as an unknown query: %q", host, n)
			}
		}
	}
	// Answers are as of the last check-in; without one, as of report_time.
	if got := docs["win-01"].CollectedAt; got != time.Date(2026, 2, 10, 8, 0, 0, 0, time.UTC).Unix() {
		t.Errorf("win-01 collected_at %d, want seen_time", got)
	}
	if got := docs["mac-01"].CollectedAt; got != time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC).Unix() {
		t.Errorf("mac-01 collected_at %d, want report_time", got)
	}
}

// fleetHostJSON is one Fleet host (GET /api/v1/fleet/hosts/:id "host" value).
const fleetHostJSON = `{"id": 7, "hostname": "web-01", "display_name": "web-01", "uuid": "4C4C4544-0001",
 "platform": "rhel", "platform_like": "fedora", "osquery_version": "5.12.1", "status": "online",
 "seen_time": "2026-03-02T09:58:00.123Z", "policy_updated_at": "2026-03-02T09:30:00Z",
 "policies": [
  {"id": 3, "name": "miccmac MIN-03 Host firewall enabled", "query": "SELECT 1", "critical": true, "platform": "darwin,linux,windows", "response": "fail", "resolution": "x"},
  {"id": 4, "name": "miccmac CUR-01 Operating-system patch level within policy", "critical": false, "platform": "", "response": "pass"},
  {"id": 5, "name": "miccmac CTL-02 Administrative privileges restricted", "platform": "linux", "response": ""},
  {"id": 9, "name": "Disk encryption enabled", "platform": "darwin", "response": "fail"}
 ]}`

// TestFleetPolicies_Shapes reads the REST API and fleetctl shapes of one host.
func TestFleetPolicies_Shapes(t *testing.T) {
	oneLine := strings.Join(strings.Fields(fleetHostJSON), " ")
	shapes := map[string]string{
		"REST GET /hosts/:id":       "{\n\"host\": " + fleetHostJSON + "\n}\n",
		"REST list with policies":   `{"hosts": [` + oneLine + `]}`,
		"fleetctl get host --json":  `{"kind":"host","apiVersion":"v1","spec":` + oneLine + "}\n",
		"bare host object":          fleetHostJSON,
		"fleetctl lines, two hosts": `{"kind":"host","apiVersion":"v1","spec":` + oneLine + "}\n" + `{"kind":"host","apiVersion":"v1","spec":` + strings.Replace(oneLine, `"hostname": "web-01"`, `"hostname": "web-02"`, 1) + "}\n",
	}
	for name, src := range shapes {
		t.Run(name, func(t *testing.T) {
			in, got := verdictsOf(t, "fleet.json", src)
			want := map[string]string{
				"web-01/MIN-03": facts.VerdictFail, "web-01/CUR-01": facts.VerdictPass, "web-01/CTL-02": facts.VerdictUnknown,
			}
			if strings.Contains(name, "two hosts") {
				for k, v := range want {
					want[strings.Replace(k, "web-01", "web-02", 1)] = v
				}
			}
			if len(got) != len(want) {
				t.Errorf("verdicts %v, want %v", got, want)
			}
			for k, st := range want {
				if got[k].Status != st {
					t.Errorf("%s: %q, want %q", k, got[k].Status, st)
				}
			}
			if v := got["web-01/CTL-02"]; !strings.HasPrefix(v.Detail, "no response from the host yet") || v.Stale {
				t.Errorf("CTL-02 verdict %+v", v)
			}
			h := hostOf(t, in, "web-01")
			if h.Decorations["host_uuid"] != "4C4C4544-0001" || Platform(h) != "linux" {
				t.Errorf("decorations %v", h.Decorations)
			}
			if want := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC); !h.CollectedAt.Equal(want) {
				t.Errorf("collected %v, want policy_updated_at %v", h.CollectedAt, want)
			}
			if len(in.Warnings) == 0 || !strings.Contains(in.Warnings[0].Msg, `host web-01: 1 policies not named "miccmac <CHECK-ID> <title>" ignored: 9 "Disk encryption enabled"`) {
				t.Errorf("warnings %v", in.Warnings)
			}
		})
	}
}

// TestFleetPolicies_Names: the composite policy is noted, a "miccmac" name
// without a check id is warned about, and two policies for one check keep
// the failing answer with a note.
func TestFleetPolicies_Names(t *testing.T) {
	src := `{"hosts": [{"hostname": "m1", "platform": "darwin", "policies": [
	 {"id": 1, "name": "miccmac Zero Trust ready", "response": "pass"},
	 {"id": 2, "name": "miccmac password length >= 10", "response": "fail"},
	 {"id": 3, "name": "miccmac MON-01 logging", "response": "pass"},
	 {"id": 4, "name": "MICCMAC mon-01 logging (team copy)", "response": "fail"},
	 {"id": 5, "name": "miccmac CUR-02 x", "response": "maybe"},
	 {"id": 6, "name": 12}]}]}`
	in, got := verdictsOf(t, "names.json", src)
	var msgs []string
	for _, w := range in.Warnings {
		msgs = append(msgs, w.String())
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{
		`names.json:3: Fleet export: host m1: hosts[0].policies[1]: policy 2 "miccmac password length >= 10" names no miccmac check`,
		`names.json:7: Fleet export: host m1: hosts[0].policies[5]: name is the number 12, expected a string: skipped`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings lack %q:\n%s", want, all)
		}
	}
	if v := got["m1/MON-01"]; v.Status != facts.VerdictFail || !strings.HasPrefix(v.Source, "Fleet policy 4 ") {
		t.Errorf("MON-01 %+v, want policy 4's fail", v)
	}
	if v := got["m1/CUR-02"]; v.Status != facts.VerdictUnknown || v.Detail != `response "maybe" is not "pass", "fail" or ""` {
		t.Errorf("CUR-02 %+v", v)
	}
	if len(got) != 2 {
		t.Errorf("verdicts %v, want MON-01 and CUR-02 only", got)
	}
	d := ToFacts(hostOf(t, in, "m1"), testCatalog())
	notes := strings.Join(d.Notes, "\n")
	for _, want := range []string{
		"Fleet policy 1 'miccmac Zero Trust ready': pass (the extension's own tier verdict; not a check, not graded here)",
		"Fleet policy 4 'MICCMAC mon-01 logging (team copy)' and Fleet policy 3 'miccmac MON-01 logging' both name MON-01: the first (fail) is used, the other (pass) is not",
	} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
}

// TestFleetPolicies_Errors: exports that carry no policy answers, or bad
// fields, are errors naming the file, line and field.
func TestFleetPolicies_Errors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"fleetctl get hosts (no policies)", `{"kind":"host","apiVersion":"v1","spec":{"hostname":"a","platform":"ubuntu","status":"online"}}` + "\n",
			"x.json:1: Fleet host export without policy responses"},
		{"host list without policies", "{\n \"hosts\": [\n  {\"hostname\": \"a\"}\n ]\n}\n", "x.json:1: Fleet host export without policy responses"},
		{"bad report_time", "{\"hosts\": [{\"hostname\": \"a\", \"policies\": []}],\n \"report_time\": \"yesterday\"}",
			`x.json:2: Fleet export: report_time is the string "yesterday", expected an RFC 3339 time`},
		{"no hostname", "{\"host\":\n {\"platform\": \"darwin\", \"policies\": []}}", "x.json:2: Fleet export: host has no hostname"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read("x.json", strings.NewReader(tt.src), testCatalog())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}

// TestFleetPolicies_Stale: staleness needs report_time, or Fleet's own
// "missing" status; an offline host seen recently is not stale.
func TestFleetPolicies_Stale(t *testing.T) {
	tests := []struct {
		status, seen, report string
		stale                bool
		reason               string
	}{
		{"offline", "2026-03-01T12:00:00Z", "2026-03-02T10:00:00Z", false, ""},
		{"offline", "2026-02-28T09:00:00Z", "2026-03-02T10:00:00Z", true, "host offline, last seen 2 days before report_time (seen 2026-02-28T09:00:00Z, report 2026-03-02T10:00:00Z)"},
		{"", "2026-03-01T08:00:00Z", "2026-03-02T10:00:00Z", true, "last seen 1 day before report_time (seen 2026-03-01T08:00:00Z, report 2026-03-02T10:00:00Z)"},
		{"offline", "2026-01-01T00:00:00Z", "", false, ""},
		{"missing", "2026-01-01T00:00:00Z", "", true, "host missing in Fleet (no check-in for 30 days or more), last seen 2026-01-01T00:00:00Z"},
		{"online", "0001-01-01T00:00:00Z", "2026-03-02T10:00:00Z", false, ""},
	}
	for _, tt := range tests {
		stale, reason := fleetStale(tt.status, tt.seen, tt.report)
		if stale != tt.stale || reason != tt.reason {
			t.Errorf("fleetStale(%q, %q, %q) = %v %q, want %v %q", tt.status, tt.seen, tt.report, stale, reason, tt.stale, tt.reason)
		}
	}
}

// TestFleetHostKind maps Fleet host platforms to policy platforms.
func TestFleetHostKind(t *testing.T) {
	for in, want := range map[[2]string]string{
		{"darwin", ""}: "darwin", {"windows", ""}: "windows", {"ubuntu", "debian"}: "linux",
		{"rhel", ""}: "linux", {"amzn", ""}: "linux", {"arch", ""}: "linux", {"opensuse-leap", ""}: "linux",
		{"nixos", ""}: "linux", {"chrome", ""}: "chrome", {"ios", ""}: "ios", {"", ""}: "",
		{"myos", "ubuntu debian"}: "linux",
	} {
		if got := fleetHostKind(in[0], in[1]); got != want {
			t.Errorf("fleetHostKind(%q, %q) = %q, want %q", in[0], in[1], got, want)
		}
	}
}

// TestFleetPolicyNames_MatchPacks: every policy name the packs generate
// parses back to its check, and the composite name is the same.
func TestFleetPolicyNames_MatchPacks(t *testing.T) {
	if readyPolicyName != packs.ReadyPolicyName {
		t.Errorf("readyPolicyName %q, packs.ReadyPolicyName %q", readyPolicyName, packs.ReadyPolicyName)
	}
	if k, _ := parsePolicyName(packs.ReadyPolicyName); k != policyReady {
		t.Errorf("ready policy parsed as %d", k)
	}
	for _, c := range engine.Catalog() {
		name := packs.PolicyName(c)
		if k, id := parsePolicyName(name); k != policyCheck || id != c.ID {
			t.Errorf("parsePolicyName(%q) = %d %q, want check %s", name, k, id, c.ID)
		}
	}
}

// TestFleetPolicies_BundleRoundTrip: the policy rows survive a capture bundle
// and give the same verdicts.
func TestFleetPolicies_BundleRoundTrip(t *testing.T) {
	in := readOne(t, bugcasePath("B24.json"))
	var buf bytes.Buffer
	if err := WriteBundles(&buf, in.Hosts); err != nil {
		t.Fatal(err)
	}
	back, err := Read("bundle.json", &buf, testCatalog())
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range in.Hosts {
		want := ToFacts(h, testCatalog()).ExternalVerdicts
		got := ToFacts(hostOf(t, back, h.Host), testCatalog()).ExternalVerdicts
		if len(got) != len(want) {
			t.Fatalf("%s: %v, want %v", h.Host, got, want)
		}
		for id, v := range want {
			if got[id] != v {
				t.Errorf("%s/%s: %+v, want %+v", h.Host, id, got[id], v)
			}
		}
	}
	// A host with no policy rows has no verdicts.
	if d := ToFacts(&queries.HostResults{Host: "x"}, testCatalog()); d.ExternalVerdicts != nil {
		t.Errorf("verdicts without input: %v", d.ExternalVerdicts)
	}
}
