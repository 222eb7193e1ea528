package engine

import (
	"bytes"
	"fmt"
	"io/fs"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/miccmac/miccmac-osq/data"
)

// The MIN catalogues: data/legacy-services.yaml (MIN-01),
// data/deny-packages.yaml (MIN-02) and data/baseline.yaml (MIN-04).

// minLegacyEntry is one legacy or risky service.
type minLegacyEntry struct {
	Name string `yaml:"name"`
	// Units are service names: systemd unit ids ("x@.service" matches the
	// template's instances), launchd labels, Windows service names.
	Units []string `yaml:"units"`
	// Sharing are macOS sharing_preferences columns.
	Sharing []string `yaml:"sharing"`
	// UnlessActive are units whose activity makes the service necessary.
	UnlessActive []string `yaml:"unless_active"`
	// AllowedByPort accepts the service when the platform's allowed_ports lists it.
	AllowedByPort string `yaml:"allowed_by_port"`
	Why           string `yaml:"why"`
}

// minDenyList is data/deny-packages.yaml.
type minDenyList struct {
	Families        map[string][]string `yaml:"families"`
	WindowsFeatures []string            `yaml:"windows_features"`
}

// minBaselineItem is one benchmark setting of data/baseline.yaml.
type minBaselineItem struct {
	ID     string   `yaml:"id"`
	Title  string   `yaml:"title"`
	Source string   `yaml:"source"`
	Key    []string `yaml:"key"`
	Op     string   `yaml:"op"`
	Values []string `yaml:"values"`
	// Default is the value in force when the source shows the setting absent;
	// nil means absent is unknown.
	Default *string `yaml:"default"`
}

// minCatalogData holds the three catalogues.
type minCatalogData struct {
	legacy   map[string][]minLegacyEntry
	deny     minDenyList
	baseline map[string][]minBaselineItem
}

var (
	minCatOnce sync.Once
	minCat     *minCatalogData
	minCatErr  error
)

// minCatalogs returns the embedded MIN catalogues; they are validated by
// TestMINCatalogs, so a broken file is a programming error.
func minCatalogs() *minCatalogData {
	minCatOnce.Do(func() { minCat, minCatErr = loadMinCatalogs(data.FS) })
	if minCatErr != nil {
		panic(minCatErr)
	}
	return minCat
}

var (
	minPlatforms       = map[string]bool{"linux": true, "darwin": true, "windows": true}
	minBaselineSources = map[string]bool{"sysctl": true, "sshd": true, "registry": true, "smb1": true,
		"sip": true, "gatekeeper": true, "secure_boot": true}
	minBaselineOps = map[string]bool{"eq": true, "ne": true, "ge": true, "in": true}
)

func loadMinCatalogs(fsys fs.FS) (*minCatalogData, error) {
	c := &minCatalogData{}
	if err := minDecode(fsys, "legacy-services.yaml", &c.legacy); err != nil {
		return nil, err
	}
	for p, entries := range c.legacy {
		if !minPlatforms[p] {
			return nil, fmt.Errorf("data/legacy-services.yaml: platform %q is not linux, darwin or windows", p)
		}
		for i, e := range entries {
			if e.Name == "" || len(e.Units)+len(e.Sharing) == 0 {
				return nil, fmt.Errorf("data/legacy-services.yaml: %s entry %d needs a name and units or sharing", p, i+1)
			}
			if e.AllowedByPort != "" {
				if _, bad := minParsePorts([]string{e.AllowedByPort}); len(bad) > 0 {
					return nil, fmt.Errorf("data/legacy-services.yaml: %s entry %q: allowed_by_port %q is not port/proto", p, e.Name, e.AllowedByPort)
				}
			}
		}
	}
	if err := minDecode(fsys, "deny-packages.yaml", &c.deny); err != nil {
		return nil, err
	}
	if len(c.deny.Families) == 0 {
		return nil, fmt.Errorf("data/deny-packages.yaml: no families")
	}
	if err := minDecode(fsys, "baseline.yaml", &c.baseline); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for p, items := range c.baseline {
		if !minPlatforms[p] {
			return nil, fmt.Errorf("data/baseline.yaml: platform %q is not linux, darwin or windows", p)
		}
		for i, it := range items {
			where := fmt.Sprintf("data/baseline.yaml: %s item %d (%s)", p, i+1, it.ID)
			switch {
			case it.ID == "" || seen[p+"/"+it.ID]:
				return nil, fmt.Errorf("%s: id missing or repeated", where)
			case !minBaselineSources[it.Source]:
				return nil, fmt.Errorf("%s: source %q unknown", where, it.Source)
			case !minBaselineOps[it.Op]:
				return nil, fmt.Errorf("%s: op %q unknown (eq, ne, ge, in)", where, it.Op)
			case len(it.Values) == 0:
				return nil, fmt.Errorf("%s: no values", where)
			case (it.Source == "sysctl" || it.Source == "sshd" || it.Source == "registry" || it.Source == "smb1") && len(it.Key) == 0:
				return nil, fmt.Errorf("%s: source %s needs a key", where, it.Source)
			}
			seen[p+"/"+it.ID] = true
		}
	}
	return c, nil
}

// minDecode reads one YAML file strictly (unknown keys are errors).
func minDecode(fsys fs.FS, name string, v any) error {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("data/%s: %w", name, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("data/%s: %w", name, err)
	}
	return nil
}
