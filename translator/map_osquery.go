package translator

import (
	"github.com/miccmac/miccmac-osq/engine/facts"
)

// mapOsqueryInfo fills the agent's own version from osquery_info. Old packs
// joined osquery_info with time; the extra columns are ignored.
func mapOsqueryInfo(d *facts.Document, f *feed) {
	if _, r := f.firstRow(); r != nil {
		d.Osquery.Version = text(r, "version")
	}
	d.Osquery.Origin = f.done()
}

// mapOsqueryFlags fills Osquery.Flags (name -> value) from osquery_flags.
func mapOsqueryFlags(d *facts.Document, f *feed) {
	if f.ok() {
		flags := map[string]string{}
		for _, p := range f.parts {
			for _, r := range p.rows {
				if name := text(r, "name"); name != "" {
					flags[name] = r["value"]
				}
			}
		}
		if len(flags) > 0 {
			d.Osquery.Flags = flags
		}
	}
	d.Osquery.FlagsOrigin = f.done()
}

// mapOsquerySchedule fills Osquery.Schedule; osquery before 4.x called the
// denylisted column blacklisted.
func mapOsquerySchedule(d *facts.Document, f *feed) {
	var items []facts.ScheduledQuery
	if f.ok() {
		items = make([]facts.ScheduledQuery, 0, f.rowCount())
		for _, p := range f.parts {
			for _, r := range p.rows {
				q := facts.ScheduledQuery{
					Name:         text(r, "name"),
					Interval:     f.intOf(p, r, "interval"),
					Executions:   f.intOf(p, r, "executions"),
					LastExecuted: f.intOf(p, r, "last_executed"),
				}
				switch {
				case has(r, "denylisted"):
					q.Denylisted = f.flag(p, r, "denylisted")
				case has(r, "blacklisted"):
					q.Denylisted = f.flag(p, r, "blacklisted")
				}
				items = append(items, q)
			}
		}
	}
	d.Osquery.Schedule = facts.Section[facts.ScheduledQuery]{Origin: f.done(), Items: items}
}
