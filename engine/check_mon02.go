package engine

import (
	"net"
	"path"
	"sort"
	"strings"
)

func init() { register("MON-02", checkMON02) }

// mon02RemoteTypes are rsyslog output modules that send logs off the host.
var mon02RemoteTypes = map[string]bool{
	"omfwd": true, "omrelp": true, "omelasticsearch": true, "omkafka": true, "omhttp": true,
}

// wefKey is the Group Policy key naming Windows Event Forwarding collectors.
const wefKey = `HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\Windows\EventLog\EventForwarding\SubscriptionManager`

// checkMON02: logs forwarded to a central SIEM / log platform.
// A forwarder from data/agents-forwarders.yaml running, a remote action in the
// rsyslog configuration (augeas) with rsyslog running, systemd-journal-upload
// running, or (Windows) Event Forwarding with WinRM running -> PASS; the same
// installed or configured but not running -> PARTIAL; nothing -> FAIL. When
// a daemon runs whose configuration osquery cannot read, UNKNOWN.
func checkMON02(env *Env) Outcome {
	kind, o := monOSKind(env)
	if o != nil {
		return *o
	}
	hits, _ := detectAgents(env, "forwarders")
	runKnown := monRunStateKnown(env)
	var pass, partial, unknown []string
	for _, h := range hits {
		switch {
		case h.Running:
			pass = append(pass, h.Name+" is running")
		case h.Installed && runKnown:
			partial = append(partial, h.Name+" is installed but not running")
		case h.Installed:
			unknown = append(unknown, h.Name+" is installed and whether it runs is unknown")
		}
	}
	ev := map[string]any{"forwarders": hits}
	switch kind {
	case "linux":
		unknown = append(unknown, mon02Linux(env, ev, runKnown, &pass, &partial)...)
	case "windows":
		unknown = append(unknown, mon02Windows(env, ev, &pass, &partial)...)
	}
	switch {
	case len(pass) > 0:
		return outcome(Pass, ev, "Logs are forwarded: %s.", strings.Join(pass, "; "))
	case len(partial) > 0:
		return outcome(Partial, ev, "Forwarding is set up but not active: %s.", strings.Join(partial, "; "))
	case !runKnown:
		unknown = append(unknown, "neither processes nor services were collected ("+
			monReason(env.Facts.Processes.Origin, "processes")+"), so a running forwarder cannot be seen")
		return outcome(Unknown, ev, "No running forwarder can be confirmed: %s.", strings.Join(unknown, "; "))
	case len(unknown) > 0:
		return outcome(Unknown, ev, "No forwarder was found, but %s.", strings.Join(unknown, "; "))
	}
	return outcome(Fail, ev, "%s", mon02Nothing[kind])
}

// mon02Nothing is the FAIL detail per platform: it names what was looked for there.
var mon02Nothing = map[string]string{
	"linux":   "No log forwarder, remote syslog action or journal upload was found.",
	"windows": "No log forwarder and no Windows Event Forwarding subscription was found.",
	"darwin":  "No log-forwarding agent was found.",
}

// mon02Linux adds rsyslog remote actions and systemd-journal-upload; it
// returns reasons the verdict cannot be FAIL when nothing else is found.
func mon02Linux(env *Env, ev map[string]any, runKnown bool, pass, partial *[]string) []string {
	var unknown []string
	rsyslog := monLookup(env, []string{"rsyslog.service"}, []string{"rsyslogd"}, nil)
	cfgKnown, why := monQueryKnown(env, "x_mon_rsyslog", env.Facts.ConfigNodes.Origin)
	if cfgKnown {
		remotes, local := mon02RsyslogRemotes(env)
		ev["rsyslog_remote_actions"] = remotes
		if len(local) > 0 {
			ev["rsyslog_local_relays"] = local
		}
		if len(remotes) > 0 {
			targets := make([]string, 0, len(remotes))
			for _, r := range remotes {
				targets = append(targets, r.Target)
			}
			to := strings.Join(dedupe(targets), ", ")
			switch {
			case rsyslog.Running:
				*pass = append(*pass, "rsyslog forwards to "+to)
			case runKnown:
				*partial = append(*partial, "rsyslog is configured to forward to "+to+" but is not running")
			default:
				unknown = append(unknown, "rsyslog is configured to forward to "+to+" and whether it runs is unknown")
			}
		}
	} else {
		ev["rsyslog_config"] = why
		if rsyslog.Running {
			unknown = append(unknown, "rsyslog is running and its configuration could not be read ("+why+")")
		}
	}
	upload := monLookup(env, []string{"systemd-journal-upload.service"}, []string{"systemd-journal-upload"}, nil)
	ev["journal_upload"] = upload.Evidence
	switch {
	case upload.Running:
		*pass = append(*pass, "systemd-journal-upload is running")
	case upload.Enabled:
		*partial = append(*partial, "systemd-journal-upload is enabled but not running")
	}
	if ng := monLookup(env, []string{"syslog-ng.service"}, []string{"syslog-ng"}, nil); ng.Running {
		unknown = append(unknown, "syslog-ng is running and osquery cannot read its destinations (no augeas lens for syslog-ng.conf)")
	}
	return unknown
}

