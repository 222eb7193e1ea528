package translator

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/tidwall/gjson"
)

// expected is the list of formats named in "can't read this" errors.
const expected = "expected osquery result-log lines, a miccmac bundle, a Fleet host export with policies or NAME=FILE rows"

// fileReader reads one input stream into its Reader.
type fileReader struct {
	rd           *Reader
	name         string
	segs         map[segKey]*segment
	order        []*segment
	hostLast     map[string]*segment
	nwarn        int
	suppressed   int
	entries      int // entries recognised and used
	skipped      int // lines or entries skipped in this file
	rowLike      int // objects that look like bare rows
	warnedNoHost bool
}

type segKey struct{ host, raw string }

func (rd *Reader) newFile(name string) *fileReader {
	return &fileReader{rd: rd, name: name, segs: map[segKey]*segment{}, hostLast: map[string]*segment{}}
}

// segment returns this file's segment for (host, raw), creating it. The
// arguments may be transient views of a read buffer; the segment keeps copies.
func (fr *fileReader) segment(host, raw string) *segment {
	if s, ok := fr.segs[segKey{host, raw}]; ok {
		return s
	}
	s := &segment{host: strings.Clone(host), raw: strings.Clone(raw), file: fr.name, order: len(fr.rd.segs) + len(fr.order)}
	fr.segs[segKey{s.host, s.raw}] = s
	fr.order = append(fr.order, s)
	return s
}

// host returns the Reader's record for host, creating it.
func (fr *fileReader) host(host string) *hostInfo {
	hi, ok := fr.rd.hosts[host]
	if !ok {
		hi = &hostInfo{}
		fr.rd.hosts[strings.Clone(host)] = hi
	}
	return hi
}

func (fr *fileReader) warn(line int, msg string) { fr.warnHost("", line, msg) }

// warnHost records a warning about one host's results ("" when it concerns
// the file, or no host is known).
func (fr *fileReader) warnHost(host string, line int, msg string) {
	fr.nwarn++
	if fr.nwarn > maxWarningsPerFile {
		fr.suppressed++
		return
	}
	fr.rd.warnings = append(fr.rd.warnings, Warning{File: fr.name, Line: line, Msg: msg, Host: host})
}

// skip warns about an unusable line or entry and counts it.
func (fr *fileReader) skip(line int, msg string) { fr.skipHost("", line, msg) }

// skipHost is skip for an entry of a known host.
func (fr *fileReader) skipHost(host string, line int, msg string) {
	fr.rd.skipped++
	fr.skipped++
	fr.warnHost(host, line, msg)
}

// finish closes every open run and hands the segments to the Reader.
func (fr *fileReader) finish() {
	for _, s := range fr.order {
		s.commit()
	}
	fr.rd.segs = append(fr.rd.segs, fr.order...)
	fr.order = nil
	if fr.suppressed > 0 {
		fr.rd.warnings = append(fr.rd.warnings, Warning{File: fr.name, Msg: fmt.Sprintf("%d more warnings not shown", fr.suppressed)})
		fr.suppressed = 0
	}
}

// errorf builds a fatal error naming the file and, when known, the line.
func (fr *fileReader) errorf(line int, format string, args ...any) error {
	if line > 0 {
		return fmt.Errorf("%s:%d: %s", fr.name, line, fmt.Sprintf(format, args...))
	}
	return fmt.Errorf("%s: %s", fr.name, fmt.Sprintf(format, args...))
}

