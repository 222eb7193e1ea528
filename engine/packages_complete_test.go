package engine

import (
	"strings"
	"testing"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

// Absence inferred from an incomplete package list: Packages is known as
// soon as one package table answered, so a check that concludes "not
// installed" must first ask whether every table the host's software can be
// in answered (packageSourcesIncomplete).

// pkgSources sets per-source origins: "ok", "n/a", or an unknown reason.
func pkgSources(kv ...string) ctlOpt {
	return func(d *facts.Document) {
		d.PackageSources = map[string]facts.Origin{}
		for i := 0; i+1 < len(kv); i += 2 {
			var o facts.Origin
			switch kv[i+1] {
			case "ok":
				o = facts.Origin{State: facts.StateOK, Queries: []string{pkgTable(kv[i])}}
			case "n/a":
				o = facts.Origin{State: facts.StateNotApplicable, Reason: "collected only on other platforms"}
			default:
				o = facts.Origin{State: facts.StateUnknown, Reason: kv[i+1]}
			}
			d.PackageSources[kv[i]] = o
		}
	}
}

// pkgFamily sets the OS family (and a matching name).
func pkgFamily(fam string) ctlOpt {
	return func(d *facts.Document) { d.OS.Family = fam }
}

func TestPackageSourcesIncomplete(t *testing.T) {
	cases := []struct {
		name string
		doc  *facts.Document
		only []string
		want string
	}{
		{"rhel: rpm locked, deb answered empty", ctlDoc("linux", pkgFamily(facts.FamilyRHEL),
			pkgSources("deb", "ok", "rpm", "rpm_packages: database locked")), nil, "rpm_packages: database locked"},
		{"debian: rpm missing from the capture is not the distribution's manager", ctlDoc("linux",
			pkgSources("deb", "ok", "rpm", "rpm_packages: not in the input")), nil, ""},
		{"debian: deb failing is", ctlDoc("linux", pkgSources("deb", "deb_packages: no such table", "rpm", "ok")), nil,
			"deb_packages: no such table"},
		{"unknown linux family: both managers count", ctlDoc("linux", pkgFamily(facts.FamilyUnknown),
			pkgSources("deb", "ok", "rpm", "rpm_packages: not in the input")), nil, "rpm_packages: not in the input"},
		{"macOS capture with package_receipts only", ctlDoc("darwin", pkgSources("apps", "apps: not in the input",
			"homebrew", "homebrew_packages: not in the input", "package_receipts", "ok")), nil,
			"apps: not in the input; homebrew_packages: not in the input"},
		{"not_applicable sources are not gaps", ctlDoc("windows", pkgSources("programs", "ok", "chocolatey", "n/a",
			"deb", "n/a", "apps", "n/a")), nil, ""},
		{"a reason without the table name gets it", ctlDoc("windows", pkgSources("programs", "ok", "chocolatey", "timeout")), nil,
			"chocolatey_packages: timeout"},
		{"only: the named source", ctlDoc("darwin", pkgSources("apps", "ok", "homebrew", "homebrew_packages: error")),
			[]string{"apps"}, ""},
		{"only: a source without a record is not known", ctlDoc("linux", pkgSources("rpm", "ok")), []string{"deb"},
			"deb_packages: not collected (no per-source record)"},
		{"no per-source records, section known", ctlDoc("linux"), nil, ""},
		{"no per-source records, section unknown", ctlDoc("linux", func(d *facts.Document) {
			d.Packages.Origin = ctlMissing("deb_packages: timeout")
		}), nil, "packages were not collected: deb_packages: timeout"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := packageSourcesIncomplete(ctlEnv(c.doc), c.only...); got != c.want {
				t.Errorf("packageSourcesIncomplete = %q, want %q", got, c.want)
			}
		})
	}
}

