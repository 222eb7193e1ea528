package engine

import (
	"strconv"
	"strings"
)

// portRule is one allowed_ports entry: a port or port range and a protocol
// ("" matches any protocol).
type portRule struct {
	lo, hi int64
	proto  string
}

// matches reports whether the rule allows port/proto.
func (r portRule) matches(port int64, proto string) bool {
	return port >= r.lo && port <= r.hi && (r.proto == "" || r.proto == proto)
}

// minParsePorts reads allowed_ports entries: "22/tcp", "60000-61000/udp", or
// a bare "443" for every protocol. It returns the rules and the entries it
// could not read.
func minParsePorts(entries []string) (rules []portRule, bad []string) {
	for _, e := range entries {
		spec, proto, _ := strings.Cut(strings.ToLower(strings.TrimSpace(e)), "/")
		lo, hi, isRange := strings.Cut(spec, "-")
		if !isRange {
			hi = lo
		}
		l, err1 := strconv.ParseInt(strings.TrimSpace(lo), 10, 64)
		h, err2 := strconv.ParseInt(strings.TrimSpace(hi), 10, 64)
		proto = strings.TrimSpace(proto)
		if err1 != nil || err2 != nil || l < 1 || h > 65535 || l > h || strings.Contains(proto, "/") {
			bad = append(bad, e)
			continue
		}
		rules = append(rules, portRule{lo: l, hi: h, proto: proto})
	}
	return rules, bad
}

// portAllowed reports whether any rule allows port/proto.
func portAllowed(rules []portRule, port int64, proto string) bool {
	for _, r := range rules {
		if r.matches(port, proto) {
			return true
		}
	}
	return false
}
