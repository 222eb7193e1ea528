package translator

import (
	"bytes"
	"strings"
	"testing"
)

// TestLongLinesAreSkipped: a line far longer than any osquery result line is
// skipped with a warning (not held in memory); the lines around it are read.
func TestLongLinesAreSkipped(t *testing.T) {
	good := `{"name":"pack_miccmac_os_version","hostIdentifier":"h","unixTime":"1","epoch":"0","counter":"0","columns":{"name":"Ubuntu"},"action":"added"}`
	var b bytes.Buffer
	b.WriteString(good + "\n")
	b.WriteString(`{"name":"x","columns":{"a":"` + strings.Repeat("A", maxLineBytes+10) + `"}}` + "\n")
	b.WriteString(strings.Replace(good, `"1"`, `"2"`, 1) + "\n")
	in, err := Read("big.log", &b, testCatalog())
	if err != nil {
		t.Fatal(err)
	}
	if in.Skipped != 1 || len(in.Hosts) != 1 || len(in.Hosts[0].Get("os_version").Rows) != 1 {
		t.Fatalf("skipped %d, hosts %d", in.Skipped, len(in.Hosts))
	}
	found := false
	for _, w := range in.Warnings {
		found = found || (w.Line == 2 && strings.Contains(w.Msg, "line longer than 64 MiB: skipped"))
	}
	if !found {
		t.Errorf("no warning for line 2: %v", in.Warnings)
	}
	// A first line that long is not osquery output at all.
	_, err = Read("one.log", strings.NewReader(`{"a":"`+strings.Repeat("A", maxLineBytes+10)+`"}`), testCatalog())
	if err == nil || !strings.Contains(err.Error(), "one.log:1: line longer than 64 MiB") {
		t.Errorf("got %v", err)
	}
}
