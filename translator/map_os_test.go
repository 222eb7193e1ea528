package translator

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/queries"
)

// TestOS_B10 drives the os_version mapping from the B10 bug case: "", -1
// and a missing key are unknown (nil), "0" is a real zero, and a -1 major is
// derived from the version text with VersionDerived set.
func TestOS_B10(t *testing.T) {
	var bc struct {
		Rows []struct {
			Host string      `json:"host"`
			Row  queries.Row `json:"row"`
		} `json:"rows"`
		Expected map[string]struct {
			Major *int64 `json:"os_major"`
			Minor *int64 `json:"os_minor"`
			Patch *int64 `json:"os_patch"`
			Note  string `json:"note"`
		} `json:"expected_facts"`
	}
	readFactsTestdata(t, "bugcases/B10.json", &bc)
	if len(bc.Rows) != 4 {
		t.Fatalf("B10 has %d rows, want 4", len(bc.Rows))
	}
	for _, c := range bc.Rows {
		t.Run(c.Host, func(t *testing.T) {
			want := bc.Expected[c.Host]
			d := factsHost(c.Host).ok("os_version", c.Row).facts(t)
			o := d.OS
			if o.State != facts.StateOK {
				t.Fatalf("os origin %+v", o.Origin)
			}
			derived := strings.Contains(want.Note, "derived")
			if derived {
				// -1 everywhere: the case allows the version text as a
				// fallback source, flagged; "7.1" gives 7 and 1, patch stays unknown.
				if !o.VersionDerived || !sameInt(o.Major, int64p(7)) || !sameInt(o.Minor, int64p(1)) || o.Patch != nil {
					t.Errorf("derived: major %v minor %v patch %v derived %v, want 7 1 nil true",
						showInt(o.Major), showInt(o.Minor), showInt(o.Patch), o.VersionDerived)
				}
				if !containsNote(o.Notes, "os_version.major: -1") || !containsNote(o.Notes, `derived from version "7.1"`) {
					t.Errorf("notes %q must record the -1 values and the derivation", o.Notes)
				}
				return
			}
			if o.VersionDerived {
				t.Error("VersionDerived set although major was given")
			}
			if !sameInt(o.Major, want.Major) || !sameInt(o.Minor, want.Minor) || !sameInt(o.Patch, want.Patch) {
				t.Errorf("major/minor/patch = %v/%v/%v, want %v/%v/%v", showInt(o.Major), showInt(o.Minor), showInt(o.Patch),
					showInt(want.Major), showInt(want.Minor), showInt(want.Patch))
			}
		})
	}
}

func TestOSFamily(t *testing.T) {
	tests := []struct {
		platform, like, name string
		family, kind         string
	}{
		{"ubuntu", "debian", "Ubuntu", facts.FamilyDebian, "linux"},
		{"debian", "", "Debian GNU/Linux", facts.FamilyDebian, "linux"},
		{"linuxmint", "ubuntu debian", "Linux Mint", facts.FamilyDebian, "linux"},
		{"pop", "ubuntu debian", "Pop!_OS", facts.FamilyDebian, "linux"},
		{"rhel", "fedora", "Red Hat Enterprise Linux Server", facts.FamilyRHEL, "linux"},
		{"centos", "rhel fedora", "CentOS Linux", facts.FamilyRHEL, "linux"},
		{"rocky", "rhel centos fedora", "Rocky Linux", facts.FamilyRHEL, "linux"},
		{"almalinux", "rhel centos fedora", "AlmaLinux", facts.FamilyRHEL, "linux"},
		{"ol", "fedora", "Oracle Linux Server", facts.FamilyRHEL, "linux"},
		{"fedora", "", "Fedora Linux", facts.FamilyRHEL, "linux"},
		{"amzn", "centos rhel fedora", "Amazon Linux", facts.FamilyAmazon, "linux"},
		{"opensuse-leap", "suse opensuse", "openSUSE Leap", facts.FamilySUSE, "linux"},
		{"opensuse-tumbleweed", "opensuse suse", "openSUSE Tumbleweed", facts.FamilySUSE, "linux"},
		{"darwin", "darwin", "macOS", facts.FamilyDarwin, "darwin"},
		{"windows", "windows", "Microsoft Windows 11 Pro", facts.FamilyWindows, "windows"},
		// Unknown distributions are never graded as another family.
		{"arch", "", "Arch Linux", facts.FamilyUnknown, "linux"},
		{"alpine", "", "Alpine Linux", facts.FamilyUnknown, "linux"},
		{"nixos", "", "NixOS", facts.FamilyUnknown, "unknown"},
		{"freebsd", "", "FreeBSD", facts.FamilyUnknown, "unknown"},
		{"", "", "", facts.FamilyUnknown, "unknown"},
		// Without a platform the name decides Windows and macOS only.
		{"", "", "Microsoft Windows 7 Professional", facts.FamilyWindows, "windows"},
		{"", "", "Mac OS X", facts.FamilyDarwin, "darwin"},
	}
	for _, tt := range tests {
		fam, kind := OSFamily(tt.platform, tt.like, tt.name)
		if fam != tt.family || kind != tt.kind {
			t.Errorf("OSFamily(%q, %q, %q) = %s/%s, want %s/%s", tt.platform, tt.like, tt.name, fam, kind, tt.family, tt.kind)
		}
	}
}

