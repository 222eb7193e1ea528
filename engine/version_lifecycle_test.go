package engine

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/miccmac/miccmac-osq/data"
	"github.com/miccmac/miccmac-osq/engine/facts"
)

// TestLifecycleTable loads the embedded table and checks the dates CUR-01
// relies on (brief and vendor pages).
func TestLifecycleTable(t *testing.T) {
	lc, err := loadLifecycle(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	rel := func(platform, name string, major, minor int64, version string) string {
		r, key := lc.findRelease(facts.OS{Platform: platform, Name: name, Major: &major, Minor: &minor, Version: version})
		if r == nil {
			return "none:" + key
		}
		return r.Name + " " + r.EOL
	}
	tests := []struct{ got, want string }{
		{rel("ubuntu", "Ubuntu", 16, 4, "16.04.3 LTS (Xenial Xerus)"), "Ubuntu 16.04 LTS 2021-04-30"},
		{rel("ubuntu", "Ubuntu", 20, 4, ""), "Ubuntu 20.04 LTS 2025-05-31"},
		{rel("ubuntu", "Ubuntu", 22, 4, ""), "Ubuntu 22.04 LTS 2027-06-01"},
		{rel("ubuntu", "Ubuntu", 24, 4, ""), "Ubuntu 24.04 LTS 2029-05-31"},
		{rel("ubuntu", "Ubuntu", 23, 10, ""), "Ubuntu 23.10 2024-07-11"},
		{rel("debian", "Debian GNU/Linux", 12, 0, "12 (bookworm)"), "Debian 12 bookworm 2028-06-30"},
		{rel("rhel", "Red Hat Enterprise Linux", 9, 4, "9.4"), "RHEL 9 2032-05-31"},
		{rel("rhel", "Red Hat Enterprise Linux", 7, 9, ""), "RHEL 7 2024-06-30"},
		{rel("rhel", "Red Hat Enterprise Linux", 8, 10, ""), "RHEL 8 2029-05-31"},
		{rel("centos", "CentOS Linux", 7, 9, ""), "CentOS Linux 7 2024-06-30"},
		{rel("centos", "CentOS Stream", 8, 0, ""), "CentOS Stream 8 2024-05-31"},
		{rel("amzn", "Amazon Linux", 2, 0, "2"), "Amazon Linux 2 2026-06-30"},
		{rel("amzn", "Amazon Linux", 2023, 0, "2023"), "Amazon Linux 2023 2029-06-30"},
		{rel("sles", "SLES", 12, 5, "12-SP5"), "SLES 12 SP5 2024-10-31"},
		{rel("sles", "SLES", 15, 6, "15-SP6"), "SLES 15 SP6 2025-12-31"},
		{rel("darwin", "macOS", 14, 1, "14.1.2"), "macOS 14 Sonoma 2026-09-15"},
		{rel("darwin", "Mac OS X", 10, 13, "10.13.1"), "macOS 10.13 High Sierra 2020-11-12"},
		{rel("linuxmint", "Linux Mint", 21, 3, ""), "none:21"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
	win := func(build int64, typ, class string) string {
		w := lc.findWindows(build, typ)
		if w == nil {
			return "none"
		}
		d, c, _ := w.windowsEOL(class)
		return w.Product + " " + w.Version + " " + c + " " + d.Format(time.DateOnly)
	}
	wtests := []struct{ got, want string }{
		{win(19045, "client", editionConsumer), "Windows 10 22H2 consumer 2025-10-14"},
		{win(22000, "client", editionConsumer), "Windows 11 21H2 consumer 2023-10-10"},
		{win(22621, "client", editionEnterprise), "Windows 11 22H2 enterprise 2025-10-14"},
		{win(22631, "client", editionConsumer), "Windows 11 23H2 consumer 2025-11-11"},
		{win(22631, "client", editionEnterprise), "Windows 11 23H2 enterprise 2026-11-10"},
		{win(26100, "client", editionEnterprise), "Windows 11 24H2 enterprise 2027-10-12"},
		{win(26100, "client", editionLTSC), "Windows 11 24H2 ltsc 2029-10-09"},
		// ltsc falls back to the enterprise date where no LTSC edition exists
		{win(22631, "client", editionLTSC), "Windows 11 23H2 enterprise 2026-11-10"},
		{win(9600, "server", editionServer), "Windows Server 2012 R2 RTM server 2023-10-10"},
		{win(14393, "server", editionServer), "Windows Server 2016 1607 server 2027-01-12"},
		{win(17763, "server", editionServer), "Windows Server 2019 1809 server 2029-01-09"},
		{win(20348, "server", editionServer), "Windows Server 2022 21H2 server 2031-10-14"},
		{win(26100, "server", editionServer), "Windows Server 2025 24H2 server 2034-10-10"},
		{win(20348, "client", editionConsumer), "none"},
	}
	for _, tt := range wtests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
	// The shared update list of 22H2/23H2 is read for both builds.
	a, b := lc.findWindows(22621, "client"), lc.findWindows(22631, "client")
	if len(a.Updates) == 0 || len(a.Updates) != len(b.Updates) {
		t.Errorf("22621/22631 updates: %d and %d", len(a.Updates), len(b.Updates))
	}
	if u := b.floorUpdate(time.Date(2024, 7, 9, 0, 0, 0, 0, time.UTC)); u == nil || u.Revision != 3880 || u.KB != "KB5040442" {
		t.Errorf("floor on 2024-07-09 = %+v, want 3880 KB5040442", u)
	}
	if u := b.updateAtRevision(4169); u == nil || u.KB != "KB5043076" {
		t.Errorf("update at 22631.4169 = %+v, want KB5043076", u)
	}
	if u := b.updateAtRevision(2000); u != nil {
		t.Errorf("update below every listed revision = %+v, want none", u)
	}
}

func TestLoadLifecycle_Rejects(t *testing.T) {
	tests := []struct{ yaml, want string }{
		{"releases:\n  - {platform: ubuntu, release: '1', name: x, eol: 2020-13-01}\n", "eol \"2020-13-01\" is not YYYY-MM-DD"},
		{"releases:\n  - {platform: ubuntu, release: '1', name: x, eol: 2020-01-01}\n  - {platform: ubuntu, release: '1', name: y, eol: 2020-01-01}\n", "duplicate"},
		{"releases:\n  - {platform: ubuntu, release: '1', name: x, eol: 2020-01-01, extended_until: 2019-01-01, extended_via: [a.example]}\n", "must be a date after eol"},
		{"releases:\n  - {platform: ubuntu, release: '1', name: x, eol: 2020-01-01, extended_via: [a.example]}\n", "go together"},
		{"windows:\n  - {build: 1, type: client, product: W, eol: {server: 2020-01-01}}\n", "eol class server is for servers"},
		{"windows:\n  - {build: 1, type: client, product: W, eol: {home: 2020-01-01}}\n", "unknown eol class \"home\""},
		{"windows:\n  - {build: 1, type: desktop, product: W, eol: {consumer: 2020-01-01}}\n", "type client|server"},
		{"windows:\n  - {build: 1, type: client, product: W, eol: {consumer: 2020-01-01}, updates: [{revision: 5, released: 2020-02-01, kb: A}, {revision: 4, released: 2020-03-01, kb: B}]}\n", "ascending"},
		{"releases:\n  - {platform: ubuntu, release: '1', name: x, eol: 2020-01-01, colour: red}\n", "field colour not found"},
	}
	for _, tt := range tests {
		_, err := loadLifecycle(fstest.MapFS{lifecycleFile: {Data: []byte(tt.yaml)}})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("loadLifecycle(%q) = %v, want an error with %q", tt.yaml, err, tt.want)
		}
	}
}

func TestReleaseKey(t *testing.T) {
	i := func(n int64) *int64 { return &n }
	tests := []struct {
		os   facts.OS
		want string
	}{
		{facts.OS{Platform: "ubuntu", Major: i(22), Minor: i(4)}, "22.04"},
		{facts.OS{Platform: "ubuntu", Version: "24.04.1 LTS (Noble Numbat)"}, "24.04"},
		{facts.OS{Platform: "sles", Major: i(12), Minor: i(3), Version: "12-SP3"}, "12-SP3"},
		{facts.OS{Platform: "sles", Major: i(15), Minor: i(0), Version: "15"}, "15"},
		{facts.OS{Platform: "opensuse-leap", Major: i(15), Minor: i(6)}, "15.6"},
		{facts.OS{Platform: "darwin", Major: i(10), Minor: i(15)}, "10.15"},
		{facts.OS{Platform: "darwin", Major: i(26), Minor: i(1)}, "26"},
		{facts.OS{Platform: "rhel", Major: i(9), Minor: i(4)}, "9"},
		{facts.OS{Platform: "debian", Version: "12 (bookworm)"}, "12"},
		{facts.OS{Platform: "ubuntu", Version: "rolling"}, ""},
	}
	for _, tt := range tests {
		if got := releaseKey(tt.os); got != tt.want {
			t.Errorf("releaseKey(%+v) = %q, want %q", tt.os, got, tt.want)
		}
	}
}

// TestCurAgentCatalogs loads the scanner and updater catalogues this package ships.
func TestCurAgentCatalogs(t *testing.T) {
	cats, err := loadAgentCatalogs(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"scanners", "updaters"} {
		if len(cats[name]) == 0 {
			t.Errorf("catalogue %s is empty", name)
		}
	}
	for _, a := range cats["updaters"] {
		switch {
		case a.Kind == "patching", a.Kind == "management", a.Kind == "desktop", strings.HasPrefix(a.Kind, "source:"):
		default:
			t.Errorf("updater %s: kind %q is not patching, management, desktop or source:<x>", a.Name, a.Kind)
		}
	}
}
