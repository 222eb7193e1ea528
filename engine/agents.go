package engine

import (
	"bytes"
	"fmt"
	"io/fs"
	"slices"
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
	idx := env.names.get(f)
	for _, a := range entries {
		if !slices.Contains(a.Platforms, platform) {
			continue
		}
		h := AgentHit{Name: a.Name, Kind: a.Kind}
		for _, i := range idx.find(idx.processes, a.Processes) {
			p := f.Processes.Items[i]
			h.Running = true
			h.Evidence = append(h.Evidence, "process "+p.Name+" running")
		}
		for _, i := range idx.find(idx.services, a.Services) {
			s := f.Services.Items[i]
			h.Installed = true
			if s.Running != nil && *s.Running {
				h.Running = true
				h.Evidence = append(h.Evidence, "service "+s.Name+" running")
			} else {
				h.Evidence = append(h.Evidence, "service "+s.Name+" present, not running")
			}
		}
		for _, i := range idx.find(idx.packages, a.Packages) {
			p := f.Packages.Items[i]
			h.Installed = true
			h.Evidence = append(h.Evidence, "package "+p.Name+" "+p.Version+" installed ("+p.Source+")")
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

// nameIndex maps exact names (case-folded on Windows and macOS, whose file
// systems ignore case) to positions in the known sections of one document, so
// matching a catalogue costs a lookup per catalogue name, not a scan of every
// installed package.
type nameIndex struct {
	fold                          bool
	processes, services, packages map[string][]int
}

// lazyNames builds a document's nameIndex once; a nil *lazyNames builds a
// fresh one on every call.
type lazyNames struct {
	once sync.Once
	idx  *nameIndex
}

func (l *lazyNames) get(f *facts.Document) *nameIndex {
	if l == nil {
		return newNameIndex(f)
	}
	l.once.Do(func() { l.idx = newNameIndex(f) })
	return l.idx
}

func newNameIndex(f *facts.Document) *nameIndex {
	x := &nameIndex{fold: f.OS.Kind == "windows" || f.OS.Kind == "darwin"}
	if f.Processes.Known() {
		x.processes = make(map[string][]int, len(f.Processes.Items))
		for i, p := range f.Processes.Items {
			x.processes[x.key(p.Name)] = append(x.processes[x.key(p.Name)], i)
		}
	}
	if f.Services.Known() {
		x.services = make(map[string][]int, len(f.Services.Items))
		for i, s := range f.Services.Items {
			x.services[x.key(s.Name)] = append(x.services[x.key(s.Name)], i)
		}
	}
	if f.Packages.Known() {
		x.packages = make(map[string][]int, len(f.Packages.Items))
		for i, p := range f.Packages.Items {
			if p.Installed {
				x.packages[x.key(p.Name)] = append(x.packages[x.key(p.Name)], i)
			}
		}
	}
	return x
}

func (x *nameIndex) key(name string) string {
	if x.fold {
		return strings.ToLower(name)
	}
	return name
}

// find returns, in document order, the positions of the items named by any of wants.
func (x *nameIndex) find(m map[string][]int, wants []string) []int {
	var out []int
	for _, w := range wants {
		out = append(out, m[x.key(w)]...)
	}
	slices.Sort(out)
	return slices.Compact(out)
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
