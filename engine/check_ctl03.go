package engine

import (
	"strings"
)

// CTL-03 Access governed by identity-aware / conditional-access policy.
//
// Whether access decisions use device identity and posture is decided outside
// the device, so the attestation's identity_aware_access decides: true ->
// PASS, false -> FAIL. Without a usable attestation, device-trust / ZTNA
// agents (data/agents-device-trust.yaml) or a Windows Entra ID join show the
// device can take part in such access -> PARTIAL; nothing -> UNKNOWN. An
// attestation for another device or past its valid_until does not count: the
// device evidence is graded instead and the reason is given.

func init() { register("CTL-03", checkCTL03) }

const ctlCatDeviceTrust = "device-trust"

func checkCTL03(env *Env) Outcome {
	att, why := usableAttestation(env)
	if att != nil && att.IdentityAwareAccess != nil {
		ev := map[string]any{"attestation": att.Source, "identity_aware_access": *att.IdentityAwareAccess}
		if *att.IdentityAwareAccess {
			return outcome(Pass, ev, "The attestation (%s) states that access to resources is governed by identity-aware / conditional-access policy.", orText(att.Source, "record"))
		}
		return outcome(Fail, ev, "The attestation (%s) states that access is not governed by identity-aware / conditional-access policy.", orText(att.Source, "record"))
	}
	ev := map[string]any{}
	switch {
	case why != "":
		ev["attestation_ignored"] = why
	case att != nil:
		ev["attestation_ignored"] = "the attestation (" + orText(att.Source, "record") + ") has no identity_aware_access value"
	}
	var found []string
	if kind, out := ctlKind(env); out == nil {
		hits, _ := agentsFrom(env, ctlCatDeviceTrust)
		ev["device_trust_agents"] = ctlHitsOrEmpty(hits)
		for _, h := range hits {
			state := "installed"
			if h.Running {
				state = "running"
			}
			found = append(found, h.Name+" "+state)
		}
		if kind == ctlWindows {
			if ok, qwhy := ctlQueryOK(env, ctlQWindowsJoin, env.Facts.Registry.Origin); ok {
				joins := ctlWindowsEntraJoins(env)
				ev["entra_joins"] = joins
				for _, j := range joins {
					found = append(found, "Entra ID joined to tenant "+orText(j.TenantName, j.TenantID))
				}
			} else {
				ev["entra_join"] = qwhy
			}
		}
	}
	if len(found) > 0 {
		detail := "The device can take part in identity-aware access (" + strings.Join(found, "; ") +
			"), but no attestation says access policy requires it"
		if why != "" {
			detail += " (attestation not used: " + why + ")"
		}
		return outcome(Partial, ev, "%s.", detail)
	}
	if why != "" {
		return outcome(Unknown, ev, "The attestation does not count (%s) and no device-trust agent or Entra ID join was found.", why)
	}
	return outcome(Unknown, ev, "Identity-aware access is decided outside the device: no attestation says whether it governs access, and no device-trust agent or Entra ID join was found.")
}
