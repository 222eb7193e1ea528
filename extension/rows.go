package extension

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"github.com/miccmac/miccmac-osq/engine"
)

// propertyKeys are the MICCMAC properties in order; each is a
// miccmac_readiness column.
var propertyKeys = []string{"monitored", "inventoried", "controlled", "claimed", "minimized", "assessed", "current"}

// statusColumns maps each status to its miccmac_readiness count column.
var statusColumns = []struct {
	status engine.Status
	column string
}{
	{engine.Pass, "pass"}, {engine.Partial, "partial"}, {engine.Fail, "fail"},
	{engine.NotApplicable, "not_applicable"}, {engine.Unknown, "unknown"}, {engine.Error, "error"},
}

// checkRows turns an assessment into miccmac_checks rows, in property order.
func checkRows(a *engine.Assessment) []map[string]string {
	var rows []map[string]string
	for _, p := range a.Properties {
		for _, c := range p.Checks {
			rows = append(rows, checkRow(a, c))
		}
	}
	return rows
}

func checkRow(a *engine.Assessment, c engine.CheckResult) map[string]string {
	return map[string]string{
		"check_id":      c.CheckID,
		"property":      c.Property,
		"letter":        c.Letter,
		"title":         c.Title,
		"status":        string(c.Status),
		"score":         formatScore(c.Score),
		"detail":        c.Detail,
		"evidence":      evidenceJSON(c.Evidence),
		"remediation":   c.Remediation,
		"risk":          c.Risk,
		"cis_ig":        c.CISIG,
		"nist_800_53":   strings.Join(c.Controls.NIST80053, ","),
		"cis_v8":        strings.Join(c.Controls.CISv8, ","),
		"nist_800_207":  strings.Join(c.Controls.NIST800207, ","),
		"assessed_at":   strconv.FormatInt(a.AssessedAt, 10),
		"model_version": a.ModelVersion,
		"policy_hash":   a.PolicyHash,
	}
}

// errorCheckRow is the one row miccmac_checks returns when nothing could be
// graded: an explicit ERROR naming the reason instead of an empty table.
func errorCheckRow(reason string, assessedAt int64, policyHash string) []map[string]string {
	return []map[string]string{{
		"check_id":      "",
		"property":      "",
		"letter":        "",
		"title":         "miccmac-osq could not assess this device",
		"status":        string(engine.Error),
		"score":         "",
		"detail":        reason,
		"evidence":      "{}",
		"remediation":   "Fix the cause named in detail; the extension log (osqueryd stderr) has more.",
		"risk":          "",
		"cis_ig":        "",
		"nist_800_53":   "",
		"cis_v8":        "",
		"nist_800_207":  "",
		"assessed_at":   strconv.FormatInt(assessedAt, 10),
		"model_version": engine.ModelVersion,
		"policy_hash":   policyHash,
	}}
}

// readinessRow turns an assessment into the single miccmac_readiness row.
func readinessRow(a *engine.Assessment) map[string]string {
	row := map[string]string{
		"overall_score": formatFloat(a.OverallScore, 1),
		"tier":          a.Tier,
		"coverage":      strconv.FormatFloat(round(a.Coverage, 4), 'f', -1, 64),
		"assessed_at":   strconv.FormatInt(a.AssessedAt, 10),
		"model_version": a.ModelVersion,
		"policy_hash":   a.PolicyHash,
		"detail":        "",
	}
	for _, k := range propertyKeys {
		row[k] = ""
	}
	for _, p := range a.Properties {
		if _, ok := row[p.Key]; ok {
			row[p.Key] = formatFloat(p.Score, 1)
		}
	}
	for _, sc := range statusColumns {
		row[sc.column] = strconv.Itoa(a.Counts[sc.status])
	}
	return row
}

// errorReadinessRow is miccmac_readiness when nothing could be graded: no
// score, tier Unassessed, and the reason in detail.
func errorReadinessRow(reason string, assessedAt int64, policyHash string) []map[string]string {
	row := map[string]string{
		"overall_score": "",
		"tier":          "Unassessed",
		"coverage":      "",
		"assessed_at":   strconv.FormatInt(assessedAt, 10),
		"model_version": engine.ModelVersion,
		"policy_hash":   policyHash,
		"detail":        reason,
	}
	for _, k := range propertyKeys {
		row[k] = ""
	}
	for _, sc := range statusColumns {
		row[sc.column] = ""
	}
	return []map[string]string{row}
}

func formatScore(s *float64) string {
	if s == nil {
		return ""
	}
	return strconv.FormatFloat(math.Round(*s), 'f', 0, 64)
}

func formatFloat(f *float64, decimals int) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(round(*f, decimals), 'f', -1, 64)
}

// round rounds f to decimals places as its decimal text does.
func round(f float64, decimals int) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'f', decimals, 64), 64)
	return v
}

// evidenceJSON renders evidence as compact JSON with sorted keys.
func evidenceJSON(ev map[string]any) string {
	if len(ev) == 0 {
		return "{}"
	}
	b, err := json.Marshal(ev)
	if err != nil {
		return `{"error":` + strconv.Quote("evidence not encodable: "+err.Error()) + `}`
	}
	return string(b)
}