func TestMIN02_IncompletePackageList(t *testing.T) {
	rhel := func(opts ...ctlOpt) *facts.Document {
		return ctlDoc("linux", append([]ctlOpt{pkgFamily(facts.FamilyRHEL)}, opts...)...)
	}
	ctlRun(t, checkMIN02, []ctlCase{
		{name: "rhel: rpm_packages locked, deb_packages []: unknown, not PASS", want: Unknown,
			doc:       rhel(pkgSources("deb", "ok", "rpm", "rpm_packages: database locked")),
			detail:    []string{"the package list is incomplete (rpm_packages: database locked)"},
			notDetail: []string{"None of"},
			ev:        []string{`"package_sources_not_collected":[{"source":"rpm","table":"rpm_packages","reason":"rpm_packages: database locked"}]`}},
		{name: "a hit still fails with a source missing", want: Fail,
			doc:    rhel(pkgSources("deb", "ok", "rpm", "rpm_packages: database locked"), ctlPkgs(ctlPkg("telnet", "deb", true))),
			detail: []string{"telnet (deb)"}},
		{name: "macOS capture with package_receipts only", want: Unknown,
			doc: ctlDoc("darwin", pkgSources("apps", "apps: not in the input", "homebrew", "homebrew_packages: not in the input",
				"package_receipts", "ok"), ctlPkgs(ctlPkg("com.apple.pkg.Core", "package_receipts", true))),
			detail: []string{"apps: not in the input", "homebrew_packages: not in the input"}},
		{name: "macOS with every source answered passes", want: Pass,
			doc:    ctlDoc("darwin", pkgSources("apps", "ok", "homebrew", "ok", "package_receipts", "ok")),
			detail: []string{"None of the 2 deny-listed packages"}},
		{name: "debian: rpm_packages missing from the capture does not matter", want: Pass,
			doc: ctlDoc("linux", pkgSources("deb", "ok", "rpm", "rpm_packages: not in the input"))},
		{name: "windows: chocolatey not in the input", want: Unknown,
			doc:    ctlDoc("windows", pkgSources("programs", "ok", "chocolatey", "chocolatey_packages: not in the input")),
			detail: []string{"chocolatey_packages: not in the input"}},
	})
}

func TestCUR01_IncompletePackageList(t *testing.T) {
	// Debian: deb_packages failed while rpm_packages answered [], so the
	// Packages section is known but says nothing about unattended-upgrades.
	d := curDoc("ubuntu")
	d.PackageSources = map[string]facts.Origin{"deb": curUnknown("deb_packages: database is locked"), "rpm": curOK("rpm_packages")}
	got := curRun(t, "CUR-01", d)
	if strings.Contains(got.Detail, "is not installed") ||
		!strings.Contains(got.Detail, "whether the unattended-upgrades package is installed is unknown (deb_packages: database is locked)") {
		t.Errorf("CUR-01 deb gap: %s %q", got.Status, got.Detail)
	}
	if got.Status == Fail {
		t.Errorf("CUR-01 must not FAIL on an unknown package list: %q", got.Detail)
	}
	// The same with deb_packages answered: the package really is absent.
	d.PackageSources["deb"] = curOK("deb_packages")
	if got := curRun(t, "CUR-01", d); !strings.Contains(got.Detail, "the unattended-upgrades package is not installed") {
		t.Errorf("CUR-01 deb answered: %s %q", got.Status, got.Detail)
	}

	// RHEL: rpm_packages failed; "no rpm package with an install_time" would be a guess.
	r := curDoc("rhel")
	r.PackageSources = map[string]facts.Origin{"rpm": curUnknown("rpm_packages: database locked"), "deb": curOK("deb_packages")}
	got = curRun(t, "CUR-01", r)
	if strings.Contains(got.Detail, "no rpm package with an install_time") ||
		!strings.Contains(got.Detail, "rpm install times not collected (rpm_packages: database locked)") {
		t.Errorf("CUR-01 rpm gap: %s %q", got.Status, got.Detail)
	}
}

func TestMON04_IncompletePackageList(t *testing.T) {
	osqOff := monFlags("disable_audit", "true")
	rhel := func(d *facts.Document) { d.OS.Family = facts.FamilyRHEL }
	sources := func(rpm string) monOpt {
		return func(d *facts.Document) {
			d.PackageSources = map[string]facts.Origin{"deb": monKnown("deb_packages"), "rpm": {State: facts.StateOK}}
			if rpm != "ok" {
				d.PackageSources["rpm"] = facts.Origin{State: facts.StateUnknown, Reason: rpm}
			}
		}
	}
	monRunCases(t, "MON-04", []monCase{
		{"rpm_packages locked: auditd absence unknown", monDoc("linux", rhel, monServices(monUnit("crond.service", true, true)),
			monPackages(monPkg("bash", "deb")), sources("rpm_packages: database locked"), osqOff),
			Unknown, "whether it is installed is unknown because the package list is incomplete (rpm_packages: database locked)"},
		{"rpm_packages answered: auditd really absent", monDoc("linux", rhel, monServices(monUnit("crond.service", true, true)),
			monPackages(monPkg("bash", "rpm")), sources("ok"), osqOff),
			Fail, "auditd is not installed"},
	})
}

