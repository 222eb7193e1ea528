package translator

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/queries"
)

// TestDebStatus_B16 drives deb status from the B16 bug case: installed iff
// the LAST word of status is installed (or a broken on-disk state).
func TestDebStatus_B16(t *testing.T) {
	var bc struct {
		Rows     []queries.Row     `json:"rows"`
		OldRows  []queries.Row     `json:"rows_from_old_osquery_without_status_column"`
		Expected map[string]string `json:"expected_installed_state"`
	}
	readFactsTestdata(t, "bugcases/B16.json", &bc)
	d := factsHost("host-deb1").ok("os_version", rowOSUbuntu).ok("deb_packages", bc.Rows...).facts(t)
	if len(d.Packages.Items) != len(bc.Rows) || len(bc.Expected) != len(bc.Rows) {
		t.Fatalf("%d packages from %d rows, %d expectations", len(d.Packages.Items), len(bc.Rows), len(bc.Expected))
	}
	for _, p := range d.Packages.Items {
		want, ok := bc.Expected[p.Name]
		if !ok {
			t.Errorf("%s: no expectation", p.Name)
			continue
		}
		wantInstalled := !strings.HasPrefix(want, "not installed")
		wantBroken := strings.Contains(want, "broken")
		if p.Installed != wantInstalled || p.Broken != wantBroken || p.StatusUnknown || p.Source != "deb" {
			t.Errorf("%s (%q): installed %v broken %v unknown %v, want %q", p.Name, p.Status, p.Installed, p.Broken, p.StatusUnknown, want)
		}
	}

	old := factsHost("host-deb-old").ok("os_version", rowOSUbuntu).ok("deb_packages", bc.OldRows...).facts(t)
	p := old.Packages.Items[0]
	if !p.Installed || !p.StatusUnknown || p.Status != "" {
		t.Errorf("old osquery row: %+v, want installed with status unknown", p)
	}
	if !containsNote(old.Packages.Notes, "no status column") || !containsNote(old.PackageSources["deb"].Notes, "no status column") {
		t.Errorf("old osquery row must be noted on the section and the deb source: %q / %q", old.Packages.Notes, old.PackageSources["deb"].Notes)
	}
}

// TestDebPackages_2017ColumnSet maps real 2017 rows (no status, revision and
// size columns) from a pack named pack_it-compliance_deb_packages.
func TestDebPackages_2017ColumnSet(t *testing.T) {
	rows := ndjsonRows(t, filepath.Join("..", "testdata", "samples", "linux-debian", "it-compliance-deb-packages.head.ndjson"))
	d := factsHost("ubuntu-xenial").ok("deb_packages", rows...).facts(t)
	if d.Packages.State != facts.StateOK || len(d.Packages.Items) != len(rows) || len(rows) != 20 {
		t.Fatalf("packages %+v: %d items from %d rows", d.Packages.Origin, len(d.Packages.Items), len(rows))
	}
	for _, p := range d.Packages.Items {
		if !p.Installed || !p.StatusUnknown || p.Name == "" || p.Version == "" || p.Arch == "" {
			t.Errorf("%+v", p)
		}
	}
	if d.Packages.Items[0].Name != "accountsservice" || d.Packages.Items[0].Version != "0.6.40-2ubuntu11.3" {
		t.Errorf("first package %+v", d.Packages.Items[0])
	}
}

