package translator

import (
	"os"
	"strings"
	"testing"

	"github.com/miccmac/miccmac-osq/queries"
)

// TestReadNamed_Samples reads every bare-row capture (Fleet detail queries,
// osqueryi --json, osqueryi tables) through NAME=FILE.
func TestReadNamed_Samples(t *testing.T) {
	tests := []struct {
		query, file string
		rows        int
		check       func(t *testing.T, rows []queries.Row)
	}{
		{"os_version", "linux-rhel/fleet-os-version.rhel9.json", 1, func(t *testing.T, rows []queries.Row) {
			if r := rows[0]; r["platform_like"] != "rhel fedora" || r["build"] != "" || r["major"] != "9" || r["codename"] != "Plow" {
				t.Errorf("row %v", r)
			}
		}},
		{"rpm_packages", "linux-rhel/fleet-rpm-kernels.rhel9.json", 42, func(t *testing.T, rows []queries.Row) {
			if got := rowsWhere(rows, "name", "kernel"); len(got) < 2 {
				t.Errorf("%d kernel rows, want several installed side by side", len(got))
			}
			if r := rows[0]; r["name"] != "kernel" || r["release"] != "611.8.1.el9_7" || len(r) != 3 {
				t.Errorf("first row %v", r)
			}
		}},
		// osqueryi table: cells trimmed, empty cells are "".
		{"os_version", "linux-suse/osqueryi-table.os-version.sles12sp3.txt", 1, func(t *testing.T, rows []queries.Row) {
			want := queries.Row{"name": "SLES", "version": "12-SP3", "major": "12", "minor": "3", "patch": "0", "build": "",
				"platform": "sles", "platform_like": "", "codename": "", "arch": "x86_64"}
			if !sameRow(rows[0], want) {
				t.Errorf("row %q, want %q", rows[0], want)
			}
		}},
		{"windows_security_center", "windows/osqueryi-table.windows-security-center.server2019.txt", 1, func(t *testing.T, rows []queries.Row) {
			r := rows[0]
			if len(r) != 6 {
				t.Errorf("%d columns, want 6: %v", len(r), r)
			}
			for _, c := range []string{"firewall", "autoupdate", "antivirus", "internet_settings", "windows_security_center_service", "user_account_control"} {
				if r[c] != "Error" {
					t.Errorf("%s = %q, want Error", c, r[c])
				}
			}
		}},
		{"os_version", "macos/fleet-os-version.macos14.json", 1, func(t *testing.T, rows []queries.Row) {
			if r := rows[0]; r["name"] != "macOS" || r["version"] != "14.1.2" || r["codename"] != "" || r["arch"] != "x86_64" {
				t.Errorf("row %v", r)
			}
		}},
		{"system_info", "macos/fleet-system-info.mac10.14.6.json", 1, func(t *testing.T, rows []queries.Row) {
			if r := rows[0]; r["cpu_type"] != "x86_64h" || r["cpu_microcode"] != "" {
				t.Errorf("row %v", r)
			}
		}},
		// One row object (not an array); trailing spaces kept as captured.
		{"platform_info", "macos/fleet-enroll-platform-info.mbp11-4.json", 1, func(t *testing.T, rows []queries.Row) {
			if r := rows[0]; r["date"] != "12/16/2019 " || r["vendor"] != "Apple Inc. " || r["version"] != "196.0.0.0.0 " || r["address"] != "0xff990000" {
				t.Errorf("row %q", r)
			}
		}},
		{"os_version", "windows/fleet-os-version.win11-21H2.json", 1, func(t *testing.T, rows []queries.Row) {
			if r := rows[0]; r["patch"] != "" || !strings.HasPrefix(r["name"], "Microsoft Windows 11") {
				t.Errorf("row %v", r)
			}
		}},
		{"os_windows", "windows/fleet-os-windows.win11-21H2.json", 1, func(t *testing.T, rows []queries.Row) {
			if r := rows[0]; r["release_id"] != "2009" || r["display_version"] != "21H2" || r["kernel_version"] != "10.0.22000.1098" {
				t.Errorf("row %v", r)
			}
		}},
		{"system_info", "windows/fleet-system-info.win11.json", 1, func(t *testing.T, rows []queries.Row) {
			if r := rows[0]; r["cpu_subtype"] != "-1" || r["hardware_version"] != "-1" || r["physical_memory"] != "17179869184" {
				t.Errorf("row %v", r)
			}
		}},
		{"uptime", "windows/fleet-uptime.win11.json", 1, func(t *testing.T, rows []queries.Row) {
			if r := rows[0]; r["total_seconds"] != "16691" || r["days"] != "0" {
				t.Errorf("row %v", r)
			}
		}},
		{"windows_update_history", "windows/fleet-windows-update-history.win11.json", 49, func(t *testing.T, rows []queries.Row) {
			if r := rows[0]; r["date"] != "1660227583" || !strings.Contains(r["title"], "KB2267602") {
				t.Errorf("first row %v", r)
			}
			n := 0
			for _, r := range rows {
				if strings.HasPrefix(r["title"], "9NCBCSZSJRSB-SpotifyAB.SpotifyMusic") {
					n++
				}
			}
			if n == 0 {
				t.Error("Store app entry missing")
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			in, err := ReadNamed([]NamedFile{{Query: tc.query, Path: samplePath(tc.file)}}, "host-1", testCatalog())
			if err != nil {
				t.Fatal(err)
			}
			r := resultOf(t, in, "host-1", tc.query)
			if r.Status != queries.StatusOK || len(r.Rows) != tc.rows {
				t.Fatalf("status %s with %d rows, want ok with %d", r.Status, len(r.Rows), tc.rows)
			}
			if r.Source != samplePath(tc.file) {
				t.Errorf("Source %q", r.Source)
			}
			if len(in.Warnings) != 0 || len(r.Warnings) != 0 {
				t.Errorf("warnings %q / %q", inputWarns(in), r.Warnings)
			}
			tc.check(t, r.Rows)
		})
	}
}

// TestReadNamed_DuplicateKey: Fleet's osquery_info template repeats
// instance_id; the first value wins (as gjson reads it) and a warning names
// the file and line.
func TestReadNamed_DuplicateKey(t *testing.T) {
	f := samplePath("windows/fleet-osquery-info.dup-key.win11.json")
	in, err := ReadNamed([]NamedFile{{Query: "osquery_info", Path: f}}, "win11", testCatalog())
	if err != nil {
		t.Fatal(err)
	}
	r := resultOf(t, in, "win11", "osquery_info")
	if len(r.Rows) != 1 {
		t.Fatalf("%d rows", len(r.Rows))
	}
	if got := r.Rows[0]["instance_id"]; got != "caa2dc5b-f33f-4c57-a138-e4b96e8787cc" {
		t.Errorf("instance_id %q, want the first value", got)
	}
	if r.Rows[0]["watcher"] != "-1" || r.Rows[0]["version"] != "5.5.1" {
		t.Errorf("row %v", r.Rows[0])
	}
	want := f + `:2: column "instance_id" appears twice in one row: the first value is used`
	if ws := inputWarns(in); len(ws) != 1 || ws[0] != want {
		t.Errorf("warnings %q, want [%q]", ws, want)
	}
	if !hasWarning(r.Warnings, `"instance_id" appears twice`) {
		t.Errorf("result warnings %q", r.Warnings)
	}
}

func TestReadRows_Shapes(t *testing.T) {
	tests := []struct {
		name, in string
		want     []queries.Row
		err      string
	}{
		{name: "array", in: `[{"a":"1","b":""},{"a":"2"}]`, want: []queries.Row{{"a": "1", "b": ""}, {"a": "2"}}},
		{name: "numbers and null", in: `[{"n":18446744073709551615,"f":1.50,"z":null,"t":true}]`,
			want: []queries.Row{{"n": "18446744073709551615", "f": "1.50", "t": "true"}}},
		{name: "osqueryi empty result", in: "[\n\n]\n", want: []queries.Row{}},
		{name: "empty file", in: "  \n", want: []queries.Row{}},
		{name: "escapes", in: `[{"p":"C:\\Program Files\\x","q":"\u00e9\""}]`, want: []queries.Row{{"p": `C:\Program Files\x`, "q": `é"`}}},
		{name: "bom", in: "\xef\xbb\xbf[{\"a\":\"1\"}]", want: []queries.Row{{"a": "1"}}},
		{name: "table with pipe in value", in: "+---+-----+\n| a | b   |\n+---+-----+\n| 1 | x|y |\n+---+-----+\n",
			want: []queries.Row{{"a": "1", "b": "x|y"}}},
		{name: "table with multibyte", in: "+---+-----+\n| a | b   |\n+---+-----+\n| 1 | é   |\n+---+-----+\n",
			want: []queries.Row{{"a": "1", "b": "é"}}},
		{name: "glog first", in: "W0302 10:00:00.000000 12345 options.cpp:100] some warning\n[\n  {\"name\":\"Ubuntu\"}\n]\n", err: "x.json: line 1: not JSON"},
		{name: "truncated", in: `[{"a":"1"},{"a"`, err: "x.json:1: invalid JSON (truncated?)"},
		{name: "syntax error line", in: "[\n{\"a\":\"1\"},\n{\"a\" \"2\"}\n]", err: "x.json:3: invalid JSON"},
		{name: "two arrays", in: "[]\n[]", err: "x.json:2: invalid JSON"},
		{name: "nested value", in: `[{"a":{"b":"c"}}]`, err: `column "a" is an object`},
		{name: "not objects", in: `["a"]`, err: "element 0 is a string"},
		{name: "a result log", in: `{"name":"pack_x_os_version","hostIdentifier":"h","columns":{"a":"1"},"action":"added"}`, err: "give it without NAME="},
		{name: "table short row", in: "+---+---+\n| a | b |\n+---+---+\n| 1 |\n+---+---+\n", err: "x.json:4: row has 1 cells, the table has 2 columns"},
		{name: "table junk", in: "+---+\n| a |\n+---+\nError: no such table\n", err: "x.json:4: not part of an osqueryi table"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rows, err := ReadRows("x.json", strings.NewReader(tc.in))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if rows == nil || len(rows) != len(tc.want) {
				t.Fatalf("rows %v, want %v", rows, tc.want)
			}
			for i := range rows {
				if !sameRow(rows[i], tc.want[i]) {
					t.Errorf("row %d = %q, want %q", i, rows[i], tc.want[i])
				}
			}
		})
	}
}

func TestReadNamed_Errors(t *testing.T) {
	dir := t.TempDir()
	p := dir + "/rows.json"
	if err := os.WriteFile(p, []byte(`[{"a":"1"}]`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadNamed([]NamedFile{{Query: "", Path: p}}, "h", testCatalog()); err == nil || !strings.Contains(err.Error(), "NAME=FILE") {
		t.Errorf("no query name: %v", err)
	}
	if _, err := ReadNamed([]NamedFile{{Query: "os_version", Path: dir + "/missing.json"}}, "h", testCatalog()); err == nil || !strings.Contains(err.Error(), "missing.json") {
		t.Errorf("missing file: %v", err)
	}
	// Host "" becomes "unknown"; the query name is resolved like a log name.
	in, err := ReadNamed([]NamedFile{{Query: "pack_miccmac_os_version", Path: p}}, "", testCatalog())
	if err != nil {
		t.Fatal(err)
	}
	if r := resultOf(t, in, "unknown", "os_version"); len(r.Rows) != 1 || r.Rows[0]["a"] != "1" {
		t.Errorf("result %+v", r)
	}
}

func sameRow(a, b queries.Row) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
