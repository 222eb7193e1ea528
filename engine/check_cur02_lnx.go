package engine

import (
	"path"
	"strings"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

// Linux third-party sources and the distributions' own update mechanisms.
const (
	snapDir         = "/var/lib/snapd/snaps/"
	flatpakDir      = "/var/lib/flatpak/app/"
	snapFlatpakQ    = "x_cur_snap_flatpak"
	snapdService    = "snapd.service"
	uuOriginsKey    = "Unattended-Upgrade::Origins-Pattern"
	uuAllowedKey    = "Unattended-Upgrade::Allowed-Origins"
	yumUpdateCmdKey = "commands/update_cmd"
)

func cur02Linux(env *Env, ups []curUpdater) curSourcesResult {
	f := env.Facts
	var res curSourcesResult
	res.extra = map[string]any{}
	if !f.Repositories.Known() {
		res.unknown = curWhy("repositories (apt_sources, yum_sources)", f.Repositories.Origin)
		return res
	}
	classes, note := curClassifyRepos(env)
	if note != "" {
		res.notes = append(res.notes, note)
	}
	if f.OS.Family == facts.FamilySUSE {
		res.notes = append(res.notes, "zypper repositories are not visible to osquery; only apt/yum sources are judged")
	}
	var aptThird, yumThird []curRepoClass
	var unclassified []string
	for _, c := range classes {
		switch c.Class {
		case "third-party":
			if c.Repo.Kind == "yum" {
				yumThird = append(yumThird, c)
			} else {
				aptThird = append(aptThird, c)
			}
		case "unclassified":
			unclassified = append(unclassified, curRepoLabel(c))
		}
	}
	if len(unclassified) > 0 {
		res.extra["unclassified_repositories"] = curSorted(unclassified)
		res.notes = append(res.notes, "repositories without a host (file:, mirror+file:, mirrorlist-only) are listed but not judged")
	}
	if len(aptThird) > 0 {
		res.sources = append(res.sources, curAptSource(env, aptThird, ups))
	}
	if len(yumThird) > 0 {
		res.sources = append(res.sources, curYumSource(env, yumThird, ups))
	}
	snaps, flatpaks, why := curSnapFlatpak(env)
	if why != "" {
		res.notes = append(res.notes, "snaps and flatpaks not listed: "+why)
	}
	if len(snaps) > 0 {
		s := curNewSource("snaps", snaps, ups, "snap")
		if sd := curServiceState(env, snapdService); curUnitOn(sd) {
			curMergeCoverage(s, covCovered, []string{"snapd auto-refresh (" + curUnitText(sd) + ")"})
		}
		res.sources = append(res.sources, s)
	}
	if len(flatpaks) > 0 {
		res.sources = append(res.sources, curNewSource("flatpaks", flatpaks, ups, "flatpak"))
	}
	return res
}

// curRepoLabel names a repository for evidence.
func curRepoLabel(c curRepoClass) string {
	label := c.Repo.Kind + " " + curOr(c.Repo.BaseURI, curOr(c.Repo.Name, "(unnamed)"))
	if c.Repo.Source != "" {
		label += " (" + c.Repo.Source + ")"
	}
	return label
}

// curAptSource grades third-party apt repositories: unattended-upgrades on
// with an Origins-Pattern (or Allowed-Origins) that covers every origin, or a
// site= pattern for the repository's host, covers a repository.
func curAptSource(env *Env, repos []curRepoClass, ups []curUpdater) *curSource {
	var items []string
	for _, r := range repos {
		items = append(items, curRepoLabel(r))
	}
	s := curNewSource("third-party apt repositories", items, ups, "apt")
	auto := curAptAuto(env)
	switch auto.State {
	case autoOn:
	case autoUnknown:
		if _, ok := curPackageInstalled(env, "deb", unattendedUpgradesPkg); ok {
			curMergeCoverage(s, covPartial, []string{"unattended-upgrades installed, its origins not read (" + auto.Reason + ")"})
		} else {
			s.unknown = auto.Reason
			s.Note = "whether unattended-upgrades covers these repositories is unknown: " + auto.Reason
		}
		return s
	default:
		return s
	}
	_, lists := curAptSettings(env.Facts.ConfigNodes.Items)
	patterns := append(append([]string(nil), lists[uuOriginsKey]...), lists[uuAllowedKey]...)
	if curOriginsCoverAll(lists[uuOriginsKey], lists[uuAllowedKey]) {
		curMergeCoverage(s, covCovered, []string{"unattended-upgrades with an origin pattern matching every origin"})
		return s
	}
	coveredN := 0
	var by []string
	for _, r := range repos {
		for _, p := range lists[uuOriginsKey] {
			if curOriginSiteMatches(p, r.Host) {
				coveredN++
				by = append(by, "unattended-upgrades site pattern for "+r.Host)
				break
			}
		}
	}
	switch {
	case coveredN == len(repos):
		curMergeCoverage(s, covCovered, by)
	case coveredN > 0:
		curMergeCoverage(s, covPartial, append(by, "unattended-upgrades covers only some of them"))
	case len(patterns) == 0:
		s.Note = "unattended-upgrades is on but no Origins-Pattern was found, so it keeps its default: the distribution's own origins"
	default:
		s.Note = "unattended-upgrades is on but its origins (" + strings.Join(curSample(curSorted(patterns), 6), "; ") + ") do not cover these repositories"
	}
	return s
}

// curOriginsCoverAll reports whether an unattended-upgrades origin list lets
// every origin through: an Origins-Pattern whose every field is "*" (e.g.
// "origin=*"), or an Allowed-Origins entry "*:*".
func curOriginsCoverAll(patterns, allowed []string) bool {
	for _, p := range patterns {
		fields := strings.Split(p, ",")
		all := len(fields) > 0
		for _, f := range fields {
			_, v, ok := strings.Cut(strings.TrimSpace(f), "=")
			if !ok || strings.TrimSpace(v) != "*" {
				all = false
			}
		}
		if all {
			return true
		}
	}
	for _, a := range allowed {
		if strings.TrimSpace(a) == "*:*" {
			return true
		}
	}
	return false
}

// curOriginSiteMatches reports whether an Origins-Pattern selects a host by
// site= (glob allowed) with no other field narrowing it.
func curOriginSiteMatches(pattern, host string) bool {
	if host == "" {
		return false
	}
	site := ""
	for _, f := range strings.Split(pattern, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(f), "=")
		if !ok {
			return false
		}
		switch k {
		case "site":
			site = strings.ToLower(strings.TrimSpace(v))
		default:
			if strings.TrimSpace(v) != "*" {
				return false
			}
		}
	}
	if site == "" {
		return false
	}
	ok, err := path.Match(site, host)
	return err == nil && ok
}

