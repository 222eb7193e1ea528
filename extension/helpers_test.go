package extension

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miccmac/miccmac-osq/engine"
	"github.com/miccmac/miccmac-osq/engine/policy"
	"github.com/miccmac/miccmac-osq/extension/standin"
	"github.com/miccmac/miccmac-osq/queries"
	"github.com/miccmac/miccmac-osq/queries/osqsim"
)

// tempSocket returns a short manager socket path (osquery-go refuses paths
// over 97 characters, which t.TempDir() easily exceeds).
func tempSocket(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "oq")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return filepath.Join(dir, "osquery.em")
}

func loadFixture(t testing.TB, path string) *osqsim.Fixture {
	t.Helper()
	fx, err := osqsim.LoadFixture(path)
	if err != nil {
		t.Fatal(err)
	}
	return fx
}

// openDB loads tables into an osqsim database.
func openDB(t testing.TB, tables map[string][]queries.Row) *osqsim.DB {
	t.Helper()
	db, err := osqsim.Open(tables)
	if err != nil {
		t.Fatalf("osqsim: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// startManager starts a stand-in osqueryd answering from the fixture.
func startManager(t testing.TB, fixture string) *standin.Manager {
	t.Helper()
	fx := loadFixture(t, fixture)
	m := standin.New(tempSocket(t), openDB(t, fx.Tables))
	if err := m.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	return m
}

// testChecks is a small check catalogue for the fake grader (B05's ids).
var testChecks = []engine.CheckInfo{
	{ID: "MON-01", Property: "monitored", Letter: "M", Title: "Endpoint monitoring agent running"},
	{ID: "MON-02", Property: "monitored", Letter: "M", Title: "osquery healthy"},
	{ID: "INV-01", Property: "inventoried", Letter: "I", Title: "Hardware identity known"},
	{ID: "CUR-01", Property: "current", Letter: "C", Title: "OS supported"},
	{ID: "CUR-04", Property: "current", Letter: "C", Title: "Packages current"},
}

// testFeeds says which query each test check reads.
var testFeeds = map[string]string{
	"MON-01": "processes", "MON-02": "osquery_info", "INV-01": "system_info",
	"CUR-01": "os_version", "CUR-04": "deb_packages",
}

// fakeGrade is a grader double: a check PASSes when its query answered with
// rows, FAILs on zero rows, and is UNKNOWN naming the error otherwise.
func fakeGrade(h *queries.HostResults, _ []queries.Query, cfg *policy.DeviceFiles, now time.Time, only []string) (*engine.Assessment, error) {
	pol := cfg.Policy
	want := map[string]bool{}
	for _, id := range only {
		want[id] = true
	}
	a := &engine.Assessment{Host: h.Host, ModelVersion: engine.ModelVersion, PolicyHash: pol.Hash(),
		AssessedAt: now.Unix(), Counts: map[engine.Status]int{}, Tier: "Developing"}
	props := map[string]*engine.PropertyResult{}
	var order []string
	for _, ci := range testChecks {
		if only != nil && !want[ci.ID] {
			continue
		}
		r := h.Get(testFeeds[ci.ID])
		cr := engine.CheckResult{CheckID: ci.ID, Property: ci.Property, Letter: ci.Letter, Title: ci.Title,
			Evidence: map[string]any{"query": testFeeds[ci.ID], "rows": len(r.Rows)}}
		switch {
		case r.Status == queries.StatusOK && len(r.Rows) > 0:
			cr.Status, cr.Detail = engine.Pass, "rows present"
		case r.Status == queries.StatusOK:
			cr.Status, cr.Detail = engine.Fail, "no rows"
		default:
			cr.Status, cr.Detail = engine.Unknown, fmt.Sprintf("query %s: %s", testFeeds[ci.ID], r.Error)
		}
		if p, ok := cr.Status.Points(); ok {
			cr.Score = &p
		}
		a.Counts[cr.Status]++
		if props[ci.Property] == nil {
			props[ci.Property] = &engine.PropertyResult{Key: ci.Property, Letter: ci.Letter}
			order = append(order, ci.Property)
		}
		props[ci.Property].Checks = append(props[ci.Property].Checks, cr)
	}
	for _, k := range order {
		a.Properties = append(a.Properties, *props[k])
	}
	return a, nil
}

// fakeOptions are Options wired to the fake grader, logging to the test.
func fakeOptions(t testing.TB) Options {
	return Options{grade: fakeGrade, checks: testChecks, Logger: testLogger(t)}
}

// testLogger logs into a buffer printed when the test fails.
func testLogger(t testing.TB) *slog.Logger {
	var mu sync.Mutex
	var buf bytes.Buffer
	t.Cleanup(func() {
		if t.Failed() {
			mu.Lock()
			t.Logf("extension log:\n%s", buf.String())
			mu.Unlock()
		}
	})
	return slog.New(slog.NewTextHandler(lockedWriter{&mu, &buf}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

// ids lists the check_id of rows, sorted.
func ids(rows []map[string]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r["check_id"])
	}
	sort.Strings(out)
	return out
}

func joined(s []string) string { return strings.Join(s, ",") }

// runExtension runs Run in the background and returns its result channel.
func runExtension(t testing.TB, ctx context.Context, opts Options) <-chan error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- Run(ctx, opts) }()
	return done
}
