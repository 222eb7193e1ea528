package engine

import (
	"bytes"
	"fmt"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/miccmac/miccmac-osq/data"
	"github.com/miccmac/miccmac-osq/engine/facts"
)

// lifecycleFile is the embedded OS end-of-support table.
const lifecycleFile = "os-lifecycle.yaml"

// osRelease is one Linux or macOS release of data/os-lifecycle.yaml.
type osRelease struct {
	Platform      string   `yaml:"platform"`
	Release       string   `yaml:"release"`
	MatchName     string   `yaml:"match_name,omitempty"`
	Name          string   `yaml:"name"`
	EOL           string   `yaml:"eol"`
	Estimated     bool     `yaml:"estimated,omitempty"`
	ExtendedUntil string   `yaml:"extended_until,omitempty"`
	ExtendedVia   []string `yaml:"extended_via,omitempty"`
	Note          string   `yaml:"note,omitempty"`

	eol, extended time.Time
}

// winUpdate is one Windows cumulative update: the revision (UBR) it brings.
type winUpdate struct {
	Revision int64  `yaml:"revision"`
	Released string `yaml:"released"`
	KB       string `yaml:"kb"`

	released time.Time
}

// winRelease is one Windows build (feature update) of data/os-lifecycle.yaml.
type winRelease struct {
	Build   int64             `yaml:"build"`
	Type    string            `yaml:"type"` // client or server
	Product string            `yaml:"product"`
	Version string            `yaml:"version"`
	EOL     map[string]string `yaml:"eol"` // edition class -> last day of servicing
	Updates []winUpdate       `yaml:"updates,omitempty"`

	eol map[string]time.Time
}

// lifecycleTable is data/os-lifecycle.yaml.
type lifecycleTable struct {
	Releases []osRelease  `yaml:"releases"`
	Windows  []winRelease `yaml:"windows"`
}

// Windows edition classes (keys of winRelease.EOL).
const (
	editionConsumer   = "consumer"
	editionEnterprise = "enterprise"
	editionLTSC       = "ltsc"
	editionServer     = "server"
)

var (
	lifecycleOnce sync.Once
	lifecycleData *lifecycleTable
	lifecycleErr  error
)

// lifecycle returns the embedded lifecycle table.
func lifecycle() *lifecycleTable {
	lifecycleOnce.Do(func() { lifecycleData, lifecycleErr = loadLifecycle(data.FS) })
	if lifecycleErr != nil {
		panic(lifecycleErr) // embedded data is checked by TestLifecycleTable
	}
	return lifecycleData
}

// loadLifecycle reads and validates os-lifecycle.yaml from fsys.
func loadLifecycle(fsys fs.FS) (*lifecycleTable, error) {
	b, err := fs.ReadFile(fsys, lifecycleFile)
	if err != nil {
		return nil, fmt.Errorf("data/%s: %w", lifecycleFile, err)
	}
	var t lifecycleTable
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("data/%s: %w", lifecycleFile, err)
	}
	where := func(i int, what string) string { return fmt.Sprintf("data/%s: %s entry %d", lifecycleFile, what, i+1) }
	seen := map[string]bool{}
	for i := range t.Releases {
		r := &t.Releases[i]
		if r.Platform == "" || r.Release == "" || r.Name == "" {
			return nil, fmt.Errorf("%s: needs platform, release and name", where(i, "releases"))
		}
		key := r.Platform + "/" + r.Release + "/" + strings.ToLower(r.MatchName)
		if seen[key] {
			return nil, fmt.Errorf("%s (%s): duplicate platform/release/match_name", where(i, "releases"), r.Name)
		}
		seen[key] = true
		if r.eol, err = time.Parse(time.DateOnly, r.EOL); err != nil {
			return nil, fmt.Errorf("%s (%s): eol %q is not YYYY-MM-DD", where(i, "releases"), r.Name, r.EOL)
		}
		if (r.ExtendedUntil == "") != (len(r.ExtendedVia) == 0) {
			return nil, fmt.Errorf("%s (%s): extended_until and extended_via go together", where(i, "releases"), r.Name)
		}
		if r.ExtendedUntil != "" {
			if r.extended, err = time.Parse(time.DateOnly, r.ExtendedUntil); err != nil || !r.extended.After(r.eol) {
				return nil, fmt.Errorf("%s (%s): extended_until %q must be a date after eol", where(i, "releases"), r.Name, r.ExtendedUntil)
			}
		}
	}
	seenWin := map[string]bool{}
	for i := range t.Windows {
		w := &t.Windows[i]
		if w.Build <= 0 || w.Product == "" || (w.Type != "client" && w.Type != "server") {
			return nil, fmt.Errorf("%s: needs build, product and type client|server", where(i, "windows"))
		}
		key := fmt.Sprintf("%d/%s", w.Build, w.Type)
		if seenWin[key] {
			return nil, fmt.Errorf("%s: build %d (%s) listed twice", where(i, "windows"), w.Build, w.Type)
		}
		seenWin[key] = true
		if len(w.EOL) == 0 {
			return nil, fmt.Errorf("%s (%s): eol needs at least one edition class", where(i, "windows"), w.Product)
		}
		w.eol = map[string]time.Time{}
		for class, d := range w.EOL {
			switch class {
			case editionConsumer, editionEnterprise, editionLTSC:
				if w.Type != "client" {
					return nil, fmt.Errorf("%s (%s): eol class %q is for clients", where(i, "windows"), w.Product, class)
				}
			case editionServer:
				if w.Type != "server" {
					return nil, fmt.Errorf("%s (%s): eol class server is for servers", where(i, "windows"), w.Product)
				}
			default:
				return nil, fmt.Errorf("%s (%s): unknown eol class %q (want consumer, enterprise, ltsc, server)", where(i, "windows"), w.Product, class)
			}
			day, err := time.Parse(time.DateOnly, d)
			if err != nil {
				return nil, fmt.Errorf("%s (%s): eol.%s %q is not YYYY-MM-DD", where(i, "windows"), w.Product, class, d)
			}
			w.eol[class] = day
		}
		// Updates may be shared between entries (YAML aliases): copy before filling.
		w.Updates = append([]winUpdate(nil), w.Updates...)
		for j := range w.Updates {
			u := &w.Updates[j]
			if u.released, err = time.Parse(time.DateOnly, u.Released); err != nil {
				return nil, fmt.Errorf("%s (%s): update %d released %q is not YYYY-MM-DD", where(i, "windows"), w.Product, j+1, u.Released)
			}
			if j > 0 {
				p := w.Updates[j-1]
				if u.Revision <= p.Revision || u.released.Before(p.released) {
					return nil, fmt.Errorf("%s (%s): updates must be in ascending revision and date order (%s after %s)", where(i, "windows"), w.Product, u.KB, p.KB)
				}
			}
		}
	}
	return &t, nil
}

