package engine

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

// asmAtt is an attestation bound to curDoc's device.
func asmAtt() *facts.Attestation {
	return &facts.Attestation{Source: "attestation.yaml", Binding: facts.Binding{Serial: "ABC1234"}, ValidUntil: "2027-12-31"}
}

func TestASM01(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(d *facts.Document)
		status Status
		detail string
	}{
		{"scanned 10 days ago, 30-day interval", func(d *facts.Document) {
			d.Attestation = asmAtt()
			d.Attestation.VulnerabilityScan = &facts.PeriodicActivity{Performed: true, Last: "2026-11-23", IntervalDays: curI(30)}
		}, Pass, "10 days ago"},
		{"RFC 3339 date", func(d *facts.Document) {
			d.Attestation = asmAtt()
			d.Attestation.VulnerabilityScan = &facts.PeriodicActivity{Performed: true, Last: "2026-12-01T08:00:00Z", IntervalDays: curI(7)}
		}, Pass, "2 days ago"},
		{"overdue", func(d *facts.Document) {
			d.Attestation = asmAtt()
			d.Attestation.VulnerabilityScan = &facts.PeriodicActivity{Performed: true, Last: "2026-09-01", IntervalDays: curI(30)}
		}, Fail, "overdue by 63 days"},
		{"not performed", func(d *facts.Document) {
			d.Attestation = asmAtt()
			d.Attestation.VulnerabilityScan = &facts.PeriodicActivity{Performed: false}
		}, Fail, "no vulnerability scan"},
		{"performed, date missing", func(d *facts.Document) {
			d.Attestation = asmAtt()
			d.Attestation.VulnerabilityScan = &facts.PeriodicActivity{Performed: true, IntervalDays: curI(30)}
		}, Partial, "no date"},
		{"performed, no interval", func(d *facts.Document) {
			d.Attestation = asmAtt()
			d.Attestation.VulnerabilityScan = &facts.PeriodicActivity{Performed: true, Last: "2026-11-23"}
		}, Partial, "no interval"},
		{"unparseable date", func(d *facts.Document) {
			d.Attestation = asmAtt()
			d.Attestation.VulnerabilityScan = &facts.PeriodicActivity{Performed: true, Last: "23/11/2026", IntervalDays: curI(30)}
		}, Error, "not a date"},
		{"date after the assessment", func(d *facts.Document) {
			d.Attestation = asmAtt()
			d.Attestation.VulnerabilityScan = &facts.PeriodicActivity{Performed: true, Last: "2027-01-10", IntervalDays: curI(30)}
		}, Error, "after the assessment time"},
		{"record for another device, no scanner", func(d *facts.Document) {
			d.Attestation = asmAtt()
			d.Attestation.Binding.Serial = "OTHER99"
			d.Attestation.VulnerabilityScan = &facts.PeriodicActivity{Performed: true, Last: "2026-11-23", IntervalDays: curI(30)}
		}, Unknown, `is for serial "OTHER99"`},
		{"expired record, no scanner", func(d *facts.Document) {
			d.Attestation = asmAtt()
			d.Attestation.ValidUntil = "2026-06-30"
			d.Attestation.VulnerabilityScan = &facts.PeriodicActivity{Performed: true, Last: "2026-11-23", IntervalDays: curI(30)}
		}, Unknown, "expired on 2026-06-30"},
		{"expired record, Qualys running", func(d *facts.Document) {
			d.Attestation = asmAtt()
			d.Attestation.ValidUntil = "2026-06-30"
			d.Services.Items = []facts.Service{curService("qualys-cloud-agent.service", true, true)}
		}, Partial, "expired on 2026-06-30"},
		{"no attestation, Nessus agent running", func(d *facts.Document) {
			d.Services.Items = []facts.Service{curService("nessusagent.service", true, true)}
		}, Partial, "Tenable Nessus Agent"},
		{"no attestation, nothing", func(d *facts.Document) {
			d.Services.Items = []facts.Service{curService("ssh.service", true, true)}
		}, Unknown, "no vulnerability-scanner agent"},
		{"installed but stopped scanner", func(d *facts.Document) {
			d.Services.Items = []facts.Service{curService("ir_agent.service", false, false)}
		}, Unknown, "installed but not running (Rapid7 Insight Agent)"},
		{"attestation without the key, Wazuh running", func(d *facts.Document) {
			d.Attestation = asmAtt()
			d.Processes.Items = []facts.Process{{Name: "wazuh-agentd"}}
		}, Partial, "has no vulnerability_scanning record"},
		{"nothing collected", func(d *facts.Document) {
			d.Processes.Origin = curUnknown("processes: permission denied")
			d.Services.Origin = curUnknown("systemd_units: not run")
			d.Packages.Origin = curUnknown("deb_packages: error")
		}, Unknown, "were not collected"},
		// exact names only: a process merely containing a scanner's name is not it
		{"no substring matches", func(d *facts.Document) {
			d.Processes.Items = []facts.Process{{Name: "ir_agent_helper"}, {Name: "nessusd-fake"}}
		}, Unknown, "no vulnerability-scanner agent"},
	}
	for _, tt := range tests {
		d := curDoc("ubuntu")
		tt.setup(d)
		curExpect(t, tt.name, curRun(t, "ASM-01", d), tt.status, tt.detail)
	}
}

