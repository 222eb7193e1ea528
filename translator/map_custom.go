package translator

import (
	"strings"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

// customFeed is the feed-key prefix of a policy custom check's query
// (custom:<check id>); see policy.CustomCheck.CatalogQuery.
const customFeed = "custom:"

// mapCustom copies the rows of every custom check's query into Document.Custom,
// keyed by check id, with the query's state: a query that failed or never ran
// gives an unknown section, never an empty one.
func (t *translation) mapCustom(d *facts.Document) {
	for _, q := range t.catalog {
		for _, k := range q.Feeds {
			id, ok := strings.CutPrefix(k, customFeed)
			if !ok || id == "" {
				continue
			}
			st := t.state(q)
			sec := facts.Section[map[string]string]{Origin: facts.Origin{State: st.State, Queries: []string{q.Name}, Reason: st.Reason}}
			if st.State == facts.StateOK {
				sec.Items = []map[string]string{}
				for _, r := range t.h.Get(q.Name).Rows {
					sec.Items = append(sec.Items, map[string]string(r))
				}
			}
			if d.Custom == nil {
				d.Custom = map[string]facts.Section[map[string]string]{}
			}
			d.Custom[id] = sec
		}
	}
}
