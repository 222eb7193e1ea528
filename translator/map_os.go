package translator

import (
	"fmt"
	"regexp"
	"strconv"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

// leadingVersion reads "7.1", "7", "16.04.3 LTS" at the start of a version text.
var leadingVersion = regexp.MustCompile(`^\s*(\d+)(?:\.(\d+))?`)

// mapOS fills d.OS from os_version (B10): "", NULL and -1 in major, minor and
// patch are unknown, "0" is a real zero. When major is unknown and the version
// text starts with a number, Major (and Minor when present) are taken from it
// and VersionDerived is set.
func mapOS(d *facts.Document, f *feed) {
	o := facts.OS{Family: facts.FamilyUnknown, Kind: "unknown"}
	p, r := f.firstRow()
	if r != nil {
		o.Name = text(r, "name")
		o.Version = text(r, "version")
		o.Major = f.knownInt(p, r, "major")
		o.Minor = f.knownInt(p, r, "minor")
		o.Patch = f.knownInt(p, r, "patch")
		o.Build = text(r, "build")
		o.Revision = f.intOf(p, r, "revision")
		o.Platform = text(r, "platform")
		o.PlatformLike = text(r, "platform_like")
		o.Codename = text(r, "codename")
		o.Arch = text(r, "arch")
		o.InstallDate = f.intOf(p, r, "install_date")
		if !has(r, "arch") {
			f.note(p, p.query+": no arch column (osquery older than 3.x)", "")
		}
		if o.Major == nil {
			if m := leadingVersion.FindStringSubmatch(o.Version); m != nil {
				o.Major = parseSmall(m[1])
				if m[2] != "" {
					o.Minor = parseSmall(m[2])
				}
				o.VersionDerived = true
				f.note(p, fmt.Sprintf("%s: major/minor unknown, derived from version %q", p.query, o.Version), "")
			}
		}
		o.Family, o.Kind = OSFamily(o.Platform, o.PlatformLike, o.Name)
		if o.Family == facts.FamilyUnknown {
			f.note(p, fmt.Sprintf("%s: distribution %q (like %q) is not a known family", p.query, o.Platform, o.PlatformLike), "")
		}
	}
	o.Origin = f.done()
	d.OS = o
}

// parseSmall parses a short run of digits matched by a regexp.
func parseSmall(s string) *int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return nil
	}
	return &n
}
