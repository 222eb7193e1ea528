package engine

import "strings"

// App Store automatic app updates: com.apple.commerce AutoUpdate (plist) or
// the MDM keys that set it.
const (
	macCommercePlist = "/Library/Preferences/com.apple.commerce.plist"
	macCommerceDom   = "com.apple.commerce"
)

// cur02Darwin: apps whose bundle id is not Apple's, and Homebrew packages.
func cur02Darwin(env *Env, ups []curUpdater) curSourcesResult {
	var res curSourcesResult
	if ok, why := curSourceKnown(env, "apps"); !ok {
		res.unknown = why
		return res
	}
	apple := officialRepos().DarwinBundleIDs
	apps := curPackagesOf(env, "apps", func(_, _, id string) bool {
		for _, p := range apple {
			if strings.HasPrefix(id, p) {
				return false
			}
		}
		return true
	})
	s := curNewSource("third-party apps", apps, ups, "apps")
	if on, src := curAppStoreAutoUpdate(env); on {
		curMergeCoverage(s, covPartial, []string{"App Store automatic app updates on (" + src + "); only App Store apps are covered and they are not told apart"})
	}
	res.sources = append(res.sources, s)
	if ok, why := curSourceKnown(env, "homebrew"); ok {
		res.sources = append(res.sources, curNewSource("Homebrew packages", curPackagesOf(env, "homebrew", nil), ups, "homebrew"))
	} else {
		res.notes = append(res.notes, "Homebrew packages not listed: "+why)
	}
	return res
}

// curAppStoreAutoUpdate reports whether App Store apps update automatically.
func curAppStoreAutoUpdate(env *Env) (bool, string) {
	f := env.Facts
	if f.ManagedPolicies.Known() {
		for _, m := range f.ManagedPolicies.Items {
			if (m.Domain == macSUDomain && m.Name == "AutomaticallyInstallAppUpdates") || (m.Domain == macCommerceDom && m.Name == "AutoUpdate") {
				v, ok := curTruthy(m.Value)
				return ok && v, "managed " + m.Domain + " " + m.Name
			}
		}
	}
	if f.Plist.Known() {
		for _, p := range f.Plist.Items {
			if (p.Path == macCommercePlist && p.Key == "AutoUpdate") || (p.Path == macSoftwareUpdate && p.Key == "AutomaticallyInstallAppUpdates") {
				v, ok := curTruthy(p.Value)
				return ok && v, p.Path + " " + p.Key
			}
		}
	}
	return false, ""
}
