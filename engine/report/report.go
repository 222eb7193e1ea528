// Package report renders assessments as text, Markdown or JSON.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/miccmac/miccmac-osq/engine"
)

// Formats lists the supported output formats.
var Formats = []string{"text", "markdown", "json"}

// Options tune rendering.
type Options struct {
	// RiskRegister adds the risk register to text and Markdown output (JSON
	// always carries it).
	RiskRegister bool
}

// ValidFormat reports whether format is one of Formats.
func ValidFormat(format string) bool {
	for _, f := range Formats {
		if f == format {
			return true
		}
	}
	return false
}

// Render writes the assessments in the given format. One assessment renders
// as a single host; several render as a fleet (JSON: {"hosts": [...]}).
func Render(w io.Writer, format string, as []*engine.Assessment, opts Options) error {
	switch format {
	case "json":
		return renderJSON(w, as)
	case "text":
		return renderText(w, as, opts)
	case "markdown":
		return renderMarkdown(w, as, opts)
	}
	return fmt.Errorf("unknown format %q (want %s)", format, strings.Join(Formats, ", "))
}

func renderJSON(w io.Writer, as []*engine.Assessment) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if len(as) == 1 {
		return enc.Encode(as[0])
	}
	return enc.Encode(struct {
		Hosts []*engine.Assessment `json:"hosts"`
	}{as})
}

// scoreText formats an optional score.
func scoreText(s *float64) string {
	if s == nil {
		return "n/a"
	}
	return fmt.Sprintf("%.1f", *s)
}

// statusCounts renders the per-status counts in a fixed order.
func statusCounts(a *engine.Assessment) string {
	var parts []string
	for _, s := range []engine.Status{engine.Pass, engine.Partial, engine.Fail, engine.NotApplicable, engine.Unknown, engine.Error} {
		if n := a.Counts[s]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s))
		}
	}
	return strings.Join(parts, ", ")
}
