package translator

import (
	"fmt"
	"strings"

	"github.com/miccmac/miccmac-osq/queries"
	"github.com/tidwall/gjson"
)

// envelope holds the top-level fields of one JSON object from an input file,
// read in one pass; a key that appears twice keeps its first value.
type envelope struct {
	name, hostID, hostname   gjson.Result
	unixTime, epoch, counter gjson.Result
	action, columns          gjson.Result
	snapshot, diff           gjson.Result
	decorations              gjson.Result
	format, hosts            gjson.Result
	severity, message        gjson.Result
}

// objKind is what a top-level JSON object is.
type objKind uint8

const (
	objOther      objKind = iota // not something this package reads (for example a bare row)
	objLog                       // an osqueryd result-log entry
	objBundle                    // a miccmac capture bundle
	objBundleList                // {"hosts": [bundle, ...]}
	objStatus                    // an osqueryd status-log entry (severity, message)
)

func readEnvelope(obj gjson.Result) envelope {
	var e envelope
	set := func(dst *gjson.Result, v gjson.Result) {
		if !dst.Exists() {
			*dst = v
		}
	}
	obj.ForEach(func(k, v gjson.Result) bool {
		switch k.Str {
		case "name":
			set(&e.name, v)
		case "hostIdentifier":
			set(&e.hostID, v)
		case "hostname":
			set(&e.hostname, v)
		case "unixTime":
			set(&e.unixTime, v)
		case "epoch":
			set(&e.epoch, v)
		case "counter":
			set(&e.counter, v)
		case "action":
			set(&e.action, v)
		case "columns":
			set(&e.columns, v)
		case "snapshot":
			set(&e.snapshot, v)
		case "diffResults":
			set(&e.diff, v)
		case "decorations":
			set(&e.decorations, v)
		case "format":
			set(&e.format, v)
		case "hosts":
			set(&e.hosts, v)
		case "severity":
			set(&e.severity, v)
		case "message":
			set(&e.message, v)
		}
		return true
	})
	return e
}

func (e *envelope) kind() objKind {
	switch {
	case e.hosts.IsArray() && !e.name.Exists() && (!e.format.Exists() || e.format.Str == bundleFormat):
		return objBundleList
	case e.format.Type == gjson.String && e.format.Str == bundleFormat:
		return objBundle
	case e.name.Type == gjson.String && (e.isEvent() || e.snapshot.Exists() || e.diff.IsObject()):
		return objLog
	case e.severity.Exists() && e.message.Exists():
		return objStatus
	}
	return objOther
}

func (e *envelope) isEvent() bool {
	return e.columns.IsObject() && e.action.Type == gjson.String &&
		(e.action.Str == "added" || e.action.Str == "removed")
}

// hostOf names the host of a log entry: hostIdentifier, else the legacy
// hostname key, else the hostname or host_uuid decoration.
func (e *envelope) hostOf() string {
	for _, v := range []gjson.Result{e.hostID, e.hostname, e.decorations.Get("hostname"), e.decorations.Get("host_uuid")} {
		if v.Type == gjson.String && strings.TrimSpace(v.Str) != "" {
			return v.Str
		}
	}
	return ""
}

func (e *envelope) runKey() runKey {
	var k runKey
	k.epoch, k.hasEpoch = uintField(e.epoch)
	k.counter, k.hasCounter = uintField(e.counter)
	k.time, _ = intField(e.unixTime)
	return k
}

