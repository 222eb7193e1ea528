package engine

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

// Linux automatic-update mechanisms and their exact unit, package and file
// names. Each has its own rule for "installs updates by itself".
const (
	aptPeriodicQuery = "x_cur_apt_periodic" // augeas over /etc/apt/apt.conf{,.d/*}
	yumCronQuery     = "x_cur_yum_cron"     // augeas over /etc/yum/yum-cron.conf
	stampsQuery      = "x_cur_stamps"       // file stats of package-manager state and logs

	unattendedUpgradesPkg = "unattended-upgrades"
	aptDailyUpgradeTimer  = "apt-daily-upgrade.timer"
	yumCronService        = "yum-cron.service"
	yumCronConf           = "/etc/yum/yum-cron.conf"
)

// dnf-automatic timers: the -install ones apply updates whatever the config
// says; dnf-automatic.timer follows /etc/dnf/automatic.conf apply_updates
// (default no), which osquery cannot read (no augeas lens); the others only
// notify or download.
var (
	dnfInstallTimers = []string{"dnf-automatic-install.timer", "dnf5-automatic-install.timer"}
	dnfConfigTimers  = []string{"dnf-automatic.timer", "dnf5-automatic.timer"}
	dnfNotifyTimers  = []string{"dnf-automatic-notifyonly.timer", "dnf-automatic-download.timer"}
	// SUSE: transactional-update (SLE Micro, MicroOS) and os-update (openSUSE) install updates on a timer.
	suseUpdateTimers = []string{"transactional-update.timer", "os-update.timer"}
)

// Files whose modification time shows a package change, per package manager.
// Empty files are skipped: logrotate leaves a fresh empty log behind.
var (
	debChangeFiles = []string{"/var/lib/dpkg/status", "/var/log/apt/history.log",
		"/var/lib/apt/periodic/upgrade-stamp", "/var/lib/apt/periodic/unattended-upgrades-stamp"}
	rpmChangeFiles = []string{"/var/log/dnf.rpm.log", "/var/log/yum.log", "/var/log/zypp/history"}
)

// Automatic-update states.
const (
	autoOn         = "on"
	autoUnverified = "unverified" // a mechanism is enabled but whether it installs is not visible
	autoOff        = "off"
	autoUnknown    = "unknown"
)

// curAuto is a device's automatic-update state.
type curAuto struct {
	State     string
	Mechanism string
	Reason    string
	Evidence  map[string]any
}

// curRecency is the newest package change found.
type curRecency struct {
	Known  bool
	Newest time.Time
	Source string
	Reason string
	Seen   map[string]string
}

func cur01Linux(env *Env) Outcome {
	sup := curReleaseSupport(env)
	ev := map[string]any{"release": sup.Evidence}
	if sup.Ended {
		return curEOLOutcome(sup, ev)
	}
	maxAge := curPolicy(env).Thresholds.LinuxPatchMaxAgeDays
	auto := curLinuxAuto(env)
	rec := curLinuxRecency(env)
	ev["automatic_updates"] = auto.Evidence
	ev["automatic_updates_state"] = auto.State
	ev["linux_patch_max_age_days"] = maxAge
	recent := false
	if rec.Known {
		age := curAgeDays(env.Now, rec.Newest)
		recent = curWithin(env.Now, rec.Newest, maxAge)
		ev["last_package_change"] = map[string]any{"date": curDay(rec.Newest), "age_days": age, "source": rec.Source, "seen": rec.Seen}
	} else {
		ev["last_package_change"] = map[string]any{"unknown": rec.Reason}
	}
	unknownRelease := ""
	if !sup.Known {
		unknownRelease = " (" + fmt.Sprint(sup.Evidence["lifecycle"]) + ")"
	}
	autoText := curAutoText(auto)
	recText := curRecencyText(env, rec, maxAge)
	on := auto.State == autoOn
	switch {
	case on && recent:
		return outcome(Pass, ev, "%s, and %s%s.", asmSentence(autoText), recText, unknownRelease)
	case on || recent:
		return outcome(Partial, ev, "Only one of the two holds: %s; %s%s.", autoText, recText, unknownRelease)
	case auto.State == autoUnknown || !rec.Known:
		return outcome(Unknown, ev, "Patch level cannot be graded: %s; %s%s.", autoText, recText, unknownRelease)
	}
	return outcome(Fail, ev, "%s, and %s%s.", asmSentence(autoText), recText, unknownRelease)
}

// curAutoText is the automatic-update clause of a detail sentence.
func curAutoText(a curAuto) string {
	switch a.State {
	case autoOn:
		return "automatic updates are on (" + a.Mechanism + ")"
	case autoUnverified:
		return "automatic updates are not shown to install (" + a.Reason + ")"
	case autoOff:
		return "automatic updates are off (" + a.Reason + ")"
	}
	return "automatic-update settings are unknown (" + a.Reason + ")"
}

