package engine

import (
	"bytes"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/miccmac/miccmac-osq/data"
	"github.com/miccmac/miccmac-osq/engine/facts"
)

// Agent is one catalogue entry: a product recognised by exact process,
// service and package names. Catalogues live in data/agents-<catalog>.yaml.
type Agent struct {
	Name      string   `yaml:"name"`
	Platforms []string `yaml:"platforms"`
	Processes []string `yaml:"processes"`
	Services  []string `yaml:"services"`
	Packages  []string `yaml:"packages"`
	// Kind refines the entry inside a catalogue (e.g. "telemetry" in edr).
	Kind string `yaml:"kind,omitempty"`
}

var (
	agentsOnce sync.Once
	agentCats  map[string][]Agent
	agentsErr  error
)

// agentCatalog returns the named catalogue from data/agents-<name>.yaml.
func agentCatalog(name string) []Agent {
	agentsOnce.Do(func() { agentCats, agentsErr = loadAgentCatalogs(data.FS) })
	if agentsErr != nil {
		panic(agentsErr) // embedded data is checked by TestAgentCatalogs
	}
	return agentCats[name]
}

func loadAgentCatalogs(fsys fs.FS) (map[string][]Agent, error) {
	files, err := fs.Glob(fsys, "agents-*.yaml")
	if err != nil {
		return nil, err
	}
	out := map[string][]Agent{}
	for _, f := range files {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		var entries []Agent
		dec := yaml.NewDecoder(bytes.NewReader(b))
		dec.KnownFields(true)
		if err := dec.Decode(&entries); err != nil {
			return nil, fmt.Errorf("data/%s: %w", f, err)
		}
		for i, a := range entries {
			if a.Name == "" || len(a.Platforms) == 0 {
				return nil, fmt.Errorf("data/%s: entry %d needs name and platforms", f, i+1)
			}
		}
		name := strings.TrimSuffix(strings.TrimPrefix(f, "agents-"), ".yaml")
		out[name] = entries
	}
	return out, nil
}

// AgentHit is an agent found on the device.
type AgentHit struct {
	Name      string   `json:"name"`
	Kind      string   `json:"kind,omitempty"`
	Running   bool     `json:"running"`
	Installed bool     `json:"installed"`
	Evidence  []string `json:"evidence"`
}

// detectAgents looks for the named catalogue's agents (plus policy additions,
// matched as process, service or package names) on the device. It answers
// known=false when none of processes, services and packages was collected.
func detectAgents(env *Env, catalog string) (hits []AgentHit, known bool) {
	f := env.Facts
	platform := f.OS.Kind
	entries := append([]Agent(nil), agentCatalog(catalog)...)
	for _, extra := range env.Policy.Names(catalog) {
		entries = append(entries, Agent{Name: extra, Platforms: []string{platform},
			Processes: []string{extra}, Services: []string{extra}, Packages: []string{extra}})
	}
	known = f.Processes.Known() || f.Services.Known() || f.Packages.Known()
	fold := platform == facts.FamilyWindows || platform == "darwin" // case-insensitive file systems
	eq := func(a, b string) bool {
		if fold {
			return strings.EqualFold(a, b)
		}
		return a == b
	}
	for _, a := range entries {
		if !contains(a.Platforms, platform) {
			continue
		}
		h := AgentHit{Name: a.Name, Kind: a.Kind}
		if f.Processes.Known() {
			for _, p := range f.Processes.Items {
				for _, want := range a.Processes {
					if eq(p.Name, want) {
						h.Running = true
						h.Evidence = append(h.Evidence, "process "+p.Name+" running")
					}
				}
			}
		}
		if f.Services.Known() {
			for _, s := range f.Services.Items {
				for _, want := range a.Services {
					if !eq(s.Name, want) {
						continue
					}
					h.Installed = true
					if s.Running != nil && *s.Running {
						h.Running = true
						h.Evidence = append(h.Evidence, "service "+s.Name+" running")
					} else {
						h.Evidence = append(h.Evidence, "service "+s.Name+" present, not running")
					}
				}
			}
		}
		if f.Packages.Known() {
			for _, p := range f.Packages.Items {
				if !p.Installed {
					continue
				}
				for _, want := range a.Packages {
					if eq(p.Name, want) {
						h.Installed = true
						h.Evidence = append(h.Evidence, "package "+p.Name+" "+p.Version+" installed ("+p.Source+")")
					}
				}
			}
		}
		if h.Running {
			h.Installed = true
		}
		if len(h.Evidence) > 0 {
			h.Evidence = dedupe(h.Evidence)
			hits = append(hits, h)
		}
	}
	sort.Slice(hits, func(i, j int) bool { return hits[i].Name < hits[j].Name })
	return hits, known
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	out := in[:0]
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
