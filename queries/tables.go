package queries

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
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
	if p := statementProblem(sql); p != "" {
		out = append(out, p)
	}
	for _, t := range TablesIn(sql) {
		if slices.Contains(skip, t) {
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

// statementProblem requires one read-only statement: SELECT or WITH ...
// SELECT, with at most a trailing semicolon (osquery runs whatever it is
// given, so a pack or custom check must not smuggle in a second statement).
func statementProblem(sql string) string {
	t := strings.TrimSpace(stripSQLComments(sql))
	t = strings.TrimSpace(strings.TrimSuffix(t, ";"))
	first := strings.ToUpper(strings.SplitN(t+" ", " ", 2)[0])
	if first != "SELECT" && first != "WITH" {
		return "not a SELECT statement"
	}
	if strings.Contains(withoutStrings(t), ";") {
		return "more than one statement (only one SELECT is allowed)"
	}
	return ""
}

// stripSQLComments removes -- line comments outside string literals.
func stripSQLComments(sql string) string {
	var b strings.Builder
	in, comment := false, false
	for i := 0; i < len(sql); i++ {
		c := sql[i]
		switch {
		case comment:
			if c == '\n' {
				comment = false
				b.WriteByte(c)
			}
		case c == '\'':
			in = !in
			b.WriteByte(c)
		case !in && c == '-' && i+1 < len(sql) && sql[i+1] == '-':
			comment = true
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// withoutStrings blanks out single-quoted literals (which may hold ';').
func withoutStrings(sql string) string {
	var b strings.Builder
	in := false
	for _, r := range sql {
		if r == '\'' {
			in = !in
			continue
		}
		if !in {
			b.WriteRune(r)
		}
	}
	return b.String()
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
