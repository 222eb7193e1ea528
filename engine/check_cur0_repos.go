package engine

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/miccmac/miccmac-osq/data"
	"github.com/miccmac/miccmac-osq/engine/facts"
)

// officialReposFile lists each distribution's own software sources (CUR-02).
const officialReposFile = "official-repos.yaml"

// officialLinux is one platform's official sources.
type officialLinux struct {
	Platform  string   `yaml:"platform"`
	Family    string   `yaml:"family"`
	Hosts     []string `yaml:"hosts"`
	RepoFiles []string `yaml:"repo_files,omitempty"`
	Include   []string `yaml:"include,omitempty"`
}

// officialSources is data/official-repos.yaml.
type officialSources struct {
	Linux             []officialLinux `yaml:"linux"`
	WindowsPublishers []string        `yaml:"windows_publishers"`
	DarwinBundleIDs   []string        `yaml:"darwin_bundle_id_prefixes"`
}

var (
	officialOnce sync.Once
	officialData *officialSources
	officialErr  error
)

// officialRepos returns the embedded official-sources table.
func officialRepos() *officialSources {
	officialOnce.Do(func() { officialData, officialErr = loadOfficialRepos(data.FS) })
	if officialErr != nil {
		panic(officialErr) // embedded data is checked by TestOfficialReposData
	}
	return officialData
}

func loadOfficialRepos(fsys fs.FS) (*officialSources, error) {
	b, err := fs.ReadFile(fsys, officialReposFile)
	if err != nil {
		return nil, fmt.Errorf("data/%s: %w", officialReposFile, err)
	}
	var o officialSources
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&o); err != nil {
		return nil, fmt.Errorf("data/%s: %w", officialReposFile, err)
	}
	known := map[string]bool{}
	for i, l := range o.Linux {
		if l.Platform == "" || l.Family == "" || len(l.Hosts) == 0 {
			return nil, fmt.Errorf("data/%s: linux entry %d needs platform, family and hosts", officialReposFile, i+1)
		}
		if known[l.Platform] {
			return nil, fmt.Errorf("data/%s: linux platform %q listed twice", officialReposFile, l.Platform)
		}
		known[l.Platform] = true
		for _, h := range l.Hosts {
			if err := validHostPattern(h); err != nil {
				return nil, fmt.Errorf("data/%s: %s: %w", officialReposFile, l.Platform, err)
			}
		}
	}
	for _, l := range o.Linux {
		for _, inc := range l.Include {
			if !known[inc] {
				return nil, fmt.Errorf("data/%s: %s includes unknown platform %q", officialReposFile, l.Platform, inc)
			}
		}
	}
	if len(o.WindowsPublishers) == 0 || len(o.DarwinBundleIDs) == 0 {
		return nil, fmt.Errorf("data/%s: windows_publishers and darwin_bundle_id_prefixes are required", officialReposFile)
	}
	return &o, nil
}

// validHostPattern rejects patterns that would match too much.
func validHostPattern(p string) error {
	if p == "" || p == "*" || strings.Contains(p, "/") || strings.Contains(p, "**") {
		return fmt.Errorf("host pattern %q is not a host name", p)
	}
	if rest, ok := strings.CutPrefix(p, "*."); ok && !strings.Contains(rest, ".") {
		return fmt.Errorf("host pattern %q would match a whole top-level domain", p)
	}
	return nil
}

// linuxOfficialHosts returns the host patterns and repo file names that are
// official for the device's platform, and a note when the platform was not
// listed and its family's entries were used instead.
func (o *officialSources) linuxOfficialHosts(platform, family string) (hosts, files []string, note string) {
	byPlatform := map[string]officialLinux{}
	for _, l := range o.Linux {
		byPlatform[l.Platform] = l
	}
	var roots []string
	if _, ok := byPlatform[platform]; ok {
		roots = []string{platform}
	} else {
		for _, l := range o.Linux {
			if l.Family == family {
				roots = append(roots, l.Platform)
			}
		}
		note = fmt.Sprintf("platform %q has no official-source list; used every %s-family list (%s)", platform, family, strings.Join(roots, ", "))
	}
	seen := map[string]bool{}
	var visit func(p string)
	visit = func(p string) {
		if seen[p] {
			return
		}
		seen[p] = true
		l := byPlatform[p]
		hosts = append(hosts, l.Hosts...)
		files = append(files, l.RepoFiles...)
		for _, inc := range l.Include {
			visit(inc)
		}
	}
	for _, r := range roots {
		visit(r)
	}
	return hosts, files, note
}

