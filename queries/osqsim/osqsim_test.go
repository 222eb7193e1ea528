package osqsim

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miccmac/miccmac-osq/queries"
)

func loadLaptop(t *testing.T, opts ...Options) *DB {
	t.Helper()
	f, err := LoadFixture("testdata/linux-laptop.json")
	if err != nil {
		t.Fatal(err)
	}
	var db *DB
	if len(opts) == 0 {
		db, err = f.Open()
	} else {
		db, err = OpenWith(f.Tables, opts[0])
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func query(t *testing.T, db *DB, sql string) []queries.Row {
	t.Helper()
	rows, err := db.Query(context.Background(), sql)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return rows
}

func TestQuery_JoinWhereAndAliases(t *testing.T) {
	db := loadLaptop(t)
	tests := []struct {
		name, sql string
		want      []queries.Row
	}{
		{
			name: "join on pid, numeric where, aliases",
			sql: `SELECT p.name AS process, l.port, l.address AS bind
			      FROM listening_ports l JOIN processes p USING (pid)
			      WHERE l.port > 0 AND l.address != '127.0.0.1' ORDER BY l.port`,
			want: []queries.Row{{"process": "sshd", "port": "22", "bind": "0.0.0.0"}},
		},
		{
			name: "left join keeps the port whose pid is unknown",
			sql: `SELECT l.port, p.name FROM listening_ports l LEFT JOIN processes p ON p.pid = l.pid
			      WHERE l.protocol = 17`,
			want: []queries.Row{{"port": "68"}},
		},
		{
			name: "numeric text compares as a number",
			sql:  `SELECT username FROM users WHERE uid >= 1000`,
			want: []queries.Row{{"username": "alice"}},
		},
		{
			name: "aggregate and expression names",
			sql:  `SELECT count(*) AS n, max(uid) FROM users`,
			want: []queries.Row{{"n": "2", "max(uid)": "1000"}},
		},
		{
			name: "join with time, as packs do",
			sql:  `SELECT u.username, t.unix_time - 100 AS since FROM users u, time t WHERE u.uid = 0`,
			want: []queries.Row{{"username": "root", "since": "1764775100"}},
		},
		{
			name: "subquery and LIKE",
			sql: `SELECT name FROM processes WHERE pid IN (SELECT pid FROM listening_ports WHERE port < 1024)
			      AND path LIKE '/usr/sbin/%' ORDER BY name`,
			want: []queries.Row{{"name": "exim4"}, {"name": "sshd"}},
		},
		{
			name: "same column name twice: the last wins, as in osquery",
			sql:  `SELECT p.name, d.name FROM processes p JOIN deb_packages d ON d.name = p.name`,
			want: []queries.Row{{"name": "firefox-esr"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := query(t, db, tt.sql); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestQuery_NullHandling(t *testing.T) {
	db := loadLaptop(t)
	// processes.cmdline was not collected: NULL, so the key is absent;
	// os_version.minor is "" in the fixture and stays "".
	rows := query(t, db, `SELECT pid, cmdline, NULL AS none FROM processes WHERE pid = 1`)
	if want := []queries.Row{{"pid": "1"}}; !reflect.DeepEqual(rows, want) {
		t.Errorf("NULL columns: got %v, want %v", rows, want)
	}
	rows = query(t, db, `SELECT major, minor FROM os_version`)
	if want := []queries.Row{{"major": "12", "minor": ""}}; !reflect.DeepEqual(rows, want) {
		t.Errorf("empty values: got %v, want %v", rows, want)
	}
	rows = query(t, db, `SELECT count(*) AS n FROM processes WHERE cmdline IS NULL`)
	if rows[0]["n"] != "4" {
		t.Errorf("cmdline IS NULL: got %v rows, want 4", rows[0]["n"])
	}

	strict := loadLaptop(t, Options{Platform: "linux", OsqueryNulls: true})
	rows = query(t, strict, `SELECT pid, cmdline FROM processes WHERE pid = 1`)
	if want := []queries.Row{{"pid": "1", "cmdline": ""}}; !reflect.DeepEqual(rows, want) {
		t.Errorf("OsqueryNulls prints NULL as \"\": got %v, want %v", rows, want)
	}
	// osquery makes "" in an integer column NULL, so it fails every comparison.
	rows = query(t, strict, `SELECT count(*) AS n FROM os_version WHERE minor >= 0`)
	if rows[0]["n"] != "0" {
		t.Errorf("OsqueryNulls: minor '' >= 0 matched %s rows, want 0", rows[0]["n"])
	}
}

// TestValues_B10 loads B10's os_version rows (numeric columns as "", "-1" or
// missing) and checks they come back exactly as osquery emitted them.
func TestValues_B10(t *testing.T) {
	var rows []queries.Row
	for _, r := range readBugCase(t, "B10.json").Rows {
		rows = append(rows, r.Row)
	}
	db, err := Open(map[string][]queries.Row{"os_version": rows})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got := query(t, db, `SELECT name, version, major, minor, patch, build, platform, platform_like, codename, arch FROM os_version`)
	if !reflect.DeepEqual(got, rows) {
		t.Errorf("round trip:\n got %v\nwant %v", got, rows)
	}
	// "-1" is a number; "" is not, and neither is a missing key.
	got = query(t, db, `SELECT platform FROM os_version WHERE major < 0`)
	if want := []queries.Row{{"platform": "rhel"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("major < 0: got %v, want %v", got, want)
	}
	got = query(t, db, `SELECT platform FROM os_version WHERE patch IS NULL`)
	if want := []queries.Row{{"platform": "centos"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("patch IS NULL: got %v, want %v (only host-c7b lacks the key)", got, want)
	}
}

// TestQuery_B23 runs an exposure query over B23's listening_ports rows.
func TestQuery_B23(t *testing.T) {
	db, err := Open(map[string][]queries.Row{"listening_ports": readBugCase(t, "B23.json").Rows23})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got := query(t, db, `SELECT DISTINCT port FROM listening_ports
		WHERE port != 0 AND address IN ('0.0.0.0', '::') AND net_namespace = '4026531840' ORDER BY port`)
	want := []queries.Row{{"port": "22"}, {"port": "68"}, {"port": "5353"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestQuery_Errors(t *testing.T) {
	db := loadLaptop(t)
	tests := []struct{ sql, want string }{
		{`SELECT * FROM shadow`, "no such table: shadow"}, // in the schema, not collected
		{`SELECT * FROM proceses`, "no such table: proceses"},
		{`SELECT nmae FROM processes`, "no such column: nmae"},
		{`SELECT * FROM processes WHERE`, `incomplete input`},
		{`SELECT split('a', '', 0)`, "Invalid input to split function"},
	}
	for _, tt := range tests {
		rows, err := db.Query(context.Background(), tt.sql)
		var se *SQLError
		if !errors.As(err, &se) || se.Msg != tt.want {
			t.Errorf("%s: got rows %v, error %v; want SQLError %q", tt.sql, rows, err, tt.want)
		}
	}
}

func TestQuery_EmptyTable(t *testing.T) {
	db, err := Open(map[string][]queries.Row{"users": {}, "groups": nil})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows := query(t, db, `SELECT u.username FROM users u JOIN groups g USING (gid)`)
	if rows == nil || len(rows) != 0 {
		t.Errorf("got %#v, want an empty non-nil slice", rows)
	}
}

func TestQuery_HiddenColumns(t *testing.T) {
	procs := []queries.Row{{"pid": "7", "name": "x", "upid": "70", "cgroup_path": "/a"}}
	columns := func(platform string) map[string]bool {
		db, err := OpenWith(map[string][]queries.Row{"processes": procs}, Options{Platform: platform})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		got := map[string]bool{}
		for k := range query(t, db, `SELECT * FROM processes`)[0] {
			got[k] = true
		}
		// A hidden column is still there when named.
		if r := query(t, db, `SELECT upid FROM processes`); r[0]["upid"] != "70" {
			t.Errorf("%s: SELECT upid = %v, want 70", platform, r)
		}
		return got
	}
	for _, tt := range []struct {
		platform           string
		upid, cgroup, elev bool
	}{
		{"linux", false, true, false},
		{"darwin", true, false, false},
		{"", false, true, false},
	} {
		got := columns(tt.platform)
		if got["upid"] != tt.upid || got["cgroup_path"] != tt.cgroup || got["elevated_token"] != tt.elev {
			t.Errorf("platform %q: SELECT * has upid=%v cgroup_path=%v elevated_token=%v; want %v %v %v",
				tt.platform, got["upid"], got["cgroup_path"], got["elevated_token"], tt.upid, tt.cgroup, tt.elev)
		}
	}
}

func TestOpen_Rejects(t *testing.T) {
	tests := []struct {
		name   string
		tables map[string][]queries.Row
		opts   Options
		want   []string
	}{
		{"unknown table", map[string][]queries.Row{"proceses": nil}, Options{}, []string{`"proceses"`, "5.23.1"}},
		{"unknown column", map[string][]queries.Row{"users": {{"uid": "0"}, {"usrname": "x"}}}, Options{}, []string{"users", "row 1", `"usrname"`}},
		{"table on another platform", map[string][]queries.Row{"deb_packages": nil}, Options{Platform: "darwin"}, []string{"deb_packages", "darwin", "linux"}},
		{"bad platform", nil, Options{Platform: "macos"}, []string{`"macos"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := OpenWith(tt.tables, tt.opts)
			if err == nil {
				db.Close()
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %s", err, w)
				}
			}
		})
	}
}

func TestQuery_Context(t *testing.T) {
	db := loadLaptop(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := db.Query(ctx, `SELECT * FROM processes`); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: got %v, want context.Canceled", err)
	}

	ctx, cancel = context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := db.Query(ctx, `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c`)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("endless query: got %v, want context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("endless query stopped after %v", d)
	}
	// The database survives an interrupted query.
	if rows := query(t, db, `SELECT count(*) AS n FROM processes`); rows[0]["n"] != "4" {
		t.Errorf("after interrupt: got %v", rows)
	}
}

func TestDB_Close(t *testing.T) {
	db := loadLaptop(t)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := db.Query(context.Background(), `SELECT 1`); err == nil {
		t.Error("query on a closed DB succeeded")
	}
}

func TestOpenAll(t *testing.T) {
	for _, p := range []string{"", "linux", "darwin", "windows"} {
		db, err := OpenAllWith(Options{Platform: p})
		if err != nil {
			t.Fatal(err)
		}
		_, errDeb := db.Query(context.Background(), `EXPLAIN SELECT name, version FROM deb_packages`)
		_, errOS := db.Query(context.Background(), `EXPLAIN SELECT name, version, major FROM os_version`)
		db.Close()
		if errOS != nil {
			t.Errorf("%q: os_version: %v", p, errOS)
		}
		if wantDeb := p == "" || p == "linux"; (errDeb == nil) != wantDeb {
			t.Errorf("%q: deb_packages compiles = %v, want %v (%v)", p, errDeb == nil, wantDeb, errDeb)
		}
	}
}

func TestSQLiteMessage(t *testing.T) {
	for in, want := range map[string]string{
		"SQL logic error: no such table: users (1)":                          "no such table: users",
		"SQL logic error: Invalid regex: too big, max size is 256 bytes (1)": "Invalid regex: too big, max size is 256 bytes",
		"interrupted (9)": "interrupted",
	} {
		if got := sqliteMessage(in); got != want {
			t.Errorf("sqliteMessage(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestQuery_Concurrent(t *testing.T) {
	db := loadLaptop(t)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 20; j++ {
				rows, err := db.Query(context.Background(), `SELECT count(*) AS n FROM processes p JOIN users u USING (uid)`)
				if err != nil || rows[0]["n"] != "3" {
					errs <- fmt.Errorf("rows %v, err %v", rows, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
