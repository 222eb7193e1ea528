package translator

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"unsafe"

	"github.com/miccmac/miccmac-osq/queries"
	"github.com/tidwall/gjson"
)

// cellText converts one JSON value of a row to osquery's text form. Strings
// are kept as they are; numbers and true/false keep their exact literal text
// (so integers above 2^53 are not rounded); null means NULL (ok=false).
// Objects and arrays, which osquery never emits as values, keep their JSON text.
func cellText(v gjson.Result) (text string, ok bool) {
	switch v.Type {
	case gjson.Null:
		return "", false
	case gjson.String:
		return v.Str, true
	default:
		return v.Raw, true
	}
}

// rowFromObject builds a Row from a JSON object. obj must point into memory
// that is kept (the Row's strings share it). A key that appears twice keeps
// its first value, as gjson and osquery's own readers do; the duplicates are
// returned so the caller can warn.
func rowFromObject(obj gjson.Result, sizeHint int) (row queries.Row, dups []string) {
	row = make(queries.Row, sizeHint)
	var nulls []string
	obj.ForEach(func(k, v gjson.Result) bool {
		key := k.Str
		if _, seen := row[key]; seen || slices.Contains(nulls, key) {
			dups = append(dups, key)
			return true
		}
		if text, ok := cellText(v); ok {
			row[key] = text
		} else {
			nulls = append(nulls, key)
		}
		return true
	})
	return row, dups
}

// intField reads an envelope number (unixTime, epoch, counter) given as a JSON
// number or a string of digits.
func intField(v gjson.Result) (int64, bool) {
	s, ok := numText(v)
	if !ok {
		return 0, false
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, true
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsNaN(f) && f >= math.MinInt64 && f < math.MaxInt64 {
		return int64(f), true
	}
	return 0, false
}

// uintField is intField for non-negative counters.
func uintField(v gjson.Result) (uint64, bool) {
	s, ok := numText(v)
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseUint(s, 10, 64)
	return n, err == nil
}

// numText is the text of a JSON number, or of a string that may hold one.
func numText(v gjson.Result) (string, bool) {
	switch v.Type {
	case gjson.Number:
		return v.Raw, true
	case gjson.String:
		return strings.TrimSpace(v.Str), true
	}
	return "", false
}

// transient views b as a string without copying, for parsing a line that
// lives in a reused read buffer. Nothing derived from it may be kept: callers
// clone what they store.
func transient(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// snippet shortens s for a message.
func snippet(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 60 {
		s = s[:60] + "…"
	}
	return strconv.Quote(s)
}