// curRecencyText is the package-change clause of a detail sentence.
func curRecencyText(env *Env, r curRecency, maxAge int) string {
	if !r.Known {
		return "the last package change is unknown (" + r.Reason + ")"
	}
	age := curAgeDays(env.Now, r.Newest)
	if curWithin(env.Now, r.Newest, maxAge) {
		return fmt.Sprintf("packages last changed %s (%d days ago, %s), within %d days", curDay(r.Newest), age, r.Source, maxAge)
	}
	return fmt.Sprintf("packages last changed %s (%d days ago, %s), more than %d days ago", curDay(r.Newest), age, r.Source, maxAge)
}

// curLinuxAuto finds the automatic-update mechanism of the device's family.
func curLinuxAuto(env *Env) curAuto {
	switch env.Facts.OS.Family {
	case facts.FamilyDebian:
		return curAptAuto(env)
	case facts.FamilyRHEL, facts.FamilyAmazon:
		return curDnfAuto(env)
	case facts.FamilySUSE:
		return curTimerAuto(env, suseUpdateTimers, "no transactional-update or os-update timer enabled")
	}
	return curAuto{State: autoUnknown, Reason: fmt.Sprintf("no automatic-update rules for OS family %q", env.Facts.OS.Family),
		Evidence: map[string]any{"family": env.Facts.OS.Family}}
}

// aptSetting is one APT configuration value and the file that set it.
type aptSetting struct{ Value, File string }

// curAptSettings reads APT::* and Unattended-Upgrade::* values from the
// augeas nodes of /etc/apt/apt.conf.d/* and /etc/apt/apt.conf, in apt's
// reading order (apt.conf.d parts by name, then apt.conf): later files win.
// Keys are "::"-joined option names ("APT::Periodic::Unattended-Upgrade");
// list elements are returned under their option, in order.
func curAptSettings(items []facts.ConfigNode) (scalars map[string]aptSetting, lists map[string][]string) {
	nodes := make([]facts.ConfigNode, 0, len(items))
	for _, n := range items {
		if n.Path == "/etc/apt/apt.conf" || strings.HasPrefix(n.Path, "/etc/apt/apt.conf.d/") {
			nodes = append(nodes, n)
		}
	}
	order := func(p string) string {
		if p == "/etc/apt/apt.conf" {
			return "~" // after every part
		}
		return path.Base(p)
	}
	sort.SliceStable(nodes, func(i, j int) bool { return order(nodes[i].Path) < order(nodes[j].Path) })
	scalars, lists = map[string]aptSetting{}, map[string][]string{}
	for _, n := range nodes {
		rel := strings.TrimPrefix(n.Node, "/files"+n.Path+"/")
		if rel == n.Node {
			continue
		}
		var segs []string
		for _, s := range strings.Split(rel, "/") {
			if i := strings.IndexByte(s, '['); i >= 0 {
				s = s[:i]
			}
			segs = append(segs, s)
		}
		if len(segs) == 0 || strings.HasPrefix(segs[0], "#") {
			continue
		}
		if segs[len(segs)-1] == "@elem" {
			key := strings.Join(segs[:len(segs)-1], "::")
			// apt appends list values across files: keep them all
			lists[key] = append(lists[key], n.Value)
			continue
		}
		scalars[strings.Join(segs, "::")] = aptSetting{Value: strings.TrimSpace(n.Value), File: n.Path}
	}
	return scalars, lists
}

