package report

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/miccmac/miccmac-osq/engine"
)

func renderText(w io.Writer, as []*engine.Assessment, opts Options) error {
	ew := &errWriter{w: w}
	if len(as) > 1 {
		writeFleetText(ew, as)
	}
	for i, a := range as {
		if i > 0 || len(as) > 1 {
			ew.printf("\n")
		}
		writeHostText(ew, a, opts)
	}
	return ew.err
}

func writeFleetText(ew *errWriter, as []*engine.Assessment) {
	ew.printf("MICCMAC Zero Trust readiness: %d hosts\n\n", len(as))
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "HOST\tSCORE\tTIER\tCOVERAGE\tFAIL\tPARTIAL\tUNKNOWN")
	for _, a := range as {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.0f%%\t%d\t%d\t%d\n", oneLine(a.Host), scoreText(a.OverallScore), a.Tier,
			a.Coverage*100, a.Counts[engine.Fail], a.Counts[engine.Partial], a.Counts[engine.Unknown])
	}
	if err := tw.Flush(); err != nil && ew.err == nil {
		ew.err = err
	}
}

func writeHostText(ew *errWriter, a *engine.Assessment, opts Options) {
	ew.printf("MICCMAC Zero Trust readiness: %s\n", oneLine(a.Host))
	ew.printf("Overall score: %s   Tier: %s   Coverage: %.0f%%\n", scoreText(a.OverallScore), a.Tier, a.Coverage*100)
	if a.Maturity != nil {
		ew.printf("Maturity (%s): %s\n", a.Maturity.Methodology, a.Maturity.Level)
	}
	ew.printf("Checks: %s\n", statusCounts(a))
	ew.printf("Assessed at %s, model %s, policy %s\n", time.Unix(a.AssessedAt, 0).UTC().Format(time.RFC3339), a.ModelVersion, a.PolicyHash)
	for _, warn := range a.Warnings {
		ew.printf("Warning: %s\n", oneLine(warn))
	}
	for _, p := range a.Properties {
		ew.printf("\n%s  %s  score %s, coverage %.0f%%\n", p.Letter, p.Title, scoreText(p.Score), p.Coverage*100)
		tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		for _, c := range p.Checks {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", c.CheckID, c.Status, c.Title, oneLine(c.Detail))
		}
		if err := tw.Flush(); err != nil && ew.err == nil {
			ew.err = err
		}
	}
	if opts.RiskRegister && len(a.RiskRegister) > 0 {
		ew.printf("\nRisk register (fix first at the top)\n")
		tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  RISK\tIG\tCHECK\tSTATUS\tGAIN\tREMEDIATION")
		for _, r := range a.RiskRegister {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t+%.1f\t%s\n", r.Risk, r.CISIG, r.CheckID, r.Status, r.Gain, oneLine(r.Remediation))
		}
		if err := tw.Flush(); err != nil && ew.err == nil {
			ew.err = err
		}
	}
}

// oneLine folds white space so a value fits a table row, and drops control
// characters: details quote device-controlled text (certificate names,
// package names) that must not drive the reader's terminal.
func oneLine(s string) string { return strings.Join(strings.Fields(stripControl(s)), " ") }

// stripControl replaces control characters (ESC, BEL, NUL, C1 ...) with spaces.
func stripControl(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || (r >= 0x7f && r < 0xa0) {
			return ' '
		}
		return r
	}, s)
}

// errWriter remembers the first write error so renderers stay linear.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

func (e *errWriter) printf(format string, args ...any) { fmt.Fprintf(e, format, args...) }