// read detects the stream's format from its first line and reads it: one
// JSON object per line (result log, or bundles), or one JSON document
// (pretty-printed object, array, or several concatenated values).
func (fr *fileReader) read(r io.Reader) error {
	lr := newLineReader(r)
	var prefix []byte // raw bytes read before the format is known
	first, firstLine, err := lr.nextNonBlank(&prefix)
	if err != nil {
		return fr.errorf(0, "read: %v", err)
	}
	if first == nil {
		fr.warn(0, "empty input: nothing read")
		return nil
	}
	if lr.tooLong {
		return fr.errorf(firstLine, "line longer than %d MiB: not osquery output", maxLineBytes>>20)
	}
	switch first[0] {
	case '{':
		if gjson.ValidBytes(first) {
			return fr.readLines(lr, first, firstLine)
		}
		fallthrough
	case '[':
		rest, err := io.ReadAll(io.LimitReader(lr.br, maxDocumentBytes+1))
		if err != nil {
			return fr.errorf(0, "read: %v", err)
		}
		if len(prefix)+len(rest) > maxDocumentBytes {
			return fr.errorf(0, "JSON document larger than %d MiB: split it, or write result logs one entry per line", maxDocumentBytes>>20)
		}
		return fr.readDocument(append(prefix, rest...))
	}
	// Not JSON. A result log whose first line was cut (copied from the middle of
	// a file) is still readable if the next line is a log entry; anything else
	// (glog noise from merged stdout/stderr, a table, a fragment) is an error.
	held := bytes.Clone(first)
	next, nextLine, err := lr.nextNonBlank(nil)
	if err == nil && next != nil && next[0] == '{' && gjson.ValidBytes(next) {
		e := readEnvelope(gjson.Parse(transient(next)))
		if k := e.kind(); k == objLog || k == objBundle || k == objBundleList {
			fr.skip(firstLine, "not JSON: line skipped "+snippet(string(held)))
			return fr.readLines(lr, next, nextLine)
		}
	}
	// "line N: not JSON" is spelled out (not just file:N) so the message reads
	// plainly when the file name is long.
	return fmt.Errorf("%s: line %d: not JSON (starts %s): %s", fr.name, firstLine, snippet(string(held)), expected)
}

// readLines reads newline-delimited JSON, starting with the already read
// first line. Bad lines are skipped with a warning.
func (fr *fileReader) readLines(lr *lineReader, first []byte, firstLine int) error {
	line, n := first, firstLine
	for {
		if lr.tooLong {
			fr.skip(n, fmt.Sprintf("line longer than %d MiB: skipped", maxLineBytes>>20))
		} else if err := fr.oneLine(line, n, lr.lastWithoutNewline()); err != nil {
			return err
		}
		var err error
		line, n, err = lr.nextNonBlank(nil)
		if err != nil {
			return fr.errorf(lr.line, "read: %v", err)
		}
		if line == nil {
			break
		}
	}
	if fr.entries == 0 {
		if fr.rowLike > 0 {
			return fr.errorf(0, "holds JSON objects that are not result-log entries (bare rows?): rows have no query name or host, so give them as NAME=FILE (e.g. os_version=%s)", fr.name)
		}
		if fr.skipped > 0 {
			return fr.errorf(0, "no usable result-log entry (%d lines skipped): %s", fr.skipped, expected)
		}
	}
	return nil
}

// oneLine handles one non-blank line of newline-delimited JSON.
func (fr *fileReader) oneLine(b []byte, n int, last bool) error {
	if !gjson.ValidBytes(b) {
		if last {
			fr.skip(n, "truncated last line (not valid JSON, no newline at end of file): skipped")
		} else {
			fr.skip(n, "not valid JSON: line skipped "+snippet(transient(b)))
		}
		return nil
	}
	v := gjson.Parse(transient(b))
	if !v.IsObject() {
		fr.skip(n, fmt.Sprintf("line is %s, not a JSON object: skipped", jsonType(v)))
		return nil
	}
	return fr.object(v, n, true)
}

