package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/miccmac/miccmac-osq/extension"
)

// benchFixture writes the small Linux fixture with n deb_packages rows.
func benchFixture(b *testing.B, n int) string {
	b.Helper()
	raw, err := os.ReadFile(smallLinuxFixture)
	if err != nil {
		b.Fatal(err)
	}
	var fx map[string]any
	if err := json.Unmarshal(raw, &fx); err != nil {
		b.Fatal(err)
	}
	pkgs := make([]map[string]string, n)
	for i := range pkgs {
		pkgs[i] = map[string]string{
			"name": fmt.Sprintf("lib-bench-%04d", i), "version": fmt.Sprintf("1.%d.%d-1+deb12u%d", i%37, i%11, i%5),
			"arch": "amd64", "status": "install ok installed", "maintainer": "Debian Bench Team <bench@lists.debian.org>",
			"source": fmt.Sprintf("bench-src-%03d", i/10),
		}
	}
	fx["tables"].(map[string]any)["deb_packages"] = pkgs
	out, _ := json.Marshal(fx)
	path := filepath.Join(b.TempDir(), "bench-host.json")
	if err := os.WriteFile(path, out, 0o644); err != nil {
		b.Fatal(err)
	}
	return path
}

// peakRSS reads a process's peak resident set (VmHWM) in MiB.
func peakRSS(pid int) (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, err := strconv.ParseFloat(f[1], 64)
			return kb / 1024, err
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/%d/status", pid)
}

// BenchmarkExtensionGenerate3000Packages measures one miccmac_checks generate
// through real Thrift on the built binary, with 3,000 deb_packages rows and
// the cache off (every generate collects the whole catalogue from the
// stand-in). Reports p50/p90 latency, the first call after start, and the
// extension process's peak RSS (VmHWM).
//
// sql-per-call: the stand-in evaluates every query in SQLite each time, as
// osqueryd would generate its tables (that cost is the stand-in's, ~6 ms for
// the 3,000 rows here). memoised-answers: the stand-in replays its first
// answers, so the figure is the extension plus Thrift both ways.
//
//	go test ./cmd/miccmac-osq -run '^$' -bench ExtensionGenerate3000 -benchtime 100x
func BenchmarkExtensionGenerate3000Packages(b *testing.B) {
	fixture := benchFixture(b, 3000)
	for _, memo := range []bool{false, true} {
		name := "sql-per-call"
		if memo {
			name = "memoised-answers"
		}
		b.Run(name, func(b *testing.B) { benchGenerate(b, fixture, memo) })
	}
}

func benchGenerate(b *testing.B, fixture string, memo bool) {
	m, _, _ := startStandin(b, fixture)
	if memo {
		m.MemoizeAnswers()
	}
	p := startExtension(b, []string{"--socket", m.Socket()}, "MICCMAC_CACHE_TTL=0")
	waitRegistered(b, m, 10*time.Second)

	start := time.Now()
	rows := generate(b, m, extension.ChecksTable)
	first := time.Since(start)
	if len(rows) < 2 {
		b.Fatalf("first generate: %v", rows)
	}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		generate(b, m, extension.ChecksTable)
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(lat)
	pct := func(q float64) float64 {
		return float64(lat[min(len(lat)-1, int(q*float64(len(lat))))].Microseconds()) / 1000
	}
	rss, err := peakRSS(p.cmd.Process.Pid)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.90), "p90-ms")
	b.ReportMetric(float64(first.Microseconds())/1000, "first-ms")
	b.ReportMetric(rss, "peak-rss-MiB")
	p.stop(b)
}
