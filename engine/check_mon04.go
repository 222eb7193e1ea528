package engine

import (
	"strings"
)

func init() { register("MON-04", checkMON04) }

// processCmdLineKey is the Group Policy value that adds command lines to
// process-creation events (Security 4688).
const processCmdLineKey = `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System\Audit`

// checkMON04: audit policy covers authentication, privilege and process events.
//
// Linux: osquery core has no table that shows auditd's rule text, so auditd
// running is PARTIAL ("rule coverage not visible through osquery"). PASS needs
// coverage osquery can prove: its own audit subsystem on (disable_audit=false,
// events enabled) with both process events (execve) and user events (PAM
// authentication and sudo/su privilege use) allowed. osquery process events
// alone are PARTIAL. An EDR from data/agents-edr.yaml running (not a
// telemetry-only entry) records process execution, as on macOS, but the
// catalogue does not say it records authentication and privilege use on
// Linux (Elastic Defend and Falcon collect process, file and network events;
// logins and sudo come from auditd or the journal), so it covers the process
// part: PASS together with osquery's user events, PARTIAL otherwise, never
// FAIL. auditd installed but stopped, or absent -> FAIL (says which); absent
// while the package list is incomplete -> UNKNOWN.
// Windows: Sysmon running, or process-creation auditing with command lines
// (ProcessCreationIncludeCmdLine_Enabled=1) -> PASS; EventLog only -> PARTIAL.
// macOS: an EDR (not telemetry-only) running -> PASS; unified log only -> PARTIAL.
func checkMON04(env *Env) Outcome {
	kind, o := monOSKind(env)
	if o != nil {
		return *o
	}
	switch kind {
	case "linux":
		return mon04Linux(env)
	case "darwin":
		return mon04Darwin(env)
	}
	return mon04Windows(env)
}

func mon04Linux(env *Env) Outcome {
	f := env.Facts
	osq := mon04OsqueryAudit(env)
	auditd := monLookup(env, []string{"auditd.service"}, []string{"auditd"}, []string{"auditd", "audit"})
	hits, _ := detectAgents(env, "edr")
	edr, _ := monAgentNames(hits, "")
	ev := map[string]any{"auditd": auditd.Evidence, "osquery_audit": osq.evidence}
	if len(edr) > 0 {
		ev["edr_process_telemetry"] = edr
	}
	switch {
	case osq.process && osq.user:
		return outcome(Pass, ev, "osquery's audit subsystem records program execution (execve) and user authentication and privilege events.")
	case osq.user && len(edr) > 0:
		return outcome(Pass, ev, "%s records process execution, and osquery's audit subsystem records user authentication and privilege events.", monJoin(edr))
	case auditd.Running:
		detail := "auditd is active; its rule coverage is not visible through osquery"
		switch {
		case len(edr) > 0:
			detail += ", and " + monJoin(edr) + " records process execution"
		case osq.process:
			detail += ", and osquery records execve but not user authentication/privilege events"
		}
		return outcome(Partial, ev, "%s.", detail)
	case len(edr) > 0:
		return outcome(Partial, ev, "%s records process execution, but authentication and privilege events are not shown to be audited: %s.",
			monJoin(edr), mon04AuditdState(env, auditd, osq))
	case osq.process:
		return outcome(Partial, ev, "osquery's audit subsystem records execve, but user authentication/privilege events are off (audit_allow_user_events=false) and auditd is not running.")
	case !monRunStateKnown(env):
		return outcome(Unknown, ev, "Whether auditd runs is unknown: neither processes nor systemd units were collected (%s).",
			monReason(f.Processes.Origin, "processes"))
	case !osq.known:
		return outcome(Unknown, ev, "auditd is not running, and whether osquery's own audit events are on is unknown (%s).", osq.evidence)
	case auditd.Installed:
		return outcome(Fail, ev, "auditd is installed but not running, and osquery's own audit events are off.")
	}
	if gap := packageSourcesIncomplete(env); gap != "" {
		ev["package_sources_not_collected"] = packageGaps(env)
		return outcome(Unknown, ev, "auditd is not running; whether it is installed is unknown because the package list is incomplete (%s).", gap)
	}
	return outcome(Fail, ev, "auditd is not installed, and osquery's own audit events are off.")
}