// curAptAuto: unattended-upgrades installed, APT::Periodic::Unattended-Upgrade
// non-zero, APT::Periodic::Enable not 0 and apt-daily-upgrade.timer not disabled.
func curAptAuto(env *Env) curAuto {
	f := env.Facts
	ev := map[string]any{"mechanism": "unattended-upgrades"}
	a := curAuto{Mechanism: "unattended-upgrades", Evidence: ev}
	if !f.Packages.Known() {
		a.State, a.Reason = autoUnknown, curWhy("packages", f.Packages.Origin)
		return a
	}
	p, installed := curPackageInstalled(env, "deb", unattendedUpgradesPkg)
	if !installed {
		if gap := packageSourcesIncomplete(env, "deb"); gap != "" {
			ev["package"] = unattendedUpgradesPkg + " unknown: " + gap
			a.State, a.Reason = autoUnknown, "whether the unattended-upgrades package is installed is unknown ("+gap+")"
			return a
		}
		ev["package"] = unattendedUpgradesPkg + " not installed"
		a.State, a.Reason = autoOff, "the unattended-upgrades package is not installed"
		return a
	}
	ev["package"] = unattendedUpgradesPkg + " " + p.Version
	if ok, why := curQueryKnown(env, aptPeriodicQuery, f.ConfigNodes.Origin); !ok || !f.ConfigNodes.Known() {
		if why == "" {
			why = curWhy("config_nodes", f.ConfigNodes.Origin)
		}
		a.State, a.Reason = autoUnknown, "unattended-upgrades is installed but the APT::Periodic settings were not read: "+why
		return a
	}
	if t := curServiceState(env, aptDailyUpgradeTimer); t != nil {
		ev["timer"] = curUnitText(t)
		if t.Enabled != nil && !*t.Enabled && (t.Running == nil || !*t.Running) {
			a.State, a.Reason = autoOff, aptDailyUpgradeTimer+" is disabled"
			return a
		}
	}
	scalars, _ := curAptSettings(f.ConfigNodes.Items)
	if en, ok := scalars["APT::Periodic::Enable"]; ok {
		ev["APT::Periodic::Enable"] = en.Value + " (" + en.File + ")"
		if en.Value == "0" {
			a.State, a.Reason = autoOff, "APT::Periodic::Enable is 0 in "+en.File
			return a
		}
	}
	uu, ok := scalars["APT::Periodic::Unattended-Upgrade"]
	if !ok {
		ev["APT::Periodic::Unattended-Upgrade"] = "not set (apt default 0)"
		a.State, a.Reason = autoOff, "APT::Periodic::Unattended-Upgrade is not set (default 0)"
		return a
	}
	ev["APT::Periodic::Unattended-Upgrade"] = uu.Value + " (" + uu.File + ")"
	if curAptIntervalOn(uu.Value) {
		a.State = autoOn
		a.Mechanism = "unattended-upgrades, APT::Periodic::Unattended-Upgrade " + strconv.Quote(uu.Value)
		return a
	}
	a.State, a.Reason = autoOff, fmt.Sprintf("APT::Periodic::Unattended-Upgrade is %q in %s", uu.Value, uu.File)
	return a
}

// curAptIntervalOn reads an APT::Periodic interval: a positive number of days
// (or a duration such as "1d", "12h"), or "always".
func curAptIntervalOn(v string) bool {
	v = strings.TrimSpace(strings.ToLower(v))
	if v == "always" {
		return true
	}
	if m := aptInterval.FindStringSubmatch(v); m != nil {
		n, err := strconv.ParseInt(m[1], 10, 64)
		return err == nil && n > 0
	}
	return false
}

var aptInterval = regexp.MustCompile(`^(\d+)\s*[smhd]?$`)

// curUnitText describes a unit's enablement and activity for evidence.
func curUnitText(s *facts.Service) string {
	en, run := "enablement unknown", "activity unknown"
	if s.Enabled != nil {
		en = map[bool]string{true: "enabled", false: "disabled"}[*s.Enabled]
	}
	if s.Running != nil {
		run = map[bool]string{true: "active", false: "inactive"}[*s.Running]
	}
	if s.UnitFileState != "" {
		en += " (" + s.UnitFileState + ")"
	}
	return s.Name + ": " + en + ", " + run
}

// curUnitOn reports whether a unit is enabled or active.
func curUnitOn(s *facts.Service) bool {
	return s != nil && ((s.Enabled != nil && *s.Enabled) || (s.Running != nil && *s.Running))
}

// curDnfAuto: dnf-automatic install timers, dnf-automatic.timer (config not
// visible), yum-cron with apply_updates = yes.
func curDnfAuto(env *Env) curAuto {
	f := env.Facts
	ev := map[string]any{}
	a := curAuto{Evidence: ev}
	if !f.Services.Known() {
		a.State, a.Reason = autoUnknown, curWhy("services", f.Services.Origin)
		return a
	}
	var units []string
	for _, group := range [][]string{dnfInstallTimers, dnfConfigTimers, dnfNotifyTimers, {yumCronService}} {
		for _, u := range group {
			if s := curServiceState(env, u); s != nil {
				units = append(units, curUnitText(s))
			}
		}
	}
	ev["units"] = units
	for _, u := range dnfInstallTimers {
		if curUnitOn(curServiceState(env, u)) {
			a.State, a.Mechanism = autoOn, u
			return a
		}
	}
	if curUnitOn(curServiceState(env, yumCronService)) {
		conf := curYumCronConf(env)
		ev["yum_cron_conf"] = conf
		switch v, ok := conf["commands/apply_updates"]; {
		case ok && strings.EqualFold(v, "yes"):
			a.State, a.Mechanism = autoOn, "yum-cron with apply_updates = yes"
			return a
		case conf["_state"] == "unknown":
			a.State, a.Reason = autoUnverified, "yum-cron is enabled but "+yumCronConf+" was not read"
			return a
		default:
			a.State, a.Reason = autoOff, "yum-cron is enabled but apply_updates is not yes in "+yumCronConf+" (downloads or notifies only)"
			return a
		}
	}
	for _, u := range dnfConfigTimers {
		if curUnitOn(curServiceState(env, u)) {
			a.State, a.Reason = autoUnverified, u+" is enabled but apply_updates in /etc/dnf/automatic.conf (default no) is not visible to osquery; enable dnf-automatic-install.timer to make installs certain"
			return a
		}
	}
	for _, u := range dnfNotifyTimers {
		if curUnitOn(curServiceState(env, u)) {
			a.State, a.Reason = autoOff, u+" only notifies or downloads"
			return a
		}
	}
	a.State, a.Reason = autoOff, "no dnf-automatic timer or yum-cron enabled"
	return a
}

