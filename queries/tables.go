package queries

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

var (
	tableRe  = regexp.MustCompile(`(?i)\b(?:from|join)\s+([a-z_][a-z0-9_]*)`)
	cteRe    = regexp.MustCompile(`(?i)\b([a-z_][a-z0-9_]*)\s+as\s*\(`)
	simpleRe = regexp.MustCompile(`(?is)^\s*select\s+([a-z0-9_,\s]+?)\s+from\s+([a-z_][a-z0-9_]*)\s*(?:where\b.*)?;?\s*$`)
)

// TablesIn lists, in order of appearance, the tables a statement reads
// (common-table-expression names excluded). It is a light scan, not a parser:
// the schema test compiles every catalogue query in SQLite for the full check.
func TablesIn(sql string) []string {
	ctes := map[string]bool{}
	for _, m := range cteRe.FindAllStringSubmatch(sql, -1) {
		ctes[strings.ToLower(m[1])] = true
	}
	seen := map[string]bool{}
	var out []string
	for _, m := range tableRe.FindAllStringSubmatch(sql, -1) {
		t := strings.ToLower(m[1])
		if ctes[t] || seen[t] || t == "select" {
			continue
		}
		seen[t] = true
		out = append(out, t)
	}
	return out
}

// SimpleColumns returns the selected columns of a plain single-table
// `SELECT a, b FROM t [WHERE ...]`, and nil for anything more complex
// (several tables, subqueries, expressions).
func SimpleColumns(sql string) []string {
	m := simpleRe.FindStringSubmatch(sql)
	if m == nil || len(TablesIn(sql)) != 1 {
		return nil
	}
	var out []string
	for _, c := range strings.Split(m[1], ",") {
		c = strings.ToLower(strings.TrimSpace(c))
		if c == "" || strings.ContainsAny(c, " \t\n") || c == "1" {
			return nil
		}
		out = append(out, c)
	}
	return out
}

// SQLProblems checks a statement against osquery's schema without running it:
// every table it reads must be a core table that exists on each of platforms
// (osquery tokens; others are ignored), and a plain single-table SELECT may
// name only that table's columns. skip lists tables to leave unchecked
// (extension tables).
func SQLProblems(sql string, platforms []string, skip ...string) []string {
	schema, err := Schema()
	if err != nil {
		return []string{err.Error()}
	}
	var out []string
	for _, t := range TablesIn(sql) {
		if contains(skip, t) {
			continue
		}
		tab, ok := schema[t]
		if !ok {
			out = append(out, fmt.Sprintf("table %s is not an osquery 5.23.1 core table", t))
			continue
		}
		for _, p := range platforms {
			if (p == "linux" || p == "darwin" || p == "windows") && !tab.On(p) {
				out = append(out, fmt.Sprintf("table %s does not exist on %s", t, p))
			}
		}
		for _, col := range SimpleColumns(sql) {
			if _, ok := tab.Column(col); !ok {
				out = append(out, fmt.Sprintf("table %s has no column %s", t, col))
			}
		}
	}
	return out
}

// CheckSQL is SQLProblems for one catalogue query, as an error.
func CheckSQL(q Query) error {
	if len(TablesIn(q.SQL)) == 0 {
		return fmt.Errorf("reads no osquery table")
	}
	if ps := SQLProblems(q.SQL, q.Platforms); len(ps) > 0 {
		return errors.New(strings.Join(ps, "; "))
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