// mon02Remote is one rsyslog action that sends logs to another host.
type mon02Remote struct {
	File     string `json:"file"`
	Target   string `json:"target"`
	Protocol string `json:"protocol"` // @ (UDP), @@ (TCP) or the module (omfwd ...)
	Port     string `json:"port,omitempty"`
}

// mon02RsyslogRemotes reads the augeas nodes of the rsyslog/syslog files:
// legacy "*.* @@host:port" lines (action/protocol + action/hostname) and
// action(type="omfwd" target="host"). Targets on the loopback are local relays.
func mon02RsyslogRemotes(env *Env) (remote, local []mon02Remote) {
	nodes := map[string]string{}
	for _, n := range env.Facts.ConfigNodes.Items {
		if n.Path == "/etc/rsyslog.conf" || n.Path == "/etc/syslog.conf" || strings.HasPrefix(n.Path, "/etc/rsyslog.d/") {
			nodes[n.Node] = n.Value
		}
	}
	for node, value := range nodes {
		parent := path.Dir(node)
		if !strings.HasPrefix(path.Base(parent), "action") {
			continue
		}
		var r mon02Remote
		switch label := path.Base(node); {
		case label == "protocol" && (value == "@" || value == "@@"):
			r = mon02Remote{Target: nodes[parent+"/hostname"], Protocol: value, Port: nodes[parent+"/port"]}
		case label == "type" && mon02RemoteTypes[strings.ToLower(value)]:
			r = mon02Remote{Target: nodes[parent+"/target"], Protocol: value, Port: nodes[parent+"/port"]}
		default:
			continue
		}
		if r.Target == "" {
			continue
		}
		r.File = strings.TrimPrefix(node, "/files")
		if i := strings.Index(r.File, ".conf"); i >= 0 {
			r.File = r.File[:i+len(".conf")]
		}
		if mon02Loopback(r.Target) {
			local = append(local, r)
		} else {
			remote = append(remote, r)
		}
	}
	less := func(s []mon02Remote) func(i, j int) bool {
		return func(i, j int) bool {
			if s[i].File != s[j].File {
				return s[i].File < s[j].File
			}
			return s[i].Target < s[j].Target
		}
	}
	sort.Slice(remote, less(remote))
	sort.Slice(local, less(local))
	return remote, local
}

func mon02Loopback(host string) bool {
	h := strings.Trim(host, "[]")
	if strings.EqualFold(h, "localhost") || strings.EqualFold(h, "localhost.localdomain") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// mon02Windows adds Windows Event Forwarding (Group Policy subscription
// manager + WinRM, which carries the events).
func mon02Windows(env *Env, ev map[string]any, pass, partial *[]string) []string {
	ok, why := monQueryKnown(env, "x_mon_wef", env.Facts.Registry.Origin)
	if !ok {
		ev["event_forwarding"] = why
		return []string{"Windows Event Forwarding settings were not collected (" + why + ")"}
	}
	var managers []string
	for _, r := range env.Facts.Registry.Items {
		if strings.EqualFold(r.Key, wefKey) && strings.TrimSpace(r.Data) != "" {
			managers = append(managers, r.Data)
		}
	}
	sort.Strings(managers)
	ev["event_forwarding_subscription_managers"] = managers
	if len(managers) == 0 {
		return nil
	}
	if !env.Facts.Services.Known() {
		ev["winrm"] = "services not collected: " + env.Facts.Services.Reason
		return []string{"Windows Event Forwarding is configured but whether WinRM runs is unknown (services: " + env.Facts.Services.Reason + ")"}
	}
	winrm := monLookup(env, []string{"WinRM"}, nil, nil)
	ev["winrm"] = winrm.Evidence
	if winrm.Running {
		*pass = append(*pass, "Windows Event Forwarding is configured and WinRM is running")
	} else {
		*partial = append(*partial, "Windows Event Forwarding is configured but the WinRM service is not running")
	}
	return nil
}
