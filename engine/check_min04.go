package engine

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// MIN-04 Recognized hardening baseline (e.g. CIS Benchmark) applied.
//
// The platform's items of data/baseline.yaml are read (sysctls; sshd
// settings through augeas; Windows registry values, policy keys first; SIP,
// Gatekeeper and secure boot on macOS). A setting the source shows absent
// takes the product's default given in the catalogue (OpenSSH's, Windows').
// Items whose value cannot be seen are left out of the share and counted;
// items that do not apply (sshd not installed, a kernel without the
// parameter) likewise. Share met >= 90 % -> PASS, >= 50 % -> PARTIAL, else
// FAIL; no item known -> UNKNOWN. The evidence lists every item.

func init() { register("MIN-04", checkMIN04) }

const minQWindowsBaseline = "x_min_windows_baseline"

// Item states in the evidence.
const (
	minMet           = "met"
	minNotMet        = "not_met"
	minItemUnknown   = "unknown"
	minNotApplicable = "not_applicable"
)

// minItemResult is one baseline item's evidence.
type minItemResult struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Value    string `json:"value,omitempty"`
	Required string `json:"required"`
	State    string `json:"state"`
	Note     string `json:"note,omitempty"`
}

func checkMIN04(env *Env) Outcome {
	kind, out := ctlKind(env)
	if out != nil {
		return *out
	}
	items := minCatalogs().baseline[kind]
	results := make([]minItemResult, 0, len(items))
	met, known, unknownN, na := 0, 0, 0, 0
	var failed []string
	for _, it := range items {
		r := minItemResult{ID: it.ID, Title: it.Title, Required: minRequired(it)}
		value, state, note := minItemValue(env, it)
		r.Value, r.Note = value, note
		switch state {
		case minItemUnknown, minNotApplicable:
			r.State = state
		default:
			ok, comparable := minCompare(it.Op, value, it.Values)
			switch {
			case !comparable:
				r.State = minItemUnknown
				r.Note = strings.TrimSpace(r.Note + " value is not a number")
			case ok:
				r.State = minMet
			default:
				r.State = minNotMet
			}
		}
		switch r.State {
		case minMet:
			met++
			known++
		case minNotMet:
			known++
			failed = append(failed, fmt.Sprintf("%s=%s", it.ID, orText(r.Value, "(absent)")))
		case minItemUnknown:
			unknownN++
		default:
			na++
		}
		results = append(results, r)
	}
	ev := map[string]any{"items": results, "met": met, "known": known, "unknown": unknownN, "not_applicable": na}
	if known == 0 {
		return outcome(Unknown, ev, "None of the %d baseline settings could be graded: %s.", len(items), minUngradedText(results))
	}
	share := math.Round(float64(met)*1000/float64(known)) / 10
	ev["share_met_percent"] = share
	tail := ""
	if unknownN > 0 {
		tail = fmt.Sprintf("; %d setting(s) could not be read and are left out", unknownN)
	}
	if len(failed) > 0 {
		tail += "; not met: " + strings.Join(failed, ", ")
	}
	switch {
	case share >= 90:
		return outcome(Pass, ev, "%d of %d baseline settings are met (%.1f%%)%s.", met, known, share, tail)
	case share >= 50:
		return outcome(Partial, ev, "%d of %d baseline settings are met (%.1f%%)%s.", met, known, share, tail)
	}
	return outcome(Fail, ev, "Only %d of %d baseline settings are met (%.1f%%)%s.", met, known, share, tail)
}

// minRequired renders an item's requirement ("= 2", ">= 1", "in {1, 2}").
func minRequired(it minBaselineItem) string {
	switch it.Op {
	case "ne":
		return "!= " + it.Values[0]
	case "ge":
		return ">= " + it.Values[0]
	case "in":
		return "in {" + strings.Join(it.Values, ", ") + "}"
	}
	return "= " + it.Values[0]
}

// minCompare applies op; numbers compare as numbers, words case-insensitively.
// comparable is false when ge meets a value that is not a number.
func minCompare(op, value string, want []string) (ok, comparable bool) {
	eq := func(a, b string) bool {
		x, e1 := strconv.ParseFloat(strings.TrimSpace(a), 64)
		y, e2 := strconv.ParseFloat(strings.TrimSpace(b), 64)
		if e1 == nil && e2 == nil {
			return x == y
		}
		return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
	}
	switch op {
	case "ne":
		return !eq(value, want[0]), true
	case "ge":
		x, e1 := strconv.ParseFloat(strings.TrimSpace(value), 64)
		y, e2 := strconv.ParseFloat(strings.TrimSpace(want[0]), 64)
		if e1 != nil || e2 != nil {
			return false, false
		}
		return x >= y, true
	case "in":
		for _, w := range want {
			if eq(value, w) {
				return true, true
			}
		}
		return false, true
	}
	return eq(value, want[0]), true
}

