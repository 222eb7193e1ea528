package translator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/miccmac/miccmac-osq/queries"
)

// ev builds one event-format result-log line.
func evLine(host, name string, epoch, counter, unix int, action string, cols map[string]string) string {
	c, _ := json.Marshal(cols)
	return fmt.Sprintf(`{"name":%q,"hostIdentifier":%q,"unixTime":"%d","epoch":"%d","counter":"%d","decorations":{"hostname":%q},"columns":%s,"action":%q}`,
		name, host, unix, epoch, counter, host, c, action)
}

// batch builds one batched (diffResults) line.
func batchLine(host, name string, epoch, counter, unix int, added, removed []map[string]string) string {
	a, _ := json.Marshal(added)
	r, _ := json.Marshal(removed)
	return fmt.Sprintf(`{"name":%q,"hostIdentifier":%q,"unixTime":%d,"epoch":%d,"counter":%d,"diffResults":{"added":%s,"removed":%s}}`,
		name, host, unix, epoch, counter, a, r)
}

// snap builds one snapshot line.
func snapLine(host, name string, unix int, rows []map[string]string) string {
	s, _ := json.Marshal(rows)
	return fmt.Sprintf(`{"name":%q,"hostIdentifier":%q,"unixTime":%d,"epoch":0,"counter":0,"snapshot":%s,"action":"snapshot"}`, name, host, unix, s)
}

func portRow(p string) map[string]string { return map[string]string{"port": p, "address": "0.0.0.0"} }

func readLog(t *testing.T, lines ...string) *Input {
	t.Helper()
	in, err := Read("t.log", strings.NewReader(strings.Join(lines, "\n")+"\n"), testCatalog())
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// ports returns the sorted-by-appearance port values of a result.
func portList(r *queries.Result) string {
	var out []string
	for _, row := range r.Rows {
		out = append(out, row["port"])
	}
	return strings.Join(out, ",")
}

// TestResultLog_StateRules covers how each host's latest state is rebuilt.
func TestResultLog_StateRules(t *testing.T) {
	const q = "pack_miccmac_listening_ports"
	tests := []struct {
		name  string
		lines []string
		want  string // ports in state order
		warn  string // a result warning that must be present
	}{
		{name: "differential runs", lines: []string{
			evLine("h", q, 1, 0, 100, "added", portRow("22")),
			evLine("h", q, 1, 0, 100, "added", portRow("80")),
			evLine("h", q, 1, 1, 160, "removed", portRow("80")),
			evLine("h", q, 1, 1, 160, "added", portRow("443")),
		}, want: "22,443"},
		// Within one run removals apply before additions, whatever the line
		// order: a row both added and removed in one run was in the old state.
		{name: "removals before additions", lines: []string{
			evLine("h", q, 1, 0, 100, "added", portRow("22")),
			evLine("h", q, 1, 1, 160, "added", portRow("22")),
			evLine("h", q, 1, 1, 160, "removed", portRow("22")),
		}, want: "22"},
		{name: "removal takes one copy", lines: []string{
			evLine("h", q, 1, 0, 100, "added", portRow("22")),
			evLine("h", q, 1, 0, 100, "added", portRow("22")),
			evLine("h", q, 1, 1, 160, "removed", portRow("22")),
		}, want: "22"},
		{name: "counter 0 starts afresh", lines: []string{
			evLine("h", q, 1, 0, 100, "added", portRow("22")),
			evLine("h", q, 1, 0, 200, "added", portRow("22")),
			evLine("h", q, 1, 0, 200, "added", portRow("8080")),
		}, want: "22,8080"},
		{name: "new epoch starts afresh", lines: []string{
			evLine("h", q, 1, 0, 100, "added", portRow("22")),
			evLine("h", q, 1, 1, 160, "added", portRow("80")),
			evLine("h", q, 2, 5, 300, "added", portRow("443")),
		}, want: "443"},
		{name: "snapshot replaces", lines: []string{
			evLine("h", q, 1, 0, 100, "added", portRow("22")),
			snapLine("h", q, 200, []map[string]string{portRow("9000"), portRow("9001")}),
		}, want: "9000,9001"},
		{name: "batch on events", lines: []string{
			evLine("h", q, 1, 0, 100, "added", portRow("22")),
			evLine("h", q, 1, 0, 100, "added", portRow("80")),
			batchLine("h", q, 1, 1, 160, []map[string]string{portRow("443")}, []map[string]string{portRow("80")}),
		}, want: "22,443"},
		{name: "empty batch at counter 0 clears", lines: []string{
			evLine("h", q, 1, 0, 100, "added", portRow("22")),
			batchLine("h", q, 1, 0, 200, []map[string]string{}, []map[string]string{}),
		}, want: ""},
		// osqueryd restarted within the same second: the same key again after
		// another query's lines is a new counter-0 run, not more rows.
		{name: "restart in the same second", lines: []string{
			evLine("h", q, 0, 0, 100, "added", portRow("22")),
			evLine("h", "pack_miccmac_os_version", 0, 0, 100, "added", map[string]string{"name": "Ubuntu"}),
			evLine("h", q, 0, 0, 100, "added", portRow("22")),
		}, want: "22"},
		{name: "duplicate delivery of a differential", lines: []string{
			evLine("h", q, 1, 0, 100, "added", portRow("22")),
			batchLine("h", q, 1, 1, 160, []map[string]string{portRow("80")}, nil),
			batchLine("h", q, 1, 1, 160, []map[string]string{portRow("80")}, nil),
		}, want: "22,80", warn: "logged twice"},
		{name: "removal of an unknown row", lines: []string{
			evLine("h", q, 1, 0, 100, "added", portRow("22")),
			evLine("h", q, 1, 1, 160, "removed", portRow("25")),
		}, want: "22", warn: "1 removed row(s) matched no row"},
		{name: "differential only", lines: []string{
			evLine("h", q, 1, 7, 100, "added", portRow("22")),
		}, want: "22", warn: "first run seen (counter 7)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := readLog(t, tc.lines...)
			r := resultOf(t, in, "h", "listening_ports")
			if got := portList(r); got != tc.want || r.Status != queries.StatusOK || r.Rows == nil {
				t.Errorf("state %q (status %s), want %q", got, r.Status, tc.want)
			}
			if tc.warn == "" && len(r.Warnings) > 0 {
				t.Errorf("unexpected warnings %q", r.Warnings)
			}
			if tc.warn != "" && !hasWarning(r.Warnings, tc.warn) {
				t.Errorf("warnings %q lack %q", r.Warnings, tc.warn)
			}
		})
	}
}

