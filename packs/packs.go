// Package packs generates the osquery pack and Fleet YAML from the query
// catalogue and the check catalogue, and lints pack files. The generated files
// are committed under packs/; TestPacksUpToDate fails when they drift.
package packs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/miccmac/miccmac-osq/engine"
	"github.com/miccmac/miccmac-osq/queries"
)

// PackName is the pack name the generated osquery pack is installed under; result
// logs then carry query names pack/miccmac/<query> (or pack_miccmac_<query>).
const PackName = "miccmac"

// MinOsqueryVersion is the oldest osquery the catalogue is written for (hidden
// columns such as os_version.revision need 5.x).
const MinOsqueryVersion = "5.0.0"

// DiscoveryQuery guards the extension pack: it returns a row only where the
// miccmac extension is loaded.
const DiscoveryQuery = "SELECT 1 FROM osquery_registry WHERE registry = 'table' AND name = 'miccmac_checks';"

// DefaultMinTier is the tier the composite "Zero Trust ready" policy requires by default.
const DefaultMinTier = "Defensible"

// Tiers in ascending order, as engine reports them.
var Tiers = []string{"Not Ready", "Developing", "Defensible", "Zero Trust Ready"}

// PackQuery is one query of an osquery pack.
type PackQuery struct {
	Query       string `json:"query"`
	Interval    int    `json:"interval"`
	Platform    string `json:"platform,omitempty"`
	Version     string `json:"version,omitempty"`
	Description string `json:"description,omitempty"`
	Value       string `json:"value,omitempty"`
	Snapshot    bool   `json:"snapshot"`
}

// Pack is an osquery pack file.
type Pack struct {
	Platform  string               `json:"platform,omitempty"`
	Version   string               `json:"version,omitempty"`
	Discovery []string             `json:"discovery,omitempty"`
	Queries   map[string]PackQuery `json:"queries"`
}

// platformList renders catalogue platforms as an osquery platform value.
func platformList(ps []string) string {
	s := append([]string(nil), ps...)
	sort.Strings(s)
	return strings.Join(s, ",")
}

// OsqueryPack is the collection pack: one snapshot query per catalogue entry,
// so its result logs feed `miccmac-osq report --input`.
func OsqueryPack(catalog []queries.Query) Pack {
	p := Pack{Version: MinOsqueryVersion, Queries: map[string]PackQuery{}}
	for _, q := range catalog {
		p.Queries[q.Name] = PackQuery{
			Query:       q.SQL,
			Interval:    q.Interval,
			Platform:    platformList(q.Platforms),
			Version:     MinOsqueryVersion,
			Description: q.Description,
			Value:       "Feeds " + strings.Join(q.Feeds, ", ") + " for the MICCMAC readiness checks.",
			Snapshot:    true,
		}
	}
	return p
}

// ExtensionPack schedules the extension's tables on hosts that load it.
func ExtensionPack() Pack {
	return Pack{
		Discovery: []string{DiscoveryQuery},
		Queries: map[string]PackQuery{
			"miccmac_checks": {
				Query: "SELECT * FROM miccmac_checks;", Interval: 3600,
				Description: "One graded row per MICCMAC check (status, detail, evidence, remediation).",
				Value:       "Per-check Zero Trust readiness with evidence.", Snapshot: true,
			},
			"miccmac_readiness": {
				Query: "SELECT * FROM miccmac_readiness;", Interval: 3600,
				Description: "The device's overall MICCMAC score, tier, coverage and property scores.",
				Value:       "One readiness signal per device.", Snapshot: true,
			},
		},
	}
}

// MarshalPack renders a pack as stable, indented JSON.
func MarshalPack(p Pack) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(p); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// fleetQuery is a query in Fleet's YAML (both the fleetctl spec and GitOps forms).
type fleetQuery struct {
	Name               string `yaml:"name"`
	Description        string `yaml:"description"`
	Query              string `yaml:"query"`
	Interval           int    `yaml:"interval"`
	Platform           string `yaml:"platform"`
	MinOsqueryVersion  string `yaml:"min_osquery_version"`
	AutomationsEnabled bool   `yaml:"automations_enabled"`
	Logging            string `yaml:"logging"`
	ObserverCanRun     bool   `yaml:"observer_can_run"`
}

// fleetPolicy is a policy in Fleet's YAML.
type fleetPolicy struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	Query       string `yaml:"query"`
	Resolution  string `yaml:"resolution"`
	Platform    string `yaml:"platform"`
	Critical    bool   `yaml:"critical"`
}

type fleetDoc struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Spec       any    `yaml:"spec"`
}

func fleetQueries(catalog []queries.Query) []fleetQuery {
	var out []fleetQuery
	for _, q := range catalog {
		out = append(out, fleetQuery{
			Name: PackName + "_" + q.Name, Description: q.Description, Query: q.SQL, Interval: q.Interval,
			Platform: platformList(q.Platforms), MinOsqueryVersion: MinOsqueryVersion,
			AutomationsEnabled: true, Logging: "snapshot", ObserverCanRun: true,
		})
	}
	return out
}

