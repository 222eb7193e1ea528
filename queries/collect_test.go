package queries

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// mapRunner answers SQL from a map; anything else is "no such table".
type mapRunner map[string][]Row

func (m mapRunner) Query(ctx context.Context, sql string) ([]Row, error) {
	if sql == "slow" {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	rows, ok := m[sql]
	if !ok {
		return nil, errors.New("no such table: x")
	}
	return rows, nil
}

func TestCollect(t *testing.T) {
	cat := []Query{
		{Name: "time", SQL: "SELECT unix_time FROM time;", Platforms: []string{"linux"}, Feeds: []string{"clock"}},
		{Name: "users", SQL: "SELECT * FROM users;", Platforms: []string{"linux"}, Feeds: []string{"users"}},
		{Name: "missing", SQL: "SELECT * FROM nope;", Platforms: []string{"linux"}, Feeds: []string{"x"}},
		{Name: "slow", SQL: "slow", Platforms: []string{"linux"}, Feeds: []string{"y"}},
		{Name: "programs", SQL: "SELECT * FROM programs;", Platforms: []string{"windows"}, Feeds: []string{"packages:programs"}},
	}
	r := mapRunner{"SELECT unix_time FROM time;": {{"unix_time": "1764763200"}}, "SELECT * FROM users;": {}}
	h := Collect(context.Background(), r, cat, "linux", "h", "test", CollectOptions{QueryTimeout: 50 * time.Millisecond})
	if !h.CollectedAt.Equal(time.Unix(1764763200, 0)) {
		t.Errorf("collected at %v, want the device clock", h.CollectedAt)
	}
	if got := h.Get("users"); got.Status != StatusOK || got.Rows == nil || len(got.Rows) != 0 {
		t.Errorf("users: %+v (an empty answer is ok with zero rows)", got)
	}
	if got := h.Get("missing"); got.Status != StatusError || got.Error != "no such table: x" || IsBroken(got.Error) {
		t.Errorf("missing: %+v (osquery's own error, not a broken collection)", got)
	}
	if got := h.Get("slow"); got.Status != StatusError || !IsBroken(got.Error) || !strings.Contains(got.Error, "no answer within 50ms") {
		t.Errorf("slow: %+v (a timeout is a broken collection)", got)
	}
	if got := h.Get("programs"); got.Status != StatusNotRun {
		t.Errorf("a windows query ran on linux: %+v", got)
	}
}
