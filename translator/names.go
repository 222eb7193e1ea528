package translator

import (
	"strings"

	"github.com/miccmac/miccmac-osq/queries"
)

// ResolveName maps a query name as osquery's pack mechanism logs it to a
// catalogue query name. Accepted forms:
//
//   - pack_<pack>_<query> (osquery's default delimiter): the remainder after
//     "pack_" equals a catalogue name, or the text after its first '_' does
//     (pack names conventionally have no '_': pack_it-compliance_deb_packages
//     -> deb_packages, pack_miccmac_os_version -> os_version);
//   - pack/<pack>/<query> (Fleet, incl. pack/Global/<query>, and osquery with
//     --pack_delimiter=/): the query part equals a catalogue name;
//   - a bare name equal to a catalogue name;
//   - in every form, miccmac_<name> (our own prefix) resolves to <name>.
//
// Failing those, a name ending in "_<catalogue name>" resolves to the longest
// such name, but only to a multi-word one (os_version, deb_packages): single
// words such as users or services end too many foreign query names
// (logged_in_users, alf_services, etc_services) whose rows are not ours.
// A name that matches nothing is returned unchanged: result logs carry
// queries we don't know, and they are kept under their logged name.
func ResolveName(logName string, catalog []queries.Query) string {
	return newResolver(catalog).resolve(logName)
}

// resolver is ResolveName with the catalogue names in a set and a cache of
// answers, for resolving every line of a large log.
type resolver struct {
	names map[string]bool
	cache map[string]string
}

func newResolver(catalog []queries.Query) *resolver {
	r := &resolver{names: make(map[string]bool, len(catalog)), cache: map[string]string{}}
	for _, q := range catalog {
		r.names[q.Name] = true
	}
	return r
}

func (r *resolver) resolve(logName string) string {
	if got, ok := r.cache[logName]; ok {
		return got
	}
	// logName may point into a reused read buffer: keep only a copy.
	key := strings.Clone(logName)
	got := r.lookup(key)
	if got == "" {
		got = key
	}
	r.cache[key] = got
	return got
}

// wellKnown maps queries of widely deployed packs whose names do not end in
// the table they read to the catalogue query fed by that table: osquery's own
// osquery-monitoring pack logs osquery_schedule as "schedule".
var wellKnown = map[string]string{
	"pack_osquery-monitoring_schedule":     "osquery_schedule",
	"pack/osquery-monitoring/schedule":     "osquery_schedule",
	"pack_osquery-monitoring_osquery_info": "osquery_info",
}

// lookup returns the catalogue name for logName, or "" when none fits.
func (r *resolver) lookup(logName string) string {
	if n, ok := wellKnown[logName]; ok && r.names[n] {
		return n
	}
	switch {
	case strings.HasPrefix(logName, "pack/"):
		rest := logName[len("pack/"):]
		first, last := rest, rest
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			first = rest[i+1:]
			last = rest[strings.LastIndexByte(rest, '/')+1:]
		}
		if n := r.match(first, false); n != "" {
			return n
		}
		return r.match(last, false)
	case strings.HasPrefix(logName, "pack_"):
		return r.match(logName[len("pack_"):], true)
	default:
		return r.match(logName, false)
	}
}

// match resolves rest: itself, then (when packed, or after our own miccmac
// prefix) the text after its first '_', then the longest multi-word catalogue
// name it ends with after a '_'. It returns "" when none fits.
func (r *resolver) match(rest string, packed bool) string {
	if rest == "" {
		return ""
	}
	if r.names[rest] {
		return rest
	}
	first := strings.IndexByte(rest, '_')
	if first < 0 {
		return ""
	}
	if tail := rest[first+1:]; r.names[tail] && (packed || strings.HasPrefix(rest, "miccmac")) {
		return tail
	}
	for i := first; i < len(rest); i++ {
		if rest[i] != '_' {
			continue
		}
		if tail := rest[i+1:]; r.names[tail] && strings.Contains(tail, "_") {
			return tail
		}
	}
	return ""
}
