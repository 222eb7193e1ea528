package engine

import (
	"testing"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

func TestMON01(t *testing.T) {
	journald := monUnit("systemd-journald.service", true, false)
	persistent := monFiles(
		facts.FileStat{Path: "/var/log/journal", Type: "directory"},
		facts.FileStat{Path: "/run/log/journal", Type: "directory"},
		facts.FileStat{Path: "/var/log/journal/4b1f0c2e/system.journal", Type: "regular"},
	)
	volatile := monFiles(
		facts.FileStat{Path: "/run/log/journal", Type: "directory"},
		facts.FileStat{Path: "/run/log/journal/4b1f0c2e/system.journal", Type: "regular"},
	)
	monRunCases(t, "MON-01", []monCase{
		{"linux journald and rsyslog", monDoc("linux", monServices(journald, monUnit("rsyslog.service", true, true))),
			Pass, "journald and rsyslog are running"},
		{"linux rsyslog by process only (no systemd)", monDoc("linux", monServices(), monProcs("init", "rsyslogd")),
			Pass, "rsyslog is running"},
		{"linux unit name without .service suffix", monDoc("linux", monServices(journald,
			facts.Service{Name: "syslog-ng", Manager: "systemd", Running: monBool(true)})), Pass, "syslog-ng"},
		{"linux journald persistent", monDoc("linux", monServices(journald), persistent),
			Pass, "keeps the journal on disk (/var/log/journal/4b1f0c2e/system.journal)"},
		{"linux journald volatile", monDoc("linux", monServices(journald), volatile), Partial, "volatile"},
		{"linux journald no files", monDoc("linux", monServices(journald), monFiles()), Fail, "keeps no journal files"},
		{"linux journald storage not collected", monDoc("linux", monServices(journald),
			monQuery("x_mon_journald", facts.StateUnknown, 0, "no such table: file"), monQuery("systemd_units", facts.StateOK, 3, "")),
			Unknown, "x_mon_journald: no such table: file"},
		{"linux journald storage query never ran", monDoc("linux", monServices(journald), persistent,
			monQuery("systemd_units", facts.StateOK, 3, "")), Unknown, "x_mon_journald was not run"},
		{"linux rsyslog stopped, nothing else", monDoc("linux", monServices(monUnit("rsyslog.service", false, true),
			monUnit("systemd-journald.service", false, false))), Fail, "Neither journald nor a syslog daemon"},
		{"linux nothing collected", monDoc("linux"), Unknown, "Neither running processes nor systemd units"},
		{"linux services known but no systemd units, processes unknown", monDoc("linux", monServices()), Unknown, "Neither running processes"},
		{"macos logd running", monDoc("darwin", monProcs("launchd", "logd")), Pass, "logd"},
		{"macos logd absent", monDoc("darwin", monProcs("launchd")), Fail, "not running"},
		{"macos processes unknown", monDoc("darwin"), Unknown, "Running processes were not collected"},
		{"windows eventlog running", monDoc("windows", monServices(monWinSvc("EventLog", true))), Pass, "Event Log service is running"},
		{"windows eventlog stopped", monDoc("windows", monServices(monWinSvc("EventLog", false))), Fail, "is not running"},
		{"windows eventlog missing", monDoc("windows", monServices(monWinSvc("Spooler", true))), Fail, "was not found"},
		{"windows services unknown", monDoc("windows", func(d *facts.Document) { d.Services.Origin = monUnknownOrigin("services: access denied") }),
			Unknown, "services: access denied"},
		{"os not collected", &facts.Document{OS: facts.OS{Origin: monUnknownOrigin("os_version: no such table")}}, Unknown, "os_version was not collected: os_version: no such table"},
		{"unknown os is not graded as linux", monDoc("unknown", monServices(journald, monUnit("rsyslog.service", true, true))),
			Unknown, "not one this check knows"},
	})
}
