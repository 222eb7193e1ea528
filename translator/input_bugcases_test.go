package translator

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/miccmac/miccmac-osq/queries"
)

// TestRead_B09: the same row logged with strings and with JSON numbers (the
// envelope too) reads identically; integers above 2^53 stay exact.
func TestRead_B09(t *testing.T) {
	in := readOne(t, bugcasePath("B09.ndjson"))
	os := resultOf(t, in, "host-a", "os_version")
	if len(os.Rows) != 2 {
		t.Fatalf("%d os_version rows, want 2 (one per line)", len(os.Rows))
	}
	if !sameRow(os.Rows[0], os.Rows[1]) {
		t.Errorf("string row %q != number row %q", os.Rows[0], os.Rows[1])
	}
	if r := os.Rows[1]; r["major"] != "24" || r["minor"] != "4" || r["patch"] != "1" || r["build"] != "" {
		t.Errorf("numeric row %q", r)
	}
	tm := resultOf(t, in, "host-a", "time")
	if len(tm.Rows) != 2 {
		t.Fatalf("%d time rows", len(tm.Rows))
	}
	if a, b := tm.Rows[0]["win_timestamp"], tm.Rows[1]["win_timestamp"]; a != "134168832000000000" || b != "134168832000000001" {
		t.Errorf("win_timestamp %q / %q, want …000 / …001 exactly", a, b)
	}
	if a, b := tm.Rows[0]["unix_time"], tm.Rows[1]["unix_time"]; a != "1772445600" || b != a {
		t.Errorf("unix_time %q / %q", a, b)
	}
	h := hostOf(t, in, "host-a")
	if h.CollectedAt.Unix() != 1772445600 || h.Decorations["host_uuid"] != "4C4C4544-0000-1000-8000-000000000001" {
		t.Errorf("host %v %v", h.CollectedAt, h.Decorations)
	}
	if len(in.Warnings) != 0 {
		t.Errorf("warnings %q", inputWarns(in))
	}
}

// TestRead_B10: a missing key is absent (NULL), "" stays "", "-1" stays "-1",
// whether the row comes as NAME=FILE rows or in a result log.
func TestRead_B10(t *testing.T) {
	var bc struct {
		Rows []struct {
			Host string          `json:"host"`
			Row  json.RawMessage `json:"row"`
		} `json:"rows"`
	}
	b, err := os.ReadFile(bugcasePath("B10.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &bc); err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		present map[string]string
		absent  []string
	}{
		"host-c7":  {map[string]string{"major": "7", "minor": "", "patch": "", "build": "", "codename": ""}, nil},
		"host-c7b": {map[string]string{"major": "7", "build": ""}, []string{"minor", "patch", "codename"}},
		"host-r7":  {map[string]string{"major": "-1", "minor": "-1", "patch": "-1"}, []string{"arch", "codename"}},
		"host-u24": {map[string]string{"major": "24", "minor": "4", "patch": "0"}, []string{"arch"}},
	}
	var logLines []string
	for _, r := range bc.Rows {
		rows, err := ReadRows(r.Host+".json", strings.NewReader("["+string(r.Row)+"]"))
		if err != nil {
			t.Fatal(err)
		}
		logLines = append(logLines, `{"name":"pack_miccmac_os_version","hostIdentifier":"`+r.Host+`","unixTime":1,"epoch":0,"counter":0,"columns":`+string(r.Row)+`,"action":"added"}`)
		in := readLog(t, logLines[len(logLines)-1])
		fromLog := resultOf(t, in, r.Host, "os_version").Rows[0]
		for name, row := range map[string]queries.Row{"rows": rows[0], "log": fromLog} {
			w := want[r.Host]
			for k, v := range w.present {
				if got, ok := row[k]; !ok || got != v {
					t.Errorf("%s %s: %s = %q (present %v), want %q", r.Host, name, k, got, ok, v)
				}
			}
			for _, k := range w.absent {
				if got, ok := row[k]; ok {
					t.Errorf("%s %s: %s = %q, want absent (NULL)", r.Host, name, k, got)
				}
			}
		}
	}
	if len(logLines) != 4 {
		t.Fatalf("%d B10 rows", len(logLines))
	}
}

// TestRead_B11: one file mixing event, batch, snapshot, an empty batch at
// counter 0, a legacy "snapshot": "" and a legacy hostname line. Every line
// parses and each host gets exactly its state.
func TestRead_B11(t *testing.T) {
	in := readOne(t, bugcasePath("B11.ndjson"))
	if in.Skipped != 0 {
		t.Errorf("Skipped %d, want every line to parse", in.Skipped)
	}
	var hosts []string
	for _, h := range in.Hosts {
		hosts = append(hosts, h.Host)
	}
	if strings.Join(hosts, ",") != "host-b,host-c,host-old" {
		t.Fatalf("hosts %v", hosts)
	}
	type state struct {
		host, query string
		rows        []queries.Row
		warn        string
	}
	tests := []state{
		{"host-b", "listening_ports", []queries.Row{{"pid": "812", "port": "22", "protocol": "6", "family": "2", "address": "0.0.0.0"}}, ""},
		{"host-b", "pack_miccmac_users_snapshot", []queries.Row{
			{"uid": "0", "username": "root", "shell": "/bin/bash"},
			{"uid": "1000", "username": "user1", "shell": "/bin/zsh"}}, ""},
		// counter 3 with no earlier run: the addition is known, the removal of
		// port 8000 had nothing to remove; both facts are flagged.
		{"host-c", "listening_ports", []queries.Row{{"pid": "901", "port": "8080", "protocol": "6", "family": "2", "address": "0.0.0.0"}}, "first run seen (counter 3)"},
		// empty batch at counter 0: ran, 0 rows.
		{"host-c", "pack_miccmac_authorized_keys", []queries.Row{}, ""},
		{"host-old", "pack_miccmac_users_snapshot", []queries.Row{}, `legacy "snapshot": "" read as 0 rows`},
		{"host-old", "processes", []queries.Row{{"name": "osqueryd", "pid": "97830"}}, "first run seen (counter 1)"},
	}
	for _, tc := range tests {
		r := resultOf(t, in, tc.host, tc.query)
		if r.Status != queries.StatusOK || r.Rows == nil || len(r.Rows) != len(tc.rows) {
			t.Errorf("%s %s: status %s rows %v, want ok %v", tc.host, tc.query, r.Status, r.Rows, tc.rows)
			continue
		}
		for i := range tc.rows {
			if !sameRow(r.Rows[i], tc.rows[i]) {
				t.Errorf("%s %s row %d = %q, want %q", tc.host, tc.query, i, r.Rows[i], tc.rows[i])
			}
		}
		if tc.warn == "" && len(r.Warnings) != 0 {
			t.Errorf("%s %s: warnings %q", tc.host, tc.query, r.Warnings)
		}
		if tc.warn != "" && !hasWarning(r.Warnings, tc.warn) {
			t.Errorf("%s %s: warnings %q lack %q", tc.host, tc.query, r.Warnings, tc.warn)
		}
	}
	if n := len(hostOf(t, in, "host-b").Results) + len(hostOf(t, in, "host-c").Results) + len(hostOf(t, in, "host-old").Results); n != 6 {
		t.Errorf("%d results in all, want 6", n)
	}
	want := []string{bugcasePath("B11.ndjson") + `:5: legacy "snapshot": "" read as 0 rows`}
	if got := inputWarns(in); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("warnings %q, want %q", got, want)
	}
	for _, h := range in.Hosts {
		if h.CollectedAt.Unix() != 1772445600 {
			t.Errorf("%s CollectedAt %v", h.Host, h.CollectedAt)
		}
	}
}

