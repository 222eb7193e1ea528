package engine

import "testing"

// Versions below come from the real captures in testdata/samples
// (linux-debian deb_packages, linux-rhel fleet-rpm-kernels.rhel9.json).

func TestCompareDebVersions(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		// kernels installed side by side on the Ubuntu 16.04 sample
		{"4.4.0-101.124", "4.4.0-98.121", 1},
		{"4.4.0-93.116", "4.4.0-98.121", -1},
		// meta-package form: dots, no revision
		{"4.4.0.101.106", "4.4.0.98.103", 1},
		// epochs beat everything after them
		{"1:2.24-12", "2.27.1-6ubuntu3.3", 1},
		{"1:2.27.1-6ubuntu3.3", "2:1.02.110-1ubuntu10", -1},
		{"1:2.24-12", "1:2.24-12", 0},
		{"2.24-12", "0:2.24-12", 0},
		// '+' sorts after letters and digits-run ends
		{"0.17+2.5-3ubuntu4", "0.17-1.2", 1},
		{"3.113+nmu3ubuntu4", "3.113-1", 1},
		// '~' sorts before the end: backports are older than the release
		{"2.4.76-1~ubuntu16.04.1", "2.4.76-1", -1},
		{"1.0~rc1", "1.0", -1},
		{"1.0~rc1", "1.0~rc2", -1},
		{"1.0~~", "1.0~", -1},
		// ubuntu security revisions
		{"2.23-0ubuntu9", "2.23-0ubuntu10", -1},
		{"1.6.5-2ubuntu0.3", "1.6.5-2ubuntu0.10", -1},
		{"7.47.0-1ubuntu2.5", "7.47.0-1ubuntu2.14", -1},
		// native version vs revisioned: "1.2.24" == "1.2.24-0"
		{"1.2.24", "1.2.24-0", 0},
		{"1.2.24", "1.2.24-1", -1},
		// letters sort before non-letters, digit runs numerically, leading zeros ignored
		{"9.20160110ubuntu0.2", "9.20160110ubuntu0.2", 0},
		{"1.010", "1.9", 1},
		{"1.0a", "1.0+", -1},
		{"1.0a", "1.0", 1},
		{"3.1-20150325-1ubuntu2", "3.1-20150325-1ubuntu1", 1},
		{"1:9.10.3.dfsg.P4-8ubuntu1.8", "1:9.10.3.dfsg.P4-8ubuntu1.10", -1},
	}
	for _, tt := range tests {
		got, err := CompareDebVersions(tt.a, tt.b)
		if err != nil {
			t.Fatalf("CompareDebVersions(%q, %q): %v", tt.a, tt.b, err)
		}
		if got != tt.want {
			t.Errorf("CompareDebVersions(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		back, _ := CompareDebVersions(tt.b, tt.a)
		if back != -tt.want {
			t.Errorf("CompareDebVersions(%q, %q) = %d, want %d (antisymmetry)", tt.b, tt.a, back, -tt.want)
		}
	}
}

func TestParseDebVersion(t *testing.T) {
	v, err := ParseDebVersion("1:2.0.26-1ubuntu2")
	if err != nil {
		t.Fatal(err)
	}
	if v.Epoch != 1 || v.Upstream != "2.0.26" || v.Revision != "1ubuntu2" {
		t.Errorf("got %+v", v)
	}
	// the revision is after the LAST hyphen
	v, _ = ParseDebVersion("2.0.21-stable-2ubuntu0.16.04.1")
	if v.Upstream != "2.0.21-stable" || v.Revision != "2ubuntu0.16.04.1" {
		t.Errorf("got %+v", v)
	}
	for _, bad := range []string{"", "1.0 beta", "a:1.0", "-1:1.0", "1:", "1.0-", "1.0_1", "1.0-1:2"} {
		if _, err := ParseDebVersion(bad); err == nil {
			t.Errorf("ParseDebVersion(%q) = nil error, want an error", bad)
		}
	}
	if _, err := CompareDebVersions("1.0", "bad version"); err == nil {
		t.Error("CompareDebVersions with an invalid version: want an error")
	}
}

func TestRPMVerCmp(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		// RHEL 9 kernel releases from the Fleet capture: numeric segments, not text
		{"611.8.1.el9_7", "570.39.1.el9_6", 1},
		{"570.39.1.el9_6", "503.38.1.el9_5", 1},
		{"503.38.1.el9_5", "503.26.1.el9_5", 1},
		{"427.50.1.el9_4", "503.26.1.el9_5", -1},
		{"362.24.1.el9_3", "362.24.1.el9_3", 0},
		// rpmvercmp's own test vectors (rpm tests/rpmvercmp.at)
		{"1.0", "1.0", 0},
		{"1.0", "2.0", -1},
		{"2.0.1", "2.0", 1},
		{"2.0.1a", "2.0.1", 1},
		{"5.5p1", "5.5p2", -1},
		{"5.5p10", "5.5p1", 1},
		{"10xyz", "10.1xyz", -1},
		{"xyz10", "xyz10.1", -1},
		{"xyz.4", "8", -1},
		{"5.5p1", "5.5.p1", 0},
		{"10b2", "10a1", 1},
		{"1.0a", "1.0aa", -1},
		{"6.0.rc1", "6.0", 1},
		{"10.0001", "10.1", 0},
		{"1b.fc17", "1.fc17", -1},
		{"1.0~rc1", "1.0", -1},
		{"1.0~rc1", "1.0~rc2", -1},
		{"1.0~rc1~git123", "1.0~rc1", -1},
		{"1.0^", "1.0", 1},
		{"1.0^git1", "1.0", 1},
		{"1.0^git1", "1.01", -1},
		{"1.0^git1~pre", "1.0^git1", -1},
		{"1.0^20160101", "1.0.1", -1},
	}
	for _, tt := range tests {
		if got := RPMVerCmp(tt.a, tt.b); got != tt.want {
			t.Errorf("RPMVerCmp(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := RPMVerCmp(tt.b, tt.a); got != -tt.want {
			t.Errorf("RPMVerCmp(%q, %q) = %d, want %d (antisymmetry)", tt.b, tt.a, got, -tt.want)
		}
	}
}

func TestCompareRPMVersions(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"5.14.0-611.8.1.el9_7", "5.14.0-570.39.1.el9_6", 1},
		{"5.14.0-427.50.1.el9_4", "5.14.0-503.26.1.el9_5", -1},
		// the epoch wins over version and release
		{"1:1.0-1.el9", "2.0-1.el9", 1},
		{"0:2.0-1", "2.0-1", 0},
		// a version without release equals any release of that version
		{"2.0", "2.0-5.el9", 0},
		{"2.0", "2.1-1", -1},
	}
	for _, tt := range tests {
		if got := CompareRPMVersions(tt.a, tt.b); got != tt.want {
			t.Errorf("CompareRPMVersions(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
	if got := CompareEVR("", "5.14.0", "611.8.1.el9_7", "0", "5.14.0", "570.39.1.el9_6"); got != 1 {
		t.Errorf("CompareEVR kernels = %d, want 1", got)
	}
}
