package engine

// ASM-03 Findings tracked to remediation against defined SLAs.
//
// Only the attestation can say this: finding_remediation_sla {tracked,
// sla_days}: tracked with a positive SLA -> PASS; not tracked, or tracked
// without an SLA -> FAIL; a negative SLA -> ERROR; no usable record -> UNKNOWN
// with the reason.
func init() { register("ASM-03", checkASM03) }

func checkASM03(env *Env) Outcome {
	att, why := usableAttestation(env)
	if att == nil || att.FindingRemediation == nil {
		ev := map[string]any{}
		missing := asmAttestationGap(att, why, "finding_remediation_sla", ev)
		return outcome(Unknown, ev, "%s; remediation tracking is not visible on the device.", asmSentence(missing))
	}
	fr := att.FindingRemediation
	ev := map[string]any{
		"attestation_source":      att.Source,
		"finding_remediation_sla": map[string]any{"tracked": fr.Tracked, "sla_days": fr.SLADays},
	}
	switch {
	case !fr.Tracked:
		return outcome(Fail, ev, "The attestation states that this device's findings are not tracked to remediation.")
	case fr.SLADays == nil:
		return outcome(Fail, ev, "Findings are tracked, but the attestation defines no remediation SLA (sla_days).")
	case *fr.SLADays < 0:
		return outcome(Error, ev, "The attestation's finding_remediation_sla.sla_days is %d; it must be a positive number of days.", *fr.SLADays)
	case *fr.SLADays == 0:
		return outcome(Fail, ev, "Findings are tracked, but the remediation SLA is 0 days, which defines no deadline.")
	}
	return outcome(Pass, ev, "Findings are tracked to remediation with a %d-day SLA.", *fr.SLADays)
}
