package translator

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Date confidence values for Windows hotfix dates (facts.Hotfix.DateConfidence).
const (
	DateUnambiguous = "unambiguous"
	DateAssumedMDY  = "assumed M/D/YYYY"
	DateFiletime    = "filetime"
	DateAmbiguous   = "ambiguous"
	DateMissing     = "missing"
	DateUnparseable = "unparseable"
)

// civil returns y-m-d as YYYY-MM-DD when it is a real calendar date.
func civil(y, m, d int) (string, bool) {
	if y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > 31 {
		return "", false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d || int(t.Month()) != m {
		return "", false // 2/30
	}
	return t.Format("2006-01-02"), true
}

// splitDate splits "a<sep>b<sep>c" into three numbers.
func splitDate(s string, sep byte) (a, b, c int, ok bool) {
	fields := strings.Split(s, string(sep))
	if len(fields) != 3 {
		return 0, 0, 0, false
	}
	var n [3]int
	for i, fld := range fields {
		if !isDigits(fld) || len(fld) > 4 {
			return 0, 0, 0, false
		}
		n[i], _ = strconv.Atoi(fld)
	}
	return n[0], n[1], n[2], true
}

// parseISODate reads YYYY-MM-DD and YYYYMMDD (optionally followed by a time,
// as in WMI's 20191216000000.000000+000).
func parseISODate(s string) (string, bool) {
	if len(s) >= 10 && s[4] == '-' && s[7] == '-' {
		if y, m, d, ok := splitDate(s[:10], '-'); ok {
			return civil(y, m, d)
		}
	}
	if len(s) >= 8 && isDigits(s[:8]) && (len(s) == 8 || !isDigits(s[8:9]) || len(s) >= 14) {
		y, _ := strconv.Atoi(s[:4])
		m, _ := strconv.Atoi(s[4:6])
		d, _ := strconv.Atoi(s[6:8])
		return civil(y, m, d)
	}
	return "", false
}

// parseFirmwareDate reads platform_info.date: SMBIOS MM/DD/YYYY (or MM/DD/YY),
// YYYY-MM-DD and YYYYMMDD, surrounding space ignored.
func parseFirmwareDate(raw string) (string, bool) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", false
	}
	if m, d, y, ok := splitDate(s, '/'); ok {
		if y < 100 { // SMBIOS before 2.3 wrote two-digit years
			if y < 70 {
				y += 2000
			} else {
				y += 1900
			}
		}
		return civil(y, m, d)
	}
	return parseISODate(s)
}

// parseHotfixDate reads patches.installed_on (B18). Windows writes it in the
// machine's locale, or as a 16-hex-digit FILETIME on old systems:
//   - "" → missing;
//   - 16 hex digits → FILETIME (100 ns ticks since 1601-01-01 UTC);
//   - a/b/YYYY: first > 12 → D/M (unambiguous); second > 12 → M/D
//     (unambiguous); both ≤ 12 → M/D, WMI's usual order, flagged as assumed;
//   - a-b-YYYY: one field > 12 decides (unambiguous); both ≤ 12 → ambiguous,
//     no date;
//   - YYYY-MM-DD, YYYYMMDD → unambiguous.
//
// A time after the date ("7/9/2024 12:00:00 AM") is ignored.
func parseHotfixDate(raw string) (date, confidence string) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", DateMissing
	}
	if len(s) == 16 && isHex(s) {
		ticks, err := strconv.ParseUint(s, 16, 64)
		if err == nil {
			secs := int64(ticks/10_000_000) - 11_644_473_600
			t := time.Unix(secs, 0).UTC()
			if t.Year() >= 1990 && t.Year() <= 2999 {
				return t.Format("2006-01-02"), DateFiletime
			}
		}
		return "", DateUnparseable
	}
	if i := strings.IndexByte(s, ' '); i > 0 {
		s = s[:i]
	}
	if d, ok := parseISODate(s); ok {
		return d, DateUnambiguous
	}
	for _, sep := range []byte{'/', '-', '.'} {
		a, b, y, ok := splitDate(s, sep)
		if !ok || y < 1000 {
			continue
		}
		var d string
		switch {
		case a > 12 && b <= 12:
			d, ok = civil(y, b, a)
			confidence = DateUnambiguous
		case b > 12 && a <= 12:
			d, ok = civil(y, a, b)
			confidence = DateUnambiguous
		case a <= 12 && b <= 12 && sep == '/':
			d, ok = civil(y, a, b)
			confidence = DateAssumedMDY
		case a <= 12 && b <= 12:
			if _, valid := civil(y, a, b); valid {
				return "", DateAmbiguous
			}
			ok = false
		default:
			ok = false
		}
		if ok {
			return d, confidence
		}
		return "", DateUnparseable
	}
	return "", DateUnparseable
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return s != ""
}

// dayUnix turns a YYYYMMDD/YYYY-MM-DD text (programs.install_date) into the
// unix time of that day's midnight UTC.
func dayUnix(s string) (int64, error) {
	d, ok := parseISODate(strings.TrimSpace(s))
	if !ok {
		return 0, fmt.Errorf("%q is not a YYYYMMDD date", s)
	}
	t, err := time.Parse("2006-01-02", d)
	if err != nil {
		return 0, err
	}
	return t.Unix(), nil
}
