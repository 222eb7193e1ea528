package translator

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/miccmac/miccmac-osq/queries"
	"github.com/tidwall/gjson"
)

// A Fleet host export carries, per host, the responses of the Fleet policies
// the host runs. The generated Fleet policies (packs.FleetFiles) are named
// "miccmac <CHECK-ID> <title>" and pass when the host's miccmac extension
// grades the check PASS, so their responses are verdicts graded on the host.
// Three shapes are read:
//
//	{"hosts": [host, ...], "report_time": "2026-03-02T10:00:00Z"}  GET /api/v1/fleet/hosts?populate_policies=true, saved exports
//	{"host": host}                                                   GET /api/v1/fleet/hosts/:id
//	{"kind": "host", "apiVersion": "v1", "spec": host}              fleetctl get host NAME --json (one per line)
//
// A host object is Fleet's: "hostname" (else display_name, computer_name,
// uuid), "platform" (osquery's os_version.platform: darwin, windows, ubuntu,
// rhel, ...), "platform_like", "osquery_version", "status" (online, offline,
// missing, ...), "seen_time", "policy_updated_at" and "policies": [{"id",
// "name", "platform" (comma-separated targets, "" for all), "response"
// ("pass", "fail", or "" when the host gave no answer), "last_error",
// "critical"}]. report_time (optional, RFC 3339) is when the export was
// taken; answers much older than it are stale.
//
// Each host's miccmac policies travel to ToFacts as rows of the pseudo query
// FleetPoliciesResult (one row per policy, columns fleetCol*), so they merge
// across files and round-trip through capture bundles like any result;
// ToFacts turns them into facts.Document.ExternalVerdicts. Policies with other
// names are not ours: they are reported as warnings and not used.

// FleetPoliciesResult is the HostResults.Results key under which a Fleet
// export's miccmac policy responses travel from the reader to ToFacts. The dot
// keeps it apart from catalogue and pack query names.
const FleetPoliciesResult = "miccmac.fleet_policies"

// Columns of a FleetPoliciesResult row. Host-level values are repeated in
// every row so each row can be judged on its own.
const (
	fleetColPolicyID       = "policy_id"
	fleetColPolicyName     = "policy_name"
	fleetColPolicyPlatform = "policy_platform"
	fleetColResponse       = "response"
	fleetColLastError      = "last_error"
	fleetColCritical       = "critical"
	fleetColHostPlatform   = "host_platform"
	fleetColPlatformLike   = "host_platform_like"
	fleetColOsqueryVersion = "osquery_version"
	fleetColHostStatus     = "host_status"
	fleetColSeenTime       = "seen_time"
	fleetColReportTime     = "report_time"
)

// readyPolicyName is packs.ReadyPolicyName, the composite tier policy (packs
// imports engine; the translator does not, so the name is repeated here and
// a test keeps the two equal).
const readyPolicyName = "miccmac Zero Trust ready"

// fleetExpected says what a Fleet export must hold, for error messages.
const fleetExpected = "expected hosts with \"policies\" (GET /api/v1/fleet/hosts/:id, GET /api/v1/fleet/hosts?populate_policies=true, or fleetctl get host NAME --json)"

// isFleetExport reports whether a top-level object is a Fleet host export:
// {"host": {...}}, fleetctl's {"kind": "host", "spec": {...}}, a hosts list
// whose first element is a Fleet host (hostname, no bundle "results"), or a
// bare host object with policies.
func isFleetExport(v gjson.Result) bool {
	if v.Get("host").IsObject() {
		return true // a bundle's "host" is a string
	}
	if k := v.Get("kind"); k.Type == gjson.String && k.Str == "host" && v.Get("spec").IsObject() {
		return true
	}
	if hosts := v.Get("hosts"); hosts.IsArray() && !v.Get("format").Exists() {
		first := hosts.Get("0")
		return first.IsObject() && !first.Get("results").Exists() &&
			(first.Get("policies").Exists() || first.Get("hostname").Exists())
	}
	return v.Get("hostname").Type == gjson.String && v.Get("policies").IsArray() && !v.Get("name").Exists()
}

