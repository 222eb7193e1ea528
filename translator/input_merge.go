package translator

import (
	"fmt"
	"sort"
	"time"

	"github.com/miccmac/miccmac-osq/queries"
)

// chained is the final answer for one (host, logged query name) after every
// file's segment has been replayed oldest first.
type chained struct {
	host, raw string
	result    *queries.Result
	time      int64 // newest run time
	order     int   // order of the newest segment, to break time ties
}

// chainSegments replays, for each (host, logged name), the segments of all
// files oldest first (by their first run's time, then reading order).
func chainSegments(segs []*segment) []chained {
	type gk struct{ host, raw string }
	groups := map[gk][]*segment{}
	var keys []gk
	for _, s := range segs {
		if !s.started {
			continue
		}
		k := gk{s.host, s.raw}
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], s)
	}
	out := make([]chained, 0, len(keys))
	for _, k := range keys {
		g := groups[k]
		sort.SliceStable(g, func(i, j int) bool {
			if g[i].firstKey.time != g[j].firstKey.time {
				return g[i].firstKey.time < g[j].firstKey.time
			}
			return g[i].order < g[j].order
		})
		out = append(out, fold(k.host, k.raw, g))
	}
	return out
}

// fold replays the segments g (oldest first) into one result.
func fold(host, raw string, g []*segment) chained {
	var (
		st        rowSet
		status    queries.Status
		errMsg    string
		notes     []string
		partial   bool
		firstCtr  uint64
		unmatched int
		lastKey   runKey
		lastKind  runKind
		source    string
		c         = chained{host: host, raw: raw}
	)
	for i, s := range g {
		continuation := i > 0 && status == queries.StatusOK && lastKind == kindEvent &&
			s.firstKind == kindEvent && lastKey == s.firstKey
		if i == 0 || s.reset || s.status != queries.StatusOK || (s.firstResets && !continuation) {
			// Self-contained: replaces whatever came before.
			rows := s.state.list()
			st = rowSet{rows: rows, live: len(rows)}
			partial = !s.firstResets && !s.reset
			firstCtr = s.firstKey.counter
			unmatched = s.unmatched + len(s.pending)
			status, errMsg = s.status, s.errMsg
			notes = append([]string(nil), s.notes...)
		} else {
			// A differential continuation of the previous state.
			if status != queries.StatusOK {
				st, partial, firstCtr = rowSet{}, true, s.firstKey.counter
			}
			for _, r := range s.pending {
				if !st.remove(r) {
					unmatched++
				}
			}
			for _, r := range s.state.list() {
				st.add(r)
			}
			for _, n := range s.notes {
				notes = appendOnce(notes, n)
			}
			status = queries.StatusOK
		}
		lastKey, lastKind = s.lastKey, s.lastKind
		if s.lastTime > c.time {
			c.time = s.lastTime
		}
		c.order = s.order
		source = s.source
		if source == "" {
			source = fmt.Sprintf("%s:%d", s.file, s.lastLine)
		}
	}
	res := &queries.Result{Status: status, Error: errMsg, Source: source}
	if rows := st.take(); status == queries.StatusOK || len(rows) > 0 {
		res.Rows = rows
	}
	if partial {
		notes = append(notes, fmt.Sprintf("no complete run (counter 0 or snapshot) was logged: the first run seen (counter %d) lists only changes, so rows unchanged since before it are missing", firstCtr))
	}
	if unmatched > 0 {
		notes = append(notes, fmt.Sprintf("%d removed row(s) matched no row logged before", unmatched))
	}
	res.Warnings = notes
	c.result = res
	return c
}

// pickNewest groups chained results per (host, catalogue query) and keeps the
// newest when several logged names resolve to one query (two packs schedule
// it), noting the ones dropped.
func pickNewest(cs []chained, res *resolver) map[string]map[string]chained {
	out := map[string]map[string]chained{}
	for _, c := range cs {
		q := res.resolve(c.raw)
		m := out[c.host]
		if m == nil {
			m = map[string]chained{}
			out[c.host] = m
		}
		prev, clash := m[q]
		if !clash {
			m[q] = c
			continue
		}
		keep, drop := c, prev
		if c.time < prev.time || (c.time == prev.time && c.order < prev.order) {
			keep, drop = prev, c
		}
		keep.result.Warnings = appendOnce(keep.result.Warnings,
			fmt.Sprintf("also logged as %q (%s): older, ignored", drop.raw, drop.result.Source))
		m[q] = keep
	}
	return out
}

func unixTime(sec int64) time.Time { return time.Unix(sec, 0).UTC() }
