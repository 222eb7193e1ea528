package queries

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// Runner executes one SQL statement on a device through osquery.
type Runner interface {
	// Query runs sql and returns its rows; an error means osquery did not answer
	// (for example "no such table"), never "zero rows".
	Query(ctx context.Context, sql string) ([]Row, error)
}

// Progress is told about each query as collection proceeds; it may be nil.
type Progress func(done, total int, name string)

// CollectOptions tune Collect.
type CollectOptions struct {
	// QueryTimeout bounds each query; zero means no per-query bound.
	QueryTimeout time.Duration
	Progress     Progress
}

// Collect runs every catalogue query for platform through r and returns the
// host's results. A query that fails is recorded as StatusError with osquery's
// message; the others still run. source names the runner in each Result.
func Collect(ctx context.Context, r Runner, catalog []Query, platform, host, source string, opts CollectOptions) *HostResults {
	qs := ForPlatform(catalog, platform)
	h := &HostResults{Host: host, Results: make(map[string]*Result, len(qs))}
	for i, q := range qs {
		if opts.Progress != nil {
			opts.Progress(i, len(qs), q.Name)
		}
		h.Results[q.Name] = runOne(ctx, r, q, source, opts.QueryTimeout)
		if ctx.Err() != nil {
			break
		}
	}
	if opts.Progress != nil {
		opts.Progress(len(qs), len(qs), "")
	}
	h.CollectedAt = DeviceClock(catalog, h)
	if h.CollectedAt.IsZero() {
		h.CollectedAt = time.Now().UTC().Truncate(time.Second)
	}
	return h
}

// DeviceClock is the device's own time as osquery reported it (unix_time of
// the query feeding "clock"), so a live collection is graded at the time the
// device saw, as a saved one is; zero when unknown.
func DeviceClock(catalog []Query, h *HostResults) time.Time {
	for _, q := range catalog {
		if !slices.Contains(q.Feeds, "clock") {
			continue
		}
		r := h.Get(q.Name)
		if r.Status != StatusOK || len(r.Rows) == 0 {
			continue
		}
		if n, err := strconv.ParseInt(r.Rows[0]["unix_time"], 10, 64); err == nil && n > 0 {
			return time.Unix(n, 0).UTC()
		}
	}
	return time.Time{}
}

func runOne(ctx context.Context, r Runner, q Query, source string, timeout time.Duration) *Result {
	qctx := ctx
	if timeout > 0 {
		var cancel context.CancelFunc
		qctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	rows, err := r.Query(qctx, q.SQL)
	if err != nil {
		if qctx.Err() != nil {
			// No answer in time: the collection failed, osquery said nothing.
			if qctx.Err() == context.DeadlineExceeded {
				err = fmt.Errorf("no answer within %s: %w", timeout, err)
			}
			return &Result{Status: StatusError, Error: BrokenError(err), Source: source}
		}
		return &Result{Status: StatusError, Error: err.Error(), Source: source}
	}
	if rows == nil {
		rows = []Row{}
	}
	return &Result{Status: StatusOK, Rows: rows, Source: source}
}

// DetectPlatform asks osquery for the platform token (linux, darwin, windows)
// of the device behind r, from os_version.
func DetectPlatform(ctx context.Context, r Runner) (platform, hostname string, err error) {
	rows, err := r.Query(ctx, "SELECT platform, platform_like FROM os_version;")
	if err != nil {
		return "", "", fmt.Errorf("os_version: %w", err)
	}
	if len(rows) == 0 {
		return "", "", fmt.Errorf("os_version returned no row")
	}
	platform = PlatformToken(rows[0]["platform"])
	if hrows, err := r.Query(ctx, "SELECT hostname FROM system_info;"); err == nil && len(hrows) > 0 {
		hostname = hrows[0]["hostname"]
	}
	return platform, hostname, nil
}

// PlatformToken maps os_version.platform (ubuntu, rhel, darwin, windows, ...)
// to the osquery platform token the catalogue uses; "" when empty.
func PlatformToken(platform string) string {
	switch platform {
	case "darwin", "windows", "freebsd", "":
		return platform
	}
	return "linux" // every Linux distribution reports its own id here
}