func TestRPMPackages(t *testing.T) {
	rows := jsonArrayRows(t, filepath.Join("..", "testdata", "samples", "linux-rhel", "fleet-rpm-kernels.rhel9.json"))
	rows = append(rows,
		queries.Row{"name": "shim-x64", "version": "15.8", "release": "3.el9", "epoch": "", "arch": "x86_64", "vendor": "Red Hat, Inc.", "install_time": "1717000000"},
		queries.Row{"name": "dhcp-client", "version": "4.4.2", "release": "19.b1.el9", "epoch": "12", "arch": "x86_64", "install_time": "1717000001"},
		queries.Row{"name": "bash", "version": "5.1.8", "release": "9.el9", "epoch": "0", "install_time": ""},
	)
	d := factsHost("rhel9").ok("os_version", queries.Row{"name": "Red Hat Enterprise Linux", "version": "9.4", "major": "9", "minor": "4", "platform": "rhel", "platform_like": "rhel fedora"}).
		ok("rpm_packages", rows...).facts(t)
	items := d.Packages.Items
	if len(items) != len(rows) {
		t.Fatalf("%d packages from %d rows", len(items), len(rows))
	}
	if items[0].Name != "kernel" || items[0].Version != "5.14.0-611.8.1.el9_7" || items[0].Source != "rpm" || !items[0].Installed {
		t.Errorf("kernel: %+v", items[0])
	}
	n := len(items)
	if shim := items[n-3]; shim.Version != "15.8-3.el9" || shim.Publisher != "Red Hat, Inc." || !sameInt(shim.InstallTime, int64p(1717000000)) {
		t.Errorf("shim: %+v", shim)
	}
	if dh := items[n-2]; dh.Version != "12:4.4.2-19.b1.el9" {
		t.Errorf("epoch 12: %q", dh.Version)
	}
	if b := items[n-1]; b.Version != "5.1.8-9.el9" || b.InstallTime != nil {
		t.Errorf("epoch 0, empty install time: %+v", b)
	}
}

func TestMacAndWindowsPackages(t *testing.T) {
	receipts := ndjsonRows(t, filepath.Join("..", "testdata", "samples", "macos", "it-compliance-package-receipts.differential.ndjson"))
	d := factsHost("mac").ok("os_version", rowOSMac).
		ok("package_receipts", receipts...).
		ok("apps", queries.Row{"name": "Safari.app", "path": "/Applications/Safari.app", "bundle_identifier": "com.apple.Safari", "bundle_short_version": "17.1", "bundle_version": "19616.2.9"},
			queries.Row{"name": "Old.app", "bundle_identifier": "com.example.old", "bundle_short_version": "", "bundle_version": "42"}).
		ok("homebrew_packages", queries.Row{"name": "wget", "version": "1.21.4", "type": "formula"}).
		facts(t)
	byName := map[string]facts.Package{}
	for _, p := range d.Packages.Items {
		byName[p.Name] = p
	}
	vb := byName["org.virtualbox.pkg.virtualbox"]
	if vb.Source != "package_receipts" || vb.Version != "5.1.26" || vb.Identifier != "org.virtualbox.pkg.virtualbox" || !sameInt(vb.InstallTime, int64p(1504522132)) {
		t.Errorf("receipt with fractional install_time: %+v", vb)
	}
	if s := byName["Safari.app"]; s.Source != "apps" || s.Version != "17.1" || s.Identifier != "com.apple.Safari" {
		t.Errorf("app: %+v", s)
	}
	if o := byName["Old.app"]; o.Version != "42" {
		t.Errorf("app without short version: %+v", o)
	}
	if w := byName["wget"]; w.Source != "homebrew" || !w.Installed {
		t.Errorf("brew: %+v", w)
	}
	if got := d.PackageSources["deb"].State; got != facts.StateNotApplicable {
		t.Errorf("deb on macOS: %s", got)
	}

	w := factsHost("ws").ok("os_version_windows", rowOSWindows).
		ok("programs",
			queries.Row{"name": "7-Zip 23.01 (x64)", "version": "23.01", "publisher": "Igor Pavlov", "install_date": "20240115", "identifying_number": ""},
			queries.Row{"name": "Odd", "version": "1", "install_date": "15/01/2024"}).
		ok("chocolatey_packages", queries.Row{"name": "git", "version": "2.43.0", "author": "Git Development Community"}).
		facts(t)
	if z := w.Packages.Items[1]; z.Source != "programs" || z.Publisher != "Igor Pavlov" || !sameInt(z.InstallTime, int64p(1705276800)) {
		t.Errorf("program: %+v", z)
	}
	if odd := w.Packages.Items[2]; odd.InstallTime != nil || !containsNote(w.Packages.Notes, "programs.install_date: not a YYYYMMDD date") {
		t.Errorf("unparseable install date: %+v, notes %q", odd, w.Packages.Notes)
	}
	if g := w.Packages.Items[0]; g.Source != "chocolatey" || g.Publisher != "Git Development Community" {
		t.Errorf("choco: %+v", g)
	}
}
