// Package translator turns saved osquery output into per-host query results
// (the input side) and query results into a facts document (the mapping side).
//
// The input side reads, with format auto-detection:
//   - osqueryd result logs (filesystem logger, Fleet and Kolide exports): one
//     JSON object per line, or one pretty-printed object, or a JSON array of
//     them; event, batched (diffResults) and snapshot entries, any mix, many
//     hosts. Each host's latest state per query is rebuilt from the
//     differential runs;
//   - miccmac capture bundles (see BUNDLE.md and WriteBundle);
//   - rows with no query name or host (osqueryi --json, Fleet detail queries,
//     osqueryi's framed table) when the caller names the query: NAME=FILE,
//     see ReadNamed.
package translator

import (
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/miccmac/miccmac-osq/queries"
)

// Input is everything read from one or more files, merged per host.
type Input struct {
	// Hosts holds one entry per host, sorted by host name.
	Hosts []*queries.HostResults
	// Warnings are non-fatal problems (skipped lines, duplicate keys, ...).
	Warnings []Warning
	// Skipped counts the lines or entries that were skipped as unusable.
	Skipped int
}

// Warning is a non-fatal input problem and where it was found.
type Warning struct {
	File string
	Line int // 0 when the problem is not tied to a line
	Msg  string
	// Host is the host whose results the warning concerns; "" when it
	// concerns the file as a whole (or the line named no host).
	Host string
}

// String renders the warning as "file:line: msg" (or "file: msg").
func (w Warning) String() string {
	if w.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", w.File, w.Line, w.Msg)
	}
	return fmt.Sprintf("%s: %s", w.File, w.Msg)
}

// NamedFile is a file of bare rows (osqueryi --json, a Fleet detail query
// answer, osqueryi's framed table) and the query that produced them, as given
// on the command line as NAME=FILE. Path "-" is standard input.
type NamedFile struct {
	Query string
	Path  string
}

// Read reads one input stream (a result log or a capture bundle), detecting
// its format; name is used in messages and Result.Source. One JSON object per
// line is streamed (lines of any length); a single JSON document (one
// pretty-printed object, an array, bundles) is read whole. Bad lines of a
// result log are skipped with a Warning; input that is not a result log or a
// bundle at all, and malformed bundles, are errors naming the file and line.
func Read(name string, r io.Reader, catalog []queries.Query) (*Input, error) {
	rd := NewReader(catalog)
	if err := rd.Add(name, r); err != nil {
		return nil, err
	}
	return rd.Input(), nil
}

// ReadFiles reads every path ("-" is standard input) and merges hosts across
// files. Rotated logs may be given in any order: each host's runs are replayed
// oldest first.
func ReadFiles(paths []string, catalog []queries.Query) (*Input, error) {
	rd := NewReader(catalog)
	for _, p := range paths {
		if err := rd.AddFile(p); err != nil {
			return nil, err
		}
	}
	return rd.Input(), nil
}

// ReadNamed reads bare-row files, each for the query it names, as the results
// of one host (host "" becomes "unknown").
func ReadNamed(files []NamedFile, host string, catalog []queries.Query) (*Input, error) {
	rd := NewReader(catalog)
	for _, f := range files {
		if err := rd.AddNamed(f, host); err != nil {
			return nil, err
		}
	}
	return rd.Input(), nil
}

// Reader accumulates inputs of every kind and merges them per host; use it to
// mix result logs, bundles and NAME=FILE rows in one Input.
type Reader struct {
	res      *resolver
	segs     []*segment
	hosts    map[string]*hostInfo
	warnings []Warning
	skipped  int
}

// hostInfo is what is known about a host beyond its query results.
type hostInfo struct {
	decorations map[string]string
	lastDecoRaw string
	collected   int64
}

// NewReader returns an empty Reader resolving query names against catalog.
func NewReader(catalog []queries.Query) *Reader {
	return &Reader{res: newResolver(catalog), hosts: map[string]*hostInfo{}}
}

// AddFile reads the file at path ("-" is standard input).
func (rd *Reader) AddFile(path string) error {
	if path == "-" {
		return rd.Add(stdinName, os.Stdin)
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	defer f.Close()
	return rd.Add(path, f)
}

// Add reads one stream, detecting its format; name is used in messages.
func (rd *Reader) Add(name string, r io.Reader) error {
	fr := rd.newFile(name)
	err := fr.read(r)
	fr.finish()
	return err
}

// AddNamed reads the bare rows of f as the result of f.Query on host.
func (rd *Reader) AddNamed(f NamedFile, host string) error {
	name := f.Path
	var r io.Reader
	if f.Path == "-" {
		name, r = stdinName, os.Stdin
	} else {
		fh, err := os.Open(f.Path)
		if err != nil {
			return fmt.Errorf("%s=%s: %w", f.Query, f.Path, err)
		}
		defer fh.Close()
		r = fh
	}
	if f.Query == "" {
		return fmt.Errorf("%s: no query name: give rows as NAME=FILE, e.g. os_version=%s", name, name)
	}
	rows, warns, err := readRows(name, r)
	if err != nil {
		return err
	}
	if host == "" {
		host = "unknown"
	}
	fr := rd.newFile(name)
	for _, w := range warns {
		fr.warn(w.Line, w.Msg)
	}
	s := fr.segment(host, f.Query)
	s.whole(queries.StatusOK, rows, "", 0, name)
	for _, w := range warns {
		s.note(w.Msg)
	}
	fr.host(host)
	fr.finish()
	return nil
}

// Input returns the merged results read so far.
func (rd *Reader) Input() *Input {
	in := &Input{Warnings: append([]Warning(nil), rd.warnings...), Skipped: rd.skipped}
	byHost := map[string]*queries.HostResults{}
	for name, hi := range rd.hosts {
		h := &queries.HostResults{Host: name, Results: map[string]*queries.Result{}}
		if len(hi.decorations) > 0 {
			h.Decorations = make(map[string]string, len(hi.decorations))
			for k, v := range hi.decorations {
				h.Decorations[k] = v
			}
		}
		if hi.collected > 0 {
			h.CollectedAt = unixTime(hi.collected)
		}
		byHost[name] = h
	}
	for host, qs := range pickNewest(chainSegments(rd.segs), rd.res) {
		for q, c := range qs {
			byHost[host].Results[q] = c.result
		}
	}
	for _, h := range byHost {
		in.Hosts = append(in.Hosts, h)
	}
	sort.Slice(in.Hosts, func(i, j int) bool { return in.Hosts[i].Host < in.Hosts[j].Host })
	return in
}

const stdinName = "<stdin>"

// maxWarningsPerFile bounds the warnings one file may add; the rest are counted.
const maxWarningsPerFile = 50