// curYumSource grades third-party yum repositories: dnf-automatic (install)
// and yum-cron apply updates from every enabled repository unless limited to
// security advisories.
func curYumSource(env *Env, repos []curRepoClass, ups []curUpdater) *curSource {
	var items []string
	for _, r := range repos {
		items = append(items, curRepoLabel(r))
	}
	s := curNewSource("third-party yum repositories", items, ups, "yum")
	auto := curDnfAuto(env)
	switch {
	case auto.State == autoOn && strings.HasPrefix(auto.Mechanism, "yum-cron"):
		cmd := curYumCronConf(env)[yumUpdateCmdKey]
		if cmd == "" || cmd == "default" {
			curMergeCoverage(s, covCovered, []string{"yum-cron applies all updates (update_cmd " + curOr(cmd, "default") + ")"})
		} else {
			curMergeCoverage(s, covPartial, []string{"yum-cron applies only " + cmd + " updates"})
		}
	case auto.State == autoOn:
		curMergeCoverage(s, covCovered, []string{auto.Mechanism + " applies updates from every enabled repository (upgrade_type default)"})
		s.Note = "upgrade_type in /etc/dnf/automatic.conf is not visible; a 'security' setting would leave third-party repositories out"
	case auto.State == autoUnverified:
		curMergeCoverage(s, covPartial, []string{auto.Reason})
	}
	return s
}

// curSnapFlatpak lists installed snaps and system flatpak apps from the
// x_cur_snap_flatpak file listing.
func curSnapFlatpak(env *Env) (snaps, flatpaks []string, why string) {
	f := env.Facts
	if ok, reason := curQueryKnown(env, snapFlatpakQ, f.Files.Origin); !ok || !f.Files.Known() {
		return nil, nil, curOr(reason, curWhy("files", f.Files.Origin))
	}
	for _, st := range f.Files.Items {
		switch {
		case strings.HasPrefix(st.Path, snapDir) && strings.HasSuffix(st.Path, ".snap"):
			name := strings.TrimSuffix(path.Base(st.Path), ".snap")
			if i := strings.LastIndexByte(name, '_'); i > 0 {
				name = name[:i]
			}
			snaps = append(snaps, name)
		case strings.HasPrefix(st.Path, flatpakDir):
			name := strings.Trim(strings.TrimPrefix(st.Path, flatpakDir), "/")
			if name != "" && !strings.Contains(name, "/") && !strings.HasPrefix(name, ".") {
				flatpaks = append(flatpaks, name)
			}
		}
	}
	return curSorted(snaps), curSorted(flatpaks), ""
}