// TestResultLog_Interleaved reads many hosts whose lines interleave.
func TestResultLog_Interleaved(t *testing.T) {
	const q = "pack_miccmac_listening_ports"
	in := readLog(t,
		evLine("a", q, 1, 0, 100, "added", portRow("22")),
		evLine("b", q, 1, 0, 101, "added", portRow("80")),
		evLine("a", q, 1, 0, 100, "added", portRow("25")),
		evLine("b", q, 1, 0, 101, "added", portRow("443")),
		evLine("a", q, 1, 1, 190, "removed", portRow("25")),
	)
	if got := portList(resultOf(t, in, "a", "listening_ports")); got != "22" {
		t.Errorf("host a %q", got)
	}
	if got := portList(resultOf(t, in, "b", "listening_ports")); got != "80,443" {
		t.Errorf("host b %q", got)
	}
	if got := hostOf(t, in, "a").CollectedAt.Unix(); got != 190 {
		t.Errorf("host a CollectedAt %d, want the newest unixTime 190", got)
	}
}

// TestResultLog_TwoPacksOneQuery: two packs schedule the same catalogue query;
// the newer state wins and the other is named in a warning.
func TestResultLog_TwoPacksOneQuery(t *testing.T) {
	in := readLog(t,
		evLine("h", "pack_new_listening_ports", 1, 0, 200, "added", portRow("443")),
		evLine("h", "pack_old_listening_ports", 1, 0, 100, "added", portRow("22")),
	)
	r := resultOf(t, in, "h", "listening_ports")
	if portList(r) != "443" || !hasWarning(r.Warnings, `"pack_old_listening_ports"`) {
		t.Errorf("state %q, warnings %q", portList(r), r.Warnings)
	}
}

