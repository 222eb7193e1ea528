package engine

import (
	"strings"
)

func init() { register("INV-01", checkINV01) }

// checkINV01: device present in the authoritative asset inventory.
// An inventory record bound to this device and tracked -> PASS; untracked ->
// FAIL. A record bound to another device (its serial/uuid/hostname differ),
// one that cannot be bound (the device did not report a bound field, or only
// placeholders such as "To Be Filled By O.E.M." would bind it) or an expired
// one does not count, as for INV-04 and the CLM checks: it says nothing about
// this device, so it is neither PASS nor FAIL (the issue tracker's ruling
// over CHECKS.md's "mismatched -> FAIL"). Without a usable record, osquery
// enrolled with a management server (osquery_flags: tls config or logger
// plugin with tls_hostname, or Kolide's grpc plugins) -> PASS when the
// policy counts enrollment as inventory evidence (default). Nothing ->
// UNKNOWN with the reason (including why the record does not count).
func checkINV01(env *Env) Outcome {
	rec, why := usableInventory(env)
	if rec != nil {
		ev := map[string]any{"source": rec.Source, "device_id": rec.DeviceID, "tracked": rec.Tracked, "binding": rec.Binding}
		if rec.Tracked {
			return outcome(Pass, ev, "The inventory record %s (%s) matches this device and is tracked.",
				monFirst(rec.DeviceID, "without device_id"), monFirst(rec.Source, "supplied record"))
		}
		return outcome(Fail, ev, "The inventory record %s (%s) matches this device but is not tracked.",
			monFirst(rec.DeviceID, "without device_id"), monFirst(rec.Source, "supplied record"))
	}
	ev := map[string]any{}
	if r := env.Facts.Inventory; r != nil {
		ev["record"] = map[string]any{"source": r.Source, "device_id": r.DeviceID, "binding": r.Binding, "not_counted": why}
	}
	enrolled, enrollEv, flagsKnown := inv01Enrollment(env)
	ev["enrollment"] = enrollEv
	allowed := env.Policy != nil && env.Policy.EnrollmentCountsAsInventory
	ev["enrollment_counts_as_inventory"] = allowed
	if enrolled && allowed {
		prefix := "No inventory record was supplied"
		if why != "" {
			prefix = "The inventory record does not count (" + why + ")"
		}
		return outcome(Pass, ev, "%s, but osquery is enrolled with the management server %s, which the policy counts as inventory evidence.",
			prefix, monFirst(enrollEv["tls_hostname"], "(Kolide)"))
	}
	var reasons []string
	if why != "" {
		reasons = append(reasons, "the inventory record does not count: "+why)
	} else {
		reasons = append(reasons, "no inventory record was supplied")
	}
	switch {
	case enrolled:
		reasons = append(reasons, "osquery is enrolled with a management server but the policy does not count enrollment as inventory")
	case !flagsKnown:
		reasons = append(reasons, "osquery_flags was not collected ("+monReason(env.Facts.Osquery.FlagsOrigin, "osquery_flags")+")")
	default:
		reasons = append(reasons, "osquery is not enrolled with a management server")
	}
	return outcome(Unknown, ev, "%s.", inv01Sentence(strings.Join(reasons, "; ")))
}

// inv01Enrollment reads osquery_flags for enrollment with a management server.
func inv01Enrollment(env *Env) (enrolled bool, ev map[string]string, known bool) {
	ev = map[string]string{}
	if !env.Facts.Osquery.FlagsOrigin.Known() {
		return false, ev, false
	}
	for _, n := range []string{"config_plugin", "logger_plugin", "tls_hostname", "enroll_tls_endpoint", "config_tls_endpoint"} {
		if v, _ := monFlag(env, n); v != "" {
			ev[n] = v
		}
	}
	plugin := func(name string) bool {
		return inv01HasPlugin(ev["config_plugin"], name) || inv01HasPlugin(ev["logger_plugin"], name)
	}
	enrolled = (plugin("tls") && ev["tls_hostname"] != "") || plugin("kolide_grpc")
	return enrolled, ev, true
}

// inv01HasPlugin reports whether a comma-separated osquery plugin list names p.
func inv01HasPlugin(list, p string) bool {
	for _, x := range strings.Split(list, ",") {
		if strings.TrimSpace(x) == p {
			return true
		}
	}
	return false
}

func inv01Sentence(s string) string { return sentenceCase(s) }
