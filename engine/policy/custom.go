package policy

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/miccmac/miccmac-osq/queries"
)

// CustomCheck is an organisation's own declarative check: an osquery query
// and verdict rules over its rows. No code runs; the rules only compare values.
type CustomCheck struct {
	ID          string         `yaml:"id" json:"id"`
	Title       string         `yaml:"title" json:"title"`
	Property    string         `yaml:"property" json:"property"`
	Controls    CustomControls `yaml:"controls" json:"controls"`
	CISIG       string         `yaml:"cis_ig" json:"cis_ig"`
	Frequency   string         `yaml:"frequency" json:"frequency"`
	Magnitude   string         `yaml:"magnitude" json:"magnitude"`
	Remediation string         `yaml:"remediation" json:"remediation"`
	Query       string         `yaml:"query" json:"query"`
	Platforms   []string       `yaml:"platforms" json:"platforms"`
	Interval    int            `yaml:"interval" json:"interval,omitempty"`
	// Rules are tried in the order fail_when, pass_when, partial_when; the first
	// that matches decides. When none matches the check FAILs if pass_when was
	// given (its condition is not met) and PASSes otherwise.
	FailWhen    *Rule `yaml:"fail_when" json:"fail_when,omitempty"`
	PartialWhen *Rule `yaml:"partial_when" json:"partial_when,omitempty"`
	PassWhen    *Rule `yaml:"pass_when" json:"pass_when,omitempty"`
}

// CustomControls are a custom check's control references.
type CustomControls struct {
	NIST800207 []string `yaml:"nist_800_207" json:"nist_800_207,omitempty"`
	NIST80053  []string `yaml:"nist_800_53" json:"nist_800_53,omitempty"`
	CISv8      []string `yaml:"cis_v8" json:"cis_v8,omitempty"`
	ISO27001   []string `yaml:"iso_27001" json:"iso_27001,omitempty"`
	NISTCSF2   []string `yaml:"nist_csf_2" json:"nist_csf_2,omitempty"`
}

// Rule is a condition over a query's rows: either on their count (rows: any |
// none) or on a column's values (column, op, value; match: any | all).
type Rule struct {
	Rows   string `yaml:"rows" json:"rows,omitempty"`
	Column string `yaml:"column" json:"column,omitempty"`
	// Op is one of = != < <= > >= (numbers compare as numbers).
	Op    string `yaml:"op" json:"op,omitempty"`
	Value string `yaml:"value" json:"value,omitempty"`
	// Match is "any" (some row satisfies) or "all" (every row, and at least one); default any.
	Match string `yaml:"match" json:"match,omitempty"`
}

// RuleOps are the comparison operators a Rule may use.
var RuleOps = []string{"=", "!=", "<", "<=", ">", ">="}

var customIDRe = regexp.MustCompile(`^[A-Z][A-Z0-9]*-[0-9]{1,4}$`)

// QueryName is the catalogue name of a custom check's query.
func (c CustomCheck) QueryName() string {
	return "custom_" + strings.ToLower(strings.ReplaceAll(c.ID, "-", "_"))
}

// CatalogQuery is the custom check's query as a catalogue entry, so it is
// collected, packed and translated like the built-ins.
func (c CustomCheck) CatalogQuery() queries.Query {
	iv := c.Interval
	if iv == 0 {
		iv = 3600
	}
	return queries.Query{
		Name: c.QueryName(), SQL: strings.TrimSpace(c.Query), Platforms: c.Platforms,
		Description: fmt.Sprintf("Custom check %s: %s", c.ID, c.Title),
		Feeds:       []string{"custom:" + c.ID}, Interval: iv, File: "policy",
	}
}

// Catalog returns the built-in query catalogue plus the policy's custom queries.
func (p *Policy) Catalog(builtin []queries.Query) []queries.Query {
	out := append([]queries.Query(nil), builtin...)
	for _, c := range p.CustomChecks {
		out = append(out, c.CatalogQuery())
	}
	return out
}

