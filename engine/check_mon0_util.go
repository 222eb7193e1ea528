package engine

import (
	"fmt"
	"sort"
	"strings"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

// Helpers shared by the MON, INV and CLM checks.

// monOSKind returns the OS kind (linux, darwin, windows), or an UNKNOWN
// outcome when os_version was not collected or the OS is one miccmac does not
// grade. It never guesses a family.
func monOSKind(env *Env) (string, *Outcome) {
	os := env.Facts.OS
	if !os.Known() {
		o := outcome(Unknown, map[string]any{"os_version": string(os.State)},
			"os_version was not collected: %s", monReason(os.Origin, "os_version"))
		return "", &o
	}
	switch os.Kind {
	case "linux", "darwin", "windows":
		return os.Kind, nil
	}
	o := outcome(Unknown, map[string]any{"os_name": os.Name, "os_platform": os.Platform, "os_kind": os.Kind},
		"The operating system (%s) is not one this check knows how to read (Linux, macOS, Windows).",
		monFirst(os.Name, os.Platform, "unnamed"))
	return "", &o
}

// monReason says why a section is not known.
func monReason(o facts.Origin, what string) string {
	if o.Reason != "" {
		return o.Reason
	}
	if o.State == "" {
		return what + " was not run"
	}
	return what + " is " + string(o.State)
}

// monQueryKnown reports whether the named catalogue query answered. It asks
// Document.Queries first; a document without per-query records (hand-written
// facts) falls back to the section the query feeds.
func monQueryKnown(env *Env, name string, section facts.Origin) (bool, string) {
	if st, ok := env.Facts.Queries[name]; ok {
		if st.State == facts.StateOK {
			return true, ""
		}
		why := st.Reason
		if why == "" {
			why = string(st.State)
		}
		return false, name + ": " + why
	}
	if len(env.Facts.Queries) > 0 {
		return false, name + " was not run"
	}
	if section.Known() {
		return true, ""
	}
	return false, name + ": " + monReason(section, name)
}

// monPresence is what the device shows of one component (daemon, agent).
type monPresence struct {
	Running   bool
	Installed bool // a unit/service/package exists, whatever its state
	Enabled   bool
	Evidence  []string
}

// monLookup finds services (exact names; a systemd unit also matches without
// its ".service" suffix), processes and installed packages by exact name.
// Windows and macOS names compare case-insensitively, as their file systems do.
func monLookup(env *Env, services, processes, packages []string) monPresence {
	f := env.Facts
	fold := f.OS.Kind == "windows" || f.OS.Kind == "darwin"
	eq := func(a, b string) bool {
		if fold {
			return strings.EqualFold(a, b)
		}
		return a == b
	}
	var p monPresence
	if f.Services.Known() {
		for _, s := range f.Services.Items {
			for _, want := range services {
				if !eq(s.Name, want) && !(s.Manager == "systemd" &&
					eq(strings.TrimSuffix(s.Name, ".service"), strings.TrimSuffix(want, ".service"))) {
					continue
				}
				p.Installed = true
				state := monFirst(s.ActiveState, s.Status, "state unknown")
				if s.Running != nil && *s.Running {
					p.Running = true
					state = "running"
				}
				if s.Enabled != nil && *s.Enabled {
					p.Enabled = true
				}
				p.Evidence = append(p.Evidence, fmt.Sprintf("service %s %s", s.Name, state))
			}
		}
	}
	if f.Processes.Known() {
		for _, pr := range f.Processes.Items {
			for _, want := range processes {
				if eq(pr.Name, want) {
					p.Running, p.Installed = true, true
					p.Evidence = append(p.Evidence, "process "+pr.Name+" running")
				}
			}
		}
	}
	if f.Packages.Known() {
		for _, pk := range f.Packages.Items {
			for _, want := range packages {
				if pk.Installed && eq(pk.Name, want) {
					p.Installed = true
					p.Evidence = append(p.Evidence, fmt.Sprintf("package %s %s installed (%s)", pk.Name, pk.Version, pk.Source))
				}
			}
		}
	}
	sort.Strings(p.Evidence)
	p.Evidence = dedupe(p.Evidence)
	return p
}

// monHasSystemd reports whether the collected services include systemd units.
func monHasSystemd(env *Env) bool {
	for _, s := range env.Facts.Services.Items {
		if s.Manager == "systemd" {
			return true
		}
	}
	return false
}

// monRunStateKnown reports whether anything says what runs on the device:
// processes, or services (systemd units, Windows services, launchd jobs).
func monRunStateKnown(env *Env) bool {
	return env.Facts.Processes.Known() || env.Facts.Services.Known()
}

// monFlag returns an osquery flag's value and whether osquery_flags was collected.
func monFlag(env *Env, name string) (string, bool) {
	o := env.Facts.Osquery
	if !o.FlagsOrigin.Known() {
		return "", false
	}
	return strings.TrimSpace(o.Flags[name]), true
}

// monTrue reads an osquery boolean flag value.
func monTrue(v string) bool {
	v = strings.ToLower(strings.TrimSpace(v))
	return v == "true" || v == "1" || v == "yes"
}

// monAgentNames splits agent hits into running, installed-only and, per kind, names.
func monAgentNames(hits []AgentHit, kind string) (running, stopped []string) {
	for _, h := range hits {
		if h.Kind != kind {
			continue
		}
		if h.Running {
			running = append(running, h.Name)
		} else if h.Installed {
			stopped = append(stopped, h.Name)
		}
	}
	return running, stopped
}

// monFirst returns the first non-empty string.
func monFirst(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// monJoin lists names for a sentence: "a", "a and b", "a, b and c".
func monJoin(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
