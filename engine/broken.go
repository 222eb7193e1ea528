package engine

import (
	"sort"
	"strings"

	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/queries"
)

// escalateBroken turns an UNKNOWN verdict into ERROR when the facts it lacked
// are missing because the collection itself failed (a query timed out or the
// connection to osquery broke) rather than because osquery had no answer: a
// broken collector is a fault to fix, not a gap in coverage (B08). A check's
// UNKNOWN detail names the queries whose reasons it reports, which is how the
// failed query is tied to the check.
func escalateBroken(o Outcome, doc *facts.Document) Outcome {
	if o.Status != Unknown || doc == nil {
		return o
	}
	var failed []string
	for name, q := range doc.Queries {
		if q.State == facts.StateUnknown && queries.IsBroken(q.Reason) && mentions(o.Detail, name) {
			failed = append(failed, name)
		}
	}
	if len(failed) == 0 {
		return o
	}
	sort.Strings(failed)
	ev := map[string]any{}
	for k, v := range o.Evidence {
		ev[k] = v
	}
	ev["collection_failed"] = failed
	return Outcome{Status: Error, Detail: "The collection failed for this check's facts: " + o.Detail, Evidence: ev}
}

// mentions reports whether text names the query as a whole word.
func mentions(text, name string) bool {
	for from := 0; ; {
		i := strings.Index(text[from:], name)
		if i < 0 || name == "" {
			return false
		}
		start, end := from+i, from+i+len(name)
		if (start == 0 || !wordByte(text[start-1])) && (end == len(text) || !wordByte(text[end])) {
			return true
		}
		from = start + 1
	}
}

func wordByte(b byte) bool {
	return b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}
