package engine

import (
	"fmt"
	"strings"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

// MIN-03 Host firewall enabled; unused network ports closed.
//
// Firewall on (check_min03_firewall.go) and no exposed listener (ports.go)
// outside the policy's allowed_ports for the platform -> PASS; on with
// unexpected exposed listeners -> PARTIAL listing port/proto/process; off ->
// FAIL; firewall state unknown -> UNKNOWN. With the firewall on but the
// listeners not collected the verdict is UNKNOWN too. Exposed services sort
// numerically by port. On Windows with every profile on and the inbound
// Allow rules collected, a listener is exposed only if a rule opens it
// (check_min03_winrules.go); without the rules every non-loopback listener
// counts, as the detail says.

func init() { register("MIN-03", checkMIN03) }

func checkMIN03(env *Env) Outcome {
	kind, out := ctlKind(env)
	if out != nil {
		return *out
	}
	pol := effectivePolicy(env)
	rules, bad := minParsePorts(pol.AllowedPorts[kind])
	fw := minHostFirewall(env, kind)
	ev := map[string]any{"firewall_evidence": ctlNonNil(fw.Evidence), "allowed_ports": ctlNonNil(pol.AllowedPorts[kind])}
	if len(bad) > 0 {
		ev["allowed_ports_unreadable"] = bad
	}
	switch {
	case fw.On == nil:
		ev["firewall"] = "unknown"
		ev["firewall_unknown_reason"] = fw.Reason
	case *fw.On:
		ev["firewall"] = "on"
	default:
		ev["firewall"] = "off"
	}

	// Windows with every profile on: only what an enabled inbound Allow rule
	// opens is exposed (check_min03_winrules.go), once the rules are known.
	var winRules *facts.Section[facts.FirewallRule]
	var winNote string
	winBlocked := 0
	if kind == ctlWindows && fw.On != nil && *fw.On {
		if r := &env.Facts.Firewall.InboundAllow; r.Known() {
			winRules = r
			ev["firewall_rules"] = "enabled inbound Allow rules read"
		} else {
			ev["firewall_rules"] = sectionWhy("windows_firewall_rules", r.Origin)
			winNote = " The firewall's inbound rules were not collected (" + orText(r.Reason, orText(string(r.State), "no windows_firewall_rules result")) +
				"), so every listener on a non-loopback address counts as exposed."
		}
	}

	lp := env.Facts.ListeningPorts
	var unexpected []exposedService
	if lp.Known() {
		hostNS, nsSource := listenerHostNamespace(env)
		ev["host_net_namespace"] = hostNS
		ev["host_net_namespace_source"] = nsSource
		ls := classifyListeners(lp.Items, hostNS, env.Facts.Processes.Items)
		exposed := exposedServices(ls)
		if winRules != nil {
			var blocked []exposedService
			var unread []string
			exposed, blocked, unread = minWindowsOpened(winRules.Items, exposed)
			winBlocked = len(blocked)
			ev["not_opened_by_firewall"] = minServicesOrEmpty(blocked)
			if len(unread) > 0 {
				ev["firewall_rule_ports_unread"] = unread
			}
		}
		var expected []exposedService
		for _, s := range exposed {
			if portAllowed(rules, s.Port, s.Proto) {
				expected = append(expected, s)
			} else {
				unexpected = append(unexpected, s)
			}
		}
		ev["exposed_allowed"] = minServicesOrEmpty(expected)
		ev["exposed_unexpected"] = minServicesOrEmpty(unexpected)
		ev["not_exposed"] = minNotExposedCounts(ls)
	} else {
		ev["listening_ports"] = sectionWhy("listening_ports", lp.Origin)
	}

	switch {
	case fw.On != nil && !*fw.On:
		d := "The host firewall is off (" + strings.Join(fw.Evidence, "; ") + ")"
		if len(fw.OffParts) > 0 {
			d = "The host firewall is off for the " + monJoin(fw.OffParts) + " profile"
			if len(fw.OffParts) > 1 {
				d += "s"
			}
			d += " (" + strings.Join(fw.Evidence, "; ") + ")"
		}
		if len(unexpected) > 0 {
			d += " and " + minServiceList(unexpected) + " are exposed"
		}
		return outcome(Fail, ev, "%s.", d)
	case fw.On == nil:
		return outcome(Unknown, ev, "The host firewall state could not be determined: %s.", orText(fw.Reason, "no source"))
	case !lp.Known():
		return outcome(Unknown, ev, "The host firewall is on, but the listening ports were not collected: %s.", orText(lp.Reason, string(lp.State)))
	}
	if winRules != nil && winBlocked > 0 {
		winNote = fmt.Sprintf(" %d service(s) listening on the network are not opened by any enabled inbound Allow rule, so the firewall blocks them.", winBlocked)
	}
	if len(unexpected) > 0 {
		return outcome(Partial, ev, "The host firewall is on, but %d unexpected service(s) listen on the network: %s.%s", len(unexpected), minServiceList(unexpected), winNote)
	}
	return outcome(Pass, ev, "The host firewall is on (%s) and no listener is exposed outside the allowed ports.%s", strings.Join(fw.Evidence, "; "), winNote)
}

// minServicesOrEmpty keeps an empty list (not null) in the evidence.
func minServicesOrEmpty(s []exposedService) []exposedService {
	if s == nil {
		return []exposedService{}
	}
	return s
}

// minServiceList renders "22/tcp (sshd), 68/udp (unknown ...)".
func minServiceList(s []exposedService) string {
	parts := make([]string, 0, len(s))
	for _, x := range s {
		parts = append(parts, x.String()+" ("+strings.Join(x.Processes, ", ")+")")
	}
	return strings.Join(parts, ", ")
}

// minNotExposedCounts counts the listeners left out, by scope.
func minNotExposedCounts(ls []classifiedListener) map[string]int {
	out := map[string]int{}
	for _, l := range ls {
		if !l.Scope.exposed() {
			out[string(l.Scope)]++
		}
	}
	return out
}
