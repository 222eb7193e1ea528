package engine

import "strings"

func init() { register("CLM-03", checkCLM03) }

// checkCLM03: business purpose and data classification documented.
// Attestation business_purpose {documented, data_classification}: both ->
// PASS; documented without a classification -> PARTIAL; not documented ->
// FAIL; no usable attestation, or no business_purpose in it -> UNKNOWN.
func checkCLM03(env *Env) Outcome {
	a, o := clmAttestation(env, "business purpose and data classification")
	if o != nil {
		return *o
	}
	bp := a.BusinessPurpose
	if bp == nil {
		return outcome(Unknown, map[string]any{"source": a.Source}, "The attestation (%s) does not state business_purpose.", monFirst(a.Source, "supplied"))
	}
	ev := map[string]any{"source": a.Source,
		"business_purpose": map[string]any{"documented": bp.Documented, "data_classification": bp.DataClassification}}
	class := strings.TrimSpace(bp.DataClassification)
	switch {
	case bp.Documented && clmRealName(class):
		return outcome(Pass, ev, "The business purpose is documented and the data is classified %q.", class)
	case bp.Documented:
		return outcome(Partial, ev, "The business purpose is documented, but no data classification is recorded.")
	}
	return outcome(Fail, ev, "The business purpose is not documented.")
}
