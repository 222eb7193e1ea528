package translator

import (
	"fmt"
	"sort"
	"strings"

	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/queries"
)

// translation holds one host's results while its document is built.
type translation struct {
	h       *queries.HostResults
	catalog []queries.Query
	// platform is the host's osquery platform (linux, darwin, windows), "" while unknown.
	platform string
}

func newTranslation(h *queries.HostResults, catalog []queries.Query) *translation {
	return &translation{h: h, catalog: catalog}
}

// feed is one section's input: the rows of every feeding query that answered,
// the section's origin, and the notes gathered while mapping.
type feed struct {
	key    string
	origin facts.Origin
	parts  []*part
	// sources holds the origin of each qualifier (deb, rpm ...) of a
	// multi-source section, in catalogue order of first appearance.
	sources map[string]*feed
	notes   noteSet
}

// part is one answered query's rows.
type part struct {
	query     string
	qualifier string
	rows      []queries.Row
	src       *feed // the qualifier's feed, for its notes; nil for plain keys
}

// note records a remark on the section (and on the part's source).
func (f *feed) note(p *part, msg, example string) {
	f.notes.add(msg, example)
	if p != nil && p.src != nil && p.src != f {
		p.src.notes.add(msg, example)
	}
}

// done returns the section's origin with its notes.
func (f *feed) done() facts.Origin {
	o := f.origin
	o.Notes = append(append([]string(nil), o.Notes...), f.notes.list()...)
	if len(o.Notes) == 0 {
		o.Notes = nil
	}
	return o
}

// ok reports whether any feeding query answered.
func (f *feed) ok() bool { return f.origin.State == facts.StateOK }

// rowCount is the number of rows over all answered parts.
func (f *feed) rowCount() int {
	n := 0
	for _, p := range f.parts {
		n += len(p.rows)
	}
	return n
}

// firstRow returns the first row of the first part that has one. A section
// that is one object (os, hardware, alf ...) is made unknown when its queries
// answered with no row at all, and noted when they gave several.
func (f *feed) firstRow() (*part, queries.Row) {
	if !f.ok() {
		return nil, nil
	}
	for _, p := range f.parts {
		if len(p.rows) == 0 {
			continue
		}
		if len(p.rows) > 1 {
			f.note(p, fmt.Sprintf("%s returned %d rows; the first is used", p.query, len(p.rows)), "")
		}
		return p, p.rows[0]
	}
	f.origin = facts.Origin{
		State:   facts.StateUnknown,
		Queries: f.origin.Queries,
		Reason:  fmt.Sprintf("%s answered with no rows", strings.Join(f.origin.Queries, ", ")),
	}
	return nil, nil
}

// sourceOrigins returns the per-qualifier origins, nil when there are none.
func (f *feed) sourceOrigins() map[string]facts.Origin {
	if len(f.sources) == 0 {
		return nil
	}
	out := make(map[string]facts.Origin, len(f.sources))
	for q, s := range f.sources {
		out[q] = s.done()
	}
	return out
}

// feed gathers the section key's answered queries and computes its origin.
func (t *translation) feed(key string) *feed {
	f := &feed{key: key}
	var feeders []queries.Query
	var quals []string
	for _, q := range t.catalog {
		for _, k := range q.Feeds {
			base, qual, _ := strings.Cut(k, ":")
			if base != key {
				continue
			}
			feeders = append(feeders, q)
			quals = append(quals, qual)
			break
		}
	}
	f.origin = t.origin(key, feeders, quals, f)
	if _, multi := qualifiers[key]; multi {
		f.sources = map[string]*feed{}
		byQual := map[string][]queries.Query{}
		var order []string
		for i, q := range feeders {
			if _, seen := byQual[quals[i]]; !seen {
				order = append(order, quals[i])
			}
			byQual[quals[i]] = append(byQual[quals[i]], q)
		}
		for _, qual := range order {
			if qual == "" {
				continue
			}
			src := &feed{key: key + ":" + qual}
			qq := byQual[qual]
			src.origin = t.origin(src.key, qq, repeat(qual, len(qq)), nil)
			f.sources[qual] = src
		}
		for _, p := range f.parts {
			p.src = f.sources[p.qualifier]
		}
	}
	return f
}

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

