package osqsim

import (
	"database/sql/driver"
	"strings"
)

// versionFlags select osquery's package-version rules (sqlite_version.cpp).
type versionFlags struct {
	// epoch: a version with an "N:" epoch sorts above one without.
	epoch bool
	// delimPrecedence: delimiters order as ~ < - < ^ < . < :
	delimPrecedence bool
	// compRemaining: trailing content decides (~ lower, ^ higher, - equal).
	compRemaining bool
	// remainderPrecedence: after a digit, only length decides.
	remainderPrecedence bool
}

// versionFlavors are version_compare's optional third argument.
var versionFlavors = map[string]versionFlags{
	"ARCH": {epoch: true, compRemaining: true, remainderPrecedence: true},
	"DPKG": {epoch: true, delimPrecedence: true},
	"RHEL": {epoch: true, delimPrecedence: true, compRemaining: true},
}

// versionCollations are osquery's COLLATE names.
var versionCollations = map[string]versionFlags{
	"version":      {},
	"version_arch": versionFlavors["ARCH"],
	"version_dpkg": versionFlavors["DPKG"],
	"version_rhel": versionFlavors["RHEL"],
}

// fnVersionCompare is version_compare(left, right [, 'ARCH'|'DPKG'|'RHEL']):
// -1, 0 or 1.
func fnVersionCompare(a []driver.Value) (driver.Value, error) {
	if len(a) < 2 {
		return nil, osqueryError("Must provide two version strings to compare.")
	}
	l, ok1 := a[0].(string)
	r, ok2 := a[1].(string)
	if !ok1 || !ok2 {
		return nil, osqueryError("Must provide two version strings to compare.")
	}
	var f versionFlags
	if len(a) > 2 {
		flavor, ok := a[2].(string)
		if !ok {
			return nil, osqueryError("The optional third parameter is not a string.")
		}
		if f, ok = versionFlavors[strings.ToUpper(flavor)]; !ok {
			return nil, osqueryError("The optional third parameter does not match one of: (ARCH, DPKG, RHEL).")
		}
	}
	return int64(max(-1, min(1, versionCompare(l, r, f)))), nil
}

// delimiter ranks osquery's version delimiters; 0 for other bytes.
func delimiter(c byte) int {
	return strings.IndexByte("~-^.:", c) + 1
}

// versionCompare orders two version strings the way osquery does: segments
// compare by their first differing byte, a delimiter ends a segment, and a
// longer version wins unless the flags say otherwise.
func versionCompare(l, r string, f versionFlags) int {
	switch {
	case l == "" && r == "":
		return 0
	case l == "":
		return -1
	case r == "":
		return 1
	case l == r:
		return 0
	}
	if f.epoch {
		li, ri := strings.IndexByte(l, ':'), strings.IndexByte(r, ':')
		switch {
		case li >= 0 && ri >= 0 && li != ri:
			return li - ri
		case li >= 0 && ri < 0:
			return 1
		case li < 0 && ri >= 0:
			return -1
		}
	}
	diff := 0
	n := min(len(l), len(r))
	for i := 0; i < n; i++ {
		ld, rd := delimiter(l[i]), delimiter(r[i])
		switch {
		case ld == 0 && rd == 0:
			if diff == 0 {
				// osquery subtracts (signed) chars.
				diff = int(int8(l[i])) - int(int8(r[i]))
			}
			continue
		case ld == 0:
			return 1
		case rd == 0:
			return -1
		}
		if diff != 0 {
			return diff
		}
		if f.delimPrecedence && ld != rd {
			return ld - rd
		}
	}
	if len(l) == len(r) {
		return diff
	}
	return compareRemainder(l, r, n, diff, f)
}

// compareRemainder decides between versions when one is a prefix-length
// longer than the other (pos is the shorter length).
func compareRemainder(l, r string, pos, diff int, f versionFlags) int {
	isDigit := func(c byte) bool { return c >= '0' && c <= '9' }
	if len(l) == pos {
		if f.compRemaining {
			switch r[pos] {
			case '~':
				return 1
			case '-':
				return 0
			case '^':
				return -1
			default:
				if diff != 0 && (!f.remainderPrecedence || !isDigit(l[pos-1])) {
					return diff
				}
			}
		} else if diff != 0 && delimiter(r[pos]) > 0 {
			return diff
		}
	}
	if len(r) == pos {
		if f.compRemaining {
			switch l[pos] {
			case '~':
				return -1
			case '-':
				return 0
			case '^':
				return 1
			default:
				if diff != 0 && (!f.remainderPrecedence || !isDigit(r[pos-1])) {
					return diff
				}
			}
		} else if diff != 0 && delimiter(l[pos]) > 0 {
			return diff
		}
	}
	return len(l) - len(r)
}
