package engine

import (
	"sort"
	"strings"
)

func init() { register("MON-01", checkMON01) }

// mon01Syslog are the Linux syslog daemons: systemd unit and process names.
var mon01Syslog = []struct {
	name      string
	units     []string
	processes []string
}{
	{"rsyslog", []string{"rsyslog.service"}, []string{"rsyslogd"}},
	{"syslog-ng", []string{"syslog-ng.service"}, []string{"syslog-ng"}},
	{"syslogd", nil, []string{"syslogd"}},
}

// checkMON01: endpoint security logging enabled.
// Linux: a syslog daemon running, or journald with persistent storage -> PASS;
// journald volatile only -> PARTIAL; nothing -> FAIL. macOS: logd running.
// Windows: the EventLog service running.
func checkMON01(env *Env) Outcome {
	kind, o := monOSKind(env)
	if o != nil {
		return *o
	}
	switch kind {
	case "linux":
		return mon01Linux(env)
	case "darwin":
		return mon01Darwin(env)
	}
	return mon01Windows(env)
}

func mon01Linux(env *Env) Outcome {
	f := env.Facts
	if !f.Processes.Known() && !(f.Services.Known() && monHasSystemd(env)) {
		return outcome(Unknown, nil, "Neither running processes nor systemd units were collected (%s; %s).",
			monReason(f.Processes.Origin, "processes"), monReason(f.Services.Origin, "systemd_units"))
	}
	journald := monLookup(env, []string{"systemd-journald.service"}, []string{"systemd-journald"}, nil)
	var syslogs, evidence []string
	evidence = append(evidence, journald.Evidence...)
	for _, d := range mon01Syslog {
		p := monLookup(env, d.units, d.processes, nil)
		evidence = append(evidence, p.Evidence...)
		if p.Running {
			syslogs = append(syslogs, d.name)
		}
	}
	sort.Strings(evidence)
	ev := map[string]any{"journald_running": journald.Running, "syslog_daemons_running": syslogs, "seen": evidence}
	if len(syslogs) > 0 {
		if journald.Running {
			return outcome(Pass, ev, "journald and %s are running.", monJoin(syslogs))
		}
		return outcome(Pass, ev, "%s is running.", monJoin(syslogs))
	}
	if !journald.Running {
		return outcome(Fail, ev, "Neither journald nor a syslog daemon (rsyslog, syslog-ng) is running.")
	}
	st := mon01JournalStorage(env)
	ev["journal_storage"] = st.mode
	ev["journal_files"] = st.files
	switch st.mode {
	case "persistent":
		return outcome(Pass, ev, "journald is running and keeps the journal on disk (%s).", st.files[0])
	case "volatile":
		return outcome(Partial, ev, "journald is running but keeps the journal only in /run (volatile, lost at reboot), and no syslog daemon runs.")
	case "none":
		return outcome(Fail, ev, "journald is running but keeps no journal files (Storage=none?), and no syslog daemon runs.")
	}
	return outcome(Unknown, ev, "journald is running, but where it stores the journal was not collected: %s.", st.why)
}

// journalStorage is what the journal files say about journald's storage.
type journalStorage struct {
	mode  string // persistent, volatile, none; "" when unknown
	files []string
	why   string
}

// mon01JournalStorage reads x_mon_journald: system.journal under
// /var/log/journal/<machine-id> means persistent storage (journald writes
// there only when Storage=persistent, or auto with the directory present);
// otherwise a runtime journal under /run/log/journal means volatile.
func mon01JournalStorage(env *Env) journalStorage {
	f := env.Facts
	if ok, why := monQueryKnown(env, "x_mon_journald", f.Files.Origin); !ok {
		return journalStorage{why: why}
	}
	var persistent, runtime []string
	runDir := false
	for _, fs := range f.Files.Items {
		switch {
		case fs.Path == "/run/log/journal" && fs.Type == "directory":
			runDir = true
		case strings.HasPrefix(fs.Path, "/var/log/journal/") && strings.HasSuffix(fs.Path, "/system.journal"):
			persistent = append(persistent, fs.Path)
		case strings.HasPrefix(fs.Path, "/run/log/journal/") && strings.HasSuffix(fs.Path, "/system.journal"):
			runtime = append(runtime, fs.Path)
		}
	}
	sort.Strings(persistent)
	sort.Strings(runtime)
	switch {
	case len(persistent) > 0:
		return journalStorage{mode: "persistent", files: persistent}
	case len(runtime) > 0 || runDir:
		return journalStorage{mode: "volatile", files: runtime}
	}
	return journalStorage{mode: "none", files: []string{}}
}

func mon01Darwin(env *Env) Outcome {
	f := env.Facts
	if !f.Processes.Known() {
		return outcome(Unknown, nil, "Running processes were not collected: %s.", monReason(f.Processes.Origin, "processes"))
	}
	logd := monLookup(env, []string{"com.apple.logd"}, []string{"logd"}, nil)
	ev := map[string]any{"logd_running": logd.Running, "seen": logd.Evidence}
	if logd.Running {
		return outcome(Pass, ev, "The unified logging daemon (logd) is running.")
	}
	return outcome(Fail, ev, "The unified logging daemon (logd) is not running.")
}

func mon01Windows(env *Env) Outcome {
	f := env.Facts
	if !f.Services.Known() {
		return outcome(Unknown, nil, "Windows services were not collected: %s.", monReason(f.Services.Origin, "services"))
	}
	el := monLookup(env, []string{"EventLog"}, nil, nil)
	ev := map[string]any{"eventlog_running": el.Running, "seen": el.Evidence}
	switch {
	case el.Running:
		return outcome(Pass, ev, "The Windows Event Log service is running.")
	case el.Installed:
		return outcome(Fail, ev, "The Windows Event Log service is not running.")
	}
	return outcome(Fail, ev, "The Windows Event Log service (EventLog) was not found among the services.")
}
