package osqsim

import (
	"context"
	"strconv"
	"time"

	"github.com/miccmac/miccmac-osq/queries"
)

// Collect runs every catalogue query meant for platform against db through
// queries.Collect (a DB is a queries.Runner), as a scheduled pack would on
// that host, and returns the answers as host's results. A query that fails becomes a StatusError result carrying the error
// text as osquery words it ("no such table: shadow"); one that succeeds is
// StatusOK with its rows, possibly none. Queries for other platforms are left
// out, so their results read as not run.
//
// CollectedAt is the host's own clock, unix_time of its time table, so a
// fixture collects the same way every time; it is zero when that table is
// missing or unreadable. A cancelled ctx stops the collection: the query it
// cut off is a collection failure naming the cancellation, the rest do not run.
func Collect(ctx context.Context, db *DB, catalog []queries.Query, platform string, host string) *queries.HostResults {
	h := queries.Collect(ctx, db, catalog, platform, host, "osqsim", queries.CollectOptions{})
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
