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

// windows_update_history result_code 2 is orcSucceeded (IUpdateHistoryEntry.ResultCode).
const wuSucceeded = 2

// Windows Update history titles that are not operating-system patches:
// Defender definition and platform updates arrive daily and the Malicious
// Software Removal Tool monthly; counting them would hide a missed
// cumulative update. Entries without a KB number (Store apps, drivers) are
// left out too.
var (
	wuNotOSPatch = []string{"security intelligence update", "defender antivirus", "malicious software removal tool"}
	wuKB         = regexp.MustCompile(`(?i)\bKB\d{6,8}\b`)
)

func cur01Windows(env *Env) Outcome {
	b, err := windowsBuildInfo(env.Facts, lifecycle())
	if err != nil {
		return outcome(Unknown, map[string]any{"os_name": env.Facts.OS.Name, "os_version": env.Facts.OS.Version},
			"The Windows build could not be read: %v.", err)
	}
	maxAge := curPolicy(env).Thresholds.WindowsPatchMaxAgeDays
	// dates are days: the window starts at the beginning of the day maxAge days ago
	c := env.Now.UTC().AddDate(0, 0, -maxAge)
	cutoff := time.Date(c.Year(), c.Month(), c.Day(), 0, 0, 0, 0, time.UTC)
	ev := map[string]any{"windows": b.evidence(), "windows_patch_max_age_days": maxAge}
	what := fmt.Sprintf("%s (build %s)", b.Product, b.FullBuild())
	if b.Version != "" {
		what = fmt.Sprintf("%s %s (build %s)", b.Product, b.Version, b.FullBuild())
	}

	// 1. end of servicing for this build and edition class
	if b.entry == nil {
		ev["lifecycle"] = fmt.Sprintf("build %d is not in data/os-lifecycle.yaml; end of servicing not graded", b.Build)
	} else if eol, class, ok := b.entry.windowsEOL(b.EditionClass); ok {
		ev["end_of_servicing"] = curDay(eol)
		ev["end_of_servicing_class"] = class
		if env.Now.After(endOfDay(eol)) {
			return outcome(Fail, ev, "%s reached end of servicing for %s editions on %s; it no longer receives security updates.",
				what, class, curDay(eol))
		}
	}

	// 2. the build revision against cumulative updates released before the window
	revRecent, installedKB := false, ""
	if b.entry != nil && len(b.entry.Updates) > 0 {
		floor := b.entry.floorUpdate(cutoff)
		if floor != nil {
			ev["required_revision"] = map[string]any{"revision": floor.Revision, "kb": floor.KB, "released": floor.Released}
		}
		if b.Revision == nil {
			ev["revision_check"] = "no revision (os_version.revision needs osquery 5.x; registry UBR not collected): the build alone cannot show the patch level"
		} else {
			if at := b.entry.updateAtRevision(*b.Revision); at != nil {
				ev["installed_update"] = map[string]any{"revision": at.Revision, "kb": at.KB, "released": at.Released}
				revRecent, installedKB = !at.released.Before(cutoff), at.KB
			}
			if floor != nil && *b.Revision < floor.Revision {
				return outcome(Fail, ev, "%s is below %d.%d (%s, released %s): it misses a cumulative update older than %d days.",
					what, b.Build, floor.Revision, floor.KB, floor.Released, maxAge)
			}
		}
	}

	// 3. the newest installed update by date
	d := curWindowsUpdateDates(env, cutoff)
	ev["update_dates"] = d.evidence()
	switch {
	case d.verdict == Pass:
		return outcome(Pass, ev, "%s: the newest installed update (%s, %s) is within %d days.", what, d.newestWhat, curDay(d.newest), maxAge)
	case revRecent:
		return outcome(Pass, ev, "%s carries a cumulative update released within %d days (%s).", what, maxAge, installedKB)
	case d.verdict == Fail:
		return outcome(Fail, ev, "%s: the newest installed update (%s, %s) is %d days old, more than %d.",
			what, d.newestWhat, curDay(d.newest), curAgeDays(env.Now, d.newest), maxAge)
	}
	return outcome(Unknown, ev, "%s: the patch age cannot be shown: %s.", what, d.reason)
}

