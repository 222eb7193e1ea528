package extension

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miccmac/miccmac-osq/engine"
	"github.com/miccmac/miccmac-osq/extension/standin"
)

// waitRun waits for Run's result.
func waitRun(t *testing.T, done <-chan error, within time.Duration) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(within):
		t.Fatalf("Run still running after %s", within)
		return nil
	}
}

func register(t *testing.T, m *standin.Manager, within time.Duration) standin.Registration {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	reg, err := m.WaitRegistered(ctx, Name)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

func TestRun_ServesTablesThroughThrift(t *testing.T) {
	m := startManager(t, smallLinux)
	opts := fakeOptions(t)
	opts.Socket, opts.Interval = m.Socket(), 200*time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done := runExtension(t, ctx, opts)
	reg := register(t, m, 3*time.Second)

	if got := joined(keys(map[string]string{"miccmac_checks": "", "miccmac_readiness": ""})); got != joined(keysOf(reg.Registry["table"])) {
		t.Errorf("registered tables %v", keysOf(reg.Registry["table"]))
	}
	gctx, gcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer gcancel()
	rows, err := m.Generate(gctx, ChecksTable, standin.ContextJSON())
	if err != nil {
		t.Fatal(err)
	}
	if joined(ids(rows)) != "CUR-01,CUR-04,INV-01,MON-01,MON-02" {
		t.Errorf("checks = %v", ids(rows))
	}
	for _, r := range rows {
		if r["status"] != "PASS" {
			t.Errorf("%s = %s (%s), want PASS on the fixture", r["check_id"], r["status"], r["detail"])
		}
	}
	rr, err := m.Generate(gctx, ReadinessTable, standin.ContextJSON())
	if err != nil || len(rr) != 1 || rr[0]["pass"] != "5" {
		t.Errorf("readiness = %v, %v", rr, err)
	}
	cols, err := m.Columns(gctx, ChecksTable)
	if err != nil || len(cols) != len(ChecksColumns()) || cols[0]["name"] != "check_id" || cols[0]["type"] != "TEXT" {
		t.Errorf("columns = %v, %v", cols, err)
	}
	if err := m.PingExtension(gctx, reg.UUID); err != nil {
		t.Error(err)
	}
	// The extension ran osquery's own SQL to find the platform.
	if qs := m.Queries(); len(qs) == 0 || qs[0] != platformSQL {
		t.Errorf("first query = %v, want %q", qs[:min(1, len(qs))], platformSQL)
	}

	cancel()
	if err := waitRun(t, done, 3*time.Second); err != nil {
		t.Errorf("Run after cancel = %v, want nil", err)
	}
	if regs := m.Registrations(); len(regs) != 0 {
		t.Errorf("still registered after stop: %+v", regs)
	}
}

func keysOf[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return keys(toSet(out))
}

func toSet(s []string) map[string]string {
	m := map[string]string{}
	for _, k := range s {
		m[k] = ""
	}
	return m
}

// TestRun_Startup_B04 covers a socket that comes late, a stale socket file
// (connection refused) that starts answering, and one that never comes.
func TestRun_Startup_B04(t *testing.T) {
	fx := loadFixture(t, smallLinux)
	tests := []struct {
		name     string
		stale    bool
		startAt  time.Duration // < 0: never
		timeout  time.Duration
		register bool
	}{
		{"socket appears late", false, 1200 * time.Millisecond, 3 * time.Second, true},
		{"stale socket file", true, 800 * time.Millisecond, 3 * time.Second, true},
		{"socket never appears", false, -1, 1 * time.Second, false},
		{"stale socket never answers", true, -1, 1 * time.Second, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sock := tempSocket(t)
			if tt.stale {
				if err := standin.StaleSocket(sock); err != nil {
					t.Fatal(err)
				}
			}
			m := standin.New(sock, openDB(t, fx.Tables))
			t.Cleanup(m.Close)
			if tt.startAt >= 0 {
				m.StartAfter(tt.startAt)
			}
			opts := fakeOptions(t)
			opts.Socket, opts.Timeout, opts.Interval = sock, tt.timeout, 200*time.Millisecond
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			start := time.Now()
			done := runExtension(t, ctx, opts)
			if tt.register {
				reg := register(t, m, tt.timeout)
				if took := time.Since(start); took < tt.startAt {
					t.Errorf("registered after %s, before the socket existed (%s)", took, tt.startAt)
				}
				if reg.Info.Name != Name {
					t.Errorf("registered %q", reg.Info.Name)
				}
				cancel()
				if err := waitRun(t, done, 3*time.Second); err != nil {
					t.Errorf("Run = %v", err)
				}
				return
			}
			err := waitRun(t, done, tt.timeout+2*time.Second)
			took := time.Since(start)
			if err == nil {
				t.Fatal("Run returned nil without osquery")
			}
			msg := err.Error()
			if !strings.Contains(msg, sock) || !strings.Contains(msg, "not ready after "+tt.timeout.String()) {
				t.Errorf("error %q does not name the socket and the %s timeout", msg, tt.timeout)
			}
			if took < tt.timeout || took > tt.timeout+time.Second {
				t.Errorf("gave up after %s, want about %s", took, tt.timeout)
			}
		})
	}
}

