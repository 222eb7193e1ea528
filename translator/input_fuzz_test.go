package translator

import (
	"bytes"
	"os"
	"sort"
	"testing"

	"github.com/miccmac/miccmac-osq/queries"
)

// FuzzRead feeds arbitrary bytes to Read and ReadRows: they may fail, never
// panic, and what they return holds together. Run it with
// go test -run '^$' -fuzz FuzzRead -fuzztime 20s ./translator/
func FuzzRead(f *testing.F) {
	for _, p := range []string{
		samplePath("macos/it-compliance-kernel-osqinfo-usb-mounts.run-counter0-1.ndjson"),
		samplePath("macos/docs-processes.batch.json"),
		samplePath("macos/fleet-pack-disk-encryption.empty-snapshot.json"),
		samplePath("windows/fleet-osquery-info.dup-key.win11.json"),
		samplePath("linux-suse/osqueryi-table.os-version.sles12sp3.txt"),
		bugcasePath("B09.ndjson"),
		bugcasePath("B11.ndjson"),
	} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	var buf bytes.Buffer
	if err := WriteBundle(&buf, sampleHost("h")); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte("W0302 noise\n[\n]\n"))
	f.Add([]byte(`{"hosts":[]}`))
	cat := testCatalog()
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := Read("fuzz", bytes.NewReader(data), cat)
		if err == nil {
			checkInput(t, in)
		}
		_, _ = ReadRows("fuzz", bytes.NewReader(data))
	})
}

func checkInput(t *testing.T, in *Input) {
	if !sort.SliceIsSorted(in.Hosts, func(i, j int) bool { return in.Hosts[i].Host < in.Hosts[j].Host }) {
		t.Fatal("hosts not sorted")
	}
	for _, h := range in.Hosts {
		if h.Results == nil {
			t.Fatalf("host %q has nil Results", h.Host)
		}
		for q, r := range h.Results {
			if r == nil || (r.Status == queries.StatusOK && r.Rows == nil) {
				t.Fatalf("host %q query %q: bad result %+v", h.Host, q, r)
			}
			for _, row := range r.Rows {
				if row == nil {
					t.Fatalf("host %q query %q: nil row", h.Host, q)
				}
			}
		}
	}
}