// TestRead_B14: saved osqueryi output. Streams merged by a wrapper start with
// a glog line: reading it fails with "line 1: not JSON" and the file name,
// both as a log and as NAME=FILE rows. A bare "[ ]" (osqueryi's answer when
// the query failed) is not silently read as a log with nothing in it.
func TestRead_B14(t *testing.T) {
	var bc struct {
		Subcases []struct {
			Name   string `json:"name"`
			Stdout string `json:"stdout"`
		} `json:"subcases"`
	}
	b, err := os.ReadFile(bugcasePath("B14.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &bc); err != nil {
		t.Fatal(err)
	}
	stdout := map[string]string{}
	for _, s := range bc.Subcases {
		stdout[s.Name] = s.Stdout
	}
	dir := t.TempDir()
	merged := writeTemp(t, dir, "merged.out", stdout["streams merged by a wrapper (2>&1)"])
	if !strings.HasPrefix(stdout["streams merged by a wrapper (2>&1)"], "W0302 ") {
		t.Fatal("B14 merged subcase changed")
	}
	_, err = ReadFiles([]string{merged}, testCatalog())
	if err == nil || !strings.Contains(err.Error(), "line 1: not JSON") || !strings.Contains(err.Error(), merged) {
		t.Errorf("ReadFiles: %v, want %q naming %s", err, "line 1: not JSON", merged)
	}
	_, err = ReadNamed([]NamedFile{{Query: "os_version", Path: merged}}, "h", testCatalog())
	if err == nil || !strings.Contains(err.Error(), "line 1: not JSON") || !strings.Contains(err.Error(), merged) {
		t.Errorf("ReadNamed: %v, want %q naming %s", err, "line 1: not JSON", merged)
	}

	empty := writeTemp(t, dir, "empty.json", stdout["table missing"])
	if _, err := ReadFiles([]string{empty}, testCatalog()); err == nil || !strings.Contains(err.Error(), "NAME=FILE") {
		t.Errorf("bare [] without a name: %v", err)
	}
	in, err := ReadNamed([]NamedFile{{Query: "os_version", Path: empty}}, "h", testCatalog())
	if err != nil {
		t.Fatal(err)
	}
	if r := resultOf(t, in, "h", "os_version"); r.Status != queries.StatusOK || r.Rows == nil || len(r.Rows) != 0 {
		t.Errorf("named [] = %+v, want ok with 0 rows (the CLI judges stderr)", r)
	}

	good := writeTemp(t, dir, "good.json", stdout["valid result with glog noise on stderr"])
	in, err = ReadNamed([]NamedFile{{Query: "os_version", Path: good}}, "h", testCatalog())
	if err != nil {
		t.Fatal(err)
	}
	if r := resultOf(t, in, "h", "os_version"); len(r.Rows) != 1 || r.Rows[0]["major"] != "24" || r.Rows[0]["name"] != "Ubuntu" {
		t.Errorf("stdout-only rows %v", r.Rows)
	}
}
