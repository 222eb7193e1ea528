package engine

import (
	"fmt"
	"strings"
)

func init() { register("MON-03", checkMON03) }

// checkMON03: EDR / endpoint telemetry agent installed and healthy.
// An EDR from data/agents-edr.yaml running -> PASS (on Windows also an
// antivirus product registered On with current signatures, when Windows
// reports one); EDR installed but stopped, antivirus off or out of date,
// telemetry only (kind: telemetry: osqueryd, Wazuh ...), or Windows antivirus
// without an EDR -> PARTIAL; nothing -> FAIL. windows_security_center "Error"
// (Server SKUs) is unknown, never "off".
func checkMON03(env *Env) Outcome {
	kind, o := monOSKind(env)
	if o != nil {
		return *o
	}
	hits, _ := detectAgents(env, "edr")
	runKnown := monRunStateKnown(env)
	edrRunning, edrStopped := monAgentNames(hits, "")
	telemetry, _ := monAgentNames(hits, "telemetry")
	ev := map[string]any{"agents": hits}
	var av mon03AV
	if kind == "windows" {
		av = mon03Antivirus(env)
		ev["antivirus"] = av.evidence
	}
	switch {
	case len(edrRunning) > 0 && len(av.unhealthy) > 0 && len(av.healthy) == 0:
		return outcome(Partial, ev, "%s is running, but Windows reports antivirus protection unhealthy: %s.",
			monJoin(edrRunning), strings.Join(av.unhealthy, "; "))
	case len(edrRunning) > 0:
		return outcome(Pass, ev, "EDR agent running: %s.", monJoin(edrRunning))
	case len(edrStopped) > 0 && runKnown:
		return outcome(Partial, ev, "EDR agent installed but not running: %s.", monJoin(edrStopped))
	case len(telemetry) > 0:
		return outcome(Partial, ev, "Only endpoint telemetry runs (%s); no EDR agent that detects and responds was found.",
			monJoin(telemetry))
	case !runKnown:
		why := monReason(env.Facts.Processes.Origin, "processes")
		if len(edrStopped) > 0 {
			return outcome(Unknown, ev, "%s is installed, but neither processes nor services were collected, so whether it runs is unknown (%s).",
				monJoin(edrStopped), why)
		}
		return outcome(Unknown, ev, "Neither processes nor services were collected, so a running agent cannot be seen (%s).", why)
	case len(av.healthy) > 0:
		return outcome(Partial, ev, "Antivirus is on with current signatures (%s), but no EDR agent was found.",
			strings.Join(av.healthy, ", "))
	}
	if len(av.unhealthy) > 0 {
		return outcome(Fail, ev, "No EDR agent was found and antivirus protection is unhealthy: %s.", strings.Join(av.unhealthy, "; "))
	}
	return outcome(Fail, ev, "No EDR or endpoint telemetry agent was found.")
}

// mon03AV is Windows' own view of antivirus health.
type mon03AV struct {
	healthy   []string // products On with current (or unreported) signatures
	unhealthy []string // why a product, or Security Center, is not healthy
	evidence  map[string]any
}

// mon03Antivirus reads windows_security_products (type Antivirus) and
// windows_security_center.antivirus. "Error" and empty values mean the API is
// unavailable (Server SKUs) and are recorded as unknown.
func mon03Antivirus(env *Env) mon03AV {
	f := env.Facts
	av := mon03AV{evidence: map[string]any{}}
	if sp := f.SecurityProducts; sp.Known() {
		var products []map[string]any
		for _, p := range sp.Items {
			if !strings.EqualFold(p.Type, "Antivirus") {
				continue
			}
			row := map[string]any{"name": p.Name, "state": p.State, "signatures_up_to_date": p.SignaturesUpToDate}
			products = append(products, row)
			on := strings.EqualFold(p.State, "On")
			current := p.SignaturesUpToDate == nil || *p.SignaturesUpToDate
			switch {
			case on && current:
				av.healthy = append(av.healthy, p.Name)
			case !on:
				av.unhealthy = append(av.unhealthy, fmt.Sprintf("%s is %s", p.Name, monFirst(p.State, "in an unreported state")))
			default:
				av.unhealthy = append(av.unhealthy, p.Name+" signatures are out of date")
			}
		}
		av.evidence["security_products"] = products
	} else {
		av.evidence["security_products"] = "not collected: " + monReason(sp.Origin, "windows_security_products")
	}
	if sc := f.SecurityCenter; sc.Known() {
		switch v := strings.TrimSpace(sc.Antivirus); {
		case v == "" || strings.EqualFold(v, "Error"):
			av.evidence["security_center_antivirus"] = "unknown (" + monFirst(v, "empty") + ": Security Center is unavailable, e.g. on Server SKUs)"
		case strings.EqualFold(v, "Good"):
			av.evidence["security_center_antivirus"] = v
		default:
			av.evidence["security_center_antivirus"] = v
			av.unhealthy = append(av.unhealthy, "Security Center rates antivirus "+v)
		}
	}
	return av
}
