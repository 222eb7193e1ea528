package engine

import (
	"strconv"
	"strings"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

// Windows inbound Allow rules for MIN-03.
//
// With every profile of Windows Defender Firewall on, unsolicited inbound
// traffic is blocked unless an enabled inbound Allow rule opens the port, so
// a listener on a non-loopback address is exposed only when such a rule
// matches it:
//   - protocol: "TCP"/"UDP" match that protocol, "Any" every one; another
//     protocol ("" in osquery, e.g. ICMP) opens no listening port;
//   - local ports: a comma list of ports, ranges ("49152-65535"), "*"/"Any";
//     the keyword RPC-EPMap is the endpoint mapper, 135, and RPC is the
//     dynamic RPC range 49152-65535 (Windows' default); IPHTTPS (IPHTTPSIn,
//     IPHTTPSOut) is 443. Teredo and Ply2Disc name the Teredo tunnel's and Play
//     To's own ports, not a listed service: they open none. Any other token
//     is not understood and, so that exposure is never hidden, opens every
//     port (named in the evidence);
//   - program: a rule limited to a program opens the port only for a
//     listener of that program (file name compared, "System" for the
//     kernel); a listener whose process is unknown matches;
//   - profiles: the firewall is on in every profile and the device may join
//     any network, so a rule in any profile counts; a rule whose profiles
//     osquery did not report counts too.
//
// Remote addresses do not narrow exposure: a rule limited to LocalSubnet (or
// any address list) still opens the port to the network the device is on,
// and Zero Trust grants nothing for network location (NIST SP 800-207,
// tenet 2). The scope is shown next to the rule name in the evidence.

// minDynamicRPC is Windows' default dynamic RPC port range.
var minDynamicRPC = portRule{lo: 49152, hi: 65535}

// minRulePorts reads a rule's local_ports; unknown lists the tokens it did
// not understand (which then open every port).
func minRulePorts(s string) (rules []portRule, unknown []string) {
	if strings.TrimSpace(s) == "" {
		return []portRule{{lo: 1, hi: 65535}}, nil
	}
	for _, tok := range strings.Split(s, ",") {
		tok = strings.TrimSpace(tok)
		switch strings.ToLower(tok) {
		case "":
		case "*", "any":
			return []portRule{{lo: 1, hi: 65535}}, nil
		case "rpc-epmap":
			rules = append(rules, portRule{lo: 135, hi: 135})
		case "rpc":
			rules = append(rules, minDynamicRPC)
		case "iphttps", "iphttpsin", "iphttpsout":
			rules = append(rules, portRule{lo: 443, hi: 443})
		case "teredo", "ply2disc":
		default:
			lo, hi, isRange := strings.Cut(tok, "-")
			if !isRange {
				hi = lo
			}
			l, err1 := strconv.ParseInt(strings.TrimSpace(lo), 10, 64)
			h, err2 := strconv.ParseInt(strings.TrimSpace(hi), 10, 64)
			if err1 != nil || err2 != nil || l < 0 || h > 65535 || l > h {
				unknown = append(unknown, tok)
				rules = append(rules, portRule{lo: 1, hi: 65535})
				continue
			}
			rules = append(rules, portRule{lo: l, hi: h})
		}
	}
	return rules, unknown
}

// minRuleProto maps the rule's protocol to the listener's ("" matches any;
// ok false for a protocol without ports).
func minRuleProto(p string) (proto string, ok bool) {
	switch strings.ToLower(strings.TrimSpace(p)) {
	case "any":
		return "", true
	case "tcp":
		return "tcp", true
	case "udp":
		return "udp", true
	}
	return "", false
}

// minRuleApp reports whether the rule's program covers one of the
// service's processes.
func minRuleApp(app string, procs []string) bool {
	a := strings.ToLower(strings.TrimSpace(app))
	if a == "" || a == "*" || a == "any" {
		return true
	}
	a = a[strings.LastIndexAny(a, `\/`)+1:]
	for _, p := range procs {
		if p == processUnknownPID || strings.HasSuffix(p, "(name not collected)") || strings.EqualFold(p, a) {
			return true
		}
	}
	return false
}

// minRuleLabel is the rule's name with its remote scope when it has one.
func minRuleLabel(r facts.FirewallRule) string {
	name := orText(r.Name, "(unnamed rule)")
	switch strings.ToLower(strings.TrimSpace(r.RemoteAddresses)) {
	case "", "*", "any":
		return name
	}
	return name + " (remote " + r.RemoteAddresses + ")"
}

// minWindowsOpened splits the exposed services into those an enabled inbound
// Allow rule opens (with the rules' labels in OpenedBy) and those no rule
// opens; unread lists the port tokens not understood, by rule.
func minWindowsOpened(rules []facts.FirewallRule, exposed []exposedService) (opened, blocked []exposedService, unread []string) {
	type parsed struct {
		rule  facts.FirewallRule
		proto string
		ports []portRule
	}
	var ps []parsed
	for _, r := range rules {
		proto, ok := minRuleProto(r.Protocol)
		if !ok || (r.Profiles != nil && len(r.Profiles) == 0) {
			continue
		}
		ports, bad := minRulePorts(r.LocalPorts)
		if len(bad) > 0 {
			unread = append(unread, orText(r.Name, "(unnamed rule)")+": "+strings.Join(bad, ","))
		}
		ps = append(ps, parsed{rule: r, proto: proto, ports: ports})
	}
	for _, s := range exposed {
		var by []string
		for _, p := range ps {
			for _, pr := range p.ports {
				if (p.proto == "" || p.proto == s.Proto) && s.Port >= pr.lo && s.Port <= pr.hi && minRuleApp(p.rule.App, s.Processes) {
					by = append(by, minRuleLabel(p.rule))
					break
				}
			}
		}
		if len(by) == 0 {
			blocked = append(blocked, s)
			continue
		}
		s.OpenedBy = ctlSortedUnique(by)
		opened = append(opened, s)
	}
	return opened, blocked, unread
}
