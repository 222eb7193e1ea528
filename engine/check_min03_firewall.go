package engine

import (
	"fmt"
	"strings"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

// Host firewall state for MIN-03.
//
// Linux: on when ufw is ENABLED=yes in /etc/ufw/ufw.conf (the unit being
// active is not enough: ufw.service runs and exits even with ENABLED=no),
// firewalld.service is running, or the iptables filter INPUT chain drops by
// default or ends in a catch-all DROP/REJECT rule. Off only when iptables
// shows an accepting INPUT chain and neither ufw nor firewalld nor the
// nftables service is on: osquery reads the legacy iptables tables, so an
// empty answer (nft-only kernels) or an active nftables.service leaves the
// state unknown rather than off.
// Windows: every profile (Domain, Private, Public) enabled, Group Policy
// values first (as the translator resolved them); Windows Security Center's
// firewall health is the fallback. macOS: alf global_state >= 1.

// minFW is the graded firewall state: On nil means unknown.
type minFW struct {
	On       *bool
	Evidence []string
	Reason   string
	// OffParts names what is off when only part of the firewall is (Windows
	// profiles); empty when the firewall as a whole is off.
	OffParts []string
}

func minFWOn(ev ...string) minFW  { t := true; return minFW{On: &t, Evidence: ev} }
func minFWOff(ev ...string) minFW { f := false; return minFW{On: &f, Evidence: ev} }

// minHostFirewall grades the platform's firewall.
func minHostFirewall(env *Env, kind string) minFW {
	switch kind {
	case ctlLinux:
		return minLinuxFirewall(env)
	case ctlWindows:
		return minWindowsFirewall(env)
	case ctlDarwin:
		return minDarwinFirewall(env)
	}
	return minFW{Reason: "no firewall rules for OS kind " + kind}
}

// minServiceRunning returns whether the named unit is running (nil when the
// unit is absent or its state unknown) and whether it was found.
func minServiceRunning(env *Env, name string) (running bool, found bool) {
	for _, s := range env.Facts.Services.Items {
		if s.Name == name {
			return s.Running != nil && *s.Running, true
		}
	}
	return false, false
}

func minLinuxFirewall(env *Env) minFW {
	f := env.Facts
	var ev, unknown []string
	on := false
	switch {
	case f.Firewall.UFWEnabled != nil && *f.Firewall.UFWEnabled:
		on = true
		ev = append(ev, "ufw ENABLED=yes in /etc/ufw/ufw.conf")
	case f.Firewall.UFWEnabled != nil:
		ev = append(ev, "ufw ENABLED=no in /etc/ufw/ufw.conf")
	default:
		switch gap := packageSourcesIncomplete(env); {
		case minUFWInstalled(env):
			unknown = append(unknown, "ufw is installed but its ENABLED setting was not read ("+orText(f.Firewall.UFWOrigin.Reason, "no reason")+")")
		case !f.Firewall.UFWOrigin.Known() && gap != "":
			unknown = append(unknown, "ufw's ENABLED setting was not read ("+orText(f.Firewall.UFWOrigin.Reason, "no reason")+
				") and whether ufw is installed is unknown ("+gap+")")
		}
	}
	nftActive := false
	if f.Services.Known() {
		if run, found := minServiceRunning(env, "firewalld.service"); run {
			on = true
			ev = append(ev, "firewalld.service running")
		} else if found {
			ev = append(ev, "firewalld.service not running")
		}
		if run, _ := minServiceRunning(env, "nftables.service"); run {
			nftActive = true
			ev = append(ev, "nftables.service active (its ruleset is not visible to osquery)")
		}
	} else {
		unknown = append(unknown, sectionWhy("services (firewalld)", f.Services.Origin))
	}
	ipt := f.Firewall.Iptables
	iptOff := false
	switch {
	case !ipt.Known():
		unknown = append(unknown, sectionWhy("iptables", ipt.Origin))
	case len(ipt.Items) == 0:
		unknown = append(unknown, "iptables returned no rules (nftables-only kernel, or the iptables modules are not loaded)")
	default:
		policy, catchAll, seen := minIptablesInput(ipt.Items)
		switch {
		case !seen:
			unknown = append(unknown, "iptables has no filter INPUT chain")
		case policy == "DROP" || policy == "REJECT":
			on = true
			ev = append(ev, "iptables filter INPUT policy "+policy)
		case catchAll != "":
			on = true
			ev = append(ev, "iptables filter INPUT ends in a catch-all "+catchAll+" rule")
		default:
			iptOff = true
			ev = append(ev, "iptables filter INPUT policy "+orText(policy, "unset")+" with no catch-all DROP/REJECT rule")
		}
	}
	switch {
	case on:
		return minFWOn(ev...)
	case iptOff && !nftActive && len(unknown) == 0:
		return minFWOff(ev...)
	}
	if nftActive {
		unknown = append(unknown, "nftables.service is active and osquery cannot read its ruleset")
	}
	return minFW{Evidence: ev, Reason: strings.Join(unknown, "; ")}
}

// minUFWInstalled reports whether a ufw package is installed.
func minUFWInstalled(env *Env) bool {
	for _, p := range env.Facts.Packages.Items {
		if p.Name == "ufw" && p.Installed {
			return true
		}
	}
	return false
}

// minIptablesInput reads the filter table's INPUT chain: its policy and the
// target of a catch-all DROP/REJECT rule (no protocol, no port), if any.
func minIptablesInput(rules []facts.IptablesRule) (policy, catchAll string, seen bool) {
	for _, r := range rules {
		if r.Chain != "INPUT" || (r.Table != "" && r.Table != "filter") {
			continue
		}
		seen = true
		if r.Policy != "" {
			policy = strings.ToUpper(r.Policy)
		}
		t := strings.ToUpper(r.Target)
		if (t == "DROP" || t == "REJECT") && (r.Protocol == nil || *r.Protocol == 0) && r.DstPort == "" {
			catchAll = t
		}
	}
	return policy, catchAll, seen
}

// minProfileName normalises Domain / Private (Standard) / Public.
func minProfileName(p string) string {
	s := strings.ToLower(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSpace(p), "Profile"), "profile"))
	switch s {
	case "standard", "private":
		return "Private"
	case "domain":
		return "Domain"
	case "public":
		return "Public"
	}
	return p
}

