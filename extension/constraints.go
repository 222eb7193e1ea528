package extension

import (
	"sort"

	"github.com/osquery/osquery-go/plugin/table"

	"github.com/miccmac/miccmac-osq/engine"
)

// narrow returns the check ids a miccmac_checks query asks for, from the
// equality constraints (op 2) osquery passes on check_id and property, or nil
// when every check must be graded. osquery passes LIKE, OR and range
// constraints as nothing or as other operators; those, and values this build
// does not know (an organisation's own check ids), return all rows and SQLite
// filters them (B05). Several equalities on one column (an IN list) are a
// union; the two columns intersect.
func narrow(qc table.QueryContext, catalog []engine.CheckInfo) []string {
	known := map[string]engine.CheckInfo{}
	byProperty := map[string][]string{}
	for _, ci := range catalog {
		known[ci.ID] = ci
		byProperty[ci.Property] = append(byProperty[ci.Property], ci.ID)
	}
	var want map[string]bool // nil: no narrowing yet
	apply := func(ids map[string]bool) {
		if want == nil {
			want = ids
			return
		}
		for id := range want {
			if !ids[id] {
				delete(want, id)
			}
		}
	}
	if vals, ok := equalities(qc, "check_id"); ok {
		ids := map[string]bool{}
		for _, v := range vals {
			if _, ok := known[v]; !ok {
				return nil
			}
			ids[v] = true
		}
		apply(ids)
	}
	if vals, ok := equalities(qc, "property"); ok {
		ids := map[string]bool{}
		for _, v := range vals {
			members, ok := byProperty[v]
			if !ok {
				return nil
			}
			for _, id := range members {
				ids[id] = true
			}
		}
		apply(ids)
	}
	if want == nil {
		return nil
	}
	out := make([]string, 0, len(want))
	for id := range want {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// equalities returns the values of the column's equality constraints and
// whether there was at least one.
func equalities(qc table.QueryContext, column string) ([]string, bool) {
	cl, ok := qc.Constraints[column]
	if !ok {
		return nil, false
	}
	var vals []string
	for _, c := range cl.Constraints {
		if c.Operator == table.OperatorEquals {
			vals = append(vals, c.Expression)
		}
	}
	return vals, len(vals) > 0
}
