package translator

import (
	"sort"
	"strings"

	"github.com/miccmac/miccmac-osq/queries"
)

// rowSet is a multiset of rows that keeps insertion order. Rows are never
// merged by content: two identical rows are two rows (a keychain really holds
// two byte-identical certificates). A removal takes out one matching row.
type rowSet struct {
	rows []queries.Row // removed rows are nil until compact
	live int
	// index maps a row's content key to the positions of its live copies. It is
	// built on the first removal, so an add-only load never pays for it.
	index map[string][]int
}

func (s *rowSet) add(r queries.Row) {
	if s.index != nil {
		k := rowKey(r)
		s.index[k] = append(s.index[k], len(s.rows))
	}
	s.rows = append(s.rows, r)
	s.live++
}

// remove takes out the oldest copy of r and reports whether one was there.
func (s *rowSet) remove(r queries.Row) bool {
	if s.live == 0 {
		return false
	}
	if s.index == nil {
		s.buildIndex()
	}
	k := rowKey(r)
	pos := s.index[k]
	if len(pos) == 0 {
		return false
	}
	s.rows[pos[0]] = nil
	if len(pos) == 1 {
		delete(s.index, k)
	} else {
		s.index[k] = pos[1:]
	}
	s.live--
	if s.live < len(s.rows)/2 && len(s.rows) > 64 {
		s.compact()
	}
	return true
}

// compact drops removed slots and rebuilds the index if there is one.
func (s *rowSet) compact() {
	out := s.rows[:0]
	for _, r := range s.rows {
		if r != nil {
			out = append(out, r)
		}
	}
	clear(s.rows[len(out):])
	s.rows = out
	if s.index != nil {
		s.buildIndex()
	}
}

func (s *rowSet) buildIndex() {
	s.index = make(map[string][]int, s.live)
	for i, row := range s.rows {
		if row != nil {
			k := rowKey(row)
			s.index[k] = append(s.index[k], i)
		}
	}
}

// list returns the live rows in insertion order, never nil.
func (s *rowSet) list() []queries.Row {
	out := make([]queries.Row, 0, s.live)
	for _, r := range s.rows {
		if r != nil {
			out = append(out, r)
		}
	}
	return out
}

// take returns the live rows, handing over the backing array when nothing was
// removed; the set must not be used afterwards.
func (s *rowSet) take() []queries.Row {
	if s.live == len(s.rows) && s.rows != nil {
		return s.rows
	}
	return s.list()
}

// rowKey is a canonical text for a row's content: sorted column=value pairs.
// A missing column (NULL) and an empty value give different keys.
func rowKey(r queries.Row) string {
	keys := make([]string, 0, len(r))
	n := 0
	for k, v := range r {
		keys = append(keys, k)
		n += len(k) + len(v) + 2
	}
	sort.Strings(keys)
	var b strings.Builder
	b.Grow(n)
	for _, k := range keys {
		b.WriteString(k)
		b.WriteByte(0)
		b.WriteString(r[k])
		b.WriteByte(1)
	}
	return b.String()
}
