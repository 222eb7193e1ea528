package translator

import (
	"path/filepath"
	"testing"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

// TestToFacts_RealResultLogsFromAnotherPack reads 2017 osqueryd result logs
// of the it-compliance pack (names resolved by suffix, 2017 column sets:
// deb_packages without status, os_version without arch, osquery_info joined
// with time) and maps them.
func TestToFacts_RealResultLogsFromAnotherPack(t *testing.T) {
	dir := filepath.Join("..", "testdata", "samples", "linux-debian")
	cat := factsCatalog(t)
	in, err := ReadFiles([]string{
		filepath.Join(dir, "it-compliance-disk-os-osqinfo.two-starts.ndjson"),
		filepath.Join(dir, "it-compliance-deb-packages.head.ndjson"),
	}, cat)
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Hosts) != 1 {
		t.Fatalf("%d hosts, want the one Ubuntu box", len(in.Hosts))
	}
	d := ToFacts(in.Hosts[0], cat)

	o := d.OS
	if o.State != facts.StateOK || o.Family != facts.FamilyDebian || o.Kind != "linux" || o.Codename != "xenial" ||
		!sameInt(o.Major, int64p(16)) || !sameInt(o.Minor, int64p(4)) || !sameInt(o.Patch, int64p(0)) {
		t.Errorf("os: %+v", o)
	}
	if d.Osquery.Version != "2.10.2" {
		t.Errorf("osquery version %q", d.Osquery.Version)
	}
	if d.Packages.State != facts.StateOK || len(d.Packages.Items) != 20 || d.PackageSources["deb"].State != facts.StateOK {
		t.Fatalf("packages: %+v, %d items", d.Packages.Origin, len(d.Packages.Items))
	}
	for _, p := range d.Packages.Items {
		if !p.Installed || !p.StatusUnknown {
			t.Errorf("2017 deb row %s: installed %v status unknown %v", p.Name, p.Installed, p.StatusUnknown)
		}
	}
	if got := d.Queries["deb_packages"]; got.State != facts.StateOK || got.Rows != 20 {
		t.Errorf("deb_packages state %+v", got)
	}
	// Not collected by that pack: unknown, and never empty.
	if d.Services.State != facts.StateUnknown || d.Services.Items != nil {
		t.Errorf("services: %+v", d.Services.Origin)
	}
	if d.Firewall.ALFOrigin.State != facts.StateNotApplicable {
		t.Errorf("alf on Ubuntu: %+v", d.Firewall.ALFOrigin)
	}
}