func TestASM01_WindowsDefenderVM(t *testing.T) {
	d := curDoc("windows")
	d.Processes.Items = []facts.Process{{Name: "mssense.exe"}} // Windows names are case-insensitive
	got := curRun(t, "ASM-01", d)
	curExpect(t, "MsSense", got, Partial, "Microsoft Defender Vulnerability Management")
}

func TestASM02(t *testing.T) {
	recent := curDays(1)
	old := curDays(60)
	q := func(name string, execs int64, last *int64) facts.ScheduledQuery {
		return facts.ScheduledQuery{Name: name, Interval: curI(3600), Executions: curI(execs), LastExecuted: last}
	}
	tests := []struct {
		name   string
		setup  func(d *facts.Document)
		status Status
		detail string
	}{
		{"attested assessment within interval", func(d *facts.Document) {
			d.Attestation = asmAtt()
			d.Attestation.ComplianceAssessment = &facts.PeriodicActivity{Performed: true, Last: "2026-11-01", IntervalDays: curI(90)}
		}, Pass, "within the 90-day interval"},
		{"attested assessment overdue beats the schedule", func(d *facts.Document) {
			d.Attestation = asmAtt()
			d.Attestation.ComplianceAssessment = &facts.PeriodicActivity{Performed: true, Last: "2025-11-01", IntervalDays: curI(90)}
			d.Osquery.Schedule.Items = []facts.ScheduledQuery{q("pack/miccmac/os_version", 5, recent)}
		}, Fail, "overdue"},
		{"miccmac pack with / delimiter", func(d *facts.Document) {
			d.Osquery.Schedule.Items = []facts.ScheduledQuery{q("pack/miccmac/os_version", 24, recent), q("pack/other/x", 3, recent)}
		}, Pass, "pack/miccmac/os_version"},
		{"miccmac pack with _ delimiter", func(d *facts.Document) {
			d.Osquery.Schedule.Items = []facts.ScheduledQuery{q("pack_miccmac_deb_packages", 2, recent)}
		}, Pass, "pack_miccmac_deb_packages"},
		{"Fleet global query", func(d *facts.Document) {
			d.Osquery.Schedule.Items = []facts.ScheduledQuery{q("pack/Global/miccmac_os_version", 2, recent)}
		}, Pass, "pack/Global/miccmac_os_version"},
		{"osquery it-compliance pack", func(d *facts.Document) {
			d.Osquery.Schedule.Items = []facts.ScheduledQuery{q("pack_it-compliance_deb_packages", 2, recent)}
		}, Pass, "1 compliance-pack"},
		{"policy-added pack", func(d *facts.Document) {
			d.Osquery.Schedule.Items = []facts.ScheduledQuery{q("pack/acme-cis/sshd", 2, recent)}
		}, Unknown, "none of the 1 scheduled"},
		{"scheduled, not executed since osqueryd started", func(d *facts.Document) {
			d.Osquery.Schedule.Items = []facts.ScheduledQuery{q("pack/miccmac/os_version", 0, curI(0))}
		}, Partial, "none executed within the last 30 days"},
		{"executed 60 days ago", func(d *facts.Document) {
			d.Osquery.Schedule.Items = []facts.ScheduledQuery{q("pack/miccmac/os_version", 4, old)}
		}, Partial, "scheduled"},
		{"other packs only (osquery-monitoring sample shape)", func(d *facts.Document) {
			d.Osquery.Schedule.Items = []facts.ScheduledQuery{q("pack_ossec-rootkit_adore_worm", 37, recent), q("pack_miccmacx_foo", 3, recent)}
		}, Unknown, "none of the 2 scheduled"},
		{"schedule not collected, OpenSCAP running", func(d *facts.Document) {
			d.Osquery.Schedule.Origin = curUnknown("query osquery_schedule error: no such table")
			d.Processes.Items = []facts.Process{{Name: "oscap"}}
		}, Partial, "OpenSCAP"},
		{"schedule not collected, nothing", func(d *facts.Document) {
			d.Osquery.Schedule.Origin = curUnknown("query osquery_schedule error: no such table")
		}, Unknown, "no such table"},
		{"record for another hostname", func(d *facts.Document) {
			d.Attestation = asmAtt()
			d.Attestation.Binding = facts.Binding{Hostname: "other-host"}
			d.Attestation.ComplianceAssessment = &facts.PeriodicActivity{Performed: true, Last: "2026-11-01", IntervalDays: curI(90)}
		}, Unknown, `is for hostname "other-host"`},
	}
	for _, tt := range tests {
		d := curDoc("ubuntu")
		tt.setup(d)
		env := curEnv(d)
		if tt.name == "policy-added pack" {
			// without the addition the pack is not a compliance pack ...
			curExpect(t, tt.name, evaluators["ASM-02"](env), tt.status, tt.detail)
			// ... with it, it is
			env.Policy.CatalogAdditions = map[string][]string{"compliance_packs": {"acme-cis"}}
			curExpect(t, tt.name+" (added)", evaluators["ASM-02"](env), Pass, "pack/acme-cis/sshd")
			continue
		}
		curExpect(t, tt.name, evaluators["ASM-02"](env), tt.status, tt.detail)
	}
}