// logEntry applies one result-log entry (event, batch or snapshot) that starts
// at line.
func (fr *fileReader) logEntry(e *envelope, line int) {
	if strings.TrimSpace(e.name.Str) == "" {
		fr.skip(line, "result-log entry has an empty query name: skipped")
		return
	}
	host := e.hostOf()
	if host == "" {
		host = "unknown"
		if !fr.warnedNoHost {
			fr.warnedNoHost = true
			fr.warn(line, `entry has no hostIdentifier, hostname or host decoration: its rows go to host "unknown"`)
		}
	}
	s := fr.segment(host, e.name.Str)
	hi := fr.host(s.host)
	k := e.runKey()
	if k.time > hi.collected {
		hi.collected = k.time
	}
	fr.decorate(hi, e.decorations)
	// One run's lines are contiguous per host: a line for another query of the
	// same host closes the open run, so the same key seen again later is a new
	// run (osqueryd restarted within the second, or the logger repeated it).
	if prev := fr.hostLast[s.host]; prev != nil && prev != s {
		prev.commit()
	}
	fr.hostLast[s.host] = s
	switch {
	case e.isEvent():
		row := fr.row(e.columns, line, s)
		s.event(k, e.action.Str == "added", row, line)
	case e.diff.IsObject():
		added := fr.rows(e.diff.Get("added"), "diffResults.added", line, s)
		removed := fr.rows(e.diff.Get("removed"), "diffResults.removed", line, s)
		s.batch(k, added, removed, line)
	default:
		snap := e.snapshot
		if snap.Type == gjson.String {
			// Old osqueryd wrote "snapshot": "" for an empty result; some wrote
			// the array as a JSON string.
			if strings.TrimSpace(snap.Str) == "" {
				msg := `legacy "snapshot": "" read as 0 rows`
				fr.warnHost(s.host, line, msg)
				s.note(msg)
				s.snapshot(k, nil, line)
				return
			}
			snap = gjson.Parse(snap.Str)
		}
		if !snap.IsArray() {
			msg := fmt.Sprintf("snapshot is %s, not an array of rows: entry skipped", jsonType(snap))
			fr.skipHost(s.host, line, msg)
			return
		}
		s.snapshot(k, fr.rows(snap, "snapshot", line, s), line)
	}
}

// row copies one row object out of the (possibly reused) line buffer.
func (fr *fileReader) row(v gjson.Result, line int, s *segment) queries.Row {
	obj := gjson.Parse(strings.Clone(v.Raw))
	row, dups := rowFromObject(obj, s.rowSizeGuess)
	s.rowSizeGuess = len(row)
	fr.dupWarn(dups, line, s)
	return row
}

// rows copies an array of row objects out of the line buffer; elements that
// are not objects are skipped with a warning.
func (fr *fileReader) rows(v gjson.Result, field string, line int, s *segment) []queries.Row {
	if !v.Exists() || v.Type == gjson.Null {
		return nil
	}
	if !v.IsArray() {
		fr.warnHost(s.host, line, fmt.Sprintf("%s is %s, not an array of rows: ignored", field, jsonType(v)))
		return nil
	}
	arr := gjson.Parse(strings.Clone(v.Raw))
	var out []queries.Row
	i := 0
	arr.ForEach(func(_, el gjson.Result) bool {
		if el.IsObject() {
			row, dups := rowFromObject(el, s.rowSizeGuess)
			s.rowSizeGuess = len(row)
			fr.dupWarn(dups, line, s)
			out = append(out, row)
		} else {
			fr.skipHost(s.host, line, fmt.Sprintf("%s[%d] is %s, not a row object: skipped", field, i, jsonType(el)))
		}
		i++
		return true
	})
	return out
}

func (fr *fileReader) dupWarn(dups []string, line int, s *segment) {
	for _, d := range dups {
		msg := fmt.Sprintf("column %q appears twice in one row: the first value is used", d)
		if s != nil {
			fr.warnHost(s.host, line, msg)
			s.note(msg)
		} else {
			fr.warn(line, msg)
		}
	}
}

// decorate merges a log entry's decorations into the host's (later wins).
func (fr *fileReader) decorate(hi *hostInfo, deco gjson.Result) {
	if !deco.IsObject() || deco.Raw == hi.lastDecoRaw {
		return
	}
	hi.lastDecoRaw = strings.Clone(deco.Raw)
	if hi.decorations == nil {
		hi.decorations = map[string]string{}
	}
	deco.ForEach(func(k, v gjson.Result) bool {
		if text, ok := cellText(v); ok {
			if old, had := hi.decorations[k.Str]; !had || old != text {
				hi.decorations[strings.Clone(k.Str)] = strings.Clone(text)
			}
		}
		return true
	})
}

// jsonType names the JSON type of v for messages.
func jsonType(v gjson.Result) string {
	switch {
	case !v.Exists():
		return "missing"
	case v.Type == gjson.Null:
		return "null"
	case v.Type == gjson.String:
		return "a string"
	case v.Type == gjson.Number:
		return "a number"
	case v.Type == gjson.True || v.Type == gjson.False:
		return "a boolean"
	case v.IsArray():
		return "an array"
	default:
		return "an object"
	}
}