func TestRun_ManagerKilled_ExitsWithinInterval(t *testing.T) {
	m := startManager(t, smallLinux)
	opts := fakeOptions(t)
	opts.Socket, opts.Interval = m.Socket(), 500*time.Millisecond
	done := runExtension(t, context.Background(), opts)
	register(t, m, 3*time.Second)
	killed := time.Now()
	m.Kill()
	err := waitRun(t, done, 3*time.Second)
	took := time.Since(killed)
	if err == nil || !strings.Contains(err.Error(), "went away") || !strings.Contains(err.Error(), m.Socket()) {
		t.Fatalf("Run = %v, want an error saying osquery at the socket went away", err)
	}
	if took > opts.Interval+500*time.Millisecond {
		t.Errorf("exited %s after the kill, want within one interval (%s)", took, opts.Interval)
	}
}

func TestRun_RegistrationDropped(t *testing.T) {
	m := startManager(t, smallLinux)
	opts := fakeOptions(t)
	opts.Socket, opts.Interval = m.Socket(), 300*time.Millisecond
	done := runExtension(t, context.Background(), opts)
	reg := register(t, m, 3*time.Second)
	if !m.DropRegistration(Name) {
		t.Fatal("nothing to drop")
	}
	err := waitRun(t, done, 2*time.Second)
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("no longer lists this extension (uuid %d)", reg.UUID)) {
		t.Fatalf("Run = %v, want an exit naming the dropped registration", err)
	}
}

func TestRun_DuplicateNameRefused(t *testing.T) {
	m := startManager(t, smallLinux)
	opts := fakeOptions(t)
	opts.Socket = m.Socket()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	first := runExtension(t, ctx, opts)
	register(t, m, 3*time.Second)
	err := waitRun(t, runExtension(t, ctx, opts), 5*time.Second)
	if err == nil || !strings.Contains(err.Error(), "Duplicate extension registered") {
		t.Fatalf("second Run = %v, want osquery's duplicate refusal", err)
	}
	if len(m.Registrations()) != 1 {
		t.Errorf("registrations = %+v, want the first only", m.Registrations())
	}
	cancel()
	if err := waitRun(t, first, 3*time.Second); err != nil {
		t.Errorf("first Run = %v", err)
	}
}

