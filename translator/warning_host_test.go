package translator

import (
	"testing"
)

// TestWarningsNameTheirHost_B11: a warning about one host's entry carries the
// host, so a multi-host report shows it only for that host.
func TestWarningsNameTheirHost_B11(t *testing.T) {
	in, err := ReadFiles([]string{"../testdata/bugcases/B11.ndjson"}, testCatalog())
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, w := range in.Warnings {
		if w.Line == 5 {
			found = true
			if w.Host != "host-old" {
				t.Errorf("line 5 warning names host %q, want host-old: %s", w.Host, w)
			}
		}
	}
	if !found {
		t.Fatalf("no warning for line 5: %v", in.Warnings)
	}
}
