package engine

import (
	"fmt"
	"time"
)

// CUR-01 Operating-system patch level within policy.
//
// A release past its vendor's end of support (data/os-lifecycle.yaml) fails
// whatever else holds. Then, per OS:
//   - Linux: automatic updates on and the last package change within
//     linux_patch_max_age_days -> PASS; one of the two -> PARTIAL; neither -> FAIL.
//     "unattended-upgrades is not installed" and the rpm install times need
//     their own package table (deb, rpm) to have answered; otherwise that
//     half is unknown (packageSourcesIncomplete), never "off".
//   - Windows: product from build and SKU; a revision below a cumulative update
//     older than windows_patch_max_age_days -> FAIL; newest installed update
//     (patches, windows_update_history) within the window -> PASS, older -> FAIL,
//     no parsed date -> UNKNOWN (never FAIL on ambiguous dates, B18).
//   - macOS: automatic updates on and a supported version -> PASS.
//
// A release the table does not know is said so in the evidence and the rest
// is graded.
func init() { register("CUR-01", checkCUR01) }

func checkCUR01(env *Env) Outcome {
	o := env.Facts.OS
	if !o.Known() {
		return outcome(Unknown, map[string]any{"os_state": string(o.State), "os_reason": o.Reason},
			"os_version was not collected: %s", curOr(o.Reason, string(o.State)))
	}
	switch o.Kind {
	case "linux":
		return cur01Linux(env)
	case "darwin":
		return cur01Darwin(env)
	case "windows":
		return cur01Windows(env)
	}
	return outcome(Unknown, map[string]any{"os_name": o.Name, "os_platform": o.Platform, "os_kind": o.Kind},
		"The OS %q (platform %q) is not one this check has patch rules for, so it is not graded.", o.Name, o.Platform)
}

// curSupport is a Linux or macOS release's support state.
type curSupport struct {
	// Known is false when the lifecycle table has no entry for the release.
	Known bool
	// Ended is true when the release is past end of support (extended
	// support in use counts as support).
	Ended bool
	Name  string
	// EndDate is the date support ends/ended (extended date when in use).
	EndDate   string
	Estimated bool
	Evidence  map[string]any
}

// curReleaseSupport looks the device's release up in the lifecycle table.
func curReleaseSupport(env *Env) curSupport {
	o := env.Facts.OS
	r, key := lifecycle().findRelease(o)
	ev := map[string]any{"platform": o.Platform, "release": key, "os_name": o.Name, "os_version": o.Version}
	if r == nil {
		if key == "" {
			ev["lifecycle"] = "release could not be derived from os_version"
		} else {
			ev["lifecycle"] = fmt.Sprintf("%s %s is not in data/os-lifecycle.yaml; end of support not graded", o.Platform, key)
		}
		return curSupport{Evidence: ev, Name: curOr(o.Name, o.Platform) + " " + key}
	}
	s := curSupport{Known: true, Name: r.Name, EndDate: r.EOL, Estimated: r.Estimated, Evidence: ev}
	ev["lifecycle_name"] = r.Name
	ev["end_of_support"] = r.EOL
	if r.Estimated {
		ev["end_of_support_estimated"] = true
	}
	if r.Note != "" {
		ev["lifecycle_note"] = r.Note
	}
	if !env.Now.After(endOfDay(r.eol)) {
		ev["days_to_end_of_support"] = curAgeDays(endOfDay(r.eol), env.Now)
		return s
	}
	if r.ExtendedUntil != "" {
		hosts := curExtendedRepoHosts(env, r.ExtendedVia)
		ev["extended_support_until"] = r.ExtendedUntil
		switch {
		case len(hosts) == 0:
			ev["extended_support"] = fmt.Sprintf("not in use: no repository from %v", r.ExtendedVia)
		case env.Now.After(endOfDay(r.extended)):
			ev["extended_support"] = "ended"
		default:
			ev["extended_support"] = "in use via " + fmt.Sprint(hosts)
			s.EndDate = r.ExtendedUntil
			return s
		}
	}
	s.Ended = true
	return s
}

// curExtendedRepoHosts returns the configured repositories served by any of
// hosts (exact host or subdomain); empty when none or repositories unknown.
func curExtendedRepoHosts(env *Env, hosts []string) []string {
	if !env.Facts.Repositories.Known() {
		return nil
	}
	var out []string
	for _, r := range env.Facts.Repositories.Items {
		h := curRepoHost(r.BaseURI)
		for _, want := range hosts {
			if curHostMatches(h, want, false) {
				out = append(out, h)
			}
		}
	}
	return curSorted(out)
}

// curEOLOutcome is the FAIL for a release past end of support.
func curEOLOutcome(s curSupport, ev map[string]any) Outcome {
	est := ""
	if s.Estimated {
		est = " (estimated: the vendor publishes no date)"
	}
	return outcome(Fail, ev, "%s reached end of security support on %s%s; it no longer receives patches.", s.Name, s.EndDate, est)
}

// curWithin reports whether t is no more than maxDays before now.
func curWithin(now, t time.Time, maxDays int) bool {
	return !t.Before(now.AddDate(0, 0, -maxDays))
}