// fleetExport reads one Fleet host export object found at line. at maps
// offsets to lines inside a document; nil for one-line objects, whose buffer
// is then copied.
func (fr *fileReader) fleetExport(v gjson.Result, line int, at func(int) int) error {
	if at == nil {
		v = gjson.Parse(strings.Clone(v.Raw))
	}
	lineOf := func(x gjson.Result) int {
		if at != nil && x.Index > 0 {
			return at(x.Index)
		}
		return line
	}
	report := v.Get("report_time")
	if report.Exists() && report.Type != gjson.Null {
		if _, ok := fleetTime(report.String()); report.Type != gjson.String || !ok {
			return fr.errorf(lineOf(report), "Fleet export: report_time is %s, expected an RFC 3339 time", describe(report))
		}
	}
	var hosts []gjson.Result
	var paths []string
	switch {
	case v.Get("host").IsObject():
		hosts, paths = []gjson.Result{v.Get("host")}, []string{"host"}
	case v.Get("spec").IsObject():
		hosts, paths = []gjson.Result{v.Get("spec")}, []string{"spec"}
	case v.Get("hosts").IsArray():
		for i, h := range v.Get("hosts").Array() {
			hosts, paths = append(hosts, h), append(paths, fmt.Sprintf("hosts[%d]", i))
		}
	default:
		hosts, paths = []gjson.Result{v}, []string{"host"}
	}
	used := 0
	for i, h := range hosts {
		if !h.IsObject() {
			fr.skip(lineOf(h), fmt.Sprintf("Fleet export: %s is %s, not a host object: skipped", paths[i], describe(h)))
			continue
		}
		ok, err := fr.fleetHost(h, paths[i], report.Str, lineOf)
		if err != nil {
			return err
		}
		if ok {
			used++
		}
	}
	if used == 0 {
		return fr.errorf(line, "Fleet host export without policy responses (fleetctl get hosts and the plain host list omit them): %s", fleetExpected)
	}
	fr.entries++
	return nil
}

// fleetHost reads one Fleet host object; ok is false when it carries no
// policies (warned). path names it in messages (hosts[2]).
func (fr *fileReader) fleetHost(h gjson.Result, path, report string, lineOf func(gjson.Result) int) (ok bool, err error) {
	host := ""
	for _, k := range []string{"hostname", "display_name", "computer_name", "uuid"} {
		if s := h.Get(k); s.Type == gjson.String && strings.TrimSpace(s.Str) != "" {
			host = s.Str
			break
		}
	}
	if host == "" {
		return false, fr.errorf(lineOf(h), "Fleet export: %s has no hostname (nor display_name, computer_name, uuid)", path)
	}
	pols := h.Get("policies")
	if !pols.IsArray() {
		fr.warn(lineOf(h), fmt.Sprintf("Fleet export: host %s has no \"policies\": skipped (%s)", host, fleetExpected))
		return false, nil
	}
	str := func(k string) string {
		if s := h.Get(k); s.Type == gjson.String {
			return strings.TrimSpace(s.Str)
		}
		return ""
	}
	platform, like := str("platform"), str("platform_like")
	seen := str("seen_time")
	hostCols := queries.Row{
		fleetColHostPlatform: platform, fleetColPlatformLike: like,
		fleetColOsqueryVersion: str("osquery_version"), fleetColHostStatus: str("status"),
		fleetColSeenTime: seen, fleetColReportTime: strings.TrimSpace(report),
	}
	rows := []queries.Row{}
	var foreign []string
	for i, p := range pols.Array() {
		row, msg := fleetPolicyRow(p, hostCols)
		switch {
		case msg != "":
			fr.warn(lineOf(p), fmt.Sprintf("Fleet export: host %s: %s.policies[%d]: %s", host, path, i, msg))
		case row == nil:
			foreign = append(foreign, fmt.Sprintf("%s %s", p.Get("id").Raw, snippet(p.Get("name").Str)))
		default:
			rows = append(rows, row)
		}
	}
	if len(foreign) > 0 {
		fr.warn(lineOf(pols), fmt.Sprintf("Fleet export: host %s: %d policies not named \"miccmac <CHECK-ID> <title>\" ignored: %s",
			host, len(foreign), listSome(foreign, 5)))
	}

	hi := fr.host(host)
	// The responses are as of the policies' last update, else the last
	// check-in, else (at the latest) the export's report_time.
	var collected int64
	for _, ts := range []string{str("policy_updated_at"), seen, report} {
		if t, ok := fleetTime(ts); ok {
			collected = t.Unix()
			break
		}
	}
	if collected > hi.collected {
		hi.collected = collected
	}
	if hi.decorations == nil {
		hi.decorations = map[string]string{}
	}
	hi.decorations["hostname"] = host
	if u := str("uuid"); u != "" {
		hi.decorations["host_uuid"] = u
	}
	if kind := fleetHostKind(platform, like); kind == "linux" || kind == "darwin" || kind == "windows" {
		hi.decorations[PlatformDecoration] = kind
	}
	s := fr.segment(host, FleetPoliciesResult)
	fr.hostLast[s.host] = s
	s.whole(queries.StatusOK, rows, "", collected, fmt.Sprintf("%s:%d", fr.name, lineOf(h)))
	return true, nil
}