// object handles one top-level JSON object found at line. In a line stream
// (lines=true) unusable objects are skipped; in a document they are errors.
func (fr *fileReader) object(v gjson.Result, line int, lines bool) error {
	e := readEnvelope(v)
	if k := e.kind(); (k == objOther || k == objBundleList) && isFleetExport(v) {
		return fr.fleetExport(v, line, nil) // fleet_policies.go
	}
	switch e.kind() {
	case objLog:
		fr.entries++
		fr.logEntry(&e, line)
	case objBundle:
		fr.entries++
		return fr.bundle(v, line, nil)
	case objBundleList:
		fr.entries++
		return fr.bundleList(v, &e, line, nil)
	case objStatus:
		fr.skip(line, "osqueryd status-log entry (severity/message), not a result: skipped")
	default:
		if lines {
			fr.rowLike++
			fr.skip(line, "JSON object is not a result-log entry (no name with columns+action, snapshot or diffResults): skipped")
			return nil
		}
		return fr.errorf(line, "JSON object is neither an osquery result-log entry nor a miccmac bundle; bare rows have no query name or host: give them as NAME=FILE (e.g. os_version=%s)", fr.name)
	}
	return nil
}

// readDocument reads data as one or more concatenated JSON values: result-log
// objects, bundles, or arrays of them.
func (fr *fileReader) readDocument(data []byte) error {
	lines := newLineIndex(data)
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			if err == io.EOF {
				break
			}
			return fr.syntaxError(err, lines, len(data))
		}
		end := int(dec.InputOffset())
		start := end - len(raw)
		line := lines.at(start)
		v := gjson.Parse(string(raw))
		// Offsets inside v are relative to raw; at(start+off) gives the line.
		at := func(off int) int { return lines.at(start + off) }
		switch {
		case v.IsObject():
			if err := fr.docObject(v, line, at); err != nil {
				return err
			}
		case v.IsArray():
			if err := fr.docArray(v, line, at); err != nil {
				return err
			}
		default:
			return fr.errorf(line, "JSON %s at top level: %s", jsonType(v), expected)
		}
	}
	if fr.entries == 0 && fr.skipped == 0 {
		return fr.errorf(0, "no result-log entry or bundle found: %s", expected)
	}
	return nil
}

func (fr *fileReader) docObject(v gjson.Result, line int, at func(int) int) error {
	e := readEnvelope(v)
	if k := e.kind(); (k == objOther || k == objBundleList) && isFleetExport(v) {
		return fr.fleetExport(v, line, at) // fleet_policies.go
	}
	return fr.entryOrBundle(v, &e, line, at, false)
}

// entryOrBundle reads one object of a document: a bundle, a bundle list or a
// result-log entry (inArray: an element of a top-level array).
func (fr *fileReader) entryOrBundle(v gjson.Result, e *envelope, line int, at func(int) int, inArray bool) error {
	switch e.kind() {
	case objBundle:
		fr.entries++
		return fr.bundle(v, line, at)
	case objBundleList:
		fr.entries++
		return fr.bundleList(v, e, line, at)
	}
	return fr.object(v, line, inArray)
}

// docArray reads a top-level array: result-log entries or bundles. An array of
// anything else (bare rows from osqueryi --json or Fleet) needs NAME=FILE.
func (fr *fileReader) docArray(v gjson.Result, line int, at func(int) int) error {
	els := v.Array()
	if len(els) == 0 {
		return fr.errorf(line, "empty JSON array: no entries, and bare rows (osqueryi --json) have no query name or host: give them as NAME=FILE (e.g. os_version=%s)", fr.name)
	}
	e0 := readEnvelope(els[0])
	switch e0.kind() {
	case objLog, objBundle, objBundleList, objStatus:
	default:
		if els[0].IsObject() {
			return fr.errorf(line, "JSON array of rows: rows have no query name or host: give them as NAME=FILE (e.g. os_version=%s)", fr.name)
		}
		return fr.errorf(line, "JSON array of %s values: %s", jsonType(els[0]), expected)
	}
	for i, el := range els {
		elLine := at(el.Index)
		if !el.IsObject() {
			fr.skip(elLine, fmt.Sprintf("array element %d is %s, not an entry: skipped", i, jsonType(el)))
			continue
		}
		e := readEnvelope(el)
		if err := fr.entryOrBundle(el, &e, elLine, at, true); err != nil {
			return err
		}
	}
	return nil
}