func (p *Policy) validateCustom(file string, doc *yaml.Node, canonical []string) error {
	seq := valueOf(doc, "custom_checks")
	seen := map[string]bool{}
	for i, c := range p.CustomChecks {
		line := doc.Line
		var item *yaml.Node
		if seq != nil && i < len(seq.Content) {
			item = seq.Content[i]
			line = item.Line
		}
		at := func(key string) int {
			if item == nil {
				return line
			}
			return lineOf(item, key)
		}
		where := fmt.Sprintf("custom_checks[%d]", i)
		if c.ID != "" {
			where = fmt.Sprintf("custom_checks[%d] (%s)", i, c.ID)
		}
		fail := func(key, format string, args ...any) error {
			return fmt.Errorf("%s:%d: %s.%s: %s", file, at(key), where, key, fmt.Sprintf(format, args...))
		}
		switch {
		case !customIDRe.MatchString(c.ID):
			return fail("id", "%q is not an id like ORG-01 (capital letters, a dash, digits)", c.ID)
		case slices.Contains(canonical, c.ID):
			return fail("id", "%s is a built-in check; pick another id", c.ID)
		case seen[c.ID]:
			return fail("id", "%s is defined twice", c.ID)
		case strings.TrimSpace(c.Title) == "":
			return fail("title", "missing")
		case !slices.Contains(Properties, c.Property):
			return fail("property", "%q is not one of the seven properties (%s)", c.Property, strings.Join(Properties, ", "))
		case c.CISIG != "" && c.CISIG != "IG1" && c.CISIG != "IG2" && c.CISIG != "IG3":
			return fail("cis_ig", "%q: want IG1, IG2 or IG3", c.CISIG)
		case !validLevel(c.Frequency):
			return fail("frequency", "%q: want LOW, MEDIUM or HIGH", c.Frequency)
		case !validLevel(c.Magnitude):
			return fail("magnitude", "%q: want LOW, MEDIUM or HIGH", c.Magnitude)
		case strings.TrimSpace(c.Query) == "":
			return fail("query", "missing osquery SQL")
		case len(c.Platforms) == 0:
			return fail("platforms", "missing (any of linux, darwin, windows)")
		case c.FailWhen == nil && c.PartialWhen == nil && c.PassWhen == nil:
			return fail("pass_when", "a custom check needs at least one of pass_when, partial_when, fail_when")
		case c.Interval < 0:
			return fail("interval", "must be positive")
		}
		seen[c.ID] = true
		for _, pl := range c.Platforms {
			if !slices.Contains(Platforms, pl) {
				return fail("platforms", "%q: want linux, darwin or windows", pl)
			}
		}
		if err := queries.CheckSQL(c.CatalogQuery()); err != nil {
			return fail("query", "%v", err)
		}
		for key, r := range map[string]*Rule{"fail_when": c.FailWhen, "partial_when": c.PartialWhen, "pass_when": c.PassWhen} {
			if r == nil {
				continue
			}
			if err := r.validate(); err != nil {
				return fail(key, "%v", err)
			}
		}
	}
	return nil
}

func (r *Rule) validate() error {
	switch {
	case r.Rows != "" && r.Column != "":
		return fmt.Errorf("give either rows (any/none) or column/op/value, not both")
	case r.Rows != "":
		if r.Rows != "any" && r.Rows != "none" {
			return fmt.Errorf("rows %q: want any or none", r.Rows)
		}
	case r.Column != "":
		if !slices.Contains(RuleOps, r.Op) {
			return fmt.Errorf("op %q: want one of %s", r.Op, strings.Join(RuleOps, " "))
		}
		if r.Match != "" && r.Match != "any" && r.Match != "all" {
			return fmt.Errorf("match %q: want any or all", r.Match)
		}
	default:
		return fmt.Errorf("empty rule: give rows (any/none) or column, op and value")
	}
	return nil
}

func validLevel(s string) bool { return s == "LOW" || s == "MEDIUM" || s == "HIGH" }

// valueOf returns the value node of a top-level key.
func valueOf(doc *yaml.Node, key string) *yaml.Node {
	if doc == nil || doc.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		if doc.Content[i].Value == key {
			return doc.Content[i+1]
		}
	}
	return nil
}
