package engine

import (
	"bytes"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/miccmac/miccmac-osq/data"
)

// The catalogue files in data/.
const (
	checksFile   = "checks.yaml"
	mappingsFile = "control-mappings.yaml"
)

// PropertyInfo is one MICCMAC property with its property-level control mappings.
type PropertyInfo struct {
	Key      string   `json:"key"`
	Letter   string   `json:"letter"`
	Title    string   `json:"title"`
	Controls Controls `json:"controls"`
}

// remediationText is a check's fix-it text: "default" plus optional per-OS
// texts keyed by OS kind (linux, darwin, windows).
type remediationText map[string]string

// For returns the text for the OS kind, or the default.
func (r remediationText) For(kind string) string {
	if t, ok := r[kind]; ok && kind != "" {
		return t
	}
	return r["default"]
}

// UnmarshalYAML accepts a plain string (the default) or a map of texts.
func (r *remediationText) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*r = remediationText{"default": n.Value}
		return nil
	}
	var m map[string]string
	if err := n.Decode(&m); err != nil {
		return err
	}
	*r = m
	return nil
}

type checkSpec struct {
	ID          string          `yaml:"id"`
	Property    string          `yaml:"property"`
	Title       string          `yaml:"title"`
	CISIG       string          `yaml:"cis_ig"`
	Frequency   string          `yaml:"frequency"`
	Magnitude   string          `yaml:"magnitude"`
	Remediation remediationText `yaml:"remediation"`
}

type propertySpec struct {
	Key    string `yaml:"key"`
	Letter string `yaml:"letter"`
	Title  string `yaml:"title"`
}

type checksDoc struct {
	Properties []propertySpec `yaml:"properties"`
	Checks     []checkSpec    `yaml:"checks"`
}

type mappingsDoc struct {
	Checks     map[string]controlsYAML `yaml:"checks"`
	Properties map[string]controlsYAML `yaml:"properties"`
}

// controlsYAML is Controls as control-mappings.yaml spells it.
type controlsYAML struct {
	NIST800207 []string `yaml:"nist_800_207"`
	NIST80053  []string `yaml:"nist_800_53"`
	CISv8      []string `yaml:"cis_v8"`
	ISO27001   []string `yaml:"iso_27001"`
	NISTCSF2   []string `yaml:"nist_csf_2"`
}

func (c controlsYAML) controls() Controls { return Controls(c) }

// catalogData is the loaded, validated catalogue.
type catalogData struct {
	properties []PropertyInfo
	checks     []CheckInfo // property order, then id
	remedies   map[string]remediationText
	index      map[string]int // id -> position in checks
}

var (
	catalogOnce sync.Once
	catalogVal  *catalogData
	catalogErr  error
)

// builtinCatalog returns the embedded catalogue; a broken embedded file is a
// programming error caught by TestCatalog.
func builtinCatalog() *catalogData {
	catalogOnce.Do(func() { catalogVal, catalogErr = loadCatalog(data.FS) })
	if catalogErr != nil {
		panic(catalogErr)
	}
	return catalogVal
}

// Catalog returns the canonical checks in property order (M I C C M A C),
// then by id. Remediation is the platform-neutral text.
func Catalog() []CheckInfo {
	return append([]CheckInfo(nil), builtinCatalog().checks...)
}

// CanonicalIDs returns the ids of the canonical checks in catalogue order
// (what a policy file may name in exclude).
func CanonicalIDs() []string {
	cs := builtinCatalog().checks
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	return ids
}

// Properties returns the seven MICCMAC properties in order with their
// property-level control mappings.
func Properties() []PropertyInfo {
	return append([]PropertyInfo(nil), builtinCatalog().properties...)
}

// remediationFor returns the check's remediation for the OS kind ("" = default).
func (c *catalogData) remediationFor(id, kind string) string {
	return c.remedies[id].For(kind)
}

var checkIDPattern = regexp.MustCompile(`^[A-Z]{3}-[0-9]{2}$`)

