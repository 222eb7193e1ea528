package extension

import (
	"time"

	"github.com/miccmac/miccmac-osq/engine"
	"github.com/miccmac/miccmac-osq/engine/policy"
	"github.com/miccmac/miccmac-osq/queries"
	"github.com/miccmac/miccmac-osq/translator"
)

// grade is the pipeline `report` uses: rows -> facts (plus the attestation and
// inventory record) -> assessment.
func grade(h *queries.HostResults, catalog []queries.Query, cfg *policy.DeviceFiles, now time.Time, only []string) (*engine.Assessment, error) {
	doc := translator.ToFacts(h, catalog)
	doc.Attestation, doc.Inventory = cfg.Attestation, cfg.Inventory
	return engine.Assess(doc, cfg.Policy, engine.Options{Now: now, Only: only})
}

// checkCatalog lists the checks the engine grades under the policy.
func checkCatalog(pol *policy.Policy) []engine.CheckInfo { return engine.CatalogFor(pol) }
