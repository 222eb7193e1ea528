package engine

import (
	"fmt"
	"strconv"
	"strings"
)

// DebVersion is a parsed Debian package version: [epoch:]upstream[-revision].
type DebVersion struct {
	Epoch    int64
	Upstream string
	// Revision is the Debian revision after the last hyphen; empty for native packages.
	Revision string
}

// ParseDebVersion parses a dpkg version string with dpkg's rules: the epoch is
// the part before the first colon, the revision the part after the last
// hyphen. It rejects what dpkg rejects (empty, embedded spaces, bad epoch,
// empty upstream or revision, characters outside the allowed set).
func ParseDebVersion(s string) (DebVersion, error) {
	var v DebVersion
	s = strings.TrimSpace(s)
	if s == "" {
		return v, fmt.Errorf("dpkg version: empty")
	}
	if strings.ContainsAny(s, " \t\n") {
		return v, fmt.Errorf("dpkg version %q: embedded spaces", s)
	}
	rest := s
	if i := strings.IndexByte(s, ':'); i >= 0 {
		e, err := strconv.ParseInt(s[:i], 10, 32)
		if err != nil || e < 0 {
			return v, fmt.Errorf("dpkg version %q: epoch %q is not a non-negative number", s, s[:i])
		}
		v.Epoch = e
		rest = s[i+1:]
		if rest == "" {
			return v, fmt.Errorf("dpkg version %q: nothing after the epoch", s)
		}
	}
	v.Upstream = rest
	if i := strings.LastIndexByte(rest, '-'); i >= 0 {
		v.Upstream, v.Revision = rest[:i], rest[i+1:]
		if v.Revision == "" {
			return v, fmt.Errorf("dpkg version %q: empty revision after '-'", s)
		}
	}
	if v.Upstream == "" {
		return v, fmt.Errorf("dpkg version %q: empty upstream version", s)
	}
	for _, r := range v.Upstream {
		if !verAlnum(r) && !strings.ContainsRune(".-+~:", r) {
			return v, fmt.Errorf("dpkg version %q: invalid character %q in upstream version", s, r)
		}
	}
	for _, r := range v.Revision {
		if !verAlnum(r) && !strings.ContainsRune(".+~", r) {
			return v, fmt.Errorf("dpkg version %q: invalid character %q in revision", s, r)
		}
	}
	return v, nil
}

// CompareDebVersions compares two dpkg version strings as dpkg
// --compare-versions does: -1 when a < b, 0 when equal, 1 when a > b.
func CompareDebVersions(a, b string) (int, error) {
	va, err := ParseDebVersion(a)
	if err != nil {
		return 0, err
	}
	vb, err := ParseDebVersion(b)
	if err != nil {
		return 0, err
	}
	return va.Compare(vb), nil
}

// Compare orders two parsed Debian versions: epoch numerically, then upstream
// and revision with dpkg's verrevcmp.
func (v DebVersion) Compare(o DebVersion) int {
	switch {
	case v.Epoch < o.Epoch:
		return -1
	case v.Epoch > o.Epoch:
		return 1
	}
	if c := verrevcmp(v.Upstream, o.Upstream); c != 0 {
		return c
	}
	return verrevcmp(v.Revision, o.Revision)
}

// debOrder is dpkg's character weight: digits and the end sort as 0, letters
// by their code, '~' before everything (even the end), other characters after
// all letters.
func debOrder(s string, i int) int {
	if i >= len(s) {
		return 0
	}
	c := s[i]
	switch {
	case verDigit(c):
		return 0
	case (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'):
		return int(c)
	case c == '~':
		return -1
	default:
		return int(c) + 256
	}
}

// verrevcmp is dpkg's lib/dpkg/version.c verrevcmp: alternate non-digit runs
// (compared by debOrder) and digit runs (compared numerically).
func verrevcmp(a, b string) int {
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		for (i < len(a) && !verDigit(a[i])) || (j < len(b) && !verDigit(b[j])) {
			ac, bc := debOrder(a, i), debOrder(b, j)
			if ac != bc {
				return verSign(ac - bc)
			}
			i++
			j++
		}
		for i < len(a) && a[i] == '0' {
			i++
		}
		for j < len(b) && b[j] == '0' {
			j++
		}
		firstDiff := 0
		for i < len(a) && verDigit(a[i]) && j < len(b) && verDigit(b[j]) {
			if firstDiff == 0 {
				firstDiff = int(a[i]) - int(b[j])
			}
			i++
			j++
		}
		if i < len(a) && verDigit(a[i]) {
			return 1
		}
		if j < len(b) && verDigit(b[j]) {
			return -1
		}
		if firstDiff != 0 {
			return verSign(firstDiff)
		}
	}
	return 0
}