func TestASM03(t *testing.T) {
	tests := []struct {
		name   string
		fr     *facts.RemediationTracking
		att    bool
		status Status
		detail string
	}{
		{"tracked with SLA", &facts.RemediationTracking{Tracked: true, SLADays: curI(30)}, true, Pass, "30-day SLA"},
		{"tracked, no SLA", &facts.RemediationTracking{Tracked: true}, true, Fail, "no remediation SLA"},
		{"tracked, zero SLA", &facts.RemediationTracking{Tracked: true, SLADays: curI(0)}, true, Fail, "0 days"},
		{"not tracked", &facts.RemediationTracking{Tracked: false, SLADays: curI(30)}, true, Fail, "not tracked"},
		{"negative SLA", &facts.RemediationTracking{Tracked: true, SLADays: curI(-5)}, true, Error, "-5"},
		{"attestation without the key", nil, true, Unknown, "no finding_remediation_sla record"},
		{"no attestation", nil, false, Unknown, "no attestation was supplied"},
	}
	for _, tt := range tests {
		d := curDoc("rhel")
		if tt.att {
			d.Attestation = asmAtt()
			d.Attestation.FindingRemediation = tt.fr
		}
		curExpect(t, tt.name, curRun(t, "ASM-03", d), tt.status, tt.detail)
	}
	d := curDoc("rhel")
	d.Attestation = asmAtt()
	d.Attestation.ValidUntil = "2026-01-01"
	d.Attestation.FindingRemediation = &facts.RemediationTracking{Tracked: true, SLADays: curI(30)}
	curExpect(t, "expired", curRun(t, "ASM-03", d), Unknown, "expired on 2026-01-01")
}

// TestASM02_ScheduleSample reads the real osquery_schedule capture (osquery's
// ossec-rootkit pack, names pack_<pack>_<query>): not a compliance pack, until
// the policy names it one.
func TestASM02_ScheduleSample(t *testing.T) {
	b, err := os.ReadFile("../testdata/samples/linux-debian/osquery-monitoring-schedule.raw-key-order.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	d := curDoc("ubuntu")
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var ev struct {
			Columns map[string]string `json:"columns"`
		}
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("sample line: %v", err)
		}
		c := ev.Columns
		d.Osquery.Schedule.Items = append(d.Osquery.Schedule.Items, facts.ScheduledQuery{Name: c["name"],
			Interval: curInt(c["interval"]), Executions: curInt(c["executions"]), LastExecuted: curInt(c["last_executed"])})
	}
	n := len(d.Osquery.Schedule.Items)
	if n == 0 {
		t.Fatal("no schedule rows in the sample")
	}
	env := curEnv(d)
	env.Now = time.Unix(1515423115, 0).UTC() // the sample's unixTime
	curExpect(t, "rootkit pack only", evaluators["ASM-02"](env), Unknown, fmt.Sprintf("none of the %d scheduled", n))
	env.Policy.CatalogAdditions = map[string][]string{"compliance_packs": {"ossec-rootkit"}}
	got := evaluators["ASM-02"](env)
	curExpect(t, "rootkit pack named compliance by policy", got, Pass, "pack_ossec-rootkit_")
	if got.Evidence["executed_count"] != n {
		t.Errorf("executed_count %v, want %d", got.Evidence["executed_count"], n)
	}
}
