// Package policy holds the organisation policy that tunes grading: thresholds,
// allow/deny lists, catalogue additions, weights, tier cut-offs and exclusions.
package policy

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/miccmac/miccmac-osq/data"
)

// Thresholds are the numeric limits the checks compare against.
type Thresholds struct {
	LinuxPatchMaxAgeDays   int `yaml:"linux_patch_max_age_days" json:"linux_patch_max_age_days"`
	WindowsPatchMaxAgeDays int `yaml:"windows_patch_max_age_days" json:"windows_patch_max_age_days"`
	InventoryReviewDays    int `yaml:"inventory_review_days" json:"inventory_review_days"`
	CertificateWarningDays int `yaml:"certificate_warning_days" json:"certificate_warning_days"`
	FirmwareMaxAgeDays     int `yaml:"firmware_max_age_days" json:"firmware_max_age_days"`
	MaxAdmins              int `yaml:"max_admins" json:"max_admins"`
	BaselineRunMaxAgeDays  int `yaml:"baseline_run_max_age_days" json:"baseline_run_max_age_days"`
	AssessmentIntervalDays int `yaml:"assessment_interval_days" json:"assessment_interval_days"`
	MinRSABits             int `yaml:"min_rsa_bits" json:"min_rsa_bits"`
}

// Tiers are the lower bounds of the readiness tiers.
type Tiers struct {
	ZeroTrustReady float64 `yaml:"zero_trust_ready" json:"zero_trust_ready"`
	Defensible     float64 `yaml:"defensible" json:"defensible"`
	Developing     float64 `yaml:"developing" json:"developing"`
	// MinCoverage (0..1) is the share of applicable checks that must be graded
	// for any tier above Not Ready; below it the tier is Unassessed.
	MinCoverage float64 `yaml:"min_coverage" json:"min_coverage"`
	// CriticalFailCaps keeps a device with a failing CRITICAL-risk check out
	// of Zero Trust Ready (it is Defensible at best).
	CriticalFailCaps bool `yaml:"critical_fail_caps" json:"critical_fail_caps"`
}

// Policy is the effective policy.
type Policy struct {
	Thresholds Thresholds `yaml:"thresholds" json:"thresholds"`
	// AllowedPorts maps platform (linux, darwin, windows) to "port/proto" entries.
	AllowedPorts  map[string][]string `yaml:"allowed_ports" json:"allowed_ports"`
	DenyPackages  []string            `yaml:"deny_packages" json:"deny_packages"`
	AllowPackages []string            `yaml:"allow_packages" json:"allow_packages"`
	DenyServices  []string            `yaml:"deny_services" json:"deny_services"`
	// AllowServices exempts entries of the legacy-service catalogue (by entry
	// name, unit/service name or macOS sharing key) that the organisation accepts.
	AllowServices []string `yaml:"allow_services" json:"allow_services"`
	// CatalogAdditions maps a catalogue name (edr, forwarders, config_management,
	// device_trust, scanners, updaters) to extra exact names.
	CatalogAdditions map[string][]string `yaml:"catalog_additions" json:"catalog_additions"`
	// Weights maps property key to its weight in the overall score.
	Weights map[string]float64 `yaml:"weights" json:"weights"`
	Tiers   Tiers              `yaml:"tiers" json:"tiers"`
	// Exclude maps check id to the reason it is excluded.
	Exclude                     map[string]string `yaml:"exclude" json:"exclude"`
	EnrollmentCountsAsInventory bool              `yaml:"enrollment_counts_as_inventory" json:"enrollment_counts_as_inventory"`
	// CustomChecks are the organisation's declarative checks.
	CustomChecks []CustomCheck `yaml:"custom_checks" json:"custom_checks,omitempty"`
	// Source names the file the policy was read from ("" for the built-in defaults).
	Source string `yaml:"-" json:"-"`
}

// Default returns the built-in policy from data/default-policy.yaml.
func Default() *Policy {
	b, err := data.FS.ReadFile("default-policy.yaml")
	if err != nil {
		panic("policy: embedded default-policy.yaml missing: " + err.Error())
	}
	var p Policy
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil {
		panic("policy: embedded default-policy.yaml invalid: " + err.Error())
	}
	return &p
}

// Hash is a short stable hash of the effective policy, carried by every result
// so numbers compare across devices and time.
func (p *Policy) Hash() string {
	b, err := json.Marshal(p)
	if err != nil {
		return fmt.Sprintf("unhashable:%v", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])[:16]
}

// Names returns the policy's additions to the named catalogue.
func (p *Policy) Names(catalog string) []string {
	if p == nil {
		return nil
	}
	return p.CatalogAdditions[catalog]
}