// PolicyName is the Fleet policy name of a check.
func PolicyName(c engine.CheckInfo) string {
	return fmt.Sprintf("miccmac %s %s", c.ID, c.Title)
}

// ReadyPolicyName is the name of the composite readiness policy.
const ReadyPolicyName = "miccmac Zero Trust ready"

func fleetPolicies(checks []engine.CheckInfo, minTier string) ([]fleetPolicy, error) {
	var out []fleetPolicy
	for _, c := range checks {
		out = append(out, fleetPolicy{
			Name:        PolicyName(c),
			Description: fmt.Sprintf("Passes when the miccmac extension grades %s (%s, %s) PASS. Needs the miccmac extension on the host.", c.ID, c.Title, strings.Join(append(append([]string{}, c.Controls.NIST80053...), c.Controls.CISv8...), ", ")),
			Query:       fmt.Sprintf("SELECT 1 FROM miccmac_checks WHERE check_id = '%s' AND status = 'PASS';", c.ID),
			Resolution:  c.Remediation,
			Platform:    "darwin,linux,windows",
			Critical:    c.Risk == "CRITICAL",
		})
	}
	idx := -1
	for i, t := range Tiers {
		if t == minTier {
			idx = i
		}
	}
	if idx < 0 {
		return nil, fmt.Errorf("tier %q: want one of %s", minTier, strings.Join(Tiers, ", "))
	}
	var ok []string
	for _, t := range Tiers[idx:] {
		ok = append(ok, "'"+t+"'")
	}
	out = append(out, fleetPolicy{
		Name: ReadyPolicyName,
		Description: fmt.Sprintf("Passes when the device's MICCMAC readiness tier is %s or better: one signal for access-control integrations. Needs the miccmac extension.",
			minTier),
		Query:      fmt.Sprintf("SELECT 1 FROM miccmac_readiness WHERE tier IN (%s);", strings.Join(ok, ", ")),
		Resolution: "Run `SELECT check_id, status, detail, remediation FROM miccmac_checks WHERE status IN ('FAIL','PARTIAL');` on the host and fix the findings at the top of the risk register first.",
		Platform:   "darwin,linux,windows",
		Critical:   true,
	})
	return out, nil
}

// FleetFiles renders the Fleet YAML files, keyed by file name under packs/fleet/:
// queries.yml and policies.yml (fleetctl apply documents) and gitops.yml (the
// GitOps `queries:` and `policies:` form).
func FleetFiles(catalog []queries.Query, checks []engine.CheckInfo, minTier string) (map[string][]byte, error) {
	qs := fleetQueries(catalog)
	ps, err := fleetPolicies(checks, minTier)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	var qbuf, pbuf bytes.Buffer
	qbuf.WriteString("# Generated by `miccmac-osq pack --format fleet`; apply with `fleetctl apply -f queries.yml`.\n")
	for _, q := range qs {
		if err := writeDoc(&qbuf, fleetDoc{APIVersion: "v1", Kind: "query", Spec: q}); err != nil {
			return nil, err
		}
	}
	pbuf.WriteString("# Generated by `miccmac-osq pack --format fleet`; apply with `fleetctl apply -f policies.yml`.\n# These policies read the miccmac extension's tables: deploy the extension first.\n")
	for _, p := range ps {
		if err := writeDoc(&pbuf, fleetDoc{APIVersion: "v1", Kind: "policy", Spec: p}); err != nil {
			return nil, err
		}
	}
	g, err := yaml.Marshal(struct {
		Queries  []fleetQuery  `yaml:"queries"`
		Policies []fleetPolicy `yaml:"policies"`
	}{qs, ps})
	if err != nil {
		return nil, err
	}
	out["queries.yml"] = qbuf.Bytes()
	out["policies.yml"] = pbuf.Bytes()
	out["gitops.yml"] = append([]byte("# Generated by `miccmac-osq pack --format fleet`: the GitOps form, to merge into a team or default.yml.\n"), g...)
	return out, nil
}

func writeDoc(buf *bytes.Buffer, d fleetDoc) error {
	b, err := yaml.Marshal(d)
	if err != nil {
		return err
	}
	buf.WriteString("---\n")
	buf.Write(b)
	return nil
}

// OsqueryFiles renders the osquery pack files, keyed by file name under packs/.
func OsqueryFiles(catalog []queries.Query) (map[string][]byte, error) {
	main, err := MarshalPack(OsqueryPack(catalog))
	if err != nil {
		return nil, err
	}
	ext, err := MarshalPack(ExtensionPack())
	if err != nil {
		return nil, err
	}
	return map[string][]byte{"miccmac.conf": main, "miccmac-extension.conf": ext}, nil
}
