package extension

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

const smallLinux = "testdata/linux-small.json"

// TestManagerClient_TimeoutRedials_B08: a query that outlives its deadline
// returns a timeout error on time, the connection is closed, and the next
// calls on the same client succeed on a fresh connection instead of reading
// the late reply (out of order sequence response).
func TestManagerClient_TimeoutRedials_B08(t *testing.T) {
	m := startManager(t, smallLinux)
	c := newManagerClient(m.Socket(), 300*time.Millisecond)
	defer c.Close()
	ctx := context.Background()

	if _, err := c.QueryRows(ctx, "SELECT version FROM osquery_info"); err != nil {
		t.Fatalf("warm-up query: %v", err)
	}
	m.DelayQuery("FROM deb_packages", 2*time.Second)
	start := time.Now()
	_, err := c.QueryRows(ctx, "SELECT name FROM deb_packages")
	took := time.Since(start)
	if err == nil || !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("slow query: err = %v, want a deadline error", err)
	}
	if IsOsqueryError(err) {
		t.Errorf("a timeout is not osquery's answer: %v", err)
	}
	if took > time.Second {
		t.Errorf("slow query returned after %s, want about the 300ms deadline", took)
	}
	if !strings.Contains(err.Error(), "re-dials") {
		t.Errorf("error %q does not say the connection is re-dialled", err)
	}
	for i, sql := range []string{"SELECT version FROM osquery_info", "SELECT hostname FROM system_info"} {
		rows, err := c.QueryRows(ctx, sql)
		if err != nil {
			t.Fatalf("follow-up %d %q: %v", i, sql, err)
		}
		if len(rows) != 1 {
			t.Fatalf("follow-up %d: %d rows, want 1", i, len(rows))
		}
		if _, ok := rows[0]["version"]; i == 0 && !ok {
			t.Errorf("follow-up 0 got %v: another call's answer", rows[0])
		}
		if _, ok := rows[0]["hostname"]; i == 1 && !ok {
			t.Errorf("follow-up 1 got %v: another call's answer", rows[0])
		}
	}
}

// TestManagerClient_OsqueryErrorKeepsConnection: "no such table" is osquery's
// answer, not a transport failure.
func TestManagerClient_OsqueryError(t *testing.T) {
	m := startManager(t, smallLinux)
	c := newManagerClient(m.Socket(), time.Second)
	defer c.Close()
	_, err := c.QueryRows(context.Background(), "SELECT * FROM rpm_packages")
	if !IsOsqueryError(err) || !strings.Contains(err.Error(), "no such table: rpm_packages") {
		t.Fatalf("err = %v, want osquery's no such table answer", err)
	}
	rows, err := c.QueryRows(context.Background(), "SELECT name FROM deb_packages WHERE status LIKE '% installed'")
	if err != nil || len(rows) != 3 {
		t.Fatalf("next query: %d rows, %v; want 3 installed packages", len(rows), err)
	}
}

// TestManagerClient_RefusedSocket: a stale socket file refuses connections
// and the error names the path.
func TestManagerClient_Refused_B04(t *testing.T) {
	path := tempSocket(t)
	c := newManagerClient(path, time.Second)
	err := c.Ping(context.Background())
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("absent socket: err = %v, want one naming %s", err, path)
	}
}