// curRepoHost returns the lower-cased host of a repository URI, or "" for
// URIs without a network host (cdrom:, file:, mirror+file:, empty).
func curRepoHost(uri string) string {
	u := strings.TrimSpace(uri)
	// yum baseurl may hold several URLs; the first decides.
	if f := strings.Fields(u); len(f) > 0 {
		u = f[0]
	}
	scheme, rest, ok := strings.Cut(u, "://")
	if !ok {
		return ""
	}
	scheme = strings.ToLower(scheme)
	if strings.HasSuffix(scheme, "file") || strings.HasPrefix(scheme, "cdrom") {
		return ""
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	if i := strings.LastIndexByte(rest, '@'); i >= 0 {
		rest = rest[i+1:]
	}
	if strings.HasPrefix(rest, "[") { // IPv6 literal
		if i := strings.IndexByte(rest, ']'); i >= 0 {
			return strings.ToLower(rest[:i+1])
		}
	}
	if i := strings.LastIndexByte(rest, ':'); i >= 0 {
		rest = rest[:i]
	}
	return strings.TrimSuffix(strings.ToLower(rest), ".")
}

// curHostMatches reports whether host matches pattern: exactly, "*.domain"
// for any subdomain, "*" inside a name for exactly one label. allowSub makes
// a plain pattern also match its subdomains. Never a substring match.
func curHostMatches(host, pattern string, allowSub bool) bool {
	host = strings.ToLower(strings.TrimSpace(host))
	pattern = strings.ToLower(strings.TrimSpace(pattern))
	if host == "" || pattern == "" {
		return false
	}
	if host == pattern {
		return true
	}
	if dom, ok := strings.CutPrefix(pattern, "*."); ok {
		return strings.HasSuffix(host, "."+dom) && len(host) > len(dom)+1
	}
	if allowSub && strings.HasSuffix(host, "."+pattern) {
		return true
	}
	if !strings.Contains(pattern, "*") {
		return false
	}
	hl, pl := strings.Split(host, "."), strings.Split(pattern, ".")
	if len(hl) != len(pl) {
		return false
	}
	for i := range pl {
		if pl[i] != "*" && pl[i] != hl[i] {
			return false
		}
	}
	return true
}

// curRepoClass is a repository's classification for CUR-02.
type curRepoClass struct {
	Repo facts.Repository
	Host string
	// Class is "official", "third-party" or "unclassified" (no host and no known file).
	Class string
}

// curClassifyRepos classifies the device's enabled repositories against the
// official list (plus policy additions).
func curClassifyRepos(env *Env) (out []curRepoClass, note string) {
	o := env.Facts.OS
	hosts, files, note := officialRepos().linuxOfficialHosts(o.Platform, o.Family)
	hosts = append(hosts, curPolicy(env).Names("official_repos")...)
	for _, r := range env.Facts.Repositories.Items {
		if r.Enabled != nil && !*r.Enabled {
			continue
		}
		c := curRepoClass{Repo: r, Host: curRepoHost(r.BaseURI), Class: "third-party"}
		switch {
		case c.Host != "":
			for _, h := range hosts {
				if curHostMatches(c.Host, h, false) {
					c.Class = "official"
					break
				}
			}
		case r.Kind == "yum" && slices.Contains(files, path.Base(r.Source)):
			c.Class = "official"
		case strings.TrimSpace(r.BaseURI) == "" && r.Kind == "yum":
			c.Class = "unclassified"
		case strings.HasPrefix(strings.ToLower(strings.TrimSpace(r.BaseURI)), "cdrom:"):
			c.Class = "official" // installation media
		case strings.TrimSpace(r.BaseURI) != "":
			c.Class = "unclassified" // file:, mirror+file: ...: no host to judge
		}
		out = append(out, c)
	}
	return out, note
}