// TestResultLog_RotatedFiles: a differential file read before the file with
// its base run still rebuilds the right state (runs are replayed by time).
func TestResultLog_RotatedFiles(t *testing.T) {
	const q = "pack_miccmac_listening_ports"
	dir := t.TempDir()
	older := writeTemp(t, dir, "results.log.1", evLine("h", q, 1, 0, 100, "added", portRow("22"))+"\n"+evLine("h", q, 1, 0, 100, "added", portRow("80"))+"\n")
	newer := writeTemp(t, dir, "results.log", evLine("h", q, 1, 1, 160, "removed", portRow("80"))+"\n"+evLine("h", q, 1, 1, 160, "added", portRow("443"))+"\n")
	for _, paths := range [][]string{{older, newer}, {newer, older}} {
		in, err := ReadFiles(paths, testCatalog())
		if err != nil {
			t.Fatal(err)
		}
		r := resultOf(t, in, "h", "listening_ports")
		if portList(r) != "22,443" || len(r.Warnings) != 0 {
			t.Errorf("%v: state %q, warnings %q", paths, portList(r), r.Warnings)
		}
	}
}

// TestResultLog_BadLines: malformed lines are skipped with file:line warnings;
// a truncated last line too.
func TestResultLog_BadLines(t *testing.T) {
	const q = "pack_miccmac_listening_ports"
	text := strings.Join([]string{
		evLine("h", q, 1, 0, 100, "added", portRow("22")),
		`{"name": broken`,
		``,
		`{"hello":"world"}`,
		`[1,2]`,
		evLine("h", q, 1, 0, 100, "added", portRow("80")),
		`{"name":"pack_miccmac_listening_ports","hostIdentifier":"h","columns":{"port":"9`,
	}, "\n")
	in, err := Read("t.log", strings.NewReader(text), testCatalog())
	if err != nil {
		t.Fatal(err)
	}
	if got := portList(resultOf(t, in, "h", "listening_ports")); got != "22,80" {
		t.Errorf("state %q", got)
	}
	want := []string{
		`t.log:2: not valid JSON: line skipped "{\"name\": broken"`,
		`t.log:4: JSON object is not a result-log entry (no name with columns+action, snapshot or diffResults): skipped`,
		`t.log:5: line is an array, not a JSON object: skipped`,
		`t.log:7: truncated last line (not valid JSON, no newline at end of file): skipped`,
	}
	if got := inputWarns(in); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if in.Skipped != 4 {
		t.Errorf("Skipped %d, want 4", in.Skipped)
	}
}

// TestResultLog_Documents: a pretty-printed object, an array of entries and
// several concatenated objects are all result logs.
func TestResultLog_Documents(t *testing.T) {
	const q = "pack_miccmac_listening_ports"
	a := evLine("h", q, 1, 0, 100, "added", portRow("22"))
	b := evLine("h", q, 1, 0, 100, "added", portRow("80"))
	var pa, pb bytes.Buffer
	if err := json.Indent(&pa, []byte(a), "", "  "); err != nil {
		t.Fatal(err)
	}
	if err := json.Indent(&pb, []byte(b), "", "  "); err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{
		"array":        "[\n" + a + ",\n" + b + "\n]\n",
		"pretty":       pa.String() + "\n" + pb.String() + "\n",
		"pretty array": "[" + pa.String() + "," + pb.String() + "]",
	} {
		in, err := Read(name, strings.NewReader(text), testCatalog())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := portList(resultOf(t, in, "h", "listening_ports")); got != "22,80" {
			t.Errorf("%s: state %q", name, got)
		}
	}
	_, err := Read("p.json", strings.NewReader(pa.String()+"\n{\n  \"name\": oops\n}\n"), testCatalog())
	if err == nil || !strings.Contains(err.Error(), "p.json:") || !strings.Contains(err.Error(), "invalid JSON") {
		t.Errorf("bad pretty document: %v", err)
	}
	if line := strings.Count(pa.String(), "\n") + 3; err != nil && !strings.Contains(err.Error(), fmt.Sprintf("p.json:%d:", line)) {
		t.Errorf("error %v should name line %d", err, line)
	}
}

// TestResultLog_LongLine: lines longer than bufio.Scanner's 64 KiB default.
func TestResultLog_LongLine(t *testing.T) {
	big := strings.Repeat("x", 300<<10)
	in := readLog(t, evLine("h", "pack_miccmac_processes", 1, 0, 100, "added", map[string]string{"cmdline": big}))
	if got := resultOf(t, in, "h", "processes").Rows[0]["cmdline"]; got != big {
		t.Errorf("cmdline of %d bytes, want %d", len(got), len(big))
	}
}

