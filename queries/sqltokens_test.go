package queries_test

import (
	"strings"
	"unicode"
)

// sqlTokens splits SQL into lower-cased words (keywords and identifiers,
// quoted identifiers unquoted) and single punctuation characters, skipping
// comments, string literals and numbers. It is just enough for tablesRead.
func sqlTokens(sql string) []string {
	var out []string
	s := []rune(sql)
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case unicode.IsSpace(c):
			i++
		case c == '-' && i+1 < len(s) && s[i+1] == '-':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			end := strings.Index(string(s[i+2:]), "*/")
			if end < 0 {
				return out
			}
			i += 2 + len([]rune(string(s[i+2:])[:end])) + 2
		case c == '\'':
			i = skipQuoted(s, i, '\'')
		case c == '"' || c == '`' || c == '[':
			closer := c
			if c == '[' {
				closer = ']'
			}
			j := skipQuoted(s, i, closer)
			out = append(out, strings.ToLower(strings.ReplaceAll(string(s[i+1:j-1]), string(closer)+string(closer), string(closer))))
			i = j
		case c == '_' || unicode.IsLetter(c):
			j := i
			for j < len(s) && (s[j] == '_' || s[j] == '$' || unicode.IsLetter(s[j]) || unicode.IsDigit(s[j])) {
				j++
			}
			out = append(out, strings.ToLower(string(s[i:j])))
			i = j
		case unicode.IsDigit(c):
			for i < len(s) && (unicode.IsDigit(s[i]) || unicode.IsLetter(s[i]) || s[i] == '.') {
				i++
			}
		default:
			out = append(out, string(c))
			i++
		}
	}
	return out
}

// skipQuoted returns the index just past the quoted run starting at i
// (a doubled closer is an escaped one).
func skipQuoted(s []rune, i int, closer rune) int {
	for j := i + 1; j < len(s); j++ {
		if s[j] == closer {
			if j+1 < len(s) && s[j+1] == closer && closer != ']' {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(s)
}

// endOfFrom are the words that end a FROM clause at its own nesting level.
var endOfFrom = map[string]bool{
	"where": true, "group": true, "order": true, "limit": true, "union": true, "except": true,
	"intersect": true, "having": true, "window": true, "returning": true, ";": true,
}

// tablesRead lists, in order of first use, the tables a query reads in its
// FROM clauses (JOINs and comma joins), leaving out CTE names, subqueries
// and table-valued functions.
func tablesRead(sql string) []string {
	toks := sqlTokens(sql)
	at := func(i int) string {
		if i < len(toks) {
			return toks[i]
		}
		return ""
	}
	// CTE names: word [ (cols) ] AS (
	ctes := map[string]bool{}
	for i := range toks {
		j := i + 1
		if at(j) == "(" {
			j = skipGroup(toks, j)
		}
		if isWord(toks[i]) && at(j) == "as" && at(j+1) == "(" {
			ctes[toks[i]] = true
		}
	}
	var out []string
	seen := map[string]bool{}
	for i, tok := range toks {
		if tok != "from" {
			continue
		}
		// Walk this FROM clause at its own depth; a table reference follows
		// FROM, JOIN or a comma.
		expect := true
		for j := i + 1; j < len(toks); j++ {
			t := toks[j]
			switch {
			case t == ")" || endOfFrom[t]:
				j = len(toks)
			case t == "(":
				// A subquery or a function's arguments: its FROMs are walked on their own.
				j = skipGroup(toks, j) - 1
				expect = false
			case t == "join" || t == ",":
				expect = true
			case expect && isWord(t):
				expect = false
				name := t
				if at(j+1) == "." && isWord(at(j+2)) {
					name = at(j + 2)
					j += 2
				}
				if at(j+1) == "(" || ctes[name] || seen[name] {
					continue // table-valued function, CTE, or already listed
				}
				seen[name] = true
				out = append(out, name)
			}
		}
	}
	return out
}

// skipGroup returns the index just past the parenthesised group starting at i.
func skipGroup(toks []string, i int) int {
	depth := 0
	for ; i < len(toks); i++ {
		switch toks[i] {
		case "(":
			depth++
		case ")":
			if depth--; depth == 0 {
				return i + 1
			}
		}
	}
	return i
}

func isWord(s string) bool {
	return s != "" && (s[0] == '_' || unicode.IsLetter(rune(s[0])))
}

// constrains reports whether the query constrains column the way osquery
// needs for a required column: "col =", "col LIKE", "col IN", "col GLOB",
// "= col", or col inside USING (...). Qualified names (f.path) count.
func constrains(sql, column string) bool {
	toks := sqlTokens(sql)
	at := func(i int) string {
		if i >= 0 && i < len(toks) {
			return toks[i]
		}
		return ""
	}
	column = strings.ToLower(column)
	for i, t := range toks {
		if t != column {
			continue
		}
		start := i // first token of the reference: "f" in f.path
		if at(i-1) == "." {
			start = i - 2
		}
		switch at(i + 1) {
		case "=", "like", "in", "glob":
			return true
		}
		if at(start-1) == "=" && at(start-2) != "!" && at(start-2) != "<" && at(start-2) != ">" {
			return true
		}
		for k := start - 1; k >= 0 && (isWord(toks[k]) || toks[k] == "," || toks[k] == "("); k-- {
			if toks[k] == "(" {
				if at(k-1) == "using" {
					return true
				}
				break
			}
		}
	}
	return false
}
