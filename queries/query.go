// Package queries holds the collection catalogue: the osquery SQL that gathers
// every fact the MICCMAC checks need, and the shapes of the rows it returns.
package queries

import (
	"strings"
	"time"
)

// Row is one result row as osquery emits it: column name to text value.
// A column that is absent from the map is NULL; an empty string is an empty
// value (for numeric columns, osquery's way of saying "unknown").
type Row map[string]string

// Status says whether a query produced an answer.
type Status string

const (
	// StatusOK means the query ran; Rows holds its answer (possibly none).
	StatusOK Status = "ok"
	// StatusError means the query ran and failed (for example "no such table").
	StatusError Status = "error"
	// StatusNotRun means the query was never run for this host.
	StatusNotRun Status = "not_run"
)

// Result is one query's answer for one host.
type Result struct {
	Status Status `json:"status"`
	Rows   []Row  `json:"rows"`
	// Error is osquery's message when Status is StatusError.
	Error string `json:"error,omitempty"`
	// Source names where the rows came from (file:line, "osqueryi", "thrift").
	Source string `json:"source,omitempty"`
	// Warnings are non-fatal oddities seen while reading this result.
	Warnings []string `json:"warnings,omitempty"`
}

// HostResults is every query's answer for one host.
type HostResults struct {
	// Host is the host identifier (hostIdentifier, hostname, or the name given
	// by the capture bundle).
	Host string `json:"host"`
	// Decorations are the osquery decorations seen for the host (host_uuid, hostname, ...).
	Decorations map[string]string `json:"decorations,omitempty"`
	// CollectedAt is when the newest result was produced on the host; zero when unknown.
	CollectedAt time.Time `json:"collected_at"`
	// Results maps catalogue query name to its result.
	Results map[string]*Result `json:"results"`
}

// Get returns the result for the named query, or a StatusNotRun result.
func (h *HostResults) Get(name string) *Result {
	if h != nil && h.Results != nil {
		if r, ok := h.Results[name]; ok && r != nil {
			return r
		}
	}
	return &Result{Status: StatusNotRun}
}

// brokenPrefix starts the Error of a result that got no answer because the
// collection itself failed (a timeout, a lost connection), as opposed to
// osquery answering with an error such as "no such table". It travels as
// text so bundles and other tools keep the distinction.
const brokenPrefix = "collection failed: "

// BrokenError is the Error text of a result whose query got no answer because
// the collection failed.
func BrokenError(err error) string { return brokenPrefix + err.Error() }

// IsBroken reports whether an Error text (or a reason derived from it) says
// the collection failed rather than osquery answering with an error.
func IsBroken(msg string) bool { return strings.Contains(msg, brokenPrefix) }
