package engine

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

// Registry values read by x_cur_windows_version (HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion
// and HKLM\SYSTEM\CurrentControlSet\Control\ProductOptions).
const (
	winCurrentVersionKey = `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion`
	winProductOptionsKey = `HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\ProductOptions`
)

// windowsBuild is what the engine knows about a Windows installation. The
// product comes from the build number and the SKU (client or server), never
// from the name string or the major version: Windows 11 reports major 10 and
// some sources still call it "Windows 10".
type windowsBuild struct {
	Build int64
	// Revision is the update build revision (UBR); nil when neither
	// os_version.revision nor the registry gave it.
	Revision *int64
	Server   bool
	// Product is "Windows 11", "Windows 10", "Windows Server 2022" ...
	Product string
	// Version is the feature update ("23H2") when the lifecycle table knows the build.
	Version string
	// Edition is the registry EditionID when collected; EditionClass is
	// consumer, enterprise, ltsc or server.
	Edition      string
	EditionClass string
	// Sources says where SKU, edition and revision were read.
	Sources []string
	entry   *winRelease
}

// FullBuild is build.revision, with "?" for an unknown revision.
func (b windowsBuild) FullBuild() string {
	if b.Revision == nil {
		return fmt.Sprintf("%d.?", b.Build)
	}
	return fmt.Sprintf("%d.%d", b.Build, *b.Revision)
}

// evidence is the build as evidence values.
func (b windowsBuild) evidence() map[string]any {
	ev := map[string]any{
		"product":       b.Product,
		"build":         b.Build,
		"full_build":    b.FullBuild(),
		"server":        b.Server,
		"edition_class": b.EditionClass,
		"derived_from":  b.Sources,
	}
	if b.Version != "" {
		ev["feature_update"] = b.Version
	}
	if b.Edition != "" {
		ev["edition_id"] = b.Edition
	}
	return ev
}

var buildFromVersion = regexp.MustCompile(`^\s*\d+\.\d+\.(\d+)(?:\.(\d+))?`)

// windowsBuildInfo reads the build, revision, SKU and edition of a Windows
// device from os_version and, when collected, the registry. It fails when
// there is no build number.
func windowsBuildInfo(f *facts.Document, lc *lifecycleTable) (windowsBuild, error) {
	var b windowsBuild
	reg := windowsVersionRegistry(f)
	build, err := strconv.ParseInt(strings.TrimSpace(f.OS.Build), 10, 64)
	if err != nil || build <= 0 {
		build = 0
		if m := buildFromVersion.FindStringSubmatch(f.OS.Version); m != nil {
			build, _ = strconv.ParseInt(m[1], 10, 64)
			b.Sources = append(b.Sources, "build from os_version.version")
		} else if v, ok := reg["CurrentBuildNumber"]; ok {
			build, _ = strconv.ParseInt(v, 10, 64)
			b.Sources = append(b.Sources, "build from registry CurrentBuildNumber")
		}
	}
	if build <= 0 {
		return b, fmt.Errorf("no Windows build number (os_version.build %q, version %q)", f.OS.Build, f.OS.Version)
	}
	b.Build = build
	switch {
	case f.OS.Revision != nil:
		r := *f.OS.Revision
		b.Revision = &r
		b.Sources = append(b.Sources, "revision from os_version.revision")
	case reg["UBR"] != "":
		if r, err := parseRegistryNumber(reg["UBR"]); err == nil {
			b.Revision = &r
			b.Sources = append(b.Sources, "revision from registry UBR")
		}
	}
	// SKU: the product type registry value is authoritative; the name is the fallback.
	switch pt := reg["ProductType"]; {
	case strings.EqualFold(pt, "WinNT"):
		b.Sources = append(b.Sources, "client SKU from registry ProductType WinNT")
	case strings.EqualFold(pt, "ServerNT"), strings.EqualFold(pt, "LanmanNT"):
		b.Server = true
		b.Sources = append(b.Sources, "server SKU from registry ProductType "+pt)
	default:
		b.Server = winHasWord(f.OS.Name, "server")
		b.Sources = append(b.Sources, "SKU from os_version.name")
	}
	b.Edition = reg["EditionID"]
	b.EditionClass = windowsEditionClass(b.Server, b.Edition, f.OS.Name)
	typ := "client"
	if b.Server {
		typ = "server"
	}
	if lc != nil {
		b.entry = lc.findWindows(build, typ)
	}
	if b.entry != nil {
		b.Product, b.Version = b.entry.Product, b.entry.Version
	} else {
		b.Product = windowsProductByRule(build, b.Server)
	}
	return b, nil
}