// minItemValue reads an item's value: state is "" when the value is known
// (compare it), else minItemUnknown or minNotApplicable with a note.
func minItemValue(env *Env, it minBaselineItem) (value, state, note string) {
	f := env.Facts
	withDefault := func(why string) (string, string, string) {
		if it.Default != nil {
			return *it.Default, "", why + ": default " + *it.Default + " applies"
		}
		return "", minItemUnknown, why
	}
	switch it.Source {
	case "sysctl":
		if !f.Sysctls.Known() {
			return "", minItemUnknown, sectionWhy("system_controls", f.Sysctls.Origin)
		}
		for _, s := range f.Sysctls.Items {
			if s.Name == it.Key[0] {
				if v := strings.TrimSpace(s.CurrentValue); v != "" {
					return v, "", ""
				}
				return "", minItemUnknown, "no current value reported"
			}
		}
		return "", minNotApplicable, "parameter not present on this kernel"
	case "sshd":
		if ok, why := ctlQueryOK(env, minQSSHD, f.ConfigNodes.Origin); !ok {
			return "", minItemUnknown, why
		}
		seq, seen := minSSHDSequence(f.ConfigNodes.Items)
		if !seen {
			return "", minNotApplicable, minSSHDConfig + " not read (OpenSSH server not installed?)"
		}
		if v, file := minSSHDValue(seq, it.Key[0]); v != "" {
			return v, "", "set in " + file
		}
		return withDefault("not set")
	case "registry":
		if ok, why := ctlQueryOK(env, minQWindowsBaseline, f.Registry.Origin); !ok {
			return "", minItemUnknown, why
		}
		for _, k := range it.Key {
			if v, ok := ctlRegValue(f.Registry.Items, k); ok {
				return strings.TrimSpace(v), "", k
			}
		}
		return withDefault("absent")
	case "smb1":
		return minSMB1(env, it)
	case "sip":
		if !f.SIP.Known() {
			return "", minItemUnknown, sectionWhy("sip_config", f.SIP.Origin)
		}
		for _, s := range f.SIP.Items {
			if s.Flag == "sip" && s.Enabled != nil {
				return minBool(*s.Enabled), "", ""
			}
		}
		return "", minItemUnknown, "sip_config has no overall \"sip\" flag"
	case "gatekeeper":
		if g := f.Gatekeeper; !g.Known() || g.AssessmentsEnabled == nil {
			return "", minItemUnknown, "gatekeeper assessments_enabled not collected: " + orText(g.Reason, string(g.State))
		}
		return minBool(*f.Gatekeeper.AssessmentsEnabled), "", ""
	case "secure_boot":
		if sb := f.SecureBoot; !sb.Known() || sb.Enabled == nil {
			return "", minItemUnknown, "secure boot state not visible: " + orText(sb.Reason, string(sb.State))
		}
		return minBool(*f.SecureBoot.Enabled), "", orText(f.SecureBoot.Description, "")
	}
	return "", minItemUnknown, "unknown source " + it.Source
}

// minSMB1 reads the SMBv1 server state: the LanmanServer SMB1 value when set;
// otherwise the SMB1Protocol optional feature (enabled = SMB1 on, since no
// SMB1=0 overrides it; absent or disabled = off).
func minSMB1(env *Env, it minBaselineItem) (string, string, string) {
	f := env.Facts
	if ok, why := ctlQueryOK(env, minQWindowsBaseline, f.Registry.Origin); !ok {
		return "", minItemUnknown, why
	}
	if v, ok := ctlRegValue(f.Registry.Items, it.Key[0]); ok {
		return strings.TrimSpace(v), "", it.Key[0]
	}
	if !f.OptionalFeatures.Known() {
		return "", minItemUnknown, "SMB1 value absent and " + sectionWhy("windows_optional_features", f.OptionalFeatures.Origin)
	}
	for _, o := range f.OptionalFeatures.Items {
		if strings.EqualFold(o.Name, "SMB1Protocol") || strings.EqualFold(o.Name, "SMB1Protocol-Server") {
			if o.State != nil && *o.State == 1 {
				return "1", "", "SMB1 value absent; optional feature " + o.Name + " enabled"
			}
		}
	}
	return "0", "", "SMB1 value absent; SMB1Protocol feature not enabled"
}

// minBool renders a boolean fact as the catalogue's "1"/"0".
func minBool(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// minUngradedText says why no item could be graded, with counts that add up
// to the items: "13 could not be read (system_controls not collected: ...
// [13]) and 2 do not apply here (/etc/ssh/sshd_config not read ... [2])".
func minUngradedText(results []minItemResult) string {
	group := func(state string) (int, string) {
		counts := map[string]int{}
		var order []string
		n := 0
		for _, r := range results {
			if r.State != state {
				continue
			}
			n++
			why := orText(r.Note, "no reason recorded")
			if counts[why] == 0 {
				order = append(order, why)
			}
			counts[why]++
		}
		parts := make([]string, 0, len(order))
		for _, why := range order {
			parts = append(parts, fmt.Sprintf("%s [%d]", why, counts[why]))
		}
		return n, strings.Join(parts, "; ")
	}
	var out []string
	if n, why := group(minItemUnknown); n > 0 {
		out = append(out, fmt.Sprintf("%d could not be read (%s)", n, why))
	}
	if n, why := group(minNotApplicable); n > 0 {
		verb := "do"
		if n == 1 {
			verb = "does"
		}
		out = append(out, fmt.Sprintf("%d %s not apply to this device (%s)", n, verb, why))
	}
	return monJoin(out)
}