// syntaxError turns a decoder error into "file:line: invalid JSON ...".
func (fr *fileReader) syntaxError(err error, lines *lineIndex, size int) error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		// The decoder's offset counts from the start of the stream and points
		// just past the offending byte.
		off := int(se.Offset)
		if off > size {
			off = size
		}
		return fr.errorf(lines.at(max(off-1, 0)), "invalid JSON: %v: %s", se, expected)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fr.errorf(lines.at(max(size-1, 0)), "JSON ends early (truncated file?): %s", expected)
	}
	return fr.errorf(0, "invalid JSON: %v: %s", err, expected)
}

// lineReader yields lines of any length from a bufio.Reader, numbering them.
type lineReader struct {
	br        *bufio.Reader
	buf       []byte
	line      int
	noNewline bool // the last line returned had no trailing newline
	tooLong   bool // the last line returned was cut at maxLineBytes
	bom       bool
}

// maxLineBytes bounds one line of a line-delimited input: a result-log line
// with a 3,000-row snapshot is about 1 MiB, so a longer line is not osquery's
// and is skipped instead of being held in memory.
const maxLineBytes = 64 << 20

// maxDocumentBytes bounds a single JSON document (a pretty-printed bundle or
// export) that has to be read whole.
const maxDocumentBytes = 512 << 20

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, 64<<10)}
}

// next returns the next line without its newline; the slice is valid until
// the next call. It returns nil at end of input.
func (lr *lineReader) next() ([]byte, error) {
	lr.buf = lr.buf[:0]
	lr.tooLong = false
	for {
		chunk, err := lr.br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			if len(lr.buf)+len(chunk) > maxLineBytes {
				lr.tooLong = true // keep reading to the newline, keep nothing more
			} else {
				lr.buf = append(lr.buf, chunk...)
			}
			continue
		}
		if len(lr.buf)+len(chunk) > maxLineBytes {
			lr.tooLong = true
		}
		if lr.tooLong {
			chunk = []byte{'\n'}
		}
		if len(lr.buf) > 0 {
			lr.buf = append(lr.buf, chunk...)
			chunk = lr.buf
		}
		if err != nil && err != io.EOF {
			return nil, err
		}
		if len(chunk) == 0 {
			return nil, nil
		}
		lr.line++
		lr.noNewline = err == io.EOF
		if !lr.bom {
			lr.bom = true
			chunk = bytes.TrimPrefix(chunk, []byte("\xef\xbb\xbf"))
		}
		return bytes.TrimSuffix(chunk, []byte("\n")), nil
	}
}

// nextNonBlank returns the next line that is not blank, trimmed, and its
// number. When raw is not nil, every byte read is appended to it.
func (lr *lineReader) nextNonBlank(raw *[]byte) ([]byte, int, error) {
	for {
		b, err := lr.next()
		if err != nil || b == nil {
			return nil, lr.line, err
		}
		if raw != nil {
			*raw = append(*raw, b...)
			if !lr.noNewline {
				*raw = append(*raw, '\n')
			}
		}
		if t := bytes.TrimSpace(b); len(t) > 0 {
			return t, lr.line, nil
		}
	}
}

func (lr *lineReader) lastWithoutNewline() bool { return lr.noNewline }

// lineIndex maps byte offsets of an in-memory document to line numbers; calls
// with growing offsets are cheap.
type lineIndex struct {
	data      []byte
	off, line int
}

func newLineIndex(data []byte) *lineIndex { return &lineIndex{data: data, line: 1} }

func (li *lineIndex) at(off int) int {
	if off < li.off {
		li.off, li.line = 0, 1
	}
	if off > len(li.data) {
		off = len(li.data)
	}
	li.line += bytes.Count(li.data[li.off:off], []byte("\n"))
	li.off = off
	return li.line
}
