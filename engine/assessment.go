package engine

// ModelVersion identifies the scoring model; it changes when check logic or
// scoring changes, so scores compare only within one model version.
const ModelVersion = "miccmac-zt-1.0"

// Controls are the control references of a check.
type Controls struct {
	NIST800207 []string `json:"nist_800_207,omitempty"`
	NIST80053  []string `json:"nist_800_53,omitempty"`
	CISv8      []string `json:"cis_v8,omitempty"`
	ISO27001   []string `json:"iso_27001,omitempty"`
	NISTCSF2   []string `json:"nist_csf_2,omitempty"`
}

// CheckInfo is a check's catalogue entry (no verdict).
type CheckInfo struct {
	ID          string   `json:"check_id"`
	Property    string   `json:"property"` // property key: monitored, inventoried, ...
	Letter      string   `json:"letter"`   // M, I, C, C, M, A, C
	Title       string   `json:"title"`
	CISIG       string   `json:"cis_ig"`    // IG1, IG2, IG3
	Frequency   string   `json:"frequency"` // FAIR-style LOW/MEDIUM/HIGH
	Magnitude   string   `json:"magnitude"` // FAIR-style LOW/MEDIUM/HIGH
	Risk        string   `json:"risk"`      // LOW, MODERATE, HIGH, CRITICAL
	Remediation string   `json:"remediation"`
	Controls    Controls `json:"controls"`
	// Custom is true for an organisation's declarative check.
	Custom bool `json:"custom,omitempty"`
}

// CheckResult is one graded check.
type CheckResult struct {
	CheckID  string `json:"check_id"`
	Property string `json:"property"`
	Letter   string `json:"letter"`
	Title    string `json:"title"`
	Status   Status `json:"status"`
	// Score is 100/50/0 for scored statuses, nil otherwise.
	Score       *float64       `json:"score"`
	Detail      string         `json:"detail"`
	Evidence    map[string]any `json:"evidence"`
	Remediation string         `json:"remediation"`
	Controls    Controls       `json:"controls"`
	Risk        string         `json:"risk"`
	CISIG       string         `json:"cis_ig"`
}

// PropertyResult is one MICCMAC property with its checks.
type PropertyResult struct {
	Key    string `json:"key"`
	Letter string `json:"letter"`
	Title  string `json:"title"`
	// Score is the mean of the scored checks; nil when none was scored.
	Score    *float64      `json:"score"`
	Coverage float64       `json:"coverage"`
	Checks   []CheckResult `json:"checks"`
}

// RiskEntry is one finding in the risk register.
type RiskEntry struct {
	CheckID     string `json:"check_id"`
	Title       string `json:"title"`
	Status      Status `json:"status"`
	Risk        string `json:"risk"`
	CISIG       string `json:"cis_ig"`
	Remediation string `json:"remediation"`
	// Gain is how many points the overall score would gain if the finding were fixed (PASS).
	Gain float64 `json:"gain"`
}

// Maturity is the score re-bucketed into a methodology's levels.
type Maturity struct {
	Methodology string `json:"methodology"` // cisa-ztmm or cmmi
	Level       string `json:"level"`
}

// Assessment is the graded result for one device.
type Assessment struct {
	Host string `json:"host"`
	// OverallScore is the weighted mean of property scores; nil when nothing was scored.
	OverallScore *float64 `json:"overall_score"`
	Tier         string   `json:"tier"`
	// Coverage is scored checks / applicable checks (0..1).
	Coverage     float64          `json:"coverage"`
	ModelVersion string           `json:"model_version"`
	PolicyHash   string           `json:"policy_hash"`
	AssessedAt   int64            `json:"assessed_at"`
	Maturity     *Maturity        `json:"maturity,omitempty"`
	Counts       map[Status]int   `json:"counts"`
	Properties   []PropertyResult `json:"properties"`
	RiskRegister []RiskEntry      `json:"risk_register,omitempty"`
	// Warnings carry input problems that affected this host (skipped lines, ...).
	Warnings []string `json:"warnings,omitempty"`
}
