package translator

import (
	"fmt"

	"github.com/miccmac/miccmac-osq/queries"
)

// runKey identifies one execution of a scheduled query on one host: osqueryd's
// epoch and counter plus the time it logged. Every line of one run carries the
// same key.
type runKey struct {
	epoch, counter       uint64
	hasEpoch, hasCounter bool
	time                 int64
}

// runKind is how a run was logged.
type runKind uint8

const (
	kindEvent    runKind = iota + 1 // one line per added/removed row
	kindBatch                       // one line with diffResults
	kindSnapshot                    // one line with the whole result
	kindWhole                       // a bundle or NAME=FILE result: a complete answer
)

// segment is one file's view of one (host, logged query name): the state its
// runs build, plus what is needed to chain it after an earlier file's segment
// of the same query (rotated logs). The first run of a segment is not applied
// as a reset: it may continue a run that began in the previous file.
type segment struct {
	host, raw string // raw is the query name as logged
	order     int    // creation order across all files, for stable sorting
	file      string

	started     bool
	firstKey    runKey
	firstKind   runKind
	firstResets bool // the first run would start a fresh state (counter 0, snapshot, whole)
	// reset is set once a later run started a fresh state: from then on the
	// segment no longer depends on anything logged before it.
	reset bool
	// pending are removals that matched no row while !reset; they apply to the
	// state of the previous file's segment when chained.
	pending   []queries.Row
	unmatched int // removals that matched nothing and cannot match anything
	state     rowSet

	open         bool
	openKey      runKey
	openKind     runKind
	openDup      bool // the open run repeats an already applied run: ignore it
	addQ, remQ   []queries.Row
	lastKey      runKey
	lastKind     runKind
	hasLast      bool
	lastTime     int64
	lastLine     int
	status       queries.Status
	errMsg       string
	source       string // set by whole answers that carry their own source
	notes        []string
	rowSizeGuess int
}

// event records one event-format line: a row added or removed by run k.
func (s *segment) event(k runKey, added bool, row queries.Row, line int) {
	if !s.open || s.openKind != kindEvent || s.openKey != k {
		s.startRun(k, kindEvent, line)
	}
	if added {
		s.addQ = append(s.addQ, row)
	} else {
		s.remQ = append(s.remQ, row)
	}
}

// batch records one batched line: all rows added and removed by run k.
func (s *segment) batch(k runKey, added, removed []queries.Row, line int) {
	s.startRun(k, kindBatch, line)
	s.addQ = append(s.addQ, added...)
	s.remQ = append(s.remQ, removed...)
	s.commit()
}

// snapshot records a snapshot line: the complete result of run k.
func (s *segment) snapshot(k runKey, rows []queries.Row, line int) {
	s.startRun(k, kindSnapshot, line)
	s.addQ = append(s.addQ, rows...)
	s.commit()
}

// whole records a complete answer from a bundle or a NAME=FILE file.
func (s *segment) whole(st queries.Status, rows []queries.Row, errMsg string, t int64, source string) {
	s.startRun(runKey{time: t}, kindWhole, 0)
	s.addQ = append(s.addQ, rows...)
	s.commit()
	s.status, s.errMsg, s.source = st, errMsg, source
}

// startRun closes the open run and opens one for k. A run at counter 0, in a
// new epoch, or a snapshot starts a fresh state: osqueryd logs every row again
// after a restart, so keeping the old rows would duplicate them.
func (s *segment) startRun(k runKey, kind runKind, line int) {
	s.commit()
	resets := kind == kindSnapshot || kind == kindWhole || (k.hasCounter && k.counter == 0) ||
		(s.hasLast && k.hasEpoch && s.lastKey.hasEpoch && k.epoch != s.lastKey.epoch)
	s.status = queries.StatusOK
	switch {
	case !s.started:
		s.started = true
		s.firstKey, s.firstKind, s.firstResets = k, kind, resets
	case resets:
		s.state = rowSet{}
		s.reset = true
		s.pending = nil
		s.unmatched = 0
	case s.hasLast && k == s.lastKey:
		// Same epoch, counter and time as a run already applied: the logger
		// delivered it twice. Applying it again would double its changes.
		s.openDup = true
		s.note(fmt.Sprintf("run counter %d logged twice; the repeat was ignored", k.counter))
	}
	s.open, s.openKey, s.openKind, s.lastLine = true, k, kind, line
	if k.time > s.lastTime {
		s.lastTime = k.time
	}
}

// commit applies the open run: removals first, then additions, as osqueryd
// computed them against the previous state.
func (s *segment) commit() {
	if !s.open {
		return
	}
	if !s.openDup {
		for _, r := range s.remQ {
			if s.state.remove(r) {
				continue
			}
			if s.reset {
				s.unmatched++
			} else {
				s.pending = append(s.pending, r)
			}
		}
		for _, r := range s.addQ {
			s.state.add(r)
		}
	}
	clear(s.addQ)
	clear(s.remQ)
	s.addQ, s.remQ = s.addQ[:0], s.remQ[:0]
	s.lastKey, s.lastKind, s.hasLast = s.openKey, s.openKind, true
	s.open, s.openDup = false, false
}

// note records a per-result warning once.
func (s *segment) note(msg string) {
	s.notes = appendOnce(s.notes, msg)
}

func appendOnce(list []string, msg string) []string {
	for _, m := range list {
		if m == msg {
			return list
		}
	}
	return append(list, msg)
}
