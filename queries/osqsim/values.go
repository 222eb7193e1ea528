package osqsim

import (
	"database/sql/driver"
	"errors"
	"math"
	"strconv"
	"strings"
)

// cellValue types one fixture cell the way osquery's virtual tables do
// (DynamicTableRow::get_column): integer types through strtoll base 0,
// double through strtod. Text osquery cannot convert is NULL under
// osqueryNulls and kept as given otherwise.
func cellValue(typ, v string, osqueryNulls bool) driver.Value {
	switch typ {
	case "integer", "bigint", "unsigned_bigint":
		if n, ok := parseCInt(v); ok {
			return n
		}
	case "double":
		if f, ok := parseCDouble(v); ok {
			return f
		}
	default:
		return v
	}
	if osqueryNulls {
		return nil
	}
	return v
}

// cSpace is C's isspace set, which strtoll and strtod skip before a number.
const cSpace = " \t\n\v\f\r"

// parseCInt accepts what osquery's tryTo<long long>(s, 0) accepts: strtoll
// with base 0 (0x hex, leading-0 octal, decimal) consuming the whole string,
// in range.
func parseCInt(s string) (int64, bool) {
	t := strings.TrimLeft(s, cSpace)
	neg := false
	if t != "" && (t[0] == '+' || t[0] == '-') {
		neg = t[0] == '-'
		t = t[1:]
	}
	base := 10
	switch {
	case len(t) > 2 && (t[:2] == "0x" || t[:2] == "0X"):
		base, t = 16, t[2:]
	case len(t) > 1 && t[0] == '0':
		base, t = 8, t[1:]
	}
	if t == "" || strings.ContainsAny(t, "+-_") {
		return 0, false
	}
	u, err := strconv.ParseUint(t, base, 64)
	if err != nil {
		return 0, false
	}
	switch {
	case !neg && u <= math.MaxInt64:
		return int64(u), true
	case neg && u <= 1<<63:
		return -int64(u-1) - 1, true
	}
	return 0, false
}

// parseCDouble accepts what strtod accepts when it must consume the whole string.
func parseCDouble(s string) (float64, bool) {
	t := strings.TrimLeft(s, cSpace)
	if t == "" || strings.Contains(t, "_") {
		return 0, false
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, false
	}
	return f, true
}

// outputText renders a result value as osquery prints it; false for NULL.
func outputText(v any) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "", false
	case int64:
		return strconv.FormatInt(x, 10), true
	case float64:
		return formatDouble(x), true
	case string:
		return x, true
	case []byte:
		return string(x), true
	case bool:
		if x {
			return "1", true
		}
		return "0", true
	default:
		return "", false
	}
}

// formatDouble prints a REAL the way osquery's castVariant does, except that
// it uses the shortest exact form rather than 17 significant digits: whole
// numbers get ".0" (1 -> "1.0"), infinities read "inf"/"-inf".
func formatDouble(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}
