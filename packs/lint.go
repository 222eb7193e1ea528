package packs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/miccmac/miccmac-osq/queries"
)

// Finding is one lint result.
type Finding struct {
	// Where is "pack" or the query name.
	Where string `json:"where"`
	// Level is "error" or "warning".
	Level string `json:"level"`
	Msg   string `json:"msg"`
}

func (f Finding) String() string { return fmt.Sprintf("%s: %s: %s", f.Level, f.Where, f.Msg) }

// ValidPlatforms are the platform values osquery schedules on.
var ValidPlatforms = []string{"darwin", "linux", "windows", "freebsd", "posix", "any", "all"}

// legacyPlatforms are accepted by osquery but match every Linux host.
var legacyPlatforms = map[string]bool{"centos": true, "ubuntu": true}

// ExtensionTables are the tables only the miccmac extension provides.
var ExtensionTables = []string{"miccmac_checks", "miccmac_readiness"}

// lintQuery is a query as found in a pack or Fleet file, before normalisation.
type lintQuery struct {
	name     string
	sql      string
	platform any
	interval any
	snapshot any
}

// Lint checks an osquery pack (JSON) or a Fleet YAML file (fleetctl documents
// or the GitOps form). name is used in messages.
func Lint(name string, data []byte) ([]Finding, error) {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) > 0 && trimmed[0] == '{' {
		return lintPack(name, trimmed)
	}
	return lintFleet(name, data)
}