// curWinDates is the reading of hotfix and update-history dates.
type curWinDates struct {
	verdict    Status // Pass, Fail or Unknown
	newest     time.Time
	newestWhat string
	reason     string
	// counts for evidence
	hotfixes, certain, assumed, ambiguous, missing, history, historyUsed, historySkipped int
	blocking                                                                             []string
	hotfixesWhy, historyWhy                                                              string
}

func (d curWinDates) evidence() map[string]any {
	ev := map[string]any{
		"hotfixes": d.hotfixes, "hotfix_dates_certain": d.certain, "hotfix_dates_assumed": d.assumed,
		"hotfix_dates_ambiguous": d.ambiguous, "hotfix_dates_missing": d.missing,
		"history_entries": d.history, "history_os_updates_succeeded": d.historyUsed, "history_not_os_patches": d.historySkipped,
	}
	if !d.newest.IsZero() {
		ev["newest"] = curDay(d.newest)
		ev["newest_from"] = d.newestWhat
	}
	if len(d.blocking) > 0 {
		ev["undecided_dates"] = d.blocking
	}
	if d.hotfixesWhy != "" {
		ev["hotfixes_unknown"] = d.hotfixesWhy
	}
	if d.historyWhy != "" {
		ev["history_unknown"] = d.historyWhy
	}
	return ev
}

// curWindowsUpdateDates grades the installed-update dates against cutoff.
// Every date has the readings it may have: a parsed one, plus the swapped
// day/month for an assumed M/D/YYYY; both for an ambiguous one; none when
// missing. PASS when some item is within the window in all its readings;
// FAIL when every item is older in all its readings; UNKNOWN otherwise (an
// ambiguous or missing date might be the newest, B18).
func curWindowsUpdateDates(env *Env, cutoff time.Time) curWinDates {
	f := env.Facts
	var d curWinDates
	allOld, anyItem := true, false
	consider := func(readings []time.Time, what string) {
		anyItem = true
		if len(readings) == 0 {
			allOld = false
			d.blocking = append(d.blocking, what+": no date")
			return
		}
		lo, hi := readings[0], readings[0]
		for _, r := range readings[1:] {
			if r.Before(lo) {
				lo = r
			}
			if r.After(hi) {
				hi = r
			}
		}
		if !lo.Before(cutoff) {
			if d.verdict != Pass || lo.After(d.newest) {
				d.verdict, d.newest, d.newestWhat = Pass, lo, what
			}
		}
		if !hi.Before(cutoff) {
			allOld = false
			if lo.Before(cutoff) {
				d.blocking = append(d.blocking, what+": could be "+curDay(lo)+" or "+curDay(hi))
			}
		}
		// report the translator's reading (the first) as the item's date
		if d.verdict != Pass && (d.newest.IsZero() || readings[0].After(d.newest)) {
			d.newest, d.newestWhat = readings[0], what
		}
	}
	if f.Hotfixes.Known() {
		for _, h := range f.Hotfixes.Items {
			d.hotfixes++
			what := "hotfix " + curOr(h.ID, "(no id)")
			readings, kind := curHotfixReadings(h)
			switch kind {
			case "certain":
				d.certain++
			case "assumed":
				d.assumed++
			case "ambiguous":
				d.ambiguous++
			default:
				d.missing++
			}
			consider(readings, what)
		}
	} else {
		d.hotfixesWhy = curWhy("patches", f.Hotfixes.Origin)
	}
	if f.UpdateHistory.Known() {
		for _, u := range f.UpdateHistory.Items {
			d.history++
			if u.ResultCode == nil || *u.ResultCode != wuSucceeded || u.Date == nil || *u.Date <= 0 {
				continue
			}
			if op := strings.ToLower(u.Operation); op != "" && !strings.Contains(op, "install") || strings.Contains(op, "uninstall") {
				continue
			}
			if !curIsOSPatchTitle(u.Title) {
				d.historySkipped++
				continue
			}
			d.historyUsed++
			consider([]time.Time{curUnix(*u.Date)}, "update "+strconv.Quote(u.Title))
		}
	} else {
		d.historyWhy = curWhy("windows_update_history", f.UpdateHistory.Origin)
	}
	sort.Strings(d.blocking)
	switch {
	case d.verdict == Pass:
	case !anyItem:
		d.verdict = Unknown
		d.reason = "no installed update with a date was found"
		if d.hotfixesWhy != "" || d.historyWhy != "" {
			d.reason += " (" + strings.Trim(d.hotfixesWhy+"; "+d.historyWhy, "; ") + ")"
		}
	case allOld:
		d.verdict = Fail
	default:
		d.verdict = Unknown
		d.reason = fmt.Sprintf("every certain date is older than %s, but %d update(s) have a missing or ambiguous date that may be newer (%s)",
			curDay(cutoff), len(d.blocking), strings.Join(curSample(d.blocking, 5), "; "))
	}
	return d
}