// TestOS_RealSamples maps captured os_version rows.
func TestOS_RealSamples(t *testing.T) {
	tests := []struct {
		sample string
		rows   func(t *testing.T, path string) []queries.Row
		query  string
		check  func(t *testing.T, o facts.OS)
	}{
		{"linux-suse/osqueryi-table.os-version.sles12sp3.txt", osqueryiTableRows, "os_version", func(t *testing.T, o facts.OS) {
			if o.Family != facts.FamilySUSE || o.Kind != "linux" || o.Version != "12-SP3" ||
				!sameInt(o.Major, int64p(12)) || !sameInt(o.Minor, int64p(3)) || !sameInt(o.Patch, int64p(0)) || o.VersionDerived {
				t.Errorf("SLES 12 SP3: %+v", o)
			}
		}},
		{"linux-rhel/fleet-os-version.rhel9.json", jsonArrayRows, "os_version", func(t *testing.T, o facts.OS) {
			if o.Family != facts.FamilyRHEL || o.Codename != "Plow" || !sameInt(o.Major, int64p(9)) || !sameInt(o.Minor, int64p(4)) {
				t.Errorf("RHEL 9.4: %+v", o)
			}
		}},
		{"macos/it-compliance-os-version.macos10.13.differential.ndjson", ndjsonRows, "os_version", func(t *testing.T, o facts.OS) {
			if o.Family != facts.FamilyDarwin || o.Kind != "darwin" || o.Name != "Mac OS X" || o.Build != "17B1003" ||
				!sameInt(o.Major, int64p(10)) || !sameInt(o.Minor, int64p(13)) || !sameInt(o.Patch, int64p(1)) {
				t.Errorf("macOS 10.13: %+v", o)
			}
			if o.Arch != "" || !containsNote(o.Notes, "no arch column") {
				t.Errorf("2017 row without arch: arch %q, notes %q", o.Arch, o.Notes)
			}
		}},
		{"macos/fleet-os-version.macos14.json", jsonArrayRows, "os_version", func(t *testing.T, o facts.OS) {
			if o.Family != facts.FamilyDarwin || o.Name != "macOS" || !sameInt(o.Major, int64p(14)) {
				t.Errorf("macOS 14: %+v", o)
			}
		}},
		{"windows/results-log-fragment.os-version.win7.txt", fragmentRows, "os_version_windows", func(t *testing.T, o facts.OS) {
			if o.Family != facts.FamilyWindows || o.Name != "Microsoft Windows 7 Professional" || o.Patch != nil ||
				!sameInt(o.Major, int64p(6)) || !sameInt(o.Minor, int64p(1)) || o.Build != "7601" {
				t.Errorf("Windows 7 (name with trailing space, patch \"\"): %+v", o)
			}
		}},
		{"windows/fleet-os-version.win11-21H2.json", jsonArrayRows, "os_version_windows", func(t *testing.T, o facts.OS) {
			if o.Family != facts.FamilyWindows || o.Build != "22000" || !sameInt(o.InstallDate, int64p(1667847179)) || o.Revision != nil {
				t.Errorf("Windows 11 21H2: %+v", o)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.sample, func(t *testing.T) {
			rows := tt.rows(t, filepath.Join("..", "testdata", "samples", tt.sample))
			if len(rows) != 1 {
				t.Fatalf("%d rows, want 1", len(rows))
			}
			d := factsHost("sample").ok(tt.query, rows...).facts(t)
			if d.OS.State != facts.StateOK {
				t.Fatalf("origin %+v", d.OS.Origin)
			}
			tt.check(t, d.OS)
		})
	}
}

func TestOS_UnknownDistroIsLinuxWhenLinuxTablesAnswer(t *testing.T) {
	d := factsHost("arch-1").
		ok("os_version", queries.Row{"name": "Gentoo", "version": "2.15", "major": "2", "minor": "15", "platform": "gentoo", "platform_like": ""}).
		ok("systemd_units").
		facts(t)
	if d.OS.Family != facts.FamilyUnknown || d.OS.Kind != "linux" || !containsNote(d.OS.Notes, `unknown distribution "gentoo" treated as Linux`) {
		t.Errorf("os: %+v", d.OS)
	}
	if got := d.Queries["alf"].State; got != facts.StateNotApplicable {
		t.Errorf("alf on an unknown Linux: %s, want not_applicable", got)
	}
	if d.OS.State != facts.StateOK || containsNote(d.OS.Notes, "os_version_windows") {
		t.Errorf("os origin must not miss the Windows query on Linux: %+v", d.OS.Origin)
	}
}

// ndjsonRows reads the columns of every results-log line.
func ndjsonRows(t *testing.T, path string) []queries.Row {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []queries.Row
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var line struct {
			Columns queries.Row `json:"columns"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		rows = append(rows, line.Columns)
	}
	return rows
}

// jsonArrayRows reads an osqueryi --json / Fleet array (or one object).
func jsonArrayRows(t *testing.T, path string) []queries.Row {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rows []queries.Row
	if err := json.Unmarshal(b, &rows); err != nil {
		var one queries.Row
		if err2 := json.Unmarshal(b, &one); err2 != nil {
			t.Fatalf("%s: %v", path, err)
		}
		rows = []queries.Row{one}
	}
	return rows
}

// osqueryiTableRows reads osqueryi's pretty-printed table.
func osqueryiTableRows(t *testing.T, path string) []queries.Row {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var header []string
	var rows []queries.Row
	for _, line := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(line, "|") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		if header == nil {
			header = cells
			continue
		}
		r := queries.Row{}
		for i, h := range header {
			r[h] = cells[i]
		}
		rows = append(rows, r)
	}
	return rows
}

var fragmentPair = regexp.MustCompile(`^"([a-z_]+)":"(.*)",?$`)

// fragmentRows reads the reformatted one-key-per-line results-log fragment.
func fragmentRows(t *testing.T, path string) []queries.Row {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r := queries.Row{}
	for _, line := range strings.Split(string(b), "\n") {
		if m := fragmentPair.FindStringSubmatch(strings.TrimRight(line, "\r")); m != nil {
			r[m[1]] = m[2]
		}
	}
	return []queries.Row{r}
}
