package translator

import (
	"bytes"
	"fmt"
	"sync"
	"testing"
)

var (
	benchOnce sync.Once
	benchLog  []byte
)

// benchResultLog builds a result log of 50 hosts × 3,000 deb_packages event
// lines (counter 0), hosts interleaved in blocks as a log shipper writes them.
func benchResultLog() []byte {
	benchOnce.Do(func() {
		var b bytes.Buffer
		const hosts, pkgs = 50, 3000
		for block := 0; block < pkgs; block += 100 {
			for h := 0; h < hosts; h++ {
				for p := block; p < block+100; p++ {
					fmt.Fprintf(&b, `{"name":"pack_miccmac_deb_packages","hostIdentifier":"host-%02d","calendarTime":"Mon Mar  2 10:00:00 2026 UTC","unixTime":"1772445600","epoch":"0","counter":"0","numerics":false,"decorations":{"host_uuid":"4C4C4544-0000-1000-8000-0000000000%02d","hostname":"host-%02d"},"columns":{"name":"package-%04d","version":"1:2.%d.%d-1ubuntu%d","source":"src-%04d","size":"%d","arch":"amd64","revision":"1ubuntu%d","status":"install ok installed","maintainer":"Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>","section":"libs","priority":"optional"},"action":"added"}`+"\n",
						h, h, h, p, p%7, p%13, p%5, p/3, 100+p, p%5)
				}
			}
		}
		benchLog = b.Bytes()
	})
	return benchLog
}

// BenchmarkReadResultLog measures reading a large multi-host result log.
func BenchmarkReadResultLog(b *testing.B) {
	data := benchResultLog()
	cat := testCatalog()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		in, err := Read("bench.log", bytes.NewReader(data), cat)
		if err != nil {
			b.Fatal(err)
		}
		if len(in.Hosts) != 50 || len(in.Hosts[49].Results["deb_packages"].Rows) != 3000 {
			b.Fatalf("%d hosts", len(in.Hosts))
		}
	}
}
