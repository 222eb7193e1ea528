package engine_test

import (
	"testing"

	"github.com/miccmac/miccmac-osq/engine"
	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/engine/policy"
	"github.com/miccmac/miccmac-osq/queries"
	"github.com/miccmac/miccmac-osq/translator"
)

// hostFacts translates one fixture host's saved bundle.
func hostFacts(t *testing.T, name string) *facts.Document {
	t.Helper()
	in, err := translator.ReadFiles([]string{"../testdata/hosts/" + name + ".bundle.json"}, queries.MustBuiltin())
	if err != nil || len(in.Hosts) != 1 {
		t.Fatalf("%s: %v", name, err)
	}
	doc := translator.ToFacts(in.Hosts[0], queries.MustBuiltin())
	if inv, err := policy.LoadInventory("../testdata/hosts/" + name + ".inventory.yaml"); err == nil {
		doc.Inventory = inv
	}
	return doc
}

func statusOf(t *testing.T, doc *facts.Document, pol *policy.Policy, id string) engine.Status {
	t.Helper()
	a, err := engine.Assess(doc, pol, engine.Options{Only: []string{id}})
	if err != nil {
		t.Fatal(err)
	}
	return a.Properties[0].Checks[0].Status
}

// TestThresholdOverrides: every threshold of the policy changes the verdict
// of the check that reads it, on a real fixture host.
func TestThresholdOverrides(t *testing.T) {
	tests := []struct {
		threshold string
		host, id  string
		set       func(*policy.Thresholds)
		def, over engine.Status
	}{
		{"linux_patch_max_age_days", "ubuntu-2404", "CUR-01", func(th *policy.Thresholds) { th.LinuxPatchMaxAgeDays = 1 }, engine.Pass, engine.Partial},
		{"windows_patch_max_age_days", "windows-11", "CUR-01", func(th *policy.Thresholds) { th.WindowsPatchMaxAgeDays = 1 }, engine.Pass, engine.Fail},
		{"certificate_warning_days", "ubuntu-2404", "CUR-04", func(th *policy.Thresholds) { th.CertificateWarningDays = 36500 }, engine.Pass, engine.Partial},
		{"min_rsa_bits", "ubuntu-2404", "CUR-04", func(th *policy.Thresholds) { th.MinRSABits = 16384 }, engine.Pass, engine.Partial},
		{"firmware_max_age_days", "windows-11", "CUR-03", func(th *policy.Thresholds) { th.FirmwareMaxAgeDays = 1 }, engine.Pass, engine.Partial},
		{"inventory_review_days", "ubuntu-2404", "INV-04", func(th *policy.Thresholds) { th.InventoryReviewDays = 30 }, engine.Pass, engine.Fail},
		{"assessment_interval_days", "ubuntu-2404", "ASM-02", func(th *policy.Thresholds) { th.AssessmentIntervalDays = 5 }, engine.Pass, engine.Partial},
	}
	for _, tt := range tests {
		t.Run(tt.threshold, func(t *testing.T) {
			doc := hostFacts(t, tt.host)
			if tt.id == "ASM-02" {
				// The compliance queries last ran 10 days before the collection.
				ran := doc.CollectedAt - 10*86400
				for i := range doc.Osquery.Schedule.Items {
					doc.Osquery.Schedule.Items[i].LastExecuted = &ran
				}
			}
			if got := statusOf(t, doc, policy.Default(), tt.id); got != tt.def {
				t.Fatalf("%s on %s with the default policy = %s, want %s", tt.id, tt.host, got, tt.def)
			}
			pol := policy.Default()
			tt.set(&pol.Thresholds)
			if got := statusOf(t, doc, pol, tt.id); got != tt.over {
				t.Errorf("%s on %s with %s overridden = %s, want %s", tt.id, tt.host, tt.threshold, got, tt.over)
			}
		})
	}
}
