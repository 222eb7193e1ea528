package extension

import (
	"encoding/json"

	"github.com/osquery/osquery-go/plugin/table"
)

// Table names.
const (
	ChecksTable    = "miccmac_checks"
	ReadinessTable = "miccmac_readiness"
)

var platforms = table.WithPlatforms(table.LinuxPlatform, table.DarwinPlatform, table.WindowsPlatform)

// ChecksColumns are miccmac_checks' columns.
func ChecksColumns() []table.ColumnDefinition {
	d := table.ColumnDescription
	return []table.ColumnDefinition{
		table.TextColumn("check_id", table.IndexColumn(), d("Check id (MON-01 ... CUR-04); empty on the single ERROR row returned when the device could not be assessed")),
		table.TextColumn("property", d("MICCMAC property key: monitored, inventoried, controlled, claimed, minimized, assessed or current")),
		table.TextColumn("letter", d("Property letter: M, I, C, C, M, A, C")),
		table.TextColumn("title", d("What the check verifies")),
		table.TextColumn("status", d("PASS, PARTIAL, FAIL (scored), NOT_APPLICABLE, UNKNOWN or ERROR (not scored)")),
		table.IntegerColumn("score", d("100 for PASS, 50 for PARTIAL, 0 for FAIL; NULL when not scored")),
		table.TextColumn("detail", d("Why the check has this status, in one sentence")),
		table.TextColumn("evidence", d("The facts the verdict rests on, as a JSON object")),
		table.TextColumn("remediation", d("What to do to pass the check")),
		table.TextColumn("risk", d("Risk rating of a failure: LOW, MODERATE, HIGH or CRITICAL")),
		table.TextColumn("cis_ig", d("CIS Controls implementation group: IG1, IG2 or IG3")),
		table.TextColumn("nist_800_53", d("NIST SP 800-53 controls, comma-separated")),
		table.TextColumn("cis_v8", d("CIS Controls v8 safeguards, comma-separated")),
		table.TextColumn("nist_800_207", d("NIST SP 800-207 tenets, comma-separated")),
		table.BigIntColumn("assessed_at", d("Unix time of the collection the verdict was graded from")),
		table.TextColumn("model_version", d("Scoring model version; scores compare only within one version")),
		table.TextColumn("policy_hash", d("Hash of the effective policy the check was graded under; empty when the policy could not be read")),
	}
}

// ReadinessColumns are miccmac_readiness' columns.
func ReadinessColumns() []table.ColumnDefinition {
	d := table.ColumnDescription
	return []table.ColumnDefinition{
		table.DoubleColumn("overall_score", d("Weighted mean of the property scores, 0-100; NULL when nothing was scored")),
		table.TextColumn("tier", d("Zero Trust Ready, Defensible, Developing, Not Ready, or Unassessed when there is no score")),
		table.DoubleColumn("coverage", d("Scored checks / applicable checks, 0-1: how much of the score rests on collected facts")),
		table.DoubleColumn("monitored", d("Monitored property score, 0-100; NULL when none of its checks was scored")),
		table.DoubleColumn("inventoried", d("Inventoried property score, 0-100; NULL when none of its checks was scored")),
		table.DoubleColumn("controlled", d("Controlled property score, 0-100; NULL when none of its checks was scored")),
		table.DoubleColumn("claimed", d("Claimed property score, 0-100; NULL when none of its checks was scored")),
		table.DoubleColumn("minimized", d("Minimized property score, 0-100; NULL when none of its checks was scored")),
		table.DoubleColumn("assessed", d("Assessed property score, 0-100; NULL when none of its checks was scored")),
		table.DoubleColumn("current", d("Current property score, 0-100; NULL when none of its checks was scored")),
		table.IntegerColumn("pass", d("Checks that passed")),
		table.IntegerColumn("partial", d("Checks that partially passed")),
		table.IntegerColumn("fail", d("Checks that failed")),
		table.IntegerColumn("not_applicable", d("Checks that do not apply to this device")),
		table.IntegerColumn("unknown", d("Checks whose facts could not be collected")),
		table.IntegerColumn("error", d("Checks whose facts were contradictory or unparseable")),
		table.BigIntColumn("assessed_at", d("Unix time of the collection the score was graded from")),
		table.TextColumn("model_version", d("Scoring model version; scores compare only within one version")),
		table.TextColumn("policy_hash", d("Hash of the effective policy; scores compare only under one policy")),
		table.TextColumn("detail", d("Empty when the device was assessed; otherwise why it could not be")),
	}
}

// Tables returns the miccmac_checks and miccmac_readiness table plugins backed
// by s. Tables(nil) gives plugins for their spec only; their generate returns
// an ERROR row.
func Tables(s *Service) []*table.Plugin {
	return []*table.Plugin{
		table.NewPlugin(ChecksTable, ChecksColumns(),
			s.safeGenerate(ChecksTable, s.generateChecks, checksErrorRows),
			table.WithDescription("MICCMAC Zero Trust readiness: one row per check, graded from this device's osquery tables (Monitored, Inventoried, Controlled, Claimed, Minimized, Assessed, Current)."),
			table.WithURL("https://github.com/miccmac/miccmac-osq"),
			table.WithNotes("Equality constraints on check_id and property narrow the work; other constraints are evaluated by SQLite. Results are cached for 60 seconds (MICCMAC_CACHE_TTL), shared with miccmac_readiness. When the device cannot be assessed the table returns one row with status ERROR and the reason in detail."),
			table.WithExample("SELECT check_id, status, detail FROM miccmac_checks WHERE status IN ('FAIL', 'PARTIAL');"),
			table.WithExample("SELECT check_id, status, score, evidence FROM miccmac_checks WHERE check_id = 'CUR-01';"),
			table.WithExample("SELECT property, COUNT(*) AS failing FROM miccmac_checks WHERE status = 'FAIL' GROUP BY property;"),
			platforms,
		),
		table.NewPlugin(ReadinessTable, ReadinessColumns(),
			s.safeGenerate(ReadinessTable, s.generateReadiness, readinessErrorRows),
			table.WithDescription("MICCMAC Zero Trust readiness summary: one row with the overall score, tier, coverage, per-property scores and counts per status."),
			table.WithURL("https://github.com/miccmac/miccmac-osq"),
			table.WithNotes("Shares its cached collection with miccmac_checks. overall_score is NULL and detail names the reason when the device could not be assessed."),
			table.WithExample("SELECT overall_score, tier, coverage FROM miccmac_readiness;"),
			table.WithExample("SELECT 1 FROM miccmac_readiness WHERE overall_score >= 70 AND coverage >= 0.8;"),
			platforms,
		),
	}
}

// SpecJSON is the tables' spec in the JSON shape of osquery's own table specs
// (a list of {name, description, url, platforms, evented, cacheable, notes,
// examples, columns}), for schema UIs.
func SpecJSON() ([]byte, error) {
	var specs []table.OsqueryTableSpec
	for _, t := range Tables(nil) {
		specs = append(specs, t.Spec())
	}
	return json.MarshalIndent(specs, "", "  ")
}