func lintPack(name string, data []byte) ([]Finding, error) {
	var raw struct {
		Platform  any                       `json:"platform"`
		Discovery []string                  `json:"discovery"`
		Queries   map[string]map[string]any `json:"queries"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("%s: not an osquery pack (JSON object with \"queries\"): %v", name, err)
	}
	if raw.Queries == nil {
		return nil, fmt.Errorf("%s: not an osquery pack: no \"queries\" object", name)
	}
	var qs []lintQuery
	for qn, q := range raw.Queries {
		sql, _ := q["query"].(string)
		qs = append(qs, lintQuery{name: qn, sql: sql, platform: q["platform"], interval: q["interval"], snapshot: q["snapshot"]})
	}
	return lintQueries(raw.Platform, len(raw.Discovery) > 0, qs, true), nil
}

func lintFleet(name string, data []byte) ([]Finding, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var qs []lintQuery
	var docs int
	for {
		var doc map[string]any
		err := dec.Decode(&doc)
		if err != nil {
			if err.Error() == "EOF" {
				break
			}
			return nil, fmt.Errorf("%s: not an osquery pack or Fleet YAML: %v", name, err)
		}
		if doc == nil {
			continue
		}
		docs++
		add := func(spec map[string]any) {
			sql, _ := spec["query"].(string)
			n, _ := spec["name"].(string)
			snap := any(nil)
			if l, ok := spec["logging"]; ok {
				snap = l
			}
			qs = append(qs, lintQuery{name: n, sql: sql, platform: spec["platform"], interval: spec["interval"], snapshot: snap})
		}
		if kind, _ := doc["kind"].(string); kind != "" {
			if spec, ok := doc["spec"].(map[string]any); ok && (kind == "query" || kind == "policy") {
				add(spec)
			}
			continue
		}
		for _, key := range []string{"queries", "policies"} {
			list, _ := doc[key].([]any)
			for _, item := range list {
				if spec, ok := item.(map[string]any); ok {
					add(spec)
				}
			}
		}
	}
	if docs == 0 || len(qs) == 0 {
		return nil, fmt.Errorf("%s: no queries or policies found (expected an osquery pack, fleetctl documents or a GitOps file)", name)
	}
	// Fleet has no pack-level discovery: extension tables there are only linted
	// for tables and platforms, and policies on extension tables are expected.
	return lintQueries(nil, true, qs, false), nil
}

func lintQueries(packPlatform any, hasDiscovery bool, qs []lintQuery, isPack bool) []Finding {
	var out []Finding
	sort.Slice(qs, func(i, j int) bool { return qs[i].name < qs[j].name })

	packTokens, packFindings := checkPlatform("pack", packPlatform)
	out = append(out, packFindings...)
	var extUsers []string
	for _, q := range qs {
		toks, fs := checkPlatform(q.name, q.platform)
		out = append(out, fs...)
		if len(packTokens) > 0 && len(toks) > 0 {
			for _, t := range toks {
				if !platformCovers(packTokens, t) {
					out = append(out, Finding{"pack", "error", fmt.Sprintf("pack platform %s excludes %s, yet query %s targets %s", strings.Join(packTokens, ","), t, q.name, t)})
				}
			}
		}
		if isPack {
			out = append(out, lintTypes(q)...)
		}
		if q.sql == "" {
			out = append(out, Finding{q.name, "error", "no query text"})
			continue
		}
		for _, t := range queries.TablesIn(q.sql) {
			if slices.Contains(ExtensionTables, t) {
				extUsers = append(extUsers, t)
			}
		}
		for _, p := range queries.SQLProblems(q.sql, toks, ExtensionTables...) {
			out = append(out, Finding{q.name, "error", p})
		}
	}
	if isPack && len(extUsers) > 0 && !hasDiscovery {
		sort.Strings(extUsers)
		out = append(out, Finding{"pack", "error", fmt.Sprintf("queries use extension table %s but the pack has no discovery query (e.g. %s); hosts without the extension log 'no such table' every interval", extUsers[0], strings.TrimSuffix(DiscoveryQuery, ";"))})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Where == "pack" != (out[j].Where == "pack") {
			return out[i].Where == "pack"
		}
		return false
	})
	return out
}

// checkPlatform validates one platform value and returns its tokens.
func checkPlatform(where string, v any) ([]string, []Finding) {
	if v == nil {
		return nil, nil
	}
	s, ok := v.(string)
	if !ok {
		return nil, []Finding{{where, "error", fmt.Sprintf("platform %v is not a string", v)}}
	}
	if s == "" {
		return nil, nil
	}
	var toks []string
	var out []Finding
	for _, t := range strings.Split(s, ",") {
		t = strings.TrimSpace(t)
		switch {
		case t == "":
			out = append(out, Finding{where, "error", fmt.Sprintf("platform '%s' has an empty list element", s)})
		case legacyPlatforms[t]:
			out = append(out, Finding{where, "warning", fmt.Sprintf("platform '%s' is a legacy alias: osquery builds since early 2017 run it on every Linux host (osquery#3088), earlier builds mis-matched it on CentOS itself; use 'linux'", t)})
			toks = append(toks, "linux")
		case !slices.Contains(ValidPlatforms, t):
			out = append(out, Finding{where, "error", fmt.Sprintf("platform '%s' is not an osquery platform value; the query will never be scheduled", t)})
		default:
			toks = append(toks, t)
		}
	}
	return toks, out
}

// platformCovers reports whether a pack platform list admits platform t.
func platformCovers(pack []string, t string) bool {
	for _, p := range pack {
		switch {
		case p == t, p == "any", p == "all":
			return true
		case p == "posix" && t != "windows":
			return true
		case t == "posix" && p != "windows":
			return true
		}
	}
	return false
}

// lintTypes checks that interval is a positive whole number of seconds and
// snapshot a boolean; strings that osquery tolerates ("300", "true") are
// warnings with the normalised value, anything else is an error.
func lintTypes(q lintQuery) []Finding {
	var out []Finding
	var what, norm []string
	switch v := q.interval.(type) {
	case nil:
	case float64:
		if v <= 0 || v != float64(int64(v)) || v > 604800 {
			out = append(out, Finding{q.name, "error", fmt.Sprintf("interval %v is not a whole number of seconds between 1 and 604800", v)})
		}
	case string:
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n <= 0 || n > 604800 {
			out = append(out, Finding{q.name, "error", fmt.Sprintf("interval %q is not a whole number of seconds between 1 and 604800", v)})
		} else {
			what, norm = append(what, "interval"), append(norm, strconv.Itoa(n))
		}
	default:
		out = append(out, Finding{q.name, "error", fmt.Sprintf("interval %v is not a number", v)})
	}
	switch v := q.snapshot.(type) {
	case nil, bool:
	case string:
		b, err := strconv.ParseBool(strings.TrimSpace(v))
		if err != nil {
			out = append(out, Finding{q.name, "error", fmt.Sprintf("snapshot %q is not true or false", v)})
		} else {
			what, norm = append(what, "snapshot"), append(norm, strconv.FormatBool(b))
		}
	default:
		out = append(out, Finding{q.name, "error", fmt.Sprintf("snapshot %v is not true or false", v)})
	}
	if len(what) > 0 {
		out = append(out, Finding{q.name, "warning", fmt.Sprintf("%s given as strings; osquery tolerates this but the pack should be normalised (%s) so the Fleet YAML and JSON packs stay identical",
			strings.Join(what, " and "), strings.Join(norm, ", "))})
	}
	return out
}