// mon04AuditdState says, for a detail, why auditd and osquery's user events
// do not cover authentication and privilege events.
func mon04AuditdState(env *Env, auditd monPresence, osq mon04Osq) string {
	var s string
	switch {
	case !monRunStateKnown(env):
		s = "whether auditd runs is unknown (" + monReason(env.Facts.Processes.Origin, "processes") + ")"
	case auditd.Installed:
		s = "auditd is installed but not running"
	case packageSourcesIncomplete(env) != "":
		s = "auditd is not running and whether it is installed is unknown (" + packageSourcesIncomplete(env) + ")"
	default:
		s = "auditd is not installed"
	}
	if osq.known {
		return s + ", and osquery's user events are off"
	}
	return s + ", and whether osquery's user events are on is unknown"
}

// mon04Osq is what osquery_flags say about osquery's own Linux audit events.
type mon04Osq struct {
	known, process, user bool
	evidence             any
}

func mon04OsqueryAudit(env *Env) mon04Osq {
	get := func(name string) string { v, _ := monFlag(env, name); return v }
	if _, known := monFlag(env, "disable_audit"); !known {
		return mon04Osq{evidence: "osquery_flags not collected: " + monReason(env.Facts.Osquery.FlagsOrigin, "osquery_flags")}
	}
	flags := map[string]string{}
	for _, n := range []string{"disable_audit", "disable_events", "audit_allow_process_events", "audit_allow_user_events", "enable_bpf_events"} {
		if v := get(n); v != "" {
			flags[n] = v
		}
	}
	events := !monTrue(get("disable_events"))
	audit := events && strings.EqualFold(get("disable_audit"), "false")
	return mon04Osq{
		known:    true,
		process:  (audit && monTrue(get("audit_allow_process_events"))) || (events && monTrue(get("enable_bpf_events"))),
		user:     audit && monTrue(get("audit_allow_user_events")),
		evidence: flags,
	}
}

func mon04Windows(env *Env) Outcome {
	f := env.Facts
	sysmon := monLookup(env, []string{"Sysmon64", "Sysmon"}, []string{"Sysmon64.exe", "Sysmon.exe"}, nil)
	ev := map[string]any{"sysmon": sysmon.Evidence}
	if sysmon.Running {
		return outcome(Pass, ev, "Sysmon is running and records process creation.")
	}
	regKnown, why := monQueryKnown(env, "x_mon_audit", f.Registry.Origin)
	if regKnown {
		val, found := "", false
		for _, r := range f.Registry.Items {
			if strings.EqualFold(r.Key, processCmdLineKey) && strings.EqualFold(r.Name, "ProcessCreationIncludeCmdLine_Enabled") {
				val, found = strings.TrimSpace(r.Data), true
			}
		}
		if found {
			ev["ProcessCreationIncludeCmdLine_Enabled"] = val
		} else {
			ev["ProcessCreationIncludeCmdLine_Enabled"] = "not set"
		}
		if val == "1" {
			return outcome(Pass, ev, "Process-creation auditing with command lines is enabled by policy (ProcessCreationIncludeCmdLine_Enabled=1).")
		}
	} else {
		ev["ProcessCreationIncludeCmdLine_Enabled"] = "not collected: " + why
	}
	if !f.Services.Known() {
		return outcome(Unknown, ev, "Windows services were not collected: %s.", monReason(f.Services.Origin, "services"))
	}
	if !regKnown {
		return outcome(Unknown, ev, "Sysmon is not running and the process-creation audit setting was not collected (%s).", why)
	}
	el := monLookup(env, []string{"EventLog"}, nil, nil)
	ev["eventlog"] = el.Evidence
	if el.Running {
		return outcome(Partial, ev, "Only the Event Log runs: no Sysmon and no process-creation command-line auditing policy.")
	}
	return outcome(Fail, ev, "Neither Sysmon nor the Event Log service is running.")
}

func mon04Darwin(env *Env) Outcome {
	f := env.Facts
	hits, known := detectAgents(env, "edr")
	edr, _ := monAgentNames(hits, "")
	logd := monLookup(env, []string{"com.apple.logd"}, []string{"logd"}, nil)
	ev := map[string]any{"agents": hits, "logd": logd.Evidence}
	if es, ok := monFlag(env, "disable_endpointsecurity"); ok && strings.EqualFold(es, "false") {
		ev["osquery_endpointsecurity"] = "enabled (process events through EndpointSecurity)"
	}
	switch {
	case len(edr) > 0:
		return outcome(Pass, ev, "%s is running and records process and privilege events.", monJoin(edr))
	case !known || !f.Processes.Known():
		return outcome(Unknown, ev, "Running processes were not collected: %s.", monReason(f.Processes.Origin, "processes"))
	case logd.Running:
		return outcome(Partial, ev, "Only the unified log records activity; no EDR agent with process telemetry runs.")
	}
	return outcome(Fail, ev, "Neither an EDR agent nor the unified logging daemon (logd) is running.")
}
