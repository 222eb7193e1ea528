package engine

import "github.com/miccmac/miccmac-osq/engine/facts"

func init() { register("CLM-02", checkCLM02) }

// checkCLM02: responsible system administrator identified. Attestation
// system_administrator {assigned, name}: both set -> PASS, else FAIL; no usable
// attestation, or no system_administrator in it -> UNKNOWN.
func checkCLM02(env *Env) Outcome {
	return clmAssignee(env, "system_administrator", "responsible system administrator",
		func(a *facts.Attestation) *facts.Assignee { return a.SystemAdministrator })
}
