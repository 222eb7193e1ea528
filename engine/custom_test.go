package engine

import (
	"testing"

	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/engine/policy"
)

const customPolicy = `
custom_checks:
  - id: ORG-01
    title: No remote-control tools running
    property: minimized
    controls: {nist_800_53: [CM-7]}
    cis_ig: IG1
    frequency: MEDIUM
    magnitude: HIGH
    remediation: Uninstall remote-control tools.
    query: SELECT name FROM processes WHERE name IN ('TeamViewer', 'AnyDesk');
    platforms: [linux, darwin, windows]
    fail_when: {rows: any}
  - id: ORG-02
    title: Disk nearly full is flagged
    property: current
    frequency: LOW
    magnitude: LOW
    remediation: Free disk space.
    query: SELECT path, blocks_available FROM mounts WHERE path = '/';
    platforms: [linux]
    pass_when: {column: blocks_available, op: ">", value: "1000", match: all}
    partial_when: {column: blocks_available, op: ">", value: "100"}
`

func customDoc(sections map[string]facts.Section[map[string]string]) *facts.Document {
	return &facts.Document{
		SchemaVersion: facts.SchemaVersion, Host: "h",
		OS:      facts.OS{Origin: facts.Origin{State: facts.StateOK}, Kind: "linux", Family: facts.FamilyDebian},
		Queries: map[string]facts.QueryState{"os_version": {State: facts.StateOK, Rows: 1}},
		Custom:  sections,
	}
}

func okRows(rows ...map[string]string) facts.Section[map[string]string] {
	if rows == nil {
		rows = []map[string]string{}
	}
	return facts.Section[map[string]string]{Origin: facts.Origin{State: facts.StateOK}, Items: rows}
}

func TestCustomChecks(t *testing.T) {
	pol, err := policy.Parse("p.yaml", []byte(customPolicy), CanonicalIDs())
	if err != nil {
		t.Fatal(err)
	}
	cat := CatalogFor(pol)
	if len(cat) != len(Catalog())+2 {
		t.Fatalf("catalogue has %d checks", len(cat))
	}
	tests := []struct {
		name       string
		sections   map[string]facts.Section[map[string]string]
		org1, org2 Status
	}{
		{"clean", map[string]facts.Section[map[string]string]{
			"ORG-01": okRows(), "ORG-02": okRows(map[string]string{"blocks_available": "5000"})}, Pass, Pass},
		{"findings", map[string]facts.Section[map[string]string]{
			"ORG-01": okRows(map[string]string{"name": "AnyDesk"}), "ORG-02": okRows(map[string]string{"blocks_available": "500"})}, Fail, Partial},
		{"pass_when not met", map[string]facts.Section[map[string]string]{
			"ORG-01": okRows(), "ORG-02": okRows(map[string]string{"blocks_available": "12"})}, Pass, Fail},
		{"numbers compare as numbers", map[string]facts.Section[map[string]string]{
			"ORG-01": okRows(), "ORG-02": okRows(map[string]string{"blocks_available": "900"})}, Pass, Partial},
		{"query failed / not run", map[string]facts.Section[map[string]string]{
			"ORG-01": {Origin: facts.Origin{State: facts.StateUnknown, Reason: "no such table: processes"}}}, Unknown, Unknown},
		{"other platform", map[string]facts.Section[map[string]string]{
			"ORG-01": okRows(), "ORG-02": {Origin: facts.Origin{State: facts.StateNotApplicable, Reason: "runs on linux"}}}, Pass, NotApplicable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Assess(customDoc(tt.sections), pol, Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]CheckResult{}
			for _, p := range a.Properties {
				for _, c := range p.Checks {
					if c.CheckID == "ORG-01" && p.Key != "minimized" || c.CheckID == "ORG-02" && p.Key != "current" {
						t.Errorf("%s listed under %s", c.CheckID, p.Key)
					}
					got[c.CheckID] = c
				}
			}
			if got["ORG-01"].Status != tt.org1 || got["ORG-02"].Status != tt.org2 {
				t.Errorf("ORG-01 %s (%s), ORG-02 %s (%s); want %s, %s", got["ORG-01"].Status, got["ORG-01"].Detail,
					got["ORG-02"].Status, got["ORG-02"].Detail, tt.org1, tt.org2)
			}
			if got["ORG-01"].Risk != "HIGH" || got["ORG-01"].Controls.NIST80053[0] != "CM-7" || got["ORG-01"].Remediation == "" {
				t.Errorf("ORG-01 metadata: %+v", got["ORG-01"])
			}
		})
	}
}

// TestCustomRulePrecedence: fail_when wins over a matching pass_when, and
// match: all needs at least one row.
func TestCustomRulePrecedence(t *testing.T) {
	rows := []map[string]string{{"v": "1"}, {"v": "5"}}
	both := customEvaluator(policy.CustomCheck{ID: "ORG-09", Platforms: []string{"linux"},
		FailWhen: &policy.Rule{Column: "v", Op: ">", Value: "4"},
		PassWhen: &policy.Rule{Rows: "any"}})
	env := &Env{Facts: customDoc(map[string]facts.Section[map[string]string]{"ORG-09": okRows(rows...)})}
	if o := both(env); o.Status != Fail || o.Evidence["rule"] != "fail_when" {
		t.Errorf("fail_when and pass_when both match: %s %v, want FAIL by fail_when", o.Status, o.Evidence["rule"])
	}
	all := customEvaluator(policy.CustomCheck{ID: "ORG-10", Platforms: []string{"linux"},
		PassWhen: &policy.Rule{Column: "v", Op: "=", Value: "1", Match: "all"}})
	env = &Env{Facts: customDoc(map[string]facts.Section[map[string]string]{"ORG-10": okRows()})}
	if o := all(env); o.Status != Fail {
		t.Errorf("match: all over zero rows = %s, want FAIL (pass_when not met)", o.Status)
	}
}

// TestRound1 keeps a mean that is mathematically x.x5 from rounding down.
func TestRound1(t *testing.T) {
	for _, tt := range []struct{ in, want float64 }{
		{(50.0 + 100 + 100 + 50 + 100 + 100 + 100 + 50) / 8 * 0.9999999999999999, 81.3}, // 81.25 computed a hair low
		{1.05, 1.1}, {2.675, 2.7}, {89.95, 90}, {0, 0}, {66.666, 66.7},
	} {
		if got := round1(tt.in); got != tt.want {
			t.Errorf("round1(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
