package main

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/miccmac/miccmac-osq/engine"
	"github.com/miccmac/miccmac-osq/extension"
	"github.com/miccmac/miccmac-osq/extension/standin"
)

// b01Lines reads B01's argv lines; argv[0] may contain spaces (Windows).
func b01Lines(t *testing.T) [][]string {
	t.Helper()
	f, err := os.Open("../../testdata/bugcases/B01.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out [][]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.Index(line, " -")
		out = append(out, append([]string{line[:i]}, strings.Fields(line[i:])...))
	}
	if len(out) != 5 {
		t.Fatalf("B01 has %d argv lines, want 5", len(out))
	}
	return out
}

// flagValue returns the value given for flag in argv (any of its forms).
func flagValue(argv []string, flag string) (string, bool) {
	for i, a := range argv {
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if name != flag || !strings.HasPrefix(a, "-") {
			continue
		}
		if hasVal {
			return val, true
		}
		if flag == "verbose" {
			return "true", true
		}
		return argv[i+1], true
	}
	return "", false
}

// TestExtensionFlags_B01: every argv osquery hands an autoloaded extension
// parses (no usage exit), socket taken as given, timeout and interval as
// whole seconds, --verbose only a log level. The Windows pipe line included.
func TestExtensionFlags_B01(t *testing.T) {
	for _, argv := range b01Lines(t) {
		t.Run(strings.Join(argv[1:], " "), func(t *testing.T) {
			var got extension.Options
			var stderr strings.Builder
			app := &cli.App{
				Name: "miccmac-osq", Flags: extensionFlags(), ErrWriter: &stderr, Writer: &stderr,
				Action: func(c *cli.Context) error {
					var err error
					got, err = extensionOptions(c, func(string) string { return "" })
					return err
				},
			}
			if err := app.Run(argv); err != nil {
				t.Fatalf("argv rejected: %v\n%s", err, stderr.String())
			}
			sock, _ := flagValue(argv, "socket")
			timeout, _ := flagValue(argv, "timeout")
			interval, _ := flagValue(argv, "interval")
			_, verbose := flagValue(argv, "verbose")
			if got.Socket != sock {
				t.Errorf("socket = %q, want %q", got.Socket, sock)
			}
			if got.Timeout.String() != timeout+"s" || got.Interval.String() != interval+"s" {
				t.Errorf("timeout %s interval %s, want %ss and %ss", got.Timeout, got.Interval, timeout, interval)
			}
			if got.Verbose != verbose {
				t.Errorf("verbose = %v, want %v", got.Verbose, verbose)
			}
			if verbose != got.Logger.Enabled(t.Context(), -4) {
				t.Errorf("debug logging = %v with verbose %v", !verbose, verbose)
			}
		})
	}
}

func TestExtensionOptions_Env(t *testing.T) {
	app := func(env map[string]string) (extension.Options, error) {
		var got extension.Options
		var err error
		a := &cli.App{Name: "x", Flags: extensionFlags(), Action: func(c *cli.Context) error {
			got, err = extensionOptions(c, func(k string) string { return env[k] })
			return nil
		}}
		if rerr := a.Run([]string{"x", "--socket", "/s"}); rerr != nil {
			return got, rerr
		}
		return got, err
	}
	o, err := app(map[string]string{"MICCMAC_CACHE_TTL": "0", "MICCMAC_QUERY_TIMEOUT": "2", "MICCMAC_COLLECT_TIMEOUT": "90s"})
	if err != nil || o.CacheTTL >= 0 || o.QueryTimeout != 2*time.Second || o.CollectTimeout != 90*time.Second {
		t.Errorf("options = cache %s query %s collect %s, err %v", o.CacheTTL, o.QueryTimeout, o.CollectTimeout, err)
	}
	o, err = app(nil)
	if err != nil || o.CacheTTL != 0 || o.Timeout != 3*time.Second || o.Interval != 3*time.Second {
		t.Errorf("defaults = %+v, %v", o, err)
	}
	if _, err := app(map[string]string{"MICCMAC_QUERY_TIMEOUT": "soon"}); err == nil || !strings.Contains(err.Error(), "MICCMAC_QUERY_TIMEOUT") {
		t.Errorf("bad env value: err = %v, want one naming the variable", err)
	}
}