// fleetPolicyRow builds the row of one policy. It returns (nil, "") for a
// policy that is not a miccmac policy, and a message for one that is
// unusable.
func fleetPolicyRow(p gjson.Result, hostCols queries.Row) (queries.Row, string) {
	if !p.IsObject() {
		return nil, fmt.Sprintf("is %s, not a policy object: skipped", describe(p))
	}
	name := p.Get("name")
	if name.Type != gjson.String {
		return nil, fmt.Sprintf("name is %s, expected a string: skipped", describe(name))
	}
	id, _ := cellText(p.Get("id"))
	switch kind, _ := parsePolicyName(name.Str); kind {
	case policyForeign:
		return nil, ""
	case policyOtherMiccmac:
		return nil, fmt.Sprintf("policy %s %s names no miccmac check (expected \"miccmac <CHECK-ID> <title>\"): ignored", id, snippet(name.Str))
	}
	resp := p.Get("response")
	if resp.Exists() && resp.Type != gjson.String && resp.Type != gjson.Null {
		return nil, fmt.Sprintf("policy %s response is %s, expected \"pass\", \"fail\" or \"\": skipped", id, describe(resp))
	}
	row := queries.Row{fleetColPolicyID: id, fleetColPolicyName: name.Str, fleetColResponse: resp.Str}
	for k, v := range hostCols {
		row[k] = v
	}
	if pl := p.Get("platform"); pl.Type == gjson.String {
		row[fleetColPolicyPlatform] = pl.Str
	}
	if e := p.Get("last_error"); e.Type == gjson.String {
		row[fleetColLastError] = e.Str
	}
	if c := p.Get("critical"); c.Type == gjson.True || c.Type == gjson.False {
		row[fleetColCritical] = c.Raw
	}
	return row, ""
}

// policyKind classifies a Fleet policy name.
type policyKind uint8

const (
	policyForeign      policyKind = iota // not a miccmac policy
	policyCheck                          // "miccmac <CHECK-ID> <title>"
	policyReady                          // the composite readiness policy
	policyOtherMiccmac                   // "miccmac ..." naming no check id
)

// policyNameRe matches "miccmac <CHECK-ID> <title>"; ids are those of the
// built-in and custom checks (letters, a dash, digits).
var policyNameRe = regexp.MustCompile(`^(?i:miccmac)\s+([A-Za-z][A-Za-z0-9]*-[0-9]{1,4})(?:\s|$)`)

// parsePolicyName returns the policy's kind and, for a check policy, the
// check id (upper case).
func parsePolicyName(name string) (policyKind, string) {
	name = strings.TrimSpace(name)
	if strings.EqualFold(strings.Join(strings.Fields(name), " "), readyPolicyName) {
		return policyReady, ""
	}
	if m := policyNameRe.FindStringSubmatch(name); m != nil {
		return policyCheck, strings.ToUpper(m[1])
	}
	if f := strings.Fields(name); len(f) > 0 && strings.EqualFold(f[0], "miccmac") {
		return policyOtherMiccmac, ""
	}
	return policyForeign, ""
}

// fleetLinux are Fleet's Linux platform values (fleet.HostLinuxOSs) that
// OSFamily does not know by os-release id.
var fleetLinux = map[string]bool{
	"linux": true, "gentoo": true, "arch": true, "archarm": true, "void": true, "nixos": true,
	"endeavouros": true, "manjaro": true, "tuxedo": true, "alpine": true,
}

// fleetHostKind maps a Fleet host platform (osquery's os_version.platform:
// darwin, windows, ubuntu, rhel, amzn, ...) to the policy platform it belongs
// to: "linux", "darwin" or "windows"; other platforms (chrome, ios, ipados,
// android) keep their own token; "" when unknown.
func fleetHostKind(platform, like string) string {
	p := strings.ToLower(strings.TrimSpace(platform))
	if p == "" && strings.TrimSpace(like) == "" {
		return ""
	}
	if fleetLinux[p] {
		return "linux"
	}
	if _, kind := OSFamily(p, like, ""); kind != "unknown" {
		return kind
	}
	return p
}

// fleetTime parses a Fleet timestamp (RFC 3339, fractional seconds allowed);
// Go's zero time, which Fleet prints for "never", is not a time.
func fleetTime(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(s))
	if err != nil || t.Year() <= 1 {
		return time.Time{}, false
	}
	return t, true
}

// listSome joins up to n items, saying how many more there are.
func listSome(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return strings.Join(items[:n], ", ") + fmt.Sprintf(" and %d more", len(items)-n)
}

// sortPolicyRows orders rows by numeric policy id (then name), so verdicts
// and notes do not depend on the export's order.
func sortPolicyRows(rows []queries.Row) {
	num := func(r queries.Row) int64 {
		n, err := strconv.ParseInt(r[fleetColPolicyID], 10, 64)
		if err != nil {
			return -1
		}
		return n
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if a, b := num(rows[i]), num(rows[j]); a != b {
			return a < b
		}
		return rows[i][fleetColPolicyName] < rows[j][fleetColPolicyName]
	})
}
