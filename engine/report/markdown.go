package report

import (
	"io"
	"strings"
	"time"

	"github.com/miccmac/miccmac-osq/engine"
)

func renderMarkdown(w io.Writer, as []*engine.Assessment, opts Options) error {
	ew := &errWriter{w: w}
	if len(as) > 1 {
		ew.printf("# MICCMAC Zero Trust readiness: %d hosts\n\n", len(as))
		ew.printf("| Host | Score | Tier | Coverage | FAIL | PARTIAL | UNKNOWN |\n|---|---:|---|---:|---:|---:|---:|\n")
		for _, a := range as {
			ew.printf("| %s | %s | %s | %.0f%% | %d | %d | %d |\n", mdCell(a.Host), scoreText(a.OverallScore), a.Tier,
				a.Coverage*100, a.Counts[engine.Fail], a.Counts[engine.Partial], a.Counts[engine.Unknown])
		}
		ew.printf("\n")
	}
	level := "#"
	if len(as) > 1 {
		level = "##"
	}
	for _, a := range as {
		ew.printf("%s MICCMAC Zero Trust readiness: %s\n\n", level, mdCell(a.Host))
		ew.printf("- Overall score: **%s** (%s)\n- Coverage: %.0f%%\n- Checks: %s\n", scoreText(a.OverallScore), a.Tier, a.Coverage*100, statusCounts(a))
		if a.Maturity != nil {
			ew.printf("- Maturity (%s): %s\n", a.Maturity.Methodology, a.Maturity.Level)
		}
		ew.printf("- Assessed at %s, model %s, policy %s\n\n", time.Unix(a.AssessedAt, 0).UTC().Format(time.RFC3339), a.ModelVersion, a.PolicyHash)
		for _, warn := range a.Warnings {
			ew.printf("> Warning: %s\n\n", mdCell(warn))
		}
		ew.printf("| Property | Score | Coverage |\n|---|---:|---:|\n")
		for _, p := range a.Properties {
			ew.printf("| %s %s | %s | %.0f%% |\n", p.Letter, p.Title, scoreText(p.Score), p.Coverage*100)
		}
		ew.printf("\n| Check | Status | Title | Detail |\n|---|---|---|---|\n")
		for _, p := range a.Properties {
			for _, c := range p.Checks {
				ew.printf("| %s | %s | %s | %s |\n", c.CheckID, c.Status, mdCell(c.Title), mdCell(c.Detail))
			}
		}
		if opts.RiskRegister && len(a.RiskRegister) > 0 {
			ew.printf("\n%s# Risk register\n\n| Risk | IG | Check | Status | Gain | Remediation |\n|---|---|---|---|---:|---|\n", level)
			for _, r := range a.RiskRegister {
				ew.printf("| %s | %s | %s | %s | +%.1f | %s |\n", r.Risk, r.CISIG, r.CheckID, r.Status, r.Gain, mdCell(r.Remediation))
			}
		}
		ew.printf("\n")
	}
	return ew.err
}

// mdCell makes text safe inside a Markdown table cell: one line, no control
// characters, pipes escaped, and HTML inert (details quote device-controlled
// text, and Markdown viewers render raw HTML).
func mdCell(s string) string {
	parts := strings.Split(oneLine(s), "`")
	for i, p := range parts {
		if i%2 == 1 && i < len(parts)-1 {
			parts[i] = strings.ReplaceAll(p, "|", `\|`) // inside a code span HTML is inert
			continue
		}
		parts[i] = mdEscaper.Replace(p)
	}
	return strings.Join(parts, "`")
}

var mdEscaper = strings.NewReplacer("|", `\|`, "&", "&amp;", "<", "&lt;", ">", "&gt;")