// TestExtensionBinary_B01: the built binary starts and registers on every
// Unix argv form of B01 (the socket path swapped for the stand-in's).
func TestExtensionBinary_B01(t *testing.T) {
	for _, argv := range b01Lines(t) {
		if strings.Contains(argv[0], `\`) {
			continue // Windows named pipe: flag parsing is covered by TestExtensionFlags_B01
		}
		t.Run(strings.Join(argv[1:], " "), func(t *testing.T) {
			t.Parallel()
			m, _, _ := startStandin(t, smallLinuxFixture)
			sock, _ := flagValue(argv, "socket")
			args := slices.Clone(argv[1:])
			for i, a := range args {
				args[i] = strings.Replace(a, sock, m.Socket(), 1)
			}
			p := startExtension(t, args)
			waitRegistered(t, m, 5*time.Second)
			rows := generate(t, m, extension.ChecksTable)
			if len(rows) != len(engine.Catalog()) {
				t.Errorf("%d rows, want %d", len(rows), len(engine.Catalog()))
			}
			_, verbose := flagValue(argv, "verbose")
			if got := strings.Contains(p.stderr.String(), "level=DEBUG"); got != verbose {
				t.Errorf("debug lines in the log: %v, want %v", got, verbose)
			}
			if code := p.stop(t); code != 0 {
				t.Errorf("exit code after SIGTERM = %d, want 0", code)
			}
		})
	}
}

// TestExtensionBinary_Startup_B04 runs B04's three subcases against the
// binary with B04's flags (--timeout 3 --interval 1).
func TestExtensionBinary_Startup_B04(t *testing.T) {
	tests := []struct {
		name    string
		stale   bool
		startAt time.Duration // < 0: never
	}{
		{"socket appears late", false, 2 * time.Second},
		{"stale socket file left by a dead osqueryd", true, 1500 * time.Millisecond},
		{"socket never appears", false, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sock := shortSocket(t)
			if tt.stale {
				if err := standin.StaleSocket(sock); err != nil {
					t.Fatal(err)
				}
			}
			m := standin.New(sock, nil)
			t.Cleanup(m.Close)
			start := time.Now()
			p := startExtension(t, []string{"--socket", sock, "--timeout", "3", "--interval", "1"})
			if tt.startAt >= 0 {
				m.StartAfter(tt.startAt)
				waitRegistered(t, m, 4*time.Second)
				if took := time.Since(start); took < tt.startAt || took > 3500*time.Millisecond {
					t.Errorf("registered after %s; socket up at %s, timeout 3s", took, tt.startAt)
				}
				if code := p.stop(t); code != 0 {
					t.Errorf("exit code %d after SIGTERM, want 0", code)
				}
				return
			}
			code := p.wait(t, 6*time.Second)
			took := p.exited.Sub(start)
			out := p.stderr.String()
			if code == 0 || code == exitBadInput {
				t.Errorf("exit code %d, want a non-zero, non-usage code", code)
			}
			if took > 5*time.Second || took < 3*time.Second {
				t.Errorf("exited after %s, want about 3s (B04: within 5s)", took)
			}
			if !containsAll(out, sock, "3s") || strings.TrimSpace(out) == "context deadline exceeded" {
				t.Errorf("stderr %q does not name the socket and the 3s timeout", out)
			}
		})
	}
}

// TestExtensionBinary_ManagerKilled: the binary exits non-zero within one
// --interval of osqueryd dying.
func TestExtensionBinary_ManagerKilled(t *testing.T) {
	m, _, _ := startStandin(t, smallLinuxFixture)
	p := startExtension(t, []string{"--socket", m.Socket(), "--interval", "1"})
	waitRegistered(t, m, 5*time.Second)
	killed := time.Now()
	m.Kill()
	code := p.wait(t, 4*time.Second)
	if took := p.exited.Sub(killed); took > 1700*time.Millisecond {
		t.Errorf("exited %s after osqueryd died, want within the 1s interval", took)
	}
	if code == 0 || !containsAll(p.stderr.String(), "went away", m.Socket()) {
		t.Errorf("exit code %d, stderr %q; want non-zero and the reason", code, p.stderr.String())
	}
}

// TestExtensionBinary_RegistrationDropped: when osqueryd forgets the
// extension, the binary exits non-zero so osquery's watcher can start it again.
func TestExtensionBinary_RegistrationDropped(t *testing.T) {
	m, _, _ := startStandin(t, smallLinuxFixture)
	p := startExtension(t, []string{"--socket", m.Socket(), "--interval", "1"})
	waitRegistered(t, m, 5*time.Second)
	m.DropRegistration(extension.Name)
	if code := p.wait(t, 3*time.Second); code == 0 || !strings.Contains(p.stderr.String(), "no longer lists this extension") {
		t.Errorf("exit code %d, stderr %q", code, p.stderr.String())
	}
}

// TestExtensionBinary_SlowQuery_B08: one catalogue query hangs; the table
// still answers within the per-query deadline, only the checks fed by that
// query lose their verdict, and the next calls (re-dialled) succeed.
func TestExtensionBinary_SlowQuery_B08(t *testing.T) {
	m, _, _ := startStandin(t, smallLinuxFixture)
	p := startExtension(t, []string{"--socket", m.Socket()}, "MICCMAC_QUERY_TIMEOUT=1", "MICCMAC_CACHE_TTL=0")
	waitRegistered(t, m, 5*time.Second)
	baseline := byCheckID(generate(t, m, extension.ChecksTable))

	m.DelayQuery("FROM deb_packages", 420*time.Second)
	start := time.Now()
	slow := byCheckID(generate(t, m, extension.ChecksTable))
	if took := time.Since(start); took > 4*time.Second {
		t.Errorf("generate with a query hanging took %s, want about the 1s per-query deadline", took)
	}
	changed := 0
	for id, row := range slow {
		base := baseline[id]
		if row["status"] == base["status"] && row["detail"] == base["detail"] {
			continue
		}
		changed++
		t.Logf("%s: %s %q", id, row["status"], row["detail"])
		if row["score"] != "" || (row["status"] != "UNKNOWN" && row["status"] != "ERROR") {
			t.Errorf("%s = %s %q, want an unscored UNKNOWN/ERROR when its query timed out", id, row["status"], row["detail"])
		}
		if !strings.Contains(row["detail"], "deadline") && !strings.Contains(row["detail"], "deb_packages") {
			t.Errorf("%s detail %q names neither the timeout nor the query", id, row["detail"])
		}
	}
	if changed == 0 {
		t.Errorf("no check lost its verdict although deb_packages timed out")
	}
	if changed == len(slow) {
		t.Errorf("every check changed; only those fed by deb_packages should")
	}
	// Follow-ups: osquery answers again; the extension re-dialled and grades.
	m.ClearDelays()
	rows := generate(t, m, extension.ChecksTable, standin.Constraint{Column: "check_id", Op: 2, Expr: "MON-01"})
	if len(rows) != 1 || rows[0]["status"] != baseline["MON-01"]["status"] {
		t.Errorf("follow-up MON-01 = %v, want %s", rows, baseline["MON-01"]["status"])
	}
	again := byCheckID(generate(t, m, extension.ChecksTable))
	for id, row := range again {
		if row["status"] != baseline[id]["status"] {
			t.Errorf("after recovery %s = %s, want %s", id, row["status"], baseline[id]["status"])
		}
	}
	if !strings.Contains(p.stderr.String(), "osquery query failed") {
		t.Errorf("the timeout was not logged")
	}
}

// TestExtensionSpec: --spec prints the tables' spec JSON and exits 0.
func TestExtensionSpec(t *testing.T) {
	var stdout, stderr strings.Builder
	code := run([]string{"miccmac-osq", "--spec"}, strings.NewReader(""), &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	var specs []struct {
		Name    string `json:"name"`
		Columns []struct {
			Name string `json:"name"`
		} `json:"columns"`
	}
	if err := json.Unmarshal([]byte(stdout.String()), &specs); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout.String())
	}
	if len(specs) != 2 || specs[0].Name != "miccmac_checks" || specs[1].Name != "miccmac_readiness" || len(specs[0].Columns) != 17 || specs[0].Columns[16].Name != "policy_hash" {
		t.Errorf("spec = %+v", specs)
	}
}

var smallLinuxFixture = filepath.Join("..", "..", "extension", "testdata", "linux-small.json")

// TestExtensionBinary_Concurrent_B02: 16 goroutines × 5 generates (each a
// collection calling back into osquery; no cache) with pings and columns
// calls in between, against the built binary. Every call succeeds with the
// same rows, and none of B02's out-of-step errors reaches the log.
func TestExtensionBinary_Concurrent_B02(t *testing.T) {
	var bc struct {
		MustNot []string `json:"must_not_appear"`
	}
	raw, err := os.ReadFile("../../testdata/bugcases/B02.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &bc); err != nil {
		t.Fatal(err)
	}
	m, _, _ := startStandin(t, smallLinuxFixture)
	p := startExtension(t, []string{"--socket", m.Socket(), "--interval", "1", "--verbose"}, "MICCMAC_CACHE_TTL=0")
	reg := waitRegistered(t, m, 5*time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	var mu sync.Mutex
	sigs := map[string]int{}
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 5 {
				rows, err := m.Generate(ctx, extension.ChecksTable, `{"constraints":[]}`)
				if err != nil {
					t.Errorf("goroutine %d generate %d: %v", g, i, err)
					continue
				}
				var sig []string
				for _, r := range rows {
					sig = append(sig, r["check_id"]+"="+r["status"])
				}
				mu.Lock()
				sigs[strings.Join(sig, ",")]++
				mu.Unlock()
				if err := m.PingExtension(ctx, reg.UUID); err != nil {
					t.Errorf("goroutine %d ping %d: %v", g, i, err)
				}
				if _, err := m.Columns(ctx, extension.ChecksTable); err != nil {
					t.Errorf("goroutine %d columns %d: %v", g, i, err)
				}
			}
		}()
	}
	wg.Wait()
	if len(sigs) != 1 {
		t.Errorf("%d different row sets across 80 generates, want 1: %v", len(sigs), sigs)
	}
	for sig := range sigs {
		if n := len(strings.Split(sig, ",")); n != len(engine.Catalog()) {
			t.Errorf("row set has %d checks, want %d", n, len(engine.Catalog()))
		}
	}
	if code := p.stop(t); code != 0 {
		t.Errorf("exit %d", code)
	}
	for _, s := range bc.MustNot {
		if strings.Contains(p.stderr.String(), s) {
			t.Errorf("log contains %q", s)
		}
	}
}
