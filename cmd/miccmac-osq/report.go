package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"sort"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/miccmac/miccmac-osq/engine"
	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/engine/policy"
	"github.com/miccmac/miccmac-osq/engine/report"
	"github.com/miccmac/miccmac-osq/queries"
	"github.com/miccmac/miccmac-osq/translator"
)

func reportCommand() *cli.Command {
	return &cli.Command{
		Name:      "report",
		Usage:     "score one device or a fleet from osquery output",
		UsageText: "miccmac-osq report [--input] results.log [more.log ...] [--format text|markdown|json] [--output FILE]\n   miccmac-osq report                 (live: runs the catalogue through osqueryi on this machine)\n   miccmac-osq report --socket PATH   (live: through a running osqueryd)",
		Flags: append([]cli.Flag{
			&cli.StringSliceFlag{Name: "input", Aliases: []string{"i"}, Usage: "osquery output: result log, capture bundle, or QUERY=FILE for osqueryi/Fleet JSON rows (- for stdin; repeatable)"},
			&cli.StringFlag{Name: "facts", Usage: "score a facts document (JSON) directly"},
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "text, markdown or json"},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the report to FILE (atomically) instead of stdout"},
			&cli.StringFlag{Name: "methodology", Usage: "also bucket the score into cisa-ztmm or cmmi maturity levels"},
			&cli.BoolFlag{Name: "risk-register", Usage: "include the risk register in text and markdown output"},
			&cli.Float64Flag{Name: "fail-under", Usage: "exit 1 when any host scores below `SCORE` (0-100) or has no score"},
			&cli.StringFlag{Name: "host", Usage: "report only the host with this identifier"},
		}, append(policyFlags(), liveFlags()...)...),
		Action: reportAction,
	}
}

func reportAction(c *cli.Context) error {
	if c.IsSet("fail-under") {
		if bar := c.Float64("fail-under"); math.IsNaN(bar) || bar < 0 || bar > 100 {
			return usageErr("--fail-under %v: want a score from 0 to 100", bar)
		}
	}
	format := c.String("format")
	if !report.ValidFormat(format) {
		return usageErr("--format %q: want one of %s", format, strings.Join(report.Formats, ", "))
	}
	if m := c.String("methodology"); m != "" && !engine.ValidMethodology(m) {
		return usageErr("--methodology %q: want cisa-ztmm or cmmi", m)
	}
	pol, err := loadPolicy(c)
	if err != nil {
		return err
	}
	att, inv, err := loadRecords(c)
	if err != nil {
		return err
	}
	docs, warnings, err := loadDocuments(c, pol)
	if err != nil {
		return err
	}
	if len(docs) > 1 {
		// One record describes one device: unbound, it would be credited to all.
		if att != nil && att.Binding == (facts.Binding{}) {
			return usageErr("--attestation %s names no device (device: serial, uuid or hostname) but the input has %d hosts: bind it to one, or pick the host with --host", att.Source, len(docs))
		}
		if inv != nil && inv.Binding == (facts.Binding{}) {
			return usageErr("--inventory %s names no device (device: serial, uuid or hostname) but the input has %d hosts: bind it to one, or pick the host with --host", inv.Source, len(docs))
		}
	}
	var as []*engine.Assessment
	for _, d := range docs {
		if att != nil {
			d.Attestation = att
		}
		if inv != nil {
			d.Inventory = inv
		}
		a, err := engine.Assess(d, pol, engine.Options{Methodology: c.String("methodology")})
		if err != nil {
			return usageErr("%v", err)
		}
		a.Warnings = append(a.Warnings, warnings[d.Host]...)
		as = append(as, a)
	}
	var buf bytes.Buffer
	if err := report.Render(&buf, format, as, report.Options{RiskRegister: c.Bool("risk-register")}); err != nil {
		return cli.Exit(err.Error(), exitBadInput)
	}
	if out := c.String("output"); out != "" && out != "-" {
		if err := report.WriteFileAtomic(out, buf.Bytes()); err != nil {
			return cli.Exit(err.Error(), exitBadInput)
		}
	} else if _, err := c.App.Writer.Write(buf.Bytes()); err != nil {
		return err
	}
	if c.IsSet("fail-under") {
		bar := c.Float64("fail-under")
		var below []string
		for _, a := range as {
			if a.OverallScore == nil || *a.OverallScore < bar {
				below = append(below, fmt.Sprintf("%s (%s)", a.Host, scoreOrNA(a.OverallScore)))
			}
		}
		if len(below) > 0 {
			return cli.Exit(fmt.Sprintf("below --fail-under %.1f: %s", bar, strings.Join(below, ", ")), exitBelowBar)
		}
	}
	return nil
}