// endOfDay is the last instant of a YYYY-MM-DD day (UTC): support ends after it.
func endOfDay(t time.Time) time.Time { return t.Add(24*time.Hour - time.Nanosecond) }

// releaseKey derives the lifecycle release key from os_version, with the
// rule data/os-lifecycle.yaml documents. It returns "" when it cannot.
func releaseKey(osv facts.OS) string {
	major, minor := int64(-1), int64(-1)
	if osv.Major != nil {
		major = *osv.Major
	}
	if osv.Minor != nil {
		minor = *osv.Minor
	}
	// Fall back on the version text when osquery gave no numbers.
	if major < 0 {
		if m := leadingNumbers.FindStringSubmatch(osv.Version); m != nil {
			major, _ = strconv.ParseInt(m[1], 10, 64)
			if m[2] != "" {
				minor, _ = strconv.ParseInt(m[2], 10, 64)
			}
		}
	}
	if major < 0 {
		return ""
	}
	switch osv.Platform {
	case "ubuntu":
		if minor < 0 {
			return ""
		}
		return fmt.Sprintf("%d.%02d", major, minor)
	case "sles":
		if sp := slesSP.FindStringSubmatch(osv.Version); sp != nil {
			return fmt.Sprintf("%d-SP%s", major, sp[1])
		}
		if minor > 0 {
			return fmt.Sprintf("%d-SP%d", major, minor)
		}
		return strconv.FormatInt(major, 10)
	case "opensuse-leap":
		if minor < 0 {
			return ""
		}
		return fmt.Sprintf("%d.%d", major, minor)
	case "darwin":
		if major == 10 {
			if minor < 0 {
				return ""
			}
			return fmt.Sprintf("10.%d", minor)
		}
		return strconv.FormatInt(major, 10)
	}
	return strconv.FormatInt(major, 10)
}

var (
	leadingNumbers = regexp.MustCompile(`^\s*(\d+)(?:\.(\d+))?`)
	slesSP         = regexp.MustCompile(`(?i)-SP(\d+)`)
)

// findRelease returns the lifecycle entry for a Linux or macOS device and the
// release key it looked up; nil when the table has none.
func (t *lifecycleTable) findRelease(osv facts.OS) (*osRelease, string) {
	key := releaseKey(osv)
	if key == "" {
		return nil, ""
	}
	var fallback *osRelease
	for i := range t.Releases {
		r := &t.Releases[i]
		if r.Platform != osv.Platform || r.Release != key {
			continue
		}
		if r.MatchName == "" {
			fallback = r
			continue
		}
		if strings.HasPrefix(strings.ToLower(strings.TrimSpace(osv.Name)), strings.ToLower(r.MatchName)) {
			return r, key
		}
	}
	return fallback, key
}

// findWindows returns the lifecycle entry of a Windows build of the given
// type (client or server); nil when the table has none.
func (t *lifecycleTable) findWindows(build int64, typ string) *winRelease {
	for i := range t.Windows {
		if t.Windows[i].Build == build && t.Windows[i].Type == typ {
			return &t.Windows[i]
		}
	}
	return nil
}

// windowsEOL returns the end of servicing of a build for an edition class.
// When the class has no date it falls back to the nearest documented one
// (ltsc -> enterprise -> consumer) and says so.
func (w *winRelease) windowsEOL(class string) (time.Time, string, bool) {
	order := []string{class}
	switch class {
	case editionLTSC:
		order = append(order, editionEnterprise, editionConsumer)
	case editionEnterprise:
		order = append(order, editionConsumer)
	}
	for _, c := range order {
		if d, ok := w.eol[c]; ok {
			return d, c, true
		}
	}
	return time.Time{}, "", false
}

// floorUpdate returns the newest listed update released on or before cutoff:
// a device below its revision misses an update older than the cutoff.
func (w *winRelease) floorUpdate(cutoff time.Time) *winUpdate {
	var best *winUpdate
	for i := range w.Updates {
		u := &w.Updates[i]
		if !u.released.After(cutoff) {
			best = u
		}
	}
	return best
}

// updateAtRevision returns the newest listed update whose revision the device
// has reached (revision >= update revision), nil when below all of them.
func (w *winRelease) updateAtRevision(rev int64) *winUpdate {
	var best *winUpdate
	for i := range w.Updates {
		if w.Updates[i].Revision <= rev {
			best = &w.Updates[i]
		}
	}
	return best
}
