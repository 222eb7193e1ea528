package engine

import "testing"

// MON-04 on Linux with an EDR that records process execution: at least
// PARTIAL (never "auditd is not installed" FAIL), PASS only together with
// osquery's user (authentication/privilege) events; macOS keeps its rule.
func TestMON04_LinuxEDRProcessTelemetry(t *testing.T) {
	osqOff := monFlags("disable_audit", "true")
	userOnly := monFlags("disable_audit", "false", "disable_events", "false", "audit_allow_process_events", "false", "audit_allow_user_events", "true")
	noAuditd := monPackages(monPkg("bash", "deb"))
	monRunCases(t, "MON-04", []monCase{
		{"Elastic Defend running, auditd absent", monDoc("linux", monServices(monUnit("ElasticEndpoint.service", true, true)), noAuditd, osqOff),
			Partial, "Elastic Defend records process execution, but authentication and privilege events are not shown to be audited: " +
				"auditd is not installed, and osquery's user events are off."},
		{"CrowdStrike process, auditd stopped", monDoc("linux", monServices(monUnit("auditd.service", false, false)), monProcs("falcon-sensor"), noAuditd, osqOff),
			Partial, "CrowdStrike Falcon records process execution, but authentication and privilege events are not shown to be audited: " +
				"auditd is installed but not running"},
		{"EDR plus auditd active", monDoc("linux", monServices(monUnit("auditd.service", true, true)), monProcs("falcon-sensor"), osqOff),
			Partial, "auditd is active; its rule coverage is not visible through osquery, and CrowdStrike Falcon records process execution."},
		{"EDR plus osquery user events", monDoc("linux", monServices(), monProcs("elastic-endpoint"), noAuditd, userOnly),
			Pass, "Elastic Defend records process execution, and osquery's audit subsystem records user authentication and privilege events."},
		{"telemetry-only agent is not an EDR", monDoc("linux", monServices(monUnit("osqueryd.service", true, true)), monProcs("wazuh-agentd"), noAuditd, osqOff),
			Fail, "auditd is not installed"},
		{"EDR installed but not running does not count", monDoc("linux", monServices(monUnit("falcon-sensor.service", false, true)), noAuditd, osqOff),
			Fail, "auditd is not installed"},
	})
}
