package engine

import (
	"testing"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

func TestMON04(t *testing.T) {
	auditdOn := monUnit("auditd.service", true, true)
	auditdOff := monUnit("auditd.service", false, false)
	osqAudit := monFlags("disable_audit", "false", "disable_events", "false", "audit_allow_process_events", "true", "audit_allow_user_events", "true")
	osqProcOnly := monFlags("disable_audit", "false", "disable_events", "false", "audit_allow_process_events", "true", "audit_allow_user_events", "false")
	osqOff := monFlags("disable_audit", "true", "audit_allow_process_events", "true", "audit_allow_user_events", "true")
	osqEventsOff := monFlags("disable_audit", "false", "disable_events", "true", "audit_allow_process_events", "true", "audit_allow_user_events", "true")
	cmdline := func(v string) monOpt {
		return monRegistry(facts.RegistryValue{Key: processCmdLineKey, Name: "ProcessCreationIncludeCmdLine_Enabled", Type: "REG_DWORD", Data: v})
	}
	monRunCases(t, "MON-04", []monCase{
		{"linux auditd active: coverage not visible", monDoc("linux", monServices(auditdOn), osqOff), Partial, "rule coverage is not visible through osquery"},
		{"linux osquery audit process+user events", monDoc("linux", monServices(), osqAudit), Pass, "execve"},
		{"linux osquery audit with events disabled", monDoc("linux", monServices(auditdOn), osqEventsOff), Partial, "rule coverage"},
		{"linux osquery process events only", monDoc("linux", monServices(), monPackages(), osqProcOnly), Partial, "user authentication/privilege events are off"},
		{"linux auditd and osquery process events", monDoc("linux", monServices(auditdOn), osqProcOnly), Partial, "osquery records execve but not user"},
		{"linux auditd installed, stopped", monDoc("linux", monServices(auditdOff), osqOff), Fail, "auditd is installed but not running"},
		{"linux auditd package only (rpm audit)", monDoc("linux", monServices(), monPackages(monPkg("audit", "rpm")), osqOff), Fail, "installed but not running"},
		{"linux auditd stopped, osquery flags unknown", monDoc("linux", monServices(auditdOff)), Unknown, "whether osquery's own audit events are on is unknown"},
		{"linux packages only", monDoc("linux", monPackages(monPkg("auditd", "deb")), osqOff), Unknown, "Whether auditd runs is unknown"},
		{"linux auditd absent", monDoc("linux", monServices(monUnit("cron.service", true, true)), monPackages(monPkg("bash", "deb")), osqOff),
			Fail, "auditd is not installed"},
		{"linux absent but packages unknown", monDoc("linux", monServices(), osqOff), Unknown, "whether it is installed is unknown because the package list is incomplete (packages were not collected: not run)"},
		{"linux nothing collected", monDoc("linux"), Unknown, "neither processes nor systemd units were collected"},
		{"linux exact name: auditd-plugin is not auditd", monDoc("linux", monServices(), monProcs("auditd-plugin"), monPackages(monPkg("audit-libs", "rpm")), osqOff),
			Fail, "not installed"},
		{"windows sysmon", monDoc("windows", monServices(monWinSvc("Sysmon64", true))), Pass, "Sysmon is running"},
		{"windows cmdline auditing", monDoc("windows", monServices(monWinSvc("EventLog", true)), cmdline("1")), Pass, "ProcessCreationIncludeCmdLine_Enabled=1"},
		{"windows cmdline auditing off", monDoc("windows", monServices(monWinSvc("EventLog", true)), cmdline("0")), Partial, "Only the Event Log runs"},
		{"windows eventlog only", monDoc("windows", monServices(monWinSvc("EventLog", true)), monRegistry()), Partial, "Only the Event Log runs"},
		{"windows nothing", monDoc("windows", monServices(monWinSvc("EventLog", false)), monRegistry()), Fail, "Neither Sysmon nor the Event Log"},
		{"windows registry not collected", monDoc("windows", monServices(monWinSvc("EventLog", true)),
			monQuery("x_mon_audit", facts.StateUnknown, 0, "not run"), monQuery("services", facts.StateOK, 100, "")),
			Unknown, "process-creation audit setting was not collected (x_mon_audit: not run)"},
		{"windows services unknown", monDoc("windows", monRegistry()), Unknown, "Windows services were not collected"},
		{"macos EDR", monDoc("darwin", monProcs("logd", "sentineld")), Pass, "SentinelOne"},
		{"macos osquery only: unified log", monDoc("darwin", monProcs("logd", "osqueryd")), Partial, "Only the unified log"},
		{"macos nothing", monDoc("darwin", monProcs("launchd")), Fail, "Neither an EDR agent nor"},
		{"macos processes unknown", monDoc("darwin"), Unknown, "Running processes were not collected"},
	})
}
