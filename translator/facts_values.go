package translator

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/miccmac/miccmac-osq/queries"
)

// Row values arrive as osquery emits them: text, "" for an unknown number, a
// missing key for NULL. These helpers turn them into facts values and record
// every oddity as a note on the section being built, never as a silent zero.

// text returns the column's value with surrounding white space removed
// ("Apple Inc. " is "Apple Inc."); "" when the column is NULL.
func text(r queries.Row, col string) string { return strings.TrimSpace(r[col]) }

// has reports whether the row carries the column at all (NULL columns and
// columns an older osquery did not have are absent).
func has(r queries.Row, col string) bool {
	_, ok := r[col]
	return ok
}

// firstText returns the first non-empty trimmed value among cols.
func firstText(r queries.Row, cols ...string) string {
	for _, c := range cols {
		if v := text(r, c); v != "" {
			return v
		}
	}
	return ""
}

// intOf parses an osquery integer column. "" and NULL are unknown (nil). A
// value that is not a whole number, or does not fit in int64, is unknown with
// a note: precision is never lost by going through float64.
func (f *feed) intOf(p *part, r queries.Row, col string) *int64 {
	v, ok := r[col]
	if !ok {
		return nil
	}
	v = strings.TrimSpace(v)
	if v == "" {
		return nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err == nil {
		return &n
	}
	if errors.Is(err, strconv.ErrRange) {
		f.note(p, fmt.Sprintf("%s.%s: value beyond the 64-bit integer range, read as unknown", p.query, col), v)
		return nil
	}
	// A JSON number logged as 24.0 is still a whole number.
	if whole, frac, found := strings.Cut(v, "."); found && strings.Trim(frac, "0") == "" && whole != "" && whole != "-" {
		if n, err := strconv.ParseInt(whole, 10, 64); err == nil {
			return &n
		}
	}
	f.note(p, fmt.Sprintf("%s.%s: not a whole number, read as unknown", p.query, col), v)
	return nil
}

// knownInt is intOf for columns where osquery writes -1 for "could not tell"
// (os_version major/minor/patch, listening_ports pid): -1 is nil with a note.
func (f *feed) knownInt(p *part, r queries.Row, col string) *int64 {
	n := f.intOf(p, r, col)
	if n != nil && *n == -1 {
		f.note(p, fmt.Sprintf("%s.%s: -1 (osquery could not tell), read as unknown", p.query, col), "")
		return nil
	}
	return n
}

// seconds parses a time column that may carry a fraction
// (package_receipts.install_time "1504522132.67707"): the whole seconds, read
// from the text so large values stay exact.
func (f *feed) seconds(p *part, r queries.Row, col string) *int64 {
	v := strings.TrimSpace(r[col])
	if whole, frac, found := strings.Cut(v, "."); found && isDigits(frac) {
		if whole == "" {
			whole = "0"
		}
		return f.intOf(p, queries.Row{col: whole}, col)
	}
	return f.intOf(p, r, col)
}

// flag parses a boolean column: "1"/"0" (osquery's integers), and the
// true/false, yes/no spellings some tables and packs use. "" and NULL are nil;
// anything else is nil with a note.
func (f *feed) flag(p *part, r queries.Row, col string) *bool {
	v, ok := r[col]
	if !ok {
		return nil
	}
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "":
		return nil
	case "1", "true", "yes", "on":
		return ptr(true)
	case "0", "false", "no", "off":
		return ptr(false)
	}
	f.note(p, fmt.Sprintf("%s.%s: not a yes/no value, read as unknown", p.query, col), v)
	return nil
}

func ptr[T any](v T) *T { return &v }

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// noteSet collects a section's notes. Row-level notes repeat, so each message
// is kept once with its count and the first example value.
type noteSet struct {
	order   []string
	count   map[string]int
	example map[string]string
}

func (n *noteSet) add(msg, example string) {
	if n.count == nil {
		n.count = map[string]int{}
		n.example = map[string]string{}
	}
	if n.count[msg] == 0 {
		n.order = append(n.order, msg)
		n.example[msg] = example
	}
	n.count[msg]++
}

// list renders the notes in the order they were first seen; nil when none.
func (n *noteSet) list() []string {
	if len(n.order) == 0 {
		return nil
	}
	out := make([]string, 0, len(n.order))
	for _, m := range n.order {
		var extra []string
		if ex := n.example[m]; ex != "" {
			extra = append(extra, fmt.Sprintf("e.g. %q", ex))
		}
		if c := n.count[m]; c > 1 {
			extra = append(extra, fmt.Sprintf("%d rows", c))
		}
		if len(extra) > 0 {
			m += " (" + strings.Join(extra, "; ") + ")"
		}
		out = append(out, m)
	}
	return out
}
