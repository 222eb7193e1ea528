package translator

import (
	"strings"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

// familyIDs maps os-release IDs (os_version.platform and the words of
// platform_like) to an OS family.
var familyIDs = map[string]string{
	"debian": facts.FamilyDebian, "ubuntu": facts.FamilyDebian, "linuxmint": facts.FamilyDebian,
	"pop": facts.FamilyDebian, "raspbian": facts.FamilyDebian, "kali": facts.FamilyDebian,
	"elementary": facts.FamilyDebian, "zorin": facts.FamilyDebian, "neon": facts.FamilyDebian,
	"devuan": facts.FamilyDebian, "pureos": facts.FamilyDebian, "parrot": facts.FamilyDebian,

	"rhel": facts.FamilyRHEL, "centos": facts.FamilyRHEL, "fedora": facts.FamilyRHEL,
	"rocky": facts.FamilyRHEL, "almalinux": facts.FamilyRHEL, "ol": facts.FamilyRHEL,
	"scientific": facts.FamilyRHEL, "redhat": facts.FamilyRHEL, "cloudlinux": facts.FamilyRHEL,
	"eurolinux": facts.FamilyRHEL, "virtuozzo": facts.FamilyRHEL,

	"amzn": facts.FamilyAmazon,

	"sles": facts.FamilySUSE, "sled": facts.FamilySUSE, "suse": facts.FamilySUSE, "opensuse": facts.FamilySUSE,

	"darwin": facts.FamilyDarwin, "macos": facts.FamilyDarwin,
	"windows": facts.FamilyWindows,
}

// OSFamily derives the OS family (one of the facts.Family* values) and kind
// ("linux", "darwin", "windows", "unknown") from os_version's platform,
// platform_like and name. The platform is tried first, then each word of
// platform_like, so Amazon Linux (platform amzn, like "centos rhel fedora")
// is Amazon. A distribution it does not know is FamilyUnknown, never another
// family; its kind is "linux" when the strings say Linux.
func OSFamily(platform, platformLike, name string) (family, kind string) {
	ids := append([]string{platform}, strings.FieldsFunc(platformLike, func(r rune) bool { return r == ' ' || r == ',' })...)
	for _, id := range ids {
		id = strings.ToLower(strings.TrimSpace(id))
		fam, ok := familyIDs[id]
		if !ok && strings.HasPrefix(id, "opensuse") {
			fam, ok = facts.FamilySUSE, true
		}
		if ok {
			return fam, kindOf(fam)
		}
	}
	n := strings.ToLower(name)
	if strings.TrimSpace(platform) == "" {
		switch {
		case strings.Contains(n, "windows"):
			return facts.FamilyWindows, "windows"
		case strings.Contains(n, "mac os x") || strings.Contains(n, "macos"):
			return facts.FamilyDarwin, "darwin"
		}
	}
	all := strings.ToLower(platform + " " + platformLike + " " + name)
	if strings.Contains(all, "linux") {
		return facts.FamilyUnknown, "linux"
	}
	return facts.FamilyUnknown, "unknown"
}

func kindOf(family string) string {
	switch family {
	case facts.FamilyDarwin:
		return "darwin"
	case facts.FamilyWindows:
		return "windows"
	case facts.FamilyUnknown:
		return "unknown"
	}
	return "linux"
}
