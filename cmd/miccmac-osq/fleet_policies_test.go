package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestReportFleetPolicies_B24 scores B24's Fleet export end to end: every
// verdict B24 expects, the reasons, and scores whose denominators leave out
// ERROR, NOT_APPLICABLE and UNKNOWN.
func TestReportFleetPolicies_B24(t *testing.T) {
	code, out, errOut := runCLI(t, "report", "--format", "json", "--input", "../../testdata/bugcases/B24.json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep struct {
		Hosts []struct {
			Host     string         `json:"host"`
			Overall  *float64       `json:"overall_score"`
			Coverage float64        `json:"coverage"`
			Counts   map[string]int `json:"counts"`
			Warnings []string       `json:"warnings"`
			Props    []struct {
				Key    string   `json:"key"`
				Score  *float64 `json:"score"`
				Checks []struct {
					ID     string   `json:"check_id"`
					Status string   `json:"status"`
					Score  *float64 `json:"score"`
					Detail string   `json:"detail"`
				} `json:"checks"`
			} `json:"properties"`
		} `json:"hosts"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, out)
	}
	type check struct{ status, detail string }
	got := map[string]check{}
	scored := map[string]int{}
	for _, h := range rep.Hosts {
		for _, p := range h.Props {
			for _, c := range p.Checks {
				got[h.Host+"/"+c.ID] = check{c.Status, c.Detail}
				if c.Score != nil {
					scored[h.Host]++
				}
				if (c.Score != nil) != (c.Status == "PASS" || c.Status == "FAIL" || c.Status == "PARTIAL") {
					t.Errorf("%s/%s: %s scored %v", h.Host, c.ID, c.Status, c.Score)
				}
			}
		}
	}
	// B24 "expected" keys are host/policy id: 11 MON-01, 13 CUR-01, 14 CUR-03,
	// 15 MIN-01; policy 12 names CON-02, which is no check (a warning).
	for key, want := range map[string]check{
		"mac-01/MON-01": {"PASS", "Fleet policy 11 'miccmac MON-01 logging agent running' passed"},
		"mac-01/CUR-01": {"FAIL", "Fleet policy failed: the host's miccmac extension did not grade CUR-01 as PASS"},
		"lin-01/CUR-03": {"NOT_APPLICABLE", "policy platform windows, host ubuntu (linux)"},
		"lin-01/MIN-01": {"ERROR", "query failed: no such table: miccmac_checks (extension table missing on host"},
		"win-01/CUR-03": {"PASS", "Stale answer: host offline, last seen 20 days before report_time"},
		"win-01/MON-01": {"UNKNOWN", "Not in the input: no Fleet policy answered MON-01"},
	} {
		if g := got[key]; g.status != want.status || !strings.Contains(g.detail, want.detail) {
			t.Errorf("%s: %s %q, want %s containing %q", key, g.status, g.detail, want.status, want.detail)
		}
	}
	wants := map[string]struct {
		overall  string
		coverage float64
		scored   int
		counts   map[string]int
		warning  string
	}{
		"mac-01": {"50", 0.0769, 2, map[string]int{"PASS": 1, "FAIL": 1, "ERROR": 0, "UNKNOWN": 24},
			"Fleet policy 12 'miccmac CON-02 password length >= 10' names no miccmac check (CON-02 is not in the catalogue); its answer (ERROR: query failed: no such table: password_policy (table password_policy is not in the host's osquery 5.3.0)) is not graded"},
		"lin-01": {"none", 0, 0, map[string]int{"ERROR": 1, "NOT_APPLICABLE": 1, "UNKNOWN": 24}, ""},
		"win-01": {"100", 0.0385, 1, map[string]int{"PASS": 1, "UNKNOWN": 25}, "stale external answers for CUR-03: host offline, last seen 20 days before report_time"},
	}
	if len(rep.Hosts) != len(wants) {
		t.Fatalf("%d hosts, want %d", len(rep.Hosts), len(wants))
	}
	for _, h := range rep.Hosts {
		w := wants[h.Host]
		overall := "none"
		if h.Overall != nil {
			b, _ := json.Marshal(*h.Overall)
			overall = string(b)
		}
		if overall != w.overall || h.Coverage != w.coverage || scored[h.Host] != w.scored {
			t.Errorf("%s: overall %s coverage %v scored %d, want %s %v %d", h.Host, overall, h.Coverage, scored[h.Host], w.overall, w.coverage, w.scored)
		}
		for s, n := range w.counts {
			if h.Counts[s] != n {
				t.Errorf("%s: %d %s, want %d", h.Host, h.Counts[s], s, n)
			}
		}
		all := strings.Join(h.Warnings, "\n")
		if (w.warning == "") != (all == "") || !strings.Contains(all, w.warning) {
			t.Errorf("%s: warnings %q, want %q", h.Host, h.Warnings, w.warning)
		}
	}
}
