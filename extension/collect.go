package extension

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/miccmac/miccmac-osq/queries"
)

// QueryRunner runs SQL in the osquery the extension is attached to. An answer
// from osquery that reports an error (for example "no such table") is
// distinguished from a failure to reach osquery by IsOsqueryError.
type QueryRunner interface {
	QueryRows(ctx context.Context, sql string) ([]map[string]string, error)
}

// IsOsqueryError reports whether err is osquery's own answer to a query (the
// query ran and failed) rather than a failure to ask.
func IsOsqueryError(err error) bool {
	var oe *osqueryError
	return errors.As(err, &oe)
}

// OsqueryError makes an error that IsOsqueryError recognises; test doubles of
// QueryRunner use it for "no such table" answers.
func OsqueryError(msg string) error { return &osqueryError{msg: msg} }

// platformSQL reads the platform from osquery itself, so the catalogue matches
// the device osquery runs on, not the Go runtime.
const platformSQL = "SELECT platform, platform_like FROM os_version"

// hostSQL names the host; failing it is not fatal.
const hostSQL = "SELECT hostname, uuid FROM system_info"

// collection is one pass of the catalogue over osquery.
type collection struct {
	// host.CollectedAt is the device's clock (the assessment time); at is
	// the local clock when the collection started (for the cache).
	host     *queries.HostResults
	platform string
	// key identifies the catalogue (policy hash) the collection ran.
	key string
	at  time.Time
	// complete is false when a query could not be asked (timeout, transport
	// error, collection deadline); such a collection is not cached.
	complete bool
}

// collector runs collections one at a time; concurrent callers share the one
// in flight, and a complete collection is reused for ttl.
type collector struct {
	q              QueryRunner
	queryTimeout   time.Duration
	collectTimeout time.Duration
	ttl            time.Duration
	now            func() time.Time
	log            *slog.Logger

	mu       sync.Mutex
	inflight *flight
	cached   *collection
}

type flight struct {
	catalog []queries.Query
	key     string
	done    chan struct{}
	res     *collection
	err     error
}

// get returns a fresh or cached collection of catalog (identified by key),
// waiting at most until ctx ends. Only one collection runs at a time: a caller
// with another catalogue (the policy changed) waits for the running one first.
func (c *collector) get(ctx context.Context, catalog []queries.Query, key string) (*collection, error) {
	for {
		c.mu.Lock()
		if col := c.cached; col != nil && col.key == key && c.ttl > 0 && c.now().Sub(col.at) < c.ttl {
			c.mu.Unlock()
			return col, nil
		}
		f := c.inflight
		if f == nil {
			f = &flight{catalog: catalog, key: key, done: make(chan struct{})}
			c.inflight = f
			go c.run(f)
		}
		c.mu.Unlock()
		select {
		case <-f.done:
			if f.key == key {
				return f.res, f.err
			}
		case <-ctx.Done():
			return nil, fmt.Errorf("collection from osquery still running when the caller gave up: %w", ctx.Err())
		}
	}
}

// run performs one collection for every waiter of f. It is detached from the
// callers' contexts: one caller going away does not fail the others.
func (c *collector) run(f *flight) {
	defer func() {
		if r := recover(); r != nil {
			f.res, f.err = nil, fmt.Errorf("internal error during collection: %v", r)
		}
		c.mu.Lock()
		c.inflight = nil
		if f.err == nil && f.res != nil && f.res.complete {
			c.cached = f.res
		}
		c.mu.Unlock()
		close(f.done)
	}()
	ctx, cancel := context.WithTimeout(context.Background(), c.collectTimeout)
	defer cancel()
	f.res, f.err = c.collect(ctx, f.catalog)
	if f.res != nil {
		f.res.key = f.key
	}
}

// collect detects the platform, then runs the platform's catalogue queries.
func (c *collector) collect(ctx context.Context, catalog []queries.Query) (*collection, error) {
	start := c.now()
	rows, err := c.query(ctx, platformSQL)
	if err != nil {
		return nil, fmt.Errorf("cannot read the platform from osquery (%s): %w", platformSQL, err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("cannot read the platform from osquery: %s returned no rows", platformSQL)
	}
	platform := queries.PlatformToken(rows[0]["platform"])
	if platform == "" {
		return nil, fmt.Errorf("cannot read the platform from osquery: os_version.platform is empty")
	}
	h := &queries.HostResults{
		Host:        "localhost",
		Decorations: map[string]string{},
		CollectedAt: start,
		Results:     map[string]*queries.Result{},
	}
	if rows, err := c.query(ctx, hostSQL); err == nil && len(rows) > 0 {
		if n := rows[0]["hostname"]; n != "" {
			h.Host = n
			h.Decorations["hostname"] = n
		}
		if u := rows[0]["uuid"]; u != "" {
			h.Decorations["host_uuid"] = u
		}
	} else if err != nil {
		c.log.Debug("host name not available", "error", err)
	}
	complete := true
	for _, q := range queries.ForPlatform(catalog, platform) {
		if ctx.Err() != nil {
			h.Results[q.Name] = &queries.Result{Status: queries.StatusError, Source: "thrift",
				Error: queries.BrokenError(fmt.Errorf("not run: the collection deadline of %s was reached", c.collectTimeout))}
			complete = false
			continue
		}
		t0 := time.Now()
		rows, err := c.query(ctx, q.SQL)
		switch {
		case err == nil:
			res := &queries.Result{Status: queries.StatusOK, Source: "thrift", Rows: make([]queries.Row, len(rows))}
			for i, r := range rows {
				res.Rows[i] = queries.Row(r)
			}
			h.Results[q.Name] = res
		case IsOsqueryError(err):
			h.Results[q.Name] = &queries.Result{Status: queries.StatusError, Source: "thrift", Error: err.Error()}
		default:
			complete = false
			h.Results[q.Name] = &queries.Result{Status: queries.StatusError, Source: "thrift", Error: queries.BrokenError(err)}
			c.log.Warn("osquery query failed", "query", q.Name, "error", err)
		}
		c.log.Debug("query", "name", q.Name, "rows", len(rows), "took", time.Since(t0), "error", err)
	}
	if t := queries.DeviceClock(catalog, h); !t.IsZero() {
		h.CollectedAt = t
	}
	return &collection{host: h, platform: platform, at: start, complete: complete}, nil
}

// query runs sql with the per-call deadline (never past the collection's).
func (c *collector) query(ctx context.Context, sql string) ([]map[string]string, error) {
	qctx, cancel := context.WithTimeout(ctx, c.queryTimeout)
	defer cancel()
	return c.q.QueryRows(qctx, sql)
}