// curIsOSPatchTitle reports whether a Windows Update history title is an OS
// patch (carries a KB number and is not a definition or tool update).
func curIsOSPatchTitle(title string) bool {
	if !wuKB.MatchString(title) {
		return false
	}
	t := strings.ToLower(title)
	for _, s := range wuNotOSPatch {
		if strings.Contains(t, s) {
			return false
		}
	}
	return true
}

// curHotfixReadings returns the dates a hotfix may have been installed on
// and how certain the reading is: certain, assumed, ambiguous or missing.
func curHotfixReadings(h facts.Hotfix) ([]time.Time, string) {
	conf := strings.ToLower(strings.TrimSpace(h.DateConfidence))
	if h.InstalledOn != "" {
		t, err := time.Parse(time.DateOnly, h.InstalledOn)
		if err == nil {
			if strings.HasPrefix(conf, "assumed") {
				readings := []time.Time{t}
				if alt, ok := curSwapDayMonth(h.InstalledOnRaw, t); ok {
					readings = append(readings, alt)
				}
				return readings, "assumed"
			}
			return []time.Time{t}, "certain"
		}
	}
	if strings.TrimSpace(h.InstalledOnRaw) == "" || conf == "missing" {
		return nil, "missing"
	}
	if rs := curNumericDateReadings(h.InstalledOnRaw); len(rs) > 0 {
		return rs, "ambiguous"
	}
	return nil, "missing"
}

var numericDate = regexp.MustCompile(`^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$`)

// curNumericDateReadings returns every valid date a d/m/yyyy or m/d/yyyy text may mean.
func curNumericDateReadings(raw string) []time.Time {
	m := numericDate.FindStringSubmatch(raw)
	if m == nil {
		return nil
	}
	a, _ := strconv.Atoi(m[1])
	b, _ := strconv.Atoi(m[2])
	y, _ := strconv.Atoi(m[3])
	var out []time.Time
	for _, md := range [][2]int{{a, b}, {b, a}} {
		if t, ok := curDate(y, md[0], md[1]); ok {
			dup := false
			for _, o := range out {
				dup = dup || o.Equal(t)
			}
			if !dup {
				out = append(out, t)
			}
		}
	}
	return out
}

// curSwapDayMonth returns the other reading of an assumed M/D/YYYY date.
func curSwapDayMonth(raw string, parsed time.Time) (time.Time, bool) {
	for _, r := range curNumericDateReadings(raw) {
		if !r.Equal(parsed) {
			return r, true
		}
	}
	return time.Time{}, false
}

// curDate builds a valid calendar date (rejecting 31 April and the like).
func curDate(y, m, d int) (time.Time, bool) {
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t, t.Day() == d && int(t.Month()) == m
}