func loadCatalog(fsys fs.FS) (*catalogData, error) {
	var cd checksDoc
	lines, err := decodeStrict(fsys, checksFile, &cd, "checks")
	if err != nil {
		return nil, err
	}
	var md mappingsDoc
	if _, err := decodeStrict(fsys, mappingsFile, &md, ""); err != nil {
		return nil, err
	}
	out := &catalogData{remedies: map[string]remediationText{}, index: map[string]int{}}
	order := map[string]int{}
	for i, p := range cd.Properties {
		where := fmt.Sprintf("data/%s: properties[%d]", checksFile, i)
		switch {
		case p.Key == "" || p.Letter == "" || p.Title == "":
			return nil, fmt.Errorf("%s: key, letter and title are required", where)
		case catHasKey(order, p.Key):
			return nil, fmt.Errorf("%s: property %q listed twice", where, p.Key)
		}
		ctl, ok := md.Properties[p.Key]
		if !ok {
			return nil, fmt.Errorf("data/%s: properties: no mapping for property %q", mappingsFile, p.Key)
		}
		order[p.Key] = i
		out.properties = append(out.properties, PropertyInfo{Key: p.Key, Letter: p.Letter, Title: p.Title, Controls: ctl.controls()})
	}
	for key := range md.Properties {
		if !catHasKey(order, key) {
			return nil, fmt.Errorf("data/%s: properties: %q is not a property in %s", mappingsFile, key, checksFile)
		}
	}
	seen := map[string]bool{}
	for i, s := range cd.Checks {
		where := fmt.Sprintf("data/%s:%d: check %s", checksFile, lines[i], s.ID)
		if err := validateCheckSpec(s, order, seen); err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		seen[s.ID] = true
		ctl, ok := md.Checks[s.ID]
		if !ok {
			return nil, fmt.Errorf("data/%s: checks: no mapping for %s", mappingsFile, s.ID)
		}
		p := out.properties[order[s.Property]]
		controls := ctl.controls()
		if len(controls.NIST800207) == 0 {
			// The framework names a tenet for few checks; the others carry
			// their property's 800-207 mapping.
			controls.NIST800207 = append([]string(nil), p.Controls.NIST800207...)
		}
		out.checks = append(out.checks, CheckInfo{
			ID: s.ID, Property: s.Property, Letter: p.Letter, Title: s.Title, CISIG: s.CISIG,
			Frequency: s.Frequency, Magnitude: s.Magnitude, Risk: RiskRating(s.Frequency, s.Magnitude),
			Remediation: s.Remediation.For(""), Controls: controls,
		})
		out.remedies[s.ID] = s.Remediation
	}
	for id := range md.Checks {
		if !seen[id] {
			return nil, fmt.Errorf("data/%s: checks: %s is not a check in %s", mappingsFile, id, checksFile)
		}
	}
	sort.SliceStable(out.checks, func(i, j int) bool {
		a, b := out.checks[i], out.checks[j]
		if order[a.Property] != order[b.Property] {
			return order[a.Property] < order[b.Property]
		}
		return a.ID < b.ID
	})
	for i, c := range out.checks {
		out.index[c.ID] = i
	}
	return out, nil
}

func validateCheckSpec(s checkSpec, order map[string]int, seen map[string]bool) error {
	switch {
	case !checkIDPattern.MatchString(s.ID):
		return fmt.Errorf("id %q: want three capital letters, a dash and two digits (MON-01)", s.ID)
	case seen[s.ID]:
		return fmt.Errorf("id listed twice")
	case !catHasKey(order, s.Property):
		return fmt.Errorf("property %q: not one of the properties listed in the file", s.Property)
	case strings.TrimSpace(s.Title) == "":
		return fmt.Errorf("title is required")
	case s.CISIG != "IG1" && s.CISIG != "IG2" && s.CISIG != "IG3":
		return fmt.Errorf("cis_ig %q: want IG1, IG2 or IG3", s.CISIG)
	case RiskRating(s.Frequency, s.Magnitude) == "":
		return fmt.Errorf("frequency %q / magnitude %q: each must be LOW, MEDIUM or HIGH", s.Frequency, s.Magnitude)
	case strings.TrimSpace(s.Remediation["default"]) == "":
		return fmt.Errorf("remediation.default is required")
	}
	for k, v := range s.Remediation {
		if k != "default" && k != "linux" && k != "darwin" && k != "windows" {
			return fmt.Errorf("remediation key %q: want default, linux, darwin or windows", k)
		}
		if strings.TrimSpace(v) == "" {
			return fmt.Errorf("remediation.%s is empty", k)
		}
	}
	return nil
}

// decodeStrict decodes data/<name> rejecting unknown keys, and returns the line
// of each item of the top-level sequence listKey (for error messages).
func decodeStrict(fsys fs.FS, name string, v any, listKey string) ([]int, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("data/%s: %w", name, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		return nil, fmt.Errorf("data/%s: %w", name, err)
	}
	if listKey == "" {
		return nil, nil
	}
	var root yaml.Node
	if err := yaml.Unmarshal(b, &root); err != nil || len(root.Content) == 0 {
		return nil, fmt.Errorf("data/%s: not a YAML document", name)
	}
	m := root.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == listKey {
			var lines []int
			for _, item := range m.Content[i+1].Content {
				lines = append(lines, item.Line)
			}
			return lines, nil
		}
	}
	return nil, fmt.Errorf("data/%s: no %q list", name, listKey)
}

func catHasKey[V any](m map[string]V, k string) bool {
	_, ok := m[k]
	return ok
}