// loadDocuments turns --facts or --input into one facts document per host,
// with the input warnings that concern each host.
func loadDocuments(c *cli.Context, pol *policy.Policy) ([]*facts.Document, map[string][]string, error) {
	// Positional arguments are inputs too, so a shell glob works:
	// miccmac-osq report logs/*.ndjson
	inputs, factsFile := append(c.StringSlice("input"), c.Args().Slice()...), c.String("facts")
	for _, a := range c.Args().Slice() {
		if strings.HasPrefix(a, "-") && a != "-" {
			return nil, nil, usageErr("%s: flags go before the file names (miccmac-osq report [flags] FILE...)", a)
		}
	}
	switch {
	case factsFile != "" && len(inputs) > 0:
		return nil, nil, usageErr("give --input or --facts, not both")
	case factsFile != "":
		d, err := readFactsFile(factsFile)
		if err != nil {
			return nil, nil, err
		}
		return []*facts.Document{d}, nil, nil
	}
	catalog := pol.Catalog(queries.MustBuiltin())
	var in *translator.Input
	if len(inputs) == 0 {
		h, err := liveCollect(c, catalog)
		if err != nil {
			return nil, nil, err
		}
		in = &translator.Input{Hosts: []*queries.HostResults{h}}
		for _, name := range sortedKeys(h.Results) {
			if r := h.Results[name]; r.Status == queries.StatusError {
				in.Warnings = append(in.Warnings, translator.Warning{File: r.Source, Msg: fmt.Sprintf("query %s failed: %s", name, r.Error)})
			}
		}
	} else {
		var err error
		if in, err = readInputs(inputs, c.String("host"), catalog); err != nil {
			return nil, nil, cli.Exit(err.Error(), exitBadInput)
		}
	}
	hosts := in.Hosts
	if want := c.String("host"); want != "" {
		hosts = nil
		var names []string
		for _, h := range in.Hosts {
			names = append(names, h.Host)
			if h.Host == want {
				hosts = append(hosts, h)
			}
		}
		if len(hosts) == 0 {
			sort.Strings(names)
			return nil, nil, usageErr("--host %q: not in the input (hosts: %s)", want, strings.Join(names, ", "))
		}
	}
	if len(hosts) == 0 {
		return nil, nil, cli.Exit("no host results found in the input", exitBadInput)
	}
	// Each host gets the warnings about its own results and those about the
	// input as a whole.
	warnings := map[string][]string{}
	var general []string
	if in.Skipped > 0 {
		general = append(general, fmt.Sprintf("%d malformed input line(s) skipped", in.Skipped))
	}
	for _, w := range in.Warnings {
		if w.Host == "" {
			general = append(general, w.String())
		}
	}
	for _, h := range hosts {
		warnings[h.Host] = append([]string(nil), general...)
	}
	for _, w := range in.Warnings {
		if w.Host != "" {
			warnings[w.Host] = append(warnings[w.Host], w.String())
		}
	}
	var docs []*facts.Document
	for _, h := range hosts {
		docs = append(docs, translator.ToFacts(h, catalog))
	}
	return docs, warnings, nil
}

// readInputs reads --input values: result logs and bundles, and QUERY=FILE
// row files (osqueryi --json or Fleet exports of one query) for host.
func readInputs(inputs []string, host string, catalog []queries.Query) (*translator.Input, error) {
	r := translator.NewReader(catalog)
	for _, in := range inputs {
		if q, path, ok := strings.Cut(in, "="); ok && q != "" && !strings.ContainsAny(q, `/\.`) {
			if _, known := queries.ByName(catalog, translator.ResolveName(q, catalog)); !known {
				return nil, fmt.Errorf("--input %s: %q is not a catalogue query name (see packs/miccmac.conf or `miccmac-osq pack`)", in, q)
			}
			if err := r.AddNamed(translator.NamedFile{Query: q, Path: path}, host); err != nil {
				return nil, err
			}
			continue
		}
		if err := r.AddFile(in); err != nil {
			return nil, err
		}
	}
	return r.Input(), nil
}

func readFactsFile(path string) (*facts.Document, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, cli.Exit(fmt.Sprintf("--facts: %v", err), exitBadInput)
	}
	var d facts.Document
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		return nil, cli.Exit(fmt.Sprintf("%s: not a facts document: %v (expected the JSON that `miccmac-osq facts` writes; schema in data/facts.schema.json)", path, err), exitBadInput)
	}
	if d.SchemaVersion != facts.SchemaVersion {
		return nil, cli.Exit(fmt.Sprintf("%s: schema_version %q, this build reads %q", path, d.SchemaVersion, facts.SchemaVersion), exitBadInput)
	}
	return &d, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func usageErr(format string, args ...any) error {
	return cli.Exit(fmt.Sprintf(format, args...), exitBadInput)
}

func scoreOrNA(s *float64) string {
	if s == nil {
		return "no score"
	}
	return fmt.Sprintf("%.1f", *s)
}

func modelVersion() string       { return engine.ModelVersion }
func factsSchemaVersion() string { return facts.SchemaVersion }