func minWindowsFirewall(env *Env) minFW {
	f := env.Facts
	prof := f.Firewall.Profiles
	if prof.Known() && len(prof.Items) > 0 {
		state := map[string]facts.FirewallProfile{}
		for _, p := range prof.Items {
			name := minProfileName(p.Profile)
			if cur, ok := state[name]; !ok || cur.Enabled == nil || p.Source == "policy" && cur.Source != "policy" {
				state[name] = p
			}
		}
		var ev, off, unknown []string
		for _, name := range []string{"Domain", "Private", "Public"} {
			p, ok := state[name]
			switch {
			case !ok || p.Enabled == nil:
				unknown = append(unknown, name)
			case *p.Enabled:
				ev = append(ev, fmt.Sprintf("%s profile enabled (%s)", name, orText(p.Source, "source unknown")))
			default:
				off = append(off, name)
				ev = append(ev, fmt.Sprintf("%s profile disabled (%s)", name, orText(p.Source, "source unknown")))
			}
		}
		switch {
		case len(off) > 0:
			fw := minFWOff(ev...)
			fw.OffParts = off
			return fw
		case len(unknown) == 0:
			return minFWOn(ev...)
		}
		if s := minSecurityCenterFirewall(env); s.On != nil {
			s.Evidence = append(ev, s.Evidence...)
			return s
		}
		return minFW{Evidence: ev, Reason: "firewall state of the " + strings.Join(unknown, ", ") + " profile(s) was not read"}
	}
	if s := minSecurityCenterFirewall(env); s.On != nil {
		return s
	}
	return minFW{Reason: sectionWhy("firewall profiles", prof.Origin)}
}

// minSecurityCenterFirewall reads Windows Security Center's firewall health:
// Good is on, Poor is off; anything else (Error on Server SKUs) is unknown.
func minSecurityCenterFirewall(env *Env) minFW {
	sc := env.Facts.SecurityCenter
	if !sc.Known() {
		return minFW{}
	}
	switch strings.ToLower(strings.TrimSpace(sc.Firewall)) {
	case "good":
		return minFWOn("Windows Security Center firewall health Good")
	case "poor":
		return minFWOff("Windows Security Center firewall health Poor")
	}
	return minFW{}
}

func minDarwinFirewall(env *Env) minFW {
	fw := env.Facts.Firewall
	switch {
	case !fw.ALFOrigin.Known():
		return minFW{Reason: sectionWhy("alf", fw.ALFOrigin)}
	case fw.ALFGlobalState == nil:
		return minFW{Reason: "alf global_state was not reported"}
	case *fw.ALFGlobalState >= 1:
		return minFWOn(fmt.Sprintf("application firewall global_state %d", *fw.ALFGlobalState))
	}
	return minFWOff("application firewall global_state 0 (off)")
}
