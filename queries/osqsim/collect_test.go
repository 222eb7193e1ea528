package osqsim

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/miccmac/miccmac-osq/queries"
)

func TestCollect(t *testing.T) {
	db, err := Open(map[string][]queries.Row{
		"time":       {{"unix_time": "1796112942"}},
		"os_version": {{"name": "Ubuntu", "major": "24", "platform": "ubuntu"}},
		"users":      {{"uid": "0", "username": "root"}, {"uid": "1000", "username": "ubuntu"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	catalog := []queries.Query{
		{Name: "os_version", SQL: "SELECT name, major FROM os_version;", Platforms: []string{"linux", "darwin"}},
		{Name: "admins", SQL: "SELECT username FROM users WHERE uid = 0;", Platforms: []string{"linux"}},
		{Name: "nobody", SQL: "SELECT username FROM users WHERE uid = 42;", Platforms: []string{"linux"}},
		{Name: "shadow", SQL: "SELECT username FROM shadow;", Platforms: []string{"linux"}},
		{Name: "bad_column", SQL: "SELECT colour FROM users;", Platforms: []string{"linux"}},
		{Name: "patches", SQL: "SELECT hotfix_id FROM patches;", Platforms: []string{"windows"}},
	}
	h := Collect(context.Background(), db, catalog, "linux", "pg-prod-02")

	if h.Host != "pg-prod-02" {
		t.Errorf("Host = %q", h.Host)
	}
	if want := time.Unix(1796112942, 0).UTC(); !h.CollectedAt.Equal(want) {
		t.Errorf("CollectedAt = %v, want %v (the host's time table)", h.CollectedAt, want)
	}
	if _, ok := h.Results["patches"]; ok {
		t.Error("a windows-only query was run on linux")
	}
	if got := h.Get("patches").Status; got != queries.StatusNotRun {
		t.Errorf("patches status = %q, want not_run", got)
	}
	tests := []struct {
		name    string
		status  queries.Status
		rows    int
		errPart string
	}{
		{"os_version", queries.StatusOK, 1, ""},
		{"admins", queries.StatusOK, 1, ""},
		{"nobody", queries.StatusOK, 0, ""},
		{"shadow", queries.StatusError, 0, "no such table: shadow"},
		{"bad_column", queries.StatusError, 0, "no such column: colour"},
	}
	for _, tt := range tests {
		r := h.Get(tt.name)
		if r.Status != tt.status || len(r.Rows) != tt.rows || !strings.Contains(r.Error, tt.errPart) {
			t.Errorf("%s: status %q, %d rows, error %q; want %q, %d rows, error containing %q",
				tt.name, r.Status, len(r.Rows), r.Error, tt.status, tt.rows, tt.errPart)
		}
		if r.Status == queries.StatusOK && r.Rows == nil {
			t.Errorf("%s: ok result with nil rows; an empty answer must be an empty slice", tt.name)
		}
	}
	if got := h.Get("admins").Rows[0]["username"]; got != "root" {
		t.Errorf("admins row = %q, want root (the WHERE clause must be evaluated)", got)
	}
}

func TestCollect_NoClock(t *testing.T) {
	db, err := Open(map[string][]queries.Row{"os_version": {{"name": "macOS"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	h := Collect(context.Background(), db, nil, "darwin", "mbp")
	if !h.CollectedAt.IsZero() {
		t.Errorf("CollectedAt = %v without a time table, want zero (unknown)", h.CollectedAt)
	}
	if h.Results == nil || len(h.Results) != 0 {
		t.Errorf("Results = %v, want an empty map for an empty catalogue", h.Results)
	}
}

func TestCollect_Cancelled(t *testing.T) {
	db, err := Open(map[string][]queries.Row{"os_version": {{"name": "macOS"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	cat := []queries.Query{{Name: "os_version", SQL: "SELECT name FROM os_version;", Platforms: []string{"darwin"}}}
	h := Collect(ctx, db, cat, "darwin", "mbp")
	if r := h.Get("os_version"); r.Status != queries.StatusError || !strings.Contains(r.Error, "cancel") {
		t.Errorf("os_version under a cancelled context: %q %q, want an error naming the cancellation", r.Status, r.Error)
	}
}
