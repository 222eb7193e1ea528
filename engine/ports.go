package engine

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

// Listener classification for MIN-03 (field case B23): a listening socket is
// exposed when it listens on every interface (0.0.0.0, ::, *) or on a
// specific non-loopback, non-link-local address, in the host's network
// namespace, on a real port. Loopback (127/8, ::1, ::ffff:127.x), link-local
// (169.254/16, fe80::/10), port 0 and other network namespaces never count.

// listenerScope says where a listening socket can be reached from.
type listenerScope string

// Scopes, named as in the B23 field case.
const (
	scopeAllInterfaces  listenerScope = "all-interfaces"
	scopeSpecific       listenerScope = "specific-address"
	scopeUnknownAddress listenerScope = "unknown-address"
	scopeLoopback       listenerScope = "loopback"
	scopeLinkLocal      listenerScope = "link-local"
	scopeOtherNamespace listenerScope = "container-namespace"
	scopeIgnored        listenerScope = "ignored"
)

// exposed reports whether the scope makes a listener reachable from outside.
// An address osquery gave but that does not parse counts, to be safe.
func (s listenerScope) exposed() bool {
	return s == scopeAllInterfaces || s == scopeSpecific || s == scopeUnknownAddress
}

// processUnknownPID is what a listener without a visible owner reports.
const processUnknownPID = "unknown (pid -1: osquery not root or socket not owned)"

// classifiedListener is one listening_ports row with its scope.
type classifiedListener struct {
	Port      int64
	Proto     string
	Address   string
	Namespace string
	Scope     listenerScope
	Process   string
	Reason    string
}

// listenerProto names an IP protocol number.
func listenerProto(p *int64) string {
	if p == nil {
		return "unknown"
	}
	switch *p {
	case 6:
		return "tcp"
	case 17:
		return "udp"
	case 132:
		return "sctp"
	}
	return fmt.Sprintf("proto-%d", *p)
}

// addressScope classifies a bind address.
func addressScope(addr string) listenerScope {
	a := strings.TrimSpace(addr)
	switch a {
	case "":
		return scopeUnknownAddress
	case "*":
		return scopeAllInterfaces
	}
	a = strings.TrimSuffix(strings.TrimPrefix(a, "["), "]")
	ip, err := netip.ParseAddr(a)
	if err != nil {
		return scopeUnknownAddress
	}
	ip = ip.Unmap().WithZone("")
	switch {
	case ip.IsUnspecified():
		return scopeAllInterfaces
	case ip.IsLoopback():
		return scopeLoopback
	case ip.IsLinkLocalUnicast():
		return scopeLinkLocal
	}
	return scopeSpecific
}

// listenerProcess names a listener's owner: the joined process name, the
// processes section by pid, or why it is unknown (pid -1 is never "none").
func listenerProcess(lp facts.ListeningPort, names map[int64]string) string {
	if lp.ProcessName != "" {
		return lp.ProcessName
	}
	if lp.PID == nil || *lp.PID < 0 {
		return processUnknownPID
	}
	if n := names[*lp.PID]; n != "" {
		return n
	}
	return fmt.Sprintf("pid %d (name not collected)", *lp.PID)
}

// classifyListeners gives every listening socket its scope. hostNS is the
// host's network namespace ("" treats every namespace as the host's).
func classifyListeners(items []facts.ListeningPort, hostNS string, procs []facts.Process) []classifiedListener {
	names := map[int64]string{}
	for _, p := range procs {
		if p.PID != nil && p.Name != "" {
			names[*p.PID] = p.Name
		}
	}
	out := make([]classifiedListener, 0, len(items))
	for _, lp := range items {
		c := classifiedListener{Proto: listenerProto(lp.Protocol), Address: lp.Address, Namespace: lp.NetNamespace,
			Process: listenerProcess(lp, names)}
		switch {
		case lp.Port == nil:
			c.Scope, c.Reason = scopeIgnored, "port not reported"
		case *lp.Port <= 0:
			c.Port, c.Scope, c.Reason = *lp.Port, scopeIgnored, "port 0 is not a listening service"
		case lp.Family != nil && *lp.Family == 1:
			c.Port, c.Scope, c.Reason = *lp.Port, scopeIgnored, "unix-domain socket"
		case hostNS != "" && lp.NetNamespace != "" && lp.NetNamespace != hostNS:
			c.Port, c.Scope, c.Reason = *lp.Port, scopeOtherNamespace, "network namespace "+lp.NetNamespace+" is not the host's ("+hostNS+")"
		default:
			c.Port, c.Scope = *lp.Port, addressScope(lp.Address)
		}
		out = append(out, c)
	}
	return out
}

// exposedService is one port/protocol reachable from the network, with every
// address and process seen on it.
type exposedService struct {
	Port      int64    `json:"port"`
	Proto     string   `json:"proto"`
	Addresses []string `json:"addresses"`
	Processes []string `json:"processes"`
	// OpenedBy names the Windows firewall rules that open the port (MIN-03).
	OpenedBy []string `json:"opened_by,omitempty"`
}

// String is "22/tcp".
func (e exposedService) String() string { return fmt.Sprintf("%d/%s", e.Port, e.Proto) }

// exposedServices groups the exposed listeners by port and protocol, sorted
// numerically by port, then by protocol.
func exposedServices(ls []classifiedListener) []exposedService {
	idx := map[string]int{}
	var out []exposedService
	for _, l := range ls {
		if !l.Scope.exposed() {
			continue
		}
		k := fmt.Sprintf("%d/%s", l.Port, l.Proto)
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, exposedService{Port: l.Port, Proto: l.Proto})
		}
		out[i].Addresses = append(out[i].Addresses, orText(l.Address, "(none reported)"))
		out[i].Processes = append(out[i].Processes, l.Process)
	}
	for i := range out {
		out[i].Addresses = ctlSortedUnique(out[i].Addresses)
		out[i].Processes = ctlSortedUnique(out[i].Processes)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Port != out[j].Port {
			return out[i].Port < out[j].Port
		}
		return out[i].Proto < out[j].Proto
	})
	return out
}

// listenerHostNamespace decides which network namespace is the host's. pid 1's
// namespace (process_namespaces) is authoritative. Without it: when the
// listeners show a single namespace, that one; when they show several, the
// namespace of the listener with the lowest pid, because host daemons start
// before containers (a documented heuristic, named in the evidence); when no
// listener has a pid, "" so every namespace is treated as the host's, which
// may over-report exposure but never hides it.
func listenerHostNamespace(env *Env) (ns, source string) {
	if env.Facts.HostNetNamespace != "" {
		return env.Facts.HostNetNamespace, "pid 1 (process_namespaces)"
	}
	seen := map[string]bool{}
	var lowest *facts.ListeningPort
	for i, lp := range env.Facts.ListeningPorts.Items {
		if lp.NetNamespace == "" {
			continue
		}
		seen[lp.NetNamespace] = true
		if lp.PID != nil && *lp.PID > 0 && (lowest == nil || *lp.PID < *lowest.PID) {
			lowest = &env.Facts.ListeningPorts.Items[i]
		}
	}
	switch {
	case len(seen) == 0:
		return "", "no namespace reported (not Linux, or an osquery without net_namespace)"
	case len(seen) == 1:
		for k := range seen {
			return k, "the only namespace the listeners show (pid 1's was not collected)"
		}
	case lowest != nil:
		return lowest.NetNamespace, fmt.Sprintf("inferred: namespace of the lowest-pid listener (pid %d); pid 1's was not collected", *lowest.PID)
	}
	return "", "unknown: pid 1's namespace was not collected and no listener has a pid, so every namespace is treated as the host's"
}