// windowsProductByRule names a build the lifecycle table does not list.
func windowsProductByRule(build int64, server bool) string {
	switch {
	case server:
		return fmt.Sprintf("Windows Server (build %d)", build)
	case build >= 22000:
		return "Windows 11"
	case build >= 10240:
		return "Windows 10"
	}
	return fmt.Sprintf("Windows (build %d)", build)
}

// windowsEditionClass maps the EditionID (or, without it, the product name)
// to the lifecycle edition class.
func windowsEditionClass(server bool, edition, name string) string {
	if server {
		return editionServer
	}
	e := strings.ToLower(edition)
	switch {
	case e == "":
	case strings.HasPrefix(e, "enterprises") || strings.HasPrefix(e, "iotenterprises"):
		return editionLTSC
	case strings.HasPrefix(e, "enterprise") || strings.HasPrefix(e, "education") || strings.HasPrefix(e, "iotenterprise"):
		return editionEnterprise
	default:
		return editionConsumer
	}
	switch {
	case winHasWord(name, "ltsc") || winHasWord(name, "ltsb"):
		return editionLTSC
	case winHasWord(name, "enterprise") || winHasWord(name, "education"):
		return editionEnterprise
	}
	return editionConsumer
}

// hasWord reports whether s contains w as a whole word, case-insensitively.
func winHasWord(s, w string) bool {
	for _, f := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	}) {
		if f == w {
			return true
		}
	}
	return false
}

// windowsVersionRegistry returns the CurrentVersion and ProductOptions
// values x_cur_windows_version collected, by value name.
func windowsVersionRegistry(f *facts.Document) map[string]string {
	out := map[string]string{}
	if !f.Registry.Known() {
		return out
	}
	for _, v := range f.Registry.Items {
		key := v.Key
		if key == "" {
			if i := strings.LastIndexByte(v.Path, '\\'); i >= 0 {
				key = v.Path[:i]
			}
		}
		if strings.EqualFold(key, winCurrentVersionKey) || strings.EqualFold(key, winProductOptionsKey) {
			out[v.Name] = strings.TrimSpace(v.Data)
		}
	}
	return out
}

// parseRegistryNumber reads a REG_DWORD as osquery prints it (decimal, or 0x hex).
func parseRegistryNumber(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(strings.ToLower(s), "0x") {
		return strconv.ParseInt(s[2:], 16, 64)
	}
	return strconv.ParseInt(s, 10, 64)
}

// windowsRequirement is a minimum Windows patch level: the accepted feature
// updates, each with the lowest revision that counts as current (0 = any).
type windowsRequirement struct {
	// Server says whether the requirement is for server SKUs; a device of
	// the other kind is NOT_APPLICABLE.
	Server bool
	Min    map[int64]int64
}

