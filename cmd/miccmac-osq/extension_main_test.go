package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/miccmac/miccmac-osq/extension"
	"github.com/miccmac/miccmac-osq/extension/standin"
	"github.com/miccmac/miccmac-osq/queries/osqsim"
)

// binDir holds the binary built for the extension tests; TestMain removes it.
var (
	binDir   string
	binOnce  sync.Once
	binPath  string
	binBuild error
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "miccmac-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// extensionBinary builds the real binary once (go build) and returns its path.
func extensionBinary(t testing.TB) string {
	t.Helper()
	binOnce.Do(func() {
		binPath = filepath.Join(binDir, "miccmac-osq.ext")
		cmd := exec.Command("go", "build", "-o", binPath, ".")
		if out, err := cmd.CombinedOutput(); err != nil {
			binBuild = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binBuild != nil {
		t.Fatal(binBuild)
	}
	return binPath
}

// shortSocket is a manager socket path short enough for osquery-go (97 chars).
func shortSocket(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "oq")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return filepath.Join(dir, "osquery.em")
}

// startStandin starts a stand-in osqueryd loaded with the fixture.
func startStandin(t testing.TB, fixture string) (*standin.Manager, *osqsim.Fixture, *osqsim.DB) {
	t.Helper()
	fx, err := osqsim.LoadFixture(fixture)
	if err != nil {
		t.Fatal(err)
	}
	db, err := osqsim.Open(fx.Tables)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	m := standin.New(shortSocket(t), db)
	if err := m.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	return m, fx, db
}

// syncBuffer is a bytes.Buffer safe for a writer goroutine and a reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// extProc is a running extension binary.
type extProc struct {
	cmd     *exec.Cmd
	stderr  *syncBuffer
	done    chan struct{}
	waitErr error
	exited  time.Time
}

// startExtension starts the built binary with args (argv[1:]) and env
// additions; the process is killed when the test ends.
func startExtension(t testing.TB, args []string, env ...string) *extProc {
	t.Helper()
	cmd := exec.Command(extensionBinary(t), args...)
	p := &extProc{cmd: cmd, stderr: &syncBuffer{}, done: make(chan struct{})}
	cmd.Stdout = p.stderr
	cmd.Stderr = p.stderr
	cmd.Env = append(os.Environ(), env...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.waitErr = cmd.Wait()
		p.exited = time.Now()
		close(p.done)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.done
		if t.Failed() {
			t.Logf("extension %v output:\n%s", args, p.stderr.String())
		}
	})
	return p
}

// wait waits up to d for the process to exit and returns its exit code.
func (p *extProc) wait(t testing.TB, d time.Duration) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(d):
		t.Fatalf("extension still running after %s", d)
	}
	var ee *exec.ExitError
	if errors.As(p.waitErr, &ee) {
		return ee.ExitCode()
	}
	if p.waitErr != nil {
		t.Fatal(p.waitErr)
	}
	return 0
}

// stop asks the extension to stop (SIGTERM) and returns its exit code.
func (p *extProc) stop(t testing.TB) int {
	t.Helper()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	return p.wait(t, 5*time.Second)
}

// waitRegistered waits until the extension registered and answers pings.
func waitRegistered(t testing.TB, m *standin.Manager, within time.Duration) standin.Registration {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	reg, err := m.WaitRegistered(ctx, extension.Name)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// generate calls the table's generate through the stand-in.
func generate(t testing.TB, m *standin.Manager, tableName string, cs ...standin.Constraint) []map[string]string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	rows, err := m.Generate(ctx, tableName, standin.ContextJSON(cs...))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func byCheckID(rows []map[string]string) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, r := range rows {
		out[r["check_id"]] = r
	}
	return out
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
