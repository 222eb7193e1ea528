package extension

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/miccmac/miccmac-osq/engine"
)

func ptr(f float64) *float64 { return &f }

func TestCheckRows(t *testing.T) {
	a := &engine.Assessment{
		ModelVersion: engine.ModelVersion, AssessedAt: 1764772800, PolicyHash: "0123456789abcdef",
		OverallScore: ptr(66.666666), Tier: "Developing", Coverage: 0.833333,
		Counts: map[engine.Status]int{engine.Pass: 1, engine.Partial: 1, engine.Fail: 1, engine.Unknown: 2},
		Properties: []engine.PropertyResult{
			{Key: "monitored", Score: ptr(75), Checks: []engine.CheckResult{
				{CheckID: "MON-01", Property: "monitored", Letter: "M", Title: "EDR", Status: engine.Pass, Score: ptr(100),
					Detail: "crowdstrike running", Evidence: map[string]any{"process": "falcon-sensor", "pid": 812},
					Controls: engine.Controls{NIST80053: []string{"SI-4", "AU-6"}, CISv8: []string{"13.1"}, NIST800207: []string{"tenet 5"}},
					Risk:     "HIGH", CISIG: "IG1", Remediation: "Install the EDR agent."},
				{CheckID: "MON-02", Property: "monitored", Status: engine.Partial, Score: ptr(50)},
			}},
			{Key: "current", Score: nil, Checks: []engine.CheckResult{
				{CheckID: "CUR-01", Property: "current", Status: engine.Unknown, Detail: "os_version: no such table"},
				{CheckID: "CUR-04", Property: "current", Status: engine.Fail, Score: ptr(0)},
			}},
		},
	}
	rows := checkRows(a)
	if got := ids(rows); joined(got) != "CUR-01,CUR-04,MON-01,MON-02" {
		t.Fatalf("ids = %v", got)
	}
	if rows[0]["check_id"] != "MON-01" || rows[3]["check_id"] != "CUR-04" {
		t.Errorf("rows not in property order: %v, %v", rows[0]["check_id"], rows[3]["check_id"])
	}
	want := map[string]string{
		"check_id": "MON-01", "property": "monitored", "letter": "M", "title": "EDR", "status": "PASS", "score": "100",
		"detail": "crowdstrike running", "evidence": `{"pid":812,"process":"falcon-sensor"}`, "remediation": "Install the EDR agent.",
		"risk": "HIGH", "cis_ig": "IG1", "nist_800_53": "SI-4,AU-6", "cis_v8": "13.1", "nist_800_207": "tenet 5",
		"assessed_at": "1764772800", "model_version": engine.ModelVersion,
	}
	for k, v := range want {
		if rows[0][k] != v {
			t.Errorf("MON-01 %s = %q, want %q", k, rows[0][k], v)
		}
	}
	for i, score := range []string{"100", "50", "", "0"} {
		if rows[i]["score"] != score {
			t.Errorf("%s score = %q, want %q", rows[i]["check_id"], rows[i]["score"], score)
		}
	}
	if rows[2]["evidence"] != "{}" {
		t.Errorf("nil evidence = %q, want {}", rows[2]["evidence"])
	}

	r := readinessRow(a)
	wantR := map[string]string{
		"overall_score": "66.7", "tier": "Developing", "coverage": "0.8333", "monitored": "75", "current": "",
		"inventoried": "", "pass": "1", "partial": "1", "fail": "1", "unknown": "2", "not_applicable": "0", "error": "0",
		"assessed_at": "1764772800", "policy_hash": "0123456789abcdef", "detail": "",
	}
	for k, v := range wantR {
		if r[k] != v {
			t.Errorf("readiness %s = %q, want %q", k, r[k], v)
		}
	}
}

// TestSpecJSON: the spec is osquery's table-spec shape, and every column a
// row carries is declared (and vice versa).
func TestSpecJSON(t *testing.T) {
	b, err := SpecJSON()
	if err != nil {
		t.Fatal(err)
	}
	var specs []struct {
		Name        string   `json:"name"`
		Description string   `json:"description"`
		Platforms   []string `json:"platforms"`
		Examples    []string `json:"examples"`
		Columns     []struct {
			Name        string `json:"name"`
			Type        string `json:"type"`
			Description string `json:"description"`
			Hidden      *bool  `json:"hidden"`
			Required    *bool  `json:"required"`
			Index       *bool  `json:"index"`
		} `json:"columns"`
	}
	if err := json.Unmarshal(b, &specs); err != nil {
		t.Fatalf("spec is not JSON: %v\n%s", err, b)
	}
	rowKeys := map[string][]string{
		ChecksTable:    keys(checkRows(sampleAssessment())[0]),
		ReadinessTable: keys(readinessRow(sampleAssessment())),
	}
	if len(specs) != 2 || specs[0].Name != ChecksTable || specs[1].Name != ReadinessTable {
		t.Fatalf("spec tables = %+v", specs)
	}
	for _, s := range specs {
		if s.Description == "" || len(s.Examples) == 0 || joined(s.Platforms) != "linux,darwin,windows" {
			t.Errorf("%s: description %q, examples %v, platforms %v", s.Name, s.Description, s.Examples, s.Platforms)
		}
		var cols []string
		for _, c := range s.Columns {
			cols = append(cols, c.Name)
			if c.Description == "" || c.Hidden == nil || c.Required == nil || c.Index == nil {
				t.Errorf("%s.%s: description/hidden/required/index missing", s.Name, c.Name)
			}
			if !slices.Contains([]string{"text", "integer", "bigint", "double"}, c.Type) {
				t.Errorf("%s.%s: type %q is not an osquery spec type", s.Name, c.Name, c.Type)
			}
		}
		slices.Sort(cols)
		if joined(cols) != joined(rowKeys[s.Name]) {
			t.Errorf("%s: columns %v, rows carry %v", s.Name, cols, rowKeys[s.Name])
		}
	}
	for _, r := range [][]map[string]string{errorCheckRow("x", 1, ""), errorReadinessRow("x", 1, "")} {
		name := ChecksTable
		if _, ok := r[0]["tier"]; ok {
			name = ReadinessTable
		}
		if joined(keys(r[0])) != joined(rowKeys[name]) {
			t.Errorf("%s error row columns %v, want %v", name, keys(r[0]), rowKeys[name])
		}
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func sampleAssessment() *engine.Assessment {
	return &engine.Assessment{Counts: map[engine.Status]int{}, Properties: []engine.PropertyResult{
		{Key: "monitored", Checks: []engine.CheckResult{{CheckID: "MON-01", Status: engine.Pass, Score: ptr(100)}}},
	}}
}