func TestMIN03_UFWUnknownWithIncompletePackages(t *testing.T) {
	accept := func(d *facts.Document) {
		d.Firewall.Iptables.Items = []facts.IptablesRule{{Table: "filter", Chain: "INPUT", Policy: "ACCEPT"}}
		d.Firewall.UFWOrigin = ctlMissing("x_min_ufw: not in the input")
	}
	ctlRun(t, checkMIN03, []ctlCase{
		{name: "deb_packages failed: ufw may be enabled", want: Unknown,
			doc:    ctlDoc("linux", accept, pkgSources("deb", "deb_packages: database is locked", "rpm", "ok")),
			detail: []string{"whether ufw is installed is unknown (deb_packages: database is locked)"}},
		{name: "deb_packages answered without ufw: off", want: Fail,
			doc:    ctlDoc("linux", accept, pkgSources("deb", "ok", "rpm", "ok")),
			detail: []string{"iptables filter INPUT policy ACCEPT"}},
	})
}

func TestCTL01_CTL04_AgentAbsenceFromIncompletePackages(t *testing.T) {
	// Neither processes nor services were collected: only packages could show
	// an agent, and rpm_packages (the RHEL host's manager) did not answer.
	doc := func(rpm string) *facts.Document {
		return ctlDoc("linux", pkgFamily(facts.FamilyRHEL), pkgSources("deb", "ok", "rpm", rpm), func(d *facts.Document) {
			d.Processes.Origin = ctlMissing("processes: not in the input")
			d.Services.Origin = ctlMissing("systemd_units: not in the input")
		})
	}
	gap := "neither processes nor services were collected and the package list is incomplete (rpm_packages: database locked)"
	ctlRun(t, checkCTL01, []ctlCase{
		{name: "CTL-01 rpm locked", want: Unknown, doc: doc("rpm_packages: database locked"), detail: []string{gap}},
		{name: "CTL-01 rpm answered", want: Fail, doc: doc("ok"), detail: []string{ctl01NothingFoundLine}},
	})
	ctlRun(t, checkCTL04, []ctlCase{
		{name: "CTL-04 rpm locked", want: Unknown, doc: doc("rpm_packages: database locked"), detail: []string{gap}},
		{name: "CTL-04 rpm answered", want: Fail, doc: doc("ok"), detail: []string{"No configuration-management agent"}},
	})
}

func TestCUR02_IncompletePackageList(t *testing.T) {
	// Ubuntu with a third-party apt repository; deb_packages failed while
	// rpm_packages answered [], so whether unattended-upgrades (or an updater
	// agent's package) is there is not known.
	for _, c := range []struct {
		name   string
		deb    facts.Origin
		status Status
		detail string
	}{
		{"deb_packages failed", curUnknown("deb_packages: database is locked"), Unknown,
			"but an updater cannot be ruled out: third-party apt repositories: whether the unattended-upgrades package is installed is unknown (deb_packages: database is locked)"},
		{"deb_packages answered", curOK("deb_packages"), Fail, "and no updater covers it"},
	} {
		d := curDoc("ubuntu")
		d.Repositories.Items = []facts.Repository{curApt("http://archive.ubuntu.com/ubuntu"), curApt("https://download.docker.com/linux/ubuntu")}
		d.PackageSources = map[string]facts.Origin{"deb": c.deb, "rpm": curOK("rpm_packages")}
		got := curRun(t, "CUR-02", d)
		if got.Status != c.status || !strings.Contains(got.Detail, c.detail) {
			t.Errorf("%s: %s %q, want %s containing %q", c.name, got.Status, got.Detail, c.status, c.detail)
		}
	}
}