// CompareRPMVersions compares two rpm [epoch:]version[-release] strings the
// way rpm orders EVRs: a missing epoch is 0, then version and release with
// rpmvercmp. It returns -1, 0 or 1.
func CompareRPMVersions(a, b string) int {
	ea, va, ra := splitEVR(a)
	eb, vb, rb := splitEVR(b)
	return CompareEVR(ea, va, ra, eb, vb, rb)
}

// CompareEVR compares two (epoch, version, release) triples as rpm does. An
// empty epoch is 0; a non-numeric epoch compares with rpmvercmp. An empty
// release on either side is not compared (rpm's rule for "version only").
func CompareEVR(e1, v1, r1, e2, v2, r2 string) int {
	n1, err1 := epochNumber(e1)
	n2, err2 := epochNumber(e2)
	if err1 == nil && err2 == nil {
		if n1 != n2 {
			if n1 < n2 {
				return -1
			}
			return 1
		}
	} else if c := RPMVerCmp(e1, e2); c != 0 {
		return c
	}
	if c := RPMVerCmp(v1, v2); c != 0 {
		return c
	}
	if r1 == "" || r2 == "" {
		return 0
	}
	return RPMVerCmp(r1, r2)
}

func epochNumber(e string) (int64, error) {
	if e == "" {
		return 0, nil
	}
	return strconv.ParseInt(e, 10, 64)
}

// splitEVR splits "[epoch:]version[-release]".
func splitEVR(s string) (epoch, version, release string) {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, ':'); i >= 0 {
		epoch, s = s[:i], s[i+1:]
	}
	version = s
	if i := strings.LastIndexByte(s, '-'); i >= 0 {
		version, release = s[:i], s[i+1:]
	}
	return epoch, version, release
}

// RPMVerCmp is rpm's rpmvercmp (rpmio/rpmvercmp.c): compare alternating
// alphabetic and numeric segments, numbers numerically and longer wins,
// letters before numbers; '~' sorts before anything (pre-releases) and '^'
// after the end but before any other segment (post-release snapshots).
func RPMVerCmp(a, b string) int {
	if a == b {
		return 0
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		for i < len(a) && !verAlnumByte(a[i]) && a[i] != '~' && a[i] != '^' {
			i++
		}
		for j < len(b) && !verAlnumByte(b[j]) && b[j] != '~' && b[j] != '^' {
			j++
		}
		// tilde: sorts before everything else
		if (i < len(a) && a[i] == '~') || (j < len(b) && b[j] == '~') {
			if i >= len(a) || a[i] != '~' {
				return 1
			}
			if j >= len(b) || b[j] != '~' {
				return -1
			}
			i++
			j++
			continue
		}
		// caret: sorts after the end of the string, before any other segment
		if (i < len(a) && a[i] == '^') || (j < len(b) && b[j] == '^') {
			if i >= len(a) {
				return -1
			}
			if j >= len(b) {
				return 1
			}
			if a[i] != '^' {
				return 1
			}
			if b[j] != '^' {
				return -1
			}
			i++
			j++
			continue
		}
		if i >= len(a) || j >= len(b) {
			break
		}
		si, sj := i, j
		isNum := verDigit(a[i])
		if isNum {
			for i < len(a) && verDigit(a[i]) {
				i++
			}
			for j < len(b) && verDigit(b[j]) {
				j++
			}
		} else {
			for i < len(a) && verAlpha(a[i]) {
				i++
			}
			for j < len(b) && verAlpha(b[j]) {
				j++
			}
		}
		segA, segB := a[si:i], b[sj:j]
		if segB == "" {
			// segment types differ: numeric is newer than alphabetic
			if isNum {
				return 1
			}
			return -1
		}
		if isNum {
			segA = strings.TrimLeft(segA, "0")
			segB = strings.TrimLeft(segB, "0")
			if len(segA) != len(segB) {
				if len(segA) > len(segB) {
					return 1
				}
				return -1
			}
		}
		if c := strings.Compare(segA, segB); c != 0 {
			return c
		}
	}
	switch {
	case i >= len(a) && j >= len(b):
		return 0
	case i >= len(a):
		return -1
	default:
		return 1
	}
}

func verDigit(c byte) bool     { return c >= '0' && c <= '9' }
func verAlpha(c byte) bool     { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }
func verAlnumByte(c byte) bool { return verDigit(c) || verAlpha(c) }
func verAlnum(r rune) bool     { return r < 128 && verAlnumByte(byte(r)) }
func verSign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}
