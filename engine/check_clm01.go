package engine

import "github.com/miccmac/miccmac-osq/engine/facts"

func init() { register("CLM-01", checkCLM01) }

// checkCLM01: accountable business owner assigned and recorded. Attestation
// business_owner {assigned, name}: both set -> PASS, else FAIL; no usable
// attestation, or no business_owner in it -> UNKNOWN.
func checkCLM01(env *Env) Outcome {
	return clmAssignee(env, "business_owner", "accountable business owner",
		func(a *facts.Attestation) *facts.Assignee { return a.BusinessOwner })
}
