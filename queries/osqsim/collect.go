package osqsim

import (
	"context"
	"strconv"
	"time"

	"github.com/miccmac/miccmac-osq/queries"
)

// Collect runs every catalogue query meant for platform against db, as a
// scheduled pack would on that host, and returns the answers as host's
// results. A query that fails becomes a StatusError result carrying the error
// text as osquery words it ("no such table: shadow"); one that succeeds is
// StatusOK with its rows, possibly none. Queries for other platforms are left
// out, so their results read as not run.
//
// CollectedAt is the host's own clock, unix_time of its time table, so a
// fixture collects the same way every time; it is zero when that table is
// missing or unreadable. A cancelled ctx fails the remaining queries with the
// context's error.
func Collect(ctx context.Context, db *DB, catalog []queries.Query, platform string, host string) *queries.HostResults {
	h := &queries.HostResults{Host: host, Results: map[string]*queries.Result{}}
	for _, q := range queries.ForPlatform(catalog, platform) {
		rows, err := db.Query(ctx, q.SQL)
		if err != nil {
			h.Results[q.Name] = &queries.Result{Status: queries.StatusError, Error: err.Error(), Source: "osqsim"}
			continue
		}
		if rows == nil {
			rows = []queries.Row{}
		}
		h.Results[q.Name] = &queries.Result{Status: queries.StatusOK, Rows: rows, Source: "osqsim"}
	}
	h.CollectedAt = hostClock(ctx, db)
	return h
}

// hostClock reads unix_time from the time table; zero when it cannot.
func hostClock(ctx context.Context, db *DB) time.Time {
	rows, err := db.Query(ctx, "SELECT unix_time FROM time;")
	if err != nil || len(rows) == 0 {
		return time.Time{}
	}
	n, err := strconv.ParseInt(rows[0]["unix_time"], 10, 64)
	if err != nil || n <= 0 {
		return time.Time{}
	}
	return time.Unix(n, 0).UTC()
}
