package engine

import (
	"strings"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

// clmAttestation returns the usable attestation, or the UNKNOWN outcome that
// says why there is none. what names the fact the check needs.
func clmAttestation(env *Env, what string) (*facts.Attestation, *Outcome) {
	a, why := usableAttestation(env)
	if a != nil {
		return a, nil
	}
	var o Outcome
	if why == "" {
		o = outcome(Unknown, nil, "No attestation was supplied; the %s cannot be seen on the device.", what)
	} else {
		o = outcome(Unknown, map[string]any{"not_counted": why}, "The attestation does not count: %s.", why)
	}
	return nil, &o
}

// clmRealName reports whether a recorded name names someone: not empty and
// not a placeholder such as "TBD" or "n/a" (data/placeholders.yaml assignee).
func clmRealName(s string) bool {
	s = strings.TrimSpace(s)
	return s != "" && !builtinPlaceholders().assignee[strings.ToLower(s)]
}

// clmAssignee grades business_owner / system_administrator: assigned with a
// real name -> PASS, otherwise FAIL; absent from the attestation -> UNKNOWN.
func clmAssignee(env *Env, key, role string, pick func(*facts.Attestation) *facts.Assignee) Outcome {
	a, o := clmAttestation(env, role)
	if o != nil {
		return *o
	}
	as := pick(a)
	if as == nil {
		return outcome(Unknown, map[string]any{"source": a.Source}, "The attestation (%s) does not state %s.", monFirst(a.Source, "supplied"), key)
	}
	ev := map[string]any{"source": a.Source, key: map[string]any{"assigned": as.Assigned, "name": as.Name}}
	switch {
	case as.Assigned && clmRealName(as.Name):
		return outcome(Pass, ev, "The %s is %s.", role, strings.TrimSpace(as.Name))
	case as.Assigned:
		return outcome(Fail, ev, "%s is marked assigned but names nobody (%q).", key, as.Name)
	}
	return outcome(Fail, ev, "No %s is assigned.", role)
}