// TestRun_ConcurrentCalls_B02: 16 goroutines × 5 generates (each calling
// back into osquery, no cache) interleaved with columns calls and pings, on
// one extension. Every call succeeds with the same rows; no out-of-step
// Thrift errors reach the log. Run with -race.
func TestRun_ConcurrentCalls_B02(t *testing.T) {
	var bc struct {
		MustNot []string `json:"must_not_appear"`
	}
	b, err := os.ReadFile("../testdata/bugcases/B02.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &bc); err != nil {
		t.Fatal(err)
	}
	m := startManager(t, smallLinux)
	var logMu sync.Mutex
	var logBuf bytes.Buffer
	// The real pipeline (translator + engine), not the fake grader.
	opts := Options{Logger: slog.New(slog.NewTextHandler(lockedWriter{&logMu, &logBuf}, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	opts.Socket, opts.Interval, opts.CacheTTL = m.Socket(), 100*time.Millisecond, -1
	ctx, cancel := context.WithCancel(context.Background())
	done := runExtension(t, ctx, opts)
	reg := register(t, m, 3*time.Second)

	cctx, ccancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer ccancel()
	want := ""
	var mu sync.Mutex
	var wg sync.WaitGroup
	errs := make(chan error, 16*5*3)
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 5 {
				rows, err := m.Generate(cctx, ChecksTable, `{"constraints":[]}`)
				if err != nil {
					errs <- fmt.Errorf("goroutine %d generate %d: %w", g, i, err)
					continue
				}
				var sig []string
				for _, r := range rows {
					sig = append(sig, r["check_id"]+"="+r["status"])
				}
				s := joined(sig)
				mu.Lock()
				if want == "" {
					want = s
				} else if s != want {
					errs <- fmt.Errorf("goroutine %d generate %d: rows %s, others got %s", g, i, s, want)
				}
				mu.Unlock()
				if err := m.PingExtension(cctx, reg.UUID); err != nil {
					errs <- fmt.Errorf("goroutine %d ping %d: %w", g, i, err)
				}
				if _, err := m.Columns(cctx, ReadinessTable); err != nil {
					errs <- fmt.Errorf("goroutine %d columns %d: %w", g, i, err)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := len(strings.Split(want, ",")); n != len(engine.Catalog()) {
		t.Errorf("row set has %d checks, want %d: %s", n, len(engine.Catalog()), want)
	}
	cancel()
	if err := waitRun(t, done, 3*time.Second); err != nil {
		t.Errorf("Run = %v", err)
	}
	logMu.Lock()
	defer logMu.Unlock()
	for _, s := range bc.MustNot {
		if strings.Contains(logBuf.String(), s) {
			t.Errorf("log contains %q", s)
		}
	}
}

// TestRun_ManagerRestarted: a restarted osqueryd answers pings but has
// forgotten the extension; the extension exits so osquery can start it again.
func TestRun_ManagerRestarted(t *testing.T) {
	m := startManager(t, smallLinux)
	opts := fakeOptions(t)
	opts.Socket, opts.Interval = m.Socket(), 300*time.Millisecond
	done := runExtension(t, context.Background(), opts)
	register(t, m, 3*time.Second)
	if err := m.Restart(); err != nil {
		t.Fatal(err)
	}
	err := waitRun(t, done, 2*time.Second)
	if err == nil || !strings.Contains(err.Error(), "no longer lists this extension") {
		t.Fatalf("Run = %v, want an exit after the restart", err)
	}
}

// TestRun_ShutdownRequested: osqueryd's shutdown call stops the extension
// cleanly (nil) and deregisters it.
func TestRun_ShutdownRequested(t *testing.T) {
	m := startManager(t, smallLinux)
	opts := fakeOptions(t)
	opts.Socket = m.Socket()
	done := runExtension(t, context.Background(), opts)
	reg := register(t, m, 3*time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := m.ShutdownExtension(ctx, reg.UUID); err != nil {
		t.Fatal(err)
	}
	if err := waitRun(t, done, 3*time.Second); err != nil {
		t.Errorf("Run after osquery's shutdown = %v, want nil", err)
	}
	if len(m.Registrations()) != 0 {
		t.Errorf("still registered: %+v", m.Registrations())
	}
}
