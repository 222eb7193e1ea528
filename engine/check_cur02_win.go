package engine

import "strings"

// cur02Windows: programs whose publisher is not Microsoft, and Chocolatey packages.
func cur02Windows(env *Env, ups []curUpdater) curSourcesResult {
	var res curSourcesResult
	if ok, why := curSourceKnown(env, "programs"); !ok {
		res.unknown = why
		return res
	}
	microsoft := officialRepos().WindowsPublishers
	programs := curPackagesOf(env, "programs", func(_, publisher, _ string) bool {
		for _, m := range microsoft {
			if strings.EqualFold(strings.TrimSpace(publisher), m) {
				return false
			}
		}
		return true
	})
	res.sources = append(res.sources, curNewSource("third-party programs", programs, ups, "programs"))
	if ok, why := curSourceKnown(env, "chocolatey"); ok {
		choco := curPackagesOf(env, "chocolatey", nil)
		res.sources = append(res.sources, curNewSource("Chocolatey packages", choco, ups, "chocolatey"))
	} else {
		res.notes = append(res.notes, "Chocolatey packages not listed: "+why)
	}
	return res
}