// TestResultLog_NoHost: entries without any host key go to "unknown".
func TestResultLog_NoHost(t *testing.T) {
	in := readLog(t, `{"name":"pack_miccmac_processes","unixTime":"1","columns":{"pid":"1"},"action":"added"}`)
	if r := resultOf(t, in, "unknown", "processes"); len(r.Rows) != 1 {
		t.Errorf("rows %v", r.Rows)
	}
	if len(in.Warnings) != 1 || !strings.Contains(in.Warnings[0].Msg, "no hostIdentifier") {
		t.Errorf("warnings %q", inputWarns(in))
	}
}

// TestResultLog_Errors: inputs that are not result logs fail with the file
// and line named.
func TestResultLog_Errors(t *testing.T) {
	tests := []struct{ name, in, err string }{
		{"glog", "I0302 10:00:00.000000 1 init.cpp:1] x\nE0302 y\n", "x.log: line 1: not JSON"},
		{"blank then text", "\n\nhello\n", "x.log: line 3: not JSON"},
		{"rows per line", `{"a":"1"}` + "\n" + `{"a":"2"}` + "\n", "NAME=FILE"},
		{"all lines bad", "{\"a\":\n{\"b\":\n", "x.log:2: JSON ends early"},
		{"bare array", `[{"name":"Ubuntu"}]`, "x.log:1: JSON array of rows"},
		{"empty array", "[\n\n]\n", "x.log:1: empty JSON array"},
		{"scalar", "[1]", "JSON array of a number values"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read("x.log", strings.NewReader(tc.in), testCatalog())
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("error %v, want %q", err, tc.err)
			}
		})
	}
	// A log whose first line was cut mid-entry is still read, with a warning.
	in, err := Read("x.log", strings.NewReader("e\":\"1\"},\"action\":\"added\"}\n"+evLine("h", "pack_miccmac_processes", 1, 0, 1, "added", map[string]string{"pid": "1"})+"\n"), testCatalog())
	if err != nil {
		t.Fatal(err)
	}
	if in.Skipped != 1 || len(resultOf(t, in, "h", "processes").Rows) != 1 {
		t.Errorf("skipped %d", in.Skipped)
	}
	// Empty input: nothing, with a warning, no error.
	in, err = Read("x.log", strings.NewReader(""), testCatalog())
	if err != nil || len(in.Hosts) != 0 || len(in.Warnings) != 1 {
		t.Errorf("empty input: %v %+v", err, in)
	}
}

// TestResultLog_WarningCap: a file full of bad lines adds a bounded number of
// warnings but counts every skipped line.
func TestResultLog_WarningCap(t *testing.T) {
	lines := []string{evLine("h", "pack_miccmac_processes", 1, 0, 1, "added", map[string]string{"pid": "1"})}
	for i := 0; i < 200; i++ {
		lines = append(lines, "{bad")
	}
	in := readLog(t, lines...)
	if in.Skipped != 200 || len(in.Warnings) != maxWarningsPerFile+1 {
		t.Errorf("skipped %d, %d warnings", in.Skipped, len(in.Warnings))
	}
	if last := in.Warnings[len(in.Warnings)-1].String(); last != "t.log: 150 more warnings not shown" {
		t.Errorf("last warning %q", last)
	}
}

// TestResultLog_DuplicateColumn: a column repeated in one logged row keeps its
// first value, with a file:line warning.
func TestResultLog_DuplicateColumn(t *testing.T) {
	in := readLog(t, `{"name":"pack_miccmac_processes","hostIdentifier":"h","unixTime":1,"epoch":0,"counter":0,"columns":{"pid":"1","pid":"2","name":null,"name":"x"},"action":"added"}`)
	r := resultOf(t, in, "h", "processes")
	if row := r.Rows[0]; len(row) != 1 || row["pid"] != "1" {
		t.Errorf("row %q, want pid 1 and name NULL (first values)", row)
	}
	want := []string{`t.log:1: column "pid" appears twice in one row: the first value is used`, `t.log:1: column "name" appears twice in one row: the first value is used`}
	if got := inputWarns(in); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("warnings %q", got)
	}
}