// origin computes a section's origin from its feeding queries; when into is
// not nil the answered parts are appended to it.
func (t *translation) origin(key string, feeders []queries.Query, quals []string, into *feed) facts.Origin {
	if len(feeders) == 0 {
		return facts.Origin{State: facts.StateUnknown, Reason: fmt.Sprintf("no catalogue query feeds %q", key)}
	}
	var answered, failed, elsewhere, warnings []string
	for i, q := range feeders {
		st := t.state(q)
		switch st.State {
		case facts.StateOK:
			res := t.h.Get(q.Name)
			full := key
			if quals[i] != "" && !strings.Contains(key, ":") {
				full = key + ":" + quals[i]
			}
			if miss := shapeMismatch(full, res.Rows); miss != "" {
				failed = append(failed, fmt.Sprintf("%s: %s", q.Name, miss))
				continue
			}
			answered = append(answered, q.Name)
			for _, w := range res.Warnings {
				warnings = append(warnings, fmt.Sprintf("%s: %s", q.Name, w))
			}
			if into != nil {
				into.parts = append(into.parts, &part{query: q.Name, qualifier: quals[i], rows: res.Rows})
			}
		case facts.StateNotApplicable:
			elsewhere = append(elsewhere, fmt.Sprintf("%s (%s)", q.Name, strings.Join(q.Platforms, ", ")))
		default:
			failed = append(failed, fmt.Sprintf("%s: %s", q.Name, st.Reason))
		}
	}
	switch {
	case len(answered) > 0:
		o := facts.Origin{State: facts.StateOK, Queries: answered, Notes: warnings}
		for _, f := range failed {
			o.Notes = append(o.Notes, "did not answer: "+f)
		}
		return o
	case len(failed) == 0:
		return facts.Origin{State: facts.StateNotApplicable,
			Reason: fmt.Sprintf("collected only on other platforms than %s: %s", t.platform, strings.Join(elsewhere, "; "))}
	default:
		return facts.Origin{State: facts.StateUnknown, Reason: strings.Join(failed, "; ")}
	}
}

// shapeMismatch says why rows cannot be the feed key's table output, or "".
func shapeMismatch(key string, rows []queries.Row) string {
	want, ok := shapes[key]
	if !ok {
		base, _, _ := strings.Cut(key, ":")
		if want, ok = shapes[base]; !ok {
			return ""
		}
	}
	if len(rows) == 0 {
		return ""
	}
	for _, r := range rows {
		for _, c := range want {
			if has(r, c) {
				return ""
			}
		}
	}
	return fmt.Sprintf("rows have none of the columns %s (not the output this section reads)", strings.Join(want, ", "))
}

// state is one catalogue query's outcome for the host.
func (t *translation) state(q queries.Query) facts.QueryState {
	res := t.h.Get(q.Name)
	switch res.Status {
	case queries.StatusOK:
		return facts.QueryState{State: facts.StateOK, Rows: len(res.Rows)}
	case queries.StatusError:
		reason := strings.TrimSpace(res.Error)
		if reason == "" {
			reason = "query failed without an error message"
		}
		return facts.QueryState{State: facts.StateUnknown, Reason: reason}
	case queries.StatusNotRun:
		if t.platform != "" && !q.RunsOn(t.platform) {
			return facts.QueryState{State: facts.StateNotApplicable,
				Reason: fmt.Sprintf("runs on %s; host is %s", strings.Join(q.Platforms, ", "), t.platform)}
		}
		return facts.QueryState{State: facts.StateUnknown, Reason: "not in the input"}
	default:
		return facts.QueryState{State: facts.StateUnknown, Reason: fmt.Sprintf("unrecognised result status %q", res.Status)}
	}
}

// hostPlatform turns the OS kind into an osquery platform token, "" while
// unknown. A host whose distribution is unknown is still Linux when a
// Linux-only query answered; the remark says so.
func (t *translation) hostPlatform(o *facts.OS) (platform, remark string) {
	if o.Kind == "unknown" && o.Known() {
		for _, q := range t.catalog {
			if len(q.Platforms) == 1 && q.Platforms[0] == "linux" && t.h.Get(q.Name).Status == queries.StatusOK {
				o.Kind = "linux"
				remark = fmt.Sprintf("unknown distribution %q treated as Linux: the Linux-only query %s answered", o.Platform, q.Name)
				break
			}
		}
	}
	switch o.Kind {
	case "linux", "darwin", "windows":
		return o.Kind, remark
	}
	return "", remark
}

// documentNotes reports results the catalogue cannot place.
func (t *translation) documentNotes() []string {
	known := make(map[string]bool, len(t.catalog))
	keys := map[string]bool{}
	for _, k := range FeedKeys() {
		keys[k] = true
	}
	var notes, unknownFeeds []string
	for _, q := range t.catalog {
		known[q.Name] = true
		for _, k := range q.Feeds {
			if !keys[k] {
				unknownFeeds = append(unknownFeeds, fmt.Sprintf("%s feeds %q", q.Name, k))
			}
		}
	}
	var extra []string
	for name := range t.h.Results {
		if !known[name] && name != FleetPoliciesResult {
			extra = append(extra, name)
		}
	}
	sort.Strings(extra)
	if len(extra) > 0 {
		notes = append(notes, fmt.Sprintf("results for %d queries not in the catalogue were not used: %s", len(extra), strings.Join(extra, ", ")))
	}
	if len(unknownFeeds) > 0 {
		notes = append(notes, "catalogue feeds no section the translator knows: "+strings.Join(unknownFeeds, "; "))
	}
	return notes
}

// emptyIsUnknown makes an answered section unknown when its queries returned
// no row at all although the device cannot have none (osqueryd itself is a
// process; Windows always runs services). osquery answers such tables empty
// when it could not read them, for example a single service it could not open.
func (f *feed) emptyIsUnknown(why string) {
	if !f.ok() || f.rowCount() > 0 {
		return
	}
	f.origin = facts.Origin{
		State:   facts.StateUnknown,
		Queries: f.origin.Queries,
		Reason:  fmt.Sprintf("%s answered with no rows, which %s", strings.Join(f.origin.Queries, ", "), why),
		Notes:   f.origin.Notes,
	}
}
