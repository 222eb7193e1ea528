package engine

import (
	"slices"
	"testing"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

func curApt(uri string) facts.Repository {
	return facts.Repository{Kind: "apt", BaseURI: uri, Source: "/etc/apt/sources.list"}
}

func curYum(name, uri, file string, enabled bool) facts.Repository {
	return facts.Repository{Kind: "yum", Name: name, BaseURI: uri, Source: "/etc/yum.repos.d/" + file, Enabled: curB(enabled)}
}

func TestCUR02_Linux(t *testing.T) {
	official := []facts.Repository{
		curApt("http://archive.ubuntu.com/ubuntu"), curApt("http://security.ubuntu.com/ubuntu"),
		curApt("http://us-east-1.ec2.archive.ubuntu.com/ubuntu/"), curApt("https://esm.ubuntu.com/apps/ubuntu"),
		{Kind: "apt", BaseURI: "cdrom:[Ubuntu 22.04 LTS _Jammy Jellyfish_]/"},
	}
	docker := curApt("https://download.docker.com/linux/ubuntu")
	uuOn := func(d *facts.Document, patterns ...string) {
		d.Packages.Items = []facts.Package{curPkg("deb", "unattended-upgrades", "2.8")}
		d.ConfigNodes.Items = []facts.ConfigNode{curNode(aptAuto, "APT/Periodic/Unattended-Upgrade", "1")}
		for i, p := range patterns {
			d.ConfigNodes.Items = append(d.ConfigNodes.Items,
				curNode(aptUU, "Unattended-Upgrade/Origins-Pattern/@elem["+string(rune('1'+i))+"]", p))
		}
	}
	tests := []struct {
		name   string
		setup  func(d *facts.Document)
		status Status
		detail string
	}{
		{"official archives only", func(d *facts.Document) {
			d.Repositories.Items = official
		}, NotApplicable, "No third-party software source"},
		{"docker repo, unattended-upgrades limited to the distribution", func(d *facts.Document) {
			d.Repositories.Items = append(official, docker)
			uuOn(d, "origin=${distro_id},codename=${distro_codename},label=${distro_id}", "origin=${distro_id},codename=${distro_codename}-security")
		}, Fail, "1 third-party apt repositories"},
		{"origin=* covers every repository", func(d *facts.Document) {
			d.Repositories.Items = append(official, docker, curApt("http://ppa.launchpadcontent.net/deadsnakes/ppa/ubuntu"))
			uuOn(d, "origin=${distro_id},codename=${distro_codename}", "origin=*")
		}, Pass, "Every third-party source"},
		{"site= pattern for one of two repositories", func(d *facts.Document) {
			d.Repositories.Items = append(official, docker, curApt("https://packages.microsoft.com/repos/code"))
			uuOn(d, "site=download.docker.com")
		}, Partial, "scope not shown: 2 third-party apt repositories"},
		{"site= patterns for every repository", func(d *facts.Document) {
			d.Repositories.Items = append(official, docker, curApt("https://packages.microsoft.com/repos/code"))
			uuOn(d, "site=download.docker.com", "site=*.microsoft.com")
		}, Pass, "2 third-party apt repositories"},
		{"look-alike hosts are third-party, never substring matches", func(d *facts.Document) {
			d.Repositories.Items = []facts.Repository{curApt("http://archive.ubuntu.com.evil.example/ubuntu"), curApt("http://myarchive.ubuntu.com/ubuntu")}
		}, Fail, "2 third-party apt repositories"},
		{"unattended-upgrades installed, origins not read", func(d *facts.Document) {
			d.Repositories.Items = append(official, docker)
			uuOn(d)
			d.Queries["x_cur_apt_periodic"] = facts.QueryState{State: facts.StateUnknown, Reason: "augeas error"}
		}, Partial, "scope not shown"},
		{"snaps refreshed by snapd", func(d *facts.Document) {
			d.Repositories.Items = official
			d.Files.Items = []facts.FileStat{{Path: "/var/lib/snapd/snaps/core22_1122.snap"}, {Path: "/var/lib/snapd/snaps/firefox_4173.snap"}, {Path: "/var/lib/snapd/snaps/partial", Type: "directory"}}
			d.Services.Items = []facts.Service{curService("snapd.service", true, true)}
		}, Pass, "2 snaps"},
		{"flatpaks with GNOME Software running", func(d *facts.Document) {
			d.Repositories.Items = official
			d.Files.Items = []facts.FileStat{{Path: "/var/lib/flatpak/app/org.mozilla.firefox", Type: "directory"}}
			d.Processes.Items = []facts.Process{{Name: "gnome-software"}}
		}, Partial, "1 flatpaks"},
		{"a patch agent covers everything", func(d *facts.Document) {
			d.Repositories.Items = append(official, docker)
			d.Files.Items = []facts.FileStat{{Path: "/var/lib/flatpak/app/org.mozilla.firefox", Type: "directory"}}
			d.Services.Items = []facts.Service{curService("amagent.service", true, true)}
		}, Pass, "Every third-party source"},
		{"repositories not collected", func(d *facts.Document) {
			d.Repositories.Origin = curUnknown("query apt_sources error: permission denied")
		}, Unknown, "permission denied"},
		{"nothing collected to find updaters", func(d *facts.Document) {
			d.Repositories.Items = append(official, docker)
			d.Processes.Origin = curUnknown("x")
			d.Services.Origin = curUnknown("x")
			d.Packages.Origin = curUnknown("x")
		}, Unknown, "no updater could be looked for"},
	}
	for _, tt := range tests {
		d := curDoc("ubuntu")
		tt.setup(d)
		curExpect(t, tt.name, curRun(t, "CUR-02", d), tt.status, tt.detail)
	}
}

func TestCUR02_RPM(t *testing.T) {
	rocky := func(d *facts.Document) {
		d.OS.Name, d.OS.Platform, d.OS.Major = "Rocky Linux", "rocky", curI(9)
	}
	tests := []struct {
		name   string
		setup  func(d *facts.Document)
		status Status
		detail string
	}{
		{"mirrorlist-only official repos by file, disabled third-party ignored", func(d *facts.Document) {
			rocky(d)
			d.Repositories.Items = []facts.Repository{
				curYum("Rocky Linux 9 - BaseOS", "", "rocky.repo", true),
				curYum("Rocky Linux 9 - AppStream", "https://dl.rockylinux.org/$contentdir/$releasever/AppStream/$basearch/os/", "rocky.repo", true),
				curYum("Docker CE", "https://download.docker.com/linux/centos/$releasever/$basearch/stable", "docker-ce.repo", false),
			}
		}, NotApplicable, "No third-party"},
		{"mirrorlist-only repo in an unknown file is listed, not judged", func(d *facts.Document) {
			rocky(d)
			d.Repositories.Items = []facts.Repository{curYum("Some mirror", "", "vendor.repo", true)}
		}, NotApplicable, "No third-party"},
		{"EPEL with dnf-automatic-install", func(d *facts.Document) {
			d.Repositories.Items = []facts.Repository{
				curYum("Red Hat Enterprise Linux 9 - BaseOS", "https://cdn.redhat.com/content/dist/rhel9/$releasever/x86_64/baseos/os", "redhat.repo", true),
				curYum("EPEL 9", "https://dl.fedoraproject.org/pub/epel/9/Everything/$basearch/", "epel.repo", true),
			}
			d.Services.Items = []facts.Service{curService("dnf-automatic-install.timer", true, true)}
		}, Pass, "1 third-party yum repositories"},
		{"yum-cron limited to security updates", func(d *facts.Document) {
			d.Repositories.Items = []facts.Repository{curYum("EPEL 7", "https://dl.fedoraproject.org/pub/epel/7/$basearch", "epel.repo", true)}
			d.Services.Items = []facts.Service{curService("yum-cron.service", true, true)}
			d.ConfigNodes.Items = []facts.ConfigNode{curNode(yumCronConf, "commands/apply_updates", "yes"), curNode(yumCronConf, "commands/update_cmd", "security")}
		}, Partial, "scope not shown"},
		{"no updater", func(d *facts.Document) {
			d.Repositories.Items = []facts.Repository{curYum("Google Chrome", "https://dl.google.com/linux/chrome/rpm/stable/x86_64", "google-chrome.repo", true)}
		}, Fail, "no updater covers it"},
	}
	for _, tt := range tests {
		d := curDoc("rhel")
		tt.setup(d)
		curExpect(t, tt.name, curRun(t, "CUR-02", d), tt.status, tt.detail)
	}
}

func TestCUR02_Windows(t *testing.T) {
	prog := func(name, publisher string) facts.Package {
		p := curPkg("programs", name, "1.0")
		p.Publisher = publisher
		return p
	}
	ms := []facts.Package{prog("Microsoft Edge", "Microsoft Corporation"), prog("Microsoft Teams", "Microsoft"),
		prog("Microsoft Visual C++ 2022 X64 Minimum Runtime", "microsoft corporation")}
	chrome := prog("Google Chrome", "Google LLC")
	tests := []struct {
		name   string
		setup  func(d *facts.Document)
		status Status
		detail string
	}{
		{"Microsoft programs only", func(d *facts.Document) { d.Packages.Items = ms }, NotApplicable, "No third-party"},
		{"Chrome, no updater", func(d *facts.Document) { d.Packages.Items = append(ms, chrome) }, Fail, "1 third-party programs"},
		{"Chrome with Intune (scope not shown)", func(d *facts.Document) {
			d.Packages.Items = append(ms, chrome)
			d.Services.Items = []facts.Service{{Name: "IntuneManagementExtension", Manager: "windows", Enabled: curB(true), Running: curB(true)}}
		}, Partial, "Microsoft Intune Management Extension"},
		{"Chrome with Automox", func(d *facts.Document) {
			d.Packages.Items = append(ms, chrome)
			d.Processes.Items = []facts.Process{{Name: "AMAgent.exe"}}
		}, Pass, "Every third-party source"},
		{"Chocolatey packages with the upgrade-all task", func(d *facts.Document) {
			d.Packages.Items = append(ms, curPkg("chocolatey", "7zip", "24.08"), curPkg("chocolatey", "choco-upgrade-all-at", "0.0.5"))
		}, Pass, "2 Chocolatey packages"},
		{"Chocolatey covered, programs not", func(d *facts.Document) {
			d.Packages.Items = append(ms, chrome, curPkg("chocolatey", "choco-upgrade-all-at", "0.0.5"))
		}, Partial, "not covered: 1 third-party programs"},
		{"programs not collected", func(d *facts.Document) {
			d.PackageSources = map[string]facts.Origin{"programs": curUnknown("query programs error: timeout")}
		}, Unknown, "timeout"},
	}
	for _, tt := range tests {
		d := curDoc("windows")
		tt.setup(d)
		curExpect(t, tt.name, curRun(t, "CUR-02", d), tt.status, tt.detail)
	}
}

func TestCUR02_Darwin(t *testing.T) {
	app := func(name, id string) facts.Package {
		p := curPkg("apps", name, "1.0")
		p.Identifier = id
		return p
	}
	apple := []facts.Package{app("Safari.app", "com.apple.Safari"), app("Keynote.app", "com.apple.iWork.Keynote")}
	chrome := app("Google Chrome.app", "com.google.Chrome")
	tests := []struct {
		name   string
		setup  func(d *facts.Document)
		status Status
		detail string
	}{
		{"Apple apps only", func(d *facts.Document) { d.Packages.Items = apple }, NotApplicable, "No third-party"},
		{"a bundle id merely starting like Apple's is third-party", func(d *facts.Document) {
			d.Packages.Items = append(apple, app("Fake.app", "com.applesoft.fake"))
		}, Fail, "1 third-party apps"},
		{"Chrome with App Store auto-update", func(d *facts.Document) {
			d.Packages.Items = append(apple, chrome)
			d.Plist.Items = []facts.PlistValue{{Path: macCommercePlist, Key: "AutoUpdate", Value: "1"}}
		}, Partial, "scope not shown"},
		{"Munki job installed", func(d *facts.Document) {
			d.Packages.Items = append(apple, chrome, curPkg("homebrew", "wget", "1.24"))
			d.Services.Items = []facts.Service{{Name: "com.googlecode.munki.managedsoftwareupdate-check", Manager: "launchd"}}
		}, Pass, "1 Homebrew packages"},
		{"Homebrew with homebrew-autoupdate, apps without updater", func(d *facts.Document) {
			d.Packages.Items = append(apple, chrome, curPkg("homebrew", "wget", "1.24"))
			d.Services.Items = []facts.Service{{Name: "com.github.domt4.homebrew-autoupdate", Manager: "launchd"}}
		}, Partial, "covered: 1 Homebrew packages"},
	}
	for _, tt := range tests {
		d := curDoc("darwin")
		tt.setup(d)
		curExpect(t, tt.name, curRun(t, "CUR-02", d), tt.status, tt.detail)
	}
}

func TestCurHostMatches(t *testing.T) {
	tests := []struct {
		host, pattern string
		want          bool
	}{
		{"archive.ubuntu.com", "archive.ubuntu.com", true},
		{"us.archive.ubuntu.com", "*.archive.ubuntu.com", true},
		{"archive.ubuntu.com", "*.archive.ubuntu.com", false},
		{"archive.ubuntu.com.evil.example", "archive.ubuntu.com", false},
		{"myarchive.ubuntu.com", "*.archive.ubuntu.com", false},
		{"ftp.us.debian.org", "ftp.*.debian.org", true},
		{"ftp.a.b.debian.org", "ftp.*.debian.org", false},
		{"evil-debian.org", "*.debian.org", false},
		{"amazonlinux.$awsregion.$awsdomain", "amazonlinux.$awsregion.$awsdomain", true},
	}
	for _, tt := range tests {
		if got := curHostMatches(tt.host, tt.pattern, false); got != tt.want {
			t.Errorf("curHostMatches(%q, %q) = %v, want %v", tt.host, tt.pattern, got, tt.want)
		}
	}
	hosts := map[string]string{
		"http://archive.ubuntu.com/ubuntu/":                    "archive.ubuntu.com",
		"https://user:pw@Download.Docker.com:443/linux/ubuntu": "download.docker.com",
		"mirror+file:/etc/apt/apt-mirrors.txt":                 "",
		"cdrom:[Ubuntu 22.04]/":                                "",
		"file:///srv/repo":                                     "",
		"https://a.example/x https://b.example/y":              "a.example",
		"http://[2001:db8::1]:8080/repo":                       "[2001:db8::1]",
	}
	for uri, want := range hosts {
		if got := curRepoHost(uri); got != want {
			t.Errorf("curRepoHost(%q) = %q, want %q", uri, got, want)
		}
	}
}

func TestOfficialReposData(t *testing.T) {
	o := officialRepos()
	hosts, files, note := o.linuxOfficialHosts("linuxmint", "debian")
	if note != "" || !slices.Contains(hosts, "packages.linuxmint.com") || !slices.Contains(hosts, "archive.ubuntu.com") || !slices.Contains(hosts, "deb.debian.org") || len(files) != 0 {
		t.Errorf("linuxmint: hosts %v files %v note %q", hosts, files, note)
	}
	hosts, _, note = o.linuxOfficialHosts("kali", "debian")
	if note == "" || !slices.Contains(hosts, "deb.debian.org") {
		t.Errorf("unlisted platform: hosts %v note %q", hosts, note)
	}
	if err := validHostPattern("*.com"); err == nil {
		t.Error("*.com must be rejected")
	}
}
