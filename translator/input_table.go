package translator

import (
	"fmt"
	"strings"

	"github.com/miccmac/miccmac-osq/queries"
)

// parseTable reads osqueryi's pretty-printed table:
//
//	+------+---------+
//	| name | version |
//	+------+---------+
//	| SLES | 12-SP3  |
//	+------+---------+
//
// Cells are cut at the border's '+' positions when the row lines up with it
// (so a '|' inside a value survives), else split on '|' (values with
// multi-byte characters shift the columns). Cells are trimmed.
func parseTable(name string, data []byte) ([]queries.Row, error) {
	var (
		border  string
		cuts    []int
		header  []string
		borders int
		rows    = []queries.Row{}
	)
	for i, raw := range strings.Split(string(data), "\n") {
		n := i + 1
		l := strings.TrimSpace(raw)
		switch {
		case l == "":
			continue
		case isBorder(l):
			if border == "" {
				border = l
				for j := 0; j < len(l); j++ {
					if l[j] == '+' {
						cuts = append(cuts, j)
					}
				}
			}
			borders++
			if borders > 3 {
				return nil, fmt.Errorf("%s:%d: a second table starts here: give one query's rows per NAME=FILE", name, n)
			}
		case l[0] == '|':
			if border == "" {
				return nil, fmt.Errorf("%s:%d: table row before the top border (+---+): %s", name, n, rowsExpected)
			}
			if borders >= 3 {
				return nil, fmt.Errorf("%s:%d: row after the table's closing border", name, n)
			}
			cells, err := splitCells(l, border, cuts)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %v", name, n, err)
			}
			if header == nil {
				if borders != 1 {
					return nil, fmt.Errorf("%s:%d: header row not right after the top border", name, n)
				}
				for _, c := range cells {
					if c == "" {
						return nil, fmt.Errorf("%s:%d: empty column name in the header row", name, n)
					}
				}
				header = cells
				continue
			}
			row := make(queries.Row, len(header))
			for j, c := range cells {
				row[header[j]] = c
			}
			rows = append(rows, row)
		default:
			return nil, fmt.Errorf("%s:%d: not part of an osqueryi table (%s): %s", name, n, snippet(l), rowsExpected)
		}
	}
	if header == nil {
		return nil, fmt.Errorf("%s: table has no header row: %s", name, rowsExpected)
	}
	return rows, nil
}

func isBorder(l string) bool {
	if len(l) < 2 || l[0] != '+' || l[len(l)-1] != '+' {
		return false
	}
	return strings.Trim(l, "+-") == ""
}

// splitCells cuts a "| a | b |" line into trimmed cells.
func splitCells(l, border string, cuts []int) ([]string, error) {
	want := len(cuts) - 1
	if len(l) == len(border) {
		aligned := true
		for _, c := range cuts {
			if l[c] != '|' {
				aligned = false
				break
			}
		}
		if aligned {
			cells := make([]string, want)
			for j := 0; j < want; j++ {
				cells[j] = strings.TrimSpace(l[cuts[j]+1 : cuts[j+1]])
			}
			return cells, nil
		}
	}
	inner := strings.TrimSuffix(strings.TrimPrefix(l, "|"), "|")
	parts := strings.Split(inner, "|")
	if len(parts) != want {
		return nil, fmt.Errorf("row has %d cells, the table has %d columns", len(parts), want)
	}
	for j := range parts {
		parts[j] = strings.TrimSpace(parts[j])
	}
	return parts, nil
}