// parseWindowsRequirement reads "22631.3880, 26100": a comma-separated list of
// build[.revision] entries; a bare build accepts any revision.
func parseWindowsRequirement(server bool, spec string) (windowsRequirement, error) {
	req := windowsRequirement{Server: server, Min: map[int64]int64{}}
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		bs, rs, hasRev := strings.Cut(part, ".")
		build, err := strconv.ParseInt(bs, 10, 64)
		if err != nil || build <= 0 {
			return req, fmt.Errorf("windows requirement %q: %q is not a build number", spec, bs)
		}
		var rev int64
		if hasRev {
			if rev, err = strconv.ParseInt(rs, 10, 64); err != nil || rev < 0 {
				return req, fmt.Errorf("windows requirement %q: %q is not a revision", spec, rs)
			}
		}
		if _, dup := req.Min[build]; dup {
			return req, fmt.Errorf("windows requirement %q: build %d listed twice", spec, build)
		}
		req.Min[build] = rev
	}
	if len(req.Min) == 0 {
		return req, fmt.Errorf("windows requirement %q: no build", spec)
	}
	return req, nil
}

// String renders the requirement in parseWindowsRequirement's syntax, builds ascending.
func (r windowsRequirement) String() string {
	builds := make([]int64, 0, len(r.Min))
	for b := range r.Min {
		builds = append(builds, b)
	}
	sort.Slice(builds, func(i, j int) bool { return builds[i] < builds[j] })
	parts := make([]string, len(builds))
	for i, b := range builds {
		if r.Min[b] > 0 {
			parts[i] = fmt.Sprintf("%d.%d", b, r.Min[b])
		} else {
			parts[i] = strconv.FormatInt(b, 10)
		}
	}
	return strings.Join(parts, ", ")
}

// evaluate grades a build against the requirement: build first, then the
// revision numerically. A missing revision is UNKNOWN when the accepted
// build needs a minimum revision.
func (r windowsRequirement) evaluate(b windowsBuild) (Status, string) {
	if b.Server != r.Server {
		kind := "client"
		if r.Server {
			kind = "server"
		}
		if b.Server {
			return NotApplicable, fmt.Sprintf("%s is a server SKU; the %s requirement does not apply", b.Product, kind)
		}
		return NotApplicable, fmt.Sprintf("%s is a client SKU; the %s requirement does not apply", b.Product, kind)
	}
	min, ok := r.Min[b.Build]
	switch {
	case !ok:
		return Fail, fmt.Sprintf("%s build %s is not an accepted feature update (accepted: %s)", b.Product, b.FullBuild(), r)
	case min == 0:
		return Pass, fmt.Sprintf("%s build %s is accepted at any revision", b.Product, b.FullBuild())
	case b.Revision == nil:
		return Unknown, fmt.Sprintf("%s build %d has no revision (os_version.revision needs osquery 5.x; registry UBR not collected): build alone cannot show %d.%d", b.Product, b.Build, b.Build, min)
	case *b.Revision >= min:
		return Pass, fmt.Sprintf("%s build %s is at or above %d.%d", b.Product, b.FullBuild(), b.Build, min)
	}
	return Fail, fmt.Sprintf("%s build %s is below %d.%d", b.Product, b.FullBuild(), b.Build, min)
}

// windowsRequirementAsOf derives a requirement from the lifecycle table: every
// build of the SKU kind (optionally of one product) still serviced for the
// edition class on asOf is accepted, at the revision of the newest listed
// cumulative update released graceDays or more before asOf (any revision when
// none is listed that early).
func windowsRequirementAsOf(lc *lifecycleTable, server bool, class string, asOf time.Time, graceDays int, product string) windowsRequirement {
	req := windowsRequirement{Server: server, Min: map[int64]int64{}}
	typ := "client"
	if server {
		typ = "server"
	}
	cutoff := asOf.AddDate(0, 0, -graceDays)
	for i := range lc.Windows {
		w := &lc.Windows[i]
		if w.Type != typ || (product != "" && w.Product != product) {
			continue
		}
		if eol, _, ok := w.windowsEOL(class); !ok || asOf.After(endOfDay(eol)) {
			continue
		}
		var min int64
		if u := w.floorUpdate(cutoff); u != nil {
			min = u.Revision
		}
		req.Min[w.Build] = min
	}
	return req
}
