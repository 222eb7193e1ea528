package engine

import (
	"testing"

	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/engine/policy"
)

func TestMIN02_B16(t *testing.T) {
	rows, old := minB16Packages(t)
	ctlRun(t, checkMIN02, []ctlCase{
		{name: "rsh-server deinstall-ok-installed and nis purge-ok-installed fail; telnetd config-files and xinetd not-installed pass",
			want: Fail, doc: ctlDoc("linux", ctlPkgs(rows...)),
			detail:    []string{"rsh-server (deb)", "nis (deb)"},
			notDetail: []string{"telnetd", "xinetd"},
			ev:        []string{`"status":"deinstall ok installed"`}},
		{name: "telnetd config-files alone passes", want: Pass,
			doc: ctlDoc("linux", ctlPkgs(func() []facts.Package {
				var out []facts.Package
				for _, p := range rows {
					if p.Name != "rsh-server" && p.Name != "nis" {
						out = append(out, p)
					}
				}
				return out
			}()...))},
		{name: "old osquery row counts as installed with a note", want: Fail, doc: ctlDoc("linux", ctlPkgs(old...)),
			pol: func(p *policy.Policy) { p.DenyPackages = []string{"openssh-server"} },
			ev:  []string{"no status column (old osquery), counted as installed", "policy deny_packages"}},
	})
}

func TestMIN02_ExactNames(t *testing.T) {
	ctlRun(t, checkMIN02, []ctlCase{
		{name: "libunistring5 is not nis, gaiksaurus is not usg, cachefilesd is not chef", want: Pass,
			doc: ctlDoc("linux", ctlPkgs(ctlPkg("libunistring5", "deb", true), ctlPkg("gaiksaurus", "deb", true),
				ctlPkg("cachefilesd", "deb", true), ctlPkg("telnetd-doc", "deb", true), ctlPkg("python3-nis", "deb", true))),
			pol: func(p *policy.Policy) { p.DenyPackages = []string{"usg", "chef"} }},
		{name: "policy deny list matches exactly", want: Fail, doc: ctlDoc("linux", ctlPkgs(ctlPkg("usg", "deb", true))),
			pol: func(p *policy.Policy) { p.DenyPackages = []string{"usg"} }, detail: []string{"usg (deb)"}},
		{name: "rhel family list", want: Fail,
			doc: ctlDoc("linux", ctlPkgs(ctlPkg("telnet-server", "rpm", true), ctlPkg("nis", "rpm", true)), func(d *facts.Document) {
				d.OS.Family = facts.FamilyRHEL
			}),
			detail: []string{"telnet-server (rpm)"}, notDetail: []string{"nis"}, ev: []string{`"deny_list":"family rhel"`}},
		{name: "unknown linux family checks every linux list", want: Fail,
			doc: ctlDoc("linux", ctlPkgs(ctlPkg("ypserv", "rpm", true)), func(d *facts.Document) { d.OS.Family = facts.FamilyUnknown }),
			ev:  []string{"every Linux family"}},
		{name: "packages not collected", want: Unknown,
			doc: ctlDoc("linux", func(d *facts.Document) { d.Packages.Origin = ctlMissing("deb_packages: no such table") })},
	})
}

func TestMIN02_Windows(t *testing.T) {
	feature := func(name string, state int64) facts.OptionalFeature {
		return facts.OptionalFeature{Name: name, State: ctlI(state)}
	}
	features := func(f ...facts.OptionalFeature) ctlOpt {
		return func(d *facts.Document) { d.OptionalFeatures.Items = f }
	}
	ctlRun(t, checkMIN02, []ctlCase{
		{name: "smb1 and telnet client enabled", want: Fail,
			doc:    ctlDoc("windows", features(feature("SMB1Protocol", 1), feature("TelnetClient", 1), feature("TFTP", 2), feature("IIS-FTPServer", 0))),
			detail: []string{"SMB1Protocol (windows_optional_features)", "TelnetClient"}, notDetail: []string{"TFTP", "IIS-FTPServer"}},
		{name: "features disabled", want: Pass, doc: ctlDoc("windows", features(feature("SMB1Protocol", 2), feature("TelnetClient", 2)))},
		{name: "features not collected", want: Unknown,
			doc: ctlDoc("windows", func(d *facts.Document) {
				d.OptionalFeatures.Origin = ctlMissing("windows_optional_features: WMI error")
			})},
		{name: "allow-list mode", want: Fail,
			doc: ctlDoc("windows", ctlPkgs(
				facts.Package{Name: "7-Zip 24.08 (x64)", Source: "programs", Installed: true, Publisher: "Igor Pavlov"},
				facts.Package{Name: "Microsoft Edge", Source: "programs", Installed: true, Publisher: "Microsoft Corporation"},
				facts.Package{Name: "Slack", Source: "programs", Installed: true, Publisher: "Slack Technologies Inc."})),
			pol:       func(p *policy.Policy) { p.AllowPackages = []string{"slack"} },
			detail:    []string{"7-Zip 24.08 (x64) (programs)"},
			notDetail: []string{"Microsoft Edge", "Slack ("}},
	})
}

func TestMIN02_DarwinAllowList(t *testing.T) {
	ctlRun(t, checkMIN02, []ctlCase{
		{name: "apple apps and allowed apps pass", want: Pass,
			doc: ctlDoc("darwin", ctlPkgs(
				facts.Package{Name: "Safari.app", Source: "apps", Installed: true, Identifier: "com.apple.Safari"},
				facts.Package{Name: "Firefox.app", Source: "apps", Installed: true, Identifier: "org.mozilla.firefox"},
				facts.Package{Name: "wget", Source: "homebrew", Installed: true})),
			pol: func(p *policy.Policy) { p.AllowPackages = []string{"Firefox.app", "wget"} }},
		{name: "unlisted homebrew formula", want: Fail,
			doc: ctlDoc("darwin", ctlPkgs(facts.Package{Name: "nmap", Source: "homebrew", Installed: true})),
			pol: func(p *policy.Policy) { p.AllowPackages = []string{"wget"} }, detail: []string{"nmap (homebrew)"}},
	})
}