// curYumCronConf returns the yum-cron.conf augeas values by "section/key";
// "_state" is "unknown" when the query did not answer.
func curYumCronConf(env *Env) map[string]string {
	f := env.Facts
	if ok, why := curQueryKnown(env, yumCronQuery, f.ConfigNodes.Origin); !ok || !f.ConfigNodes.Known() {
		return map[string]string{"_state": "unknown", "_reason": curOr(why, curWhy("config_nodes", f.ConfigNodes.Origin))}
	}
	out := map[string]string{}
	prefix := "/files" + yumCronConf + "/"
	for _, n := range f.ConfigNodes.Items {
		if n.Path != yumCronConf {
			continue
		}
		if rel, ok := strings.CutPrefix(n.Node, prefix); ok {
			out[rel] = strings.TrimSpace(n.Value)
		}
	}
	return out
}

// curTimerAuto: any of the timers enabled or active.
func curTimerAuto(env *Env, timers []string, offReason string) curAuto {
	f := env.Facts
	a := curAuto{Evidence: map[string]any{"timers": timers}}
	if !f.Services.Known() {
		a.State, a.Reason = autoUnknown, curWhy("services", f.Services.Origin)
		return a
	}
	for _, u := range timers {
		if s := curServiceState(env, u); curUnitOn(s) {
			a.State, a.Mechanism = autoOn, u
			a.Evidence["unit"] = curUnitText(s)
			return a
		}
	}
	a.State, a.Reason = autoOff, offReason
	return a
}

// curLinuxRecency finds the newest package change: package-manager state
// files and logs (x_cur_stamps) and, for rpm, the newest install_time.
func curLinuxRecency(env *Env) curRecency {
	f := env.Facts
	r := curRecency{Seen: map[string]string{}}
	var reasons []string
	consider := func(t time.Time, src string) {
		r.Seen[src] = curDay(t)
		if t.After(env.Now.Add(24 * time.Hour)) {
			return // a clock in the future proves nothing
		}
		if !r.Known || t.After(r.Newest) {
			r.Known, r.Newest, r.Source = true, t, src
		}
	}
	files := debChangeFiles
	if f.OS.Family != facts.FamilyDebian {
		files = rpmChangeFiles
	}
	if ok, why := curQueryKnown(env, stampsQuery, f.Files.Origin); ok && f.Files.Known() {
		for _, st := range f.Files.Items {
			if !slices.Contains(files, st.Path) || st.Mtime == nil || *st.Mtime <= 0 || (st.Size != nil && *st.Size == 0) {
				continue
			}
			consider(curUnix(*st.Mtime), st.Path+" mtime")
		}
	} else {
		reasons = append(reasons, curOr(why, curWhy("files", f.Files.Origin)))
	}
	if f.OS.Family != facts.FamilyDebian {
		if gap := packageSourcesIncomplete(env, "rpm"); gap != "" {
			reasons = append(reasons, "rpm install times not collected ("+gap+")")
		} else {
			var newest int64
			name := ""
			for _, p := range f.Packages.Items {
				if p.Source == "rpm" && p.Installed && p.InstallTime != nil && *p.InstallTime > newest {
					newest, name = *p.InstallTime, p.Name
				}
			}
			if newest > 0 {
				consider(curUnix(newest), "rpm install_time of "+name)
			} else {
				reasons = append(reasons, "no rpm package with an install_time")
			}
		}
	}
	if !r.Known {
		if len(reasons) == 0 {
			reasons = append(reasons, "none of "+strings.Join(files, ", ")+" was found")
		}
		r.Reason = strings.Join(reasons, "; ")
	}
	return r
}
