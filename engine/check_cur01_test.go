package engine

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

const (
	aptAuto = "/etc/apt/apt.conf.d/20auto-upgrades"
	aptUU   = "/etc/apt/apt.conf.d/50unattended-upgrades"
)

// curStamp is a package-manager file with an mtime n days before curNow.
func curStamp(path string, days int) facts.FileStat {
	return facts.FileStat{Path: path, Type: "regular", Size: curI(4096), Mtime: curDays(days)}
}

// curDebAuto makes a Debian-family document with unattended-upgrades
// installed and APT::Periodic::Unattended-Upgrade set to value.
func curDebAuto(kind, value string) *facts.Document {
	d := curDoc(kind)
	d.Packages.Items = []facts.Package{curPkg("deb", "unattended-upgrades", "2.8ubuntu1"), curPkg("deb", "bash", "5.1-6ubuntu1")}
	d.ConfigNodes.Items = []facts.ConfigNode{
		curNode(aptAuto, "APT/Periodic/Update-Package-Lists", "1"),
		curNode(aptAuto, "APT/Periodic/Unattended-Upgrade", value),
	}
	return d
}

func TestCUR01_Debian(t *testing.T) {
	tests := []struct {
		name   string
		doc    func() *facts.Document
		status Status
		detail string
	}{
		{"auto on, dpkg changed 2 days ago", func() *facts.Document {
			d := curDebAuto("ubuntu", "1")
			d.Files.Items = []facts.FileStat{curStamp("/var/lib/dpkg/status", 2), curStamp("/var/log/apt/history.log", 9)}
			return d
		}, Pass, "/var/lib/dpkg/status"},
		{"auto on, last change 30 days ago", func() *facts.Document {
			d := curDebAuto("ubuntu", "1")
			d.Files.Items = []facts.FileStat{curStamp("/var/lib/dpkg/status", 30)}
			return d
		}, Partial, "more than 14 days"},
		{"unattended-upgrades stamp counts as a recent run", func() *facts.Document {
			d := curDebAuto("debian", "1")
			d.Files.Items = []facts.FileStat{curStamp("/var/lib/dpkg/status", 40), curStamp("/var/lib/apt/periodic/upgrade-stamp", 1)}
			return d
		}, Pass, "upgrade-stamp"},
		{"package missing, recent manual upgrade", func() *facts.Document {
			d := curDebAuto("ubuntu", "1")
			d.Packages.Items = d.Packages.Items[1:]
			d.Files.Items = []facts.FileStat{curStamp("/var/lib/dpkg/status", 3)}
			return d
		}, Partial, "package is not installed"},
		{"auto off and stale", func() *facts.Document {
			d := curDebAuto("ubuntu", "0")
			d.Files.Items = []facts.FileStat{curStamp("/var/lib/dpkg/status", 60)}
			return d
		}, Fail, `Unattended-Upgrade is "0"`},
		{"apt.conf read last overrides 20auto-upgrades", func() *facts.Document {
			d := curDebAuto("ubuntu", "1")
			d.ConfigNodes.Items = append(d.ConfigNodes.Items, curNode("/etc/apt/apt.conf", "APT/Periodic/Unattended-Upgrade", "0"))
			d.Files.Items = []facts.FileStat{curStamp("/var/lib/dpkg/status", 60)}
			return d
		}, Fail, "/etc/apt/apt.conf"},
		{"APT::Periodic::Enable 0", func() *facts.Document {
			d := curDebAuto("ubuntu", "1")
			d.ConfigNodes.Items = append(d.ConfigNodes.Items, curNode("/etc/apt/apt.conf.d/10periodic", "APT/Periodic/Enable", "0"))
			d.Files.Items = []facts.FileStat{curStamp("/var/lib/dpkg/status", 60)}
			return d
		}, Fail, "Enable is 0"},
		{"apt-daily-upgrade.timer disabled", func() *facts.Document {
			d := curDebAuto("ubuntu", "1")
			d.Services.Items = []facts.Service{curService("apt-daily-upgrade.timer", false, false)}
			d.Files.Items = []facts.FileStat{curStamp("/var/lib/dpkg/status", 60)}
			return d
		}, Fail, "apt-daily-upgrade.timer is disabled"},
		{"a fresh empty rotated history.log is no package change", func() *facts.Document {
			d := curDebAuto("ubuntu", "0")
			h := curStamp("/var/log/apt/history.log", 0)
			h.Size = curI(0)
			d.Files.Items = []facts.FileStat{curStamp("/var/lib/dpkg/status", 50), h}
			return d
		}, Fail, "50 days ago"},
		{"auto off, stamps not collected", func() *facts.Document {
			d := curDebAuto("ubuntu", "0")
			d.Queries["x_cur_stamps"] = facts.QueryState{State: facts.StateUnknown, Reason: "no such table: file"}
			return d
		}, Unknown, "no such table: file"},
		{"config not read, recent change", func() *facts.Document {
			d := curDebAuto("ubuntu", "1")
			d.Queries["x_cur_apt_periodic"] = facts.QueryState{State: facts.StateUnknown, Reason: "augeas lenses missing"}
			d.Files.Items = []facts.FileStat{curStamp("/var/lib/dpkg/status", 1)}
			return d
		}, Partial, "augeas lenses missing"},
		{"config not read, stale", func() *facts.Document {
			d := curDebAuto("ubuntu", "1")
			d.Queries["x_cur_apt_periodic"] = facts.QueryState{State: facts.StateUnknown, Reason: "augeas lenses missing"}
			d.Files.Items = []facts.FileStat{curStamp("/var/lib/dpkg/status", 90)}
			return d
		}, Unknown, "cannot be graded"},
		{"Ubuntu 20.04 past standard support, no ESM", func() *facts.Document {
			d := curDebAuto("ubuntu", "1")
			d.OS.Major, d.OS.Minor, d.OS.Version = curI(20), curI(4), "20.04.6 LTS (Focal Fossa)"
			d.Files.Items = []facts.FileStat{curStamp("/var/lib/dpkg/status", 1)}
			return d
		}, Fail, "Ubuntu 20.04 LTS reached end of security support on 2025-05-31"},
		{"Ubuntu 20.04 with Ubuntu Pro ESM repositories", func() *facts.Document {
			d := curDebAuto("ubuntu", "1")
			d.OS.Major, d.OS.Minor = curI(20), curI(4)
			d.Repositories.Items = []facts.Repository{{Kind: "apt", BaseURI: "https://esm.ubuntu.com/infra/ubuntu/"}}
			d.Files.Items = []facts.FileStat{curStamp("/var/lib/dpkg/status", 1)}
			return d
		}, Pass, "automatic updates are on"},
		{"a look-alike ESM host does not extend support", func() *facts.Document {
			d := curDebAuto("ubuntu", "1")
			d.OS.Major, d.OS.Minor = curI(20), curI(4)
			d.Repositories.Items = []facts.Repository{{Kind: "apt", BaseURI: "https://esm.ubuntu.com.mirror.example/ubuntu/"}}
			d.Files.Items = []facts.FileStat{curStamp("/var/lib/dpkg/status", 1)}
			return d
		}, Fail, "2025-05-31"},
		{"release not in the table is said and the rest graded", func() *facts.Document {
			d := curDebAuto("ubuntu", "1")
			d.OS.Major, d.OS.Minor = curI(99), curI(4)
			d.Files.Items = []facts.FileStat{curStamp("/var/lib/dpkg/status", 1)}
			return d
		}, Pass, "ubuntu 99.04 is not in data/os-lifecycle.yaml"},
		{"Debian 9 past LTS", func() *facts.Document {
			d := curDebAuto("debian", "1")
			d.OS.Major, d.OS.Version = curI(9), "9 (stretch)"
			return d
		}, Fail, "Debian 9 stretch reached end of security support on 2022-06-30"},
	}
	for _, tt := range tests {
		curExpect(t, tt.name, curRun(t, "CUR-01", tt.doc()), tt.status, tt.detail)
	}
}

func TestCUR01_RPM(t *testing.T) {
	rpms := func(days int) []facts.Package {
		p := curPkg("rpm", "kernel-core", "5.14.0")
		p.InstallTime = curDays(days)
		q := curPkg("rpm", "bash", "5.1.8")
		q.InstallTime = curDays(400)
		return []facts.Package{q, p}
	}
	tests := []struct {
		name   string
		doc    func() *facts.Document
		status Status
		detail string
	}{
		{"dnf-automatic-install.timer, kernel installed 3 days ago", func() *facts.Document {
			d := curDoc("rhel")
			d.Services.Items = []facts.Service{curService("dnf-automatic-install.timer", true, true)}
			d.Packages.Items = rpms(3)
			return d
		}, Pass, "dnf-automatic-install.timer"},
		{"dnf-automatic.timer only: install not visible, recent", func() *facts.Document {
			d := curDoc("rhel")
			d.Services.Items = []facts.Service{curService("dnf-automatic.timer", true, true)}
			d.Packages.Items = rpms(3)
			return d
		}, Partial, "apply_updates"},
		{"dnf-automatic.timer only, stale", func() *facts.Document {
			d := curDoc("rhel")
			d.Services.Items = []facts.Service{curService("dnf-automatic.timer", true, true)}
			d.Packages.Items = rpms(100)
			return d
		}, Fail, "100 days ago"},
		{"notify-only timer is not automatic updates", func() *facts.Document {
			d := curDoc("rhel")
			d.Services.Items = []facts.Service{curService("dnf-automatic-notifyonly.timer", true, true)}
			d.Packages.Items = rpms(100)
			return d
		}, Fail, "only notifies"},
		{"yum-cron applying updates, dnf log newer than rpm times", func() *facts.Document {
			d := curDoc("rhel")
			d.Services.Items = []facts.Service{curService("yum-cron.service", true, true)}
			d.ConfigNodes.Items = []facts.ConfigNode{curNode(yumCronConf, "commands/apply_updates", "yes")}
			d.Packages.Items = rpms(60)
			d.Files.Items = []facts.FileStat{curStamp("/var/log/dnf.rpm.log", 2)}
			return d
		}, Pass, "yum-cron"},
		{"yum-cron downloading only", func() *facts.Document {
			d := curDoc("rhel")
			d.Services.Items = []facts.Service{curService("yum-cron.service", true, true)}
			d.ConfigNodes.Items = []facts.ConfigNode{curNode(yumCronConf, "commands/apply_updates", "no")}
			d.Packages.Items = rpms(2)
			return d
		}, Partial, "apply_updates is not yes"},
		{"services not collected, stale", func() *facts.Document {
			d := curDoc("rhel")
			d.Services.Origin = curUnknown("query systemd_units error: permission denied")
			d.Packages.Items = rpms(90)
			return d
		}, Unknown, "permission denied"},
		{"no rpm dates and no logs", func() *facts.Document {
			d := curDoc("rhel")
			d.Services.Items = []facts.Service{curService("dnf-automatic-install.timer", true, false)}
			return d
		}, Partial, "no rpm package with an install_time"},
		{"Amazon Linux 2 ended 2026-06-30", func() *facts.Document {
			d := curDoc("rhel")
			d.OS.Name, d.OS.Platform, d.OS.Family, d.OS.Version, d.OS.Major = "Amazon Linux", "amzn", facts.FamilyAmazon, "2", curI(2)
			d.Services.Items = []facts.Service{curService("yum-cron.service", true, true)}
			d.Packages.Items = rpms(1)
			return d
		}, Fail, "Amazon Linux 2 reached end of security support on 2026-06-30"},
		{"CentOS Linux 8 by name", func() *facts.Document {
			d := curDoc("rhel")
			d.OS.Name, d.OS.Platform, d.OS.Major = "CentOS Linux", "centos", curI(8)
			return d
		}, Fail, "CentOS Linux 8 reached end of security support on 2021-12-31"},
		{"CentOS Stream 9 by name (estimated date, still supported)", func() *facts.Document {
			d := curDoc("rhel")
			d.OS.Name, d.OS.Platform, d.OS.Major = "CentOS Stream", "centos", curI(9)
			d.Services.Items = []facts.Service{curService("dnf-automatic-install.timer", true, true)}
			d.Packages.Items = rpms(1)
			return d
		}, Pass, "dnf-automatic-install.timer"},
		{"SLES 12 SP3 (osqueryi sample: version 12-SP3)", func() *facts.Document {
			d := curDoc("rhel")
			d.OS.Name, d.OS.Platform, d.OS.Family, d.OS.Version = "SLES", "sles", facts.FamilySUSE, "12-SP3"
			d.OS.Major, d.OS.Minor, d.OS.Patch = curI(12), curI(3), curI(0)
			return d
		}, Fail, "SLES 12 SP3 reached end of security support on 2019-06-30"},
		{"unknown family is never graded as Debian", func() *facts.Document {
			d := curDoc("rhel")
			d.OS.Name, d.OS.Platform, d.OS.Family, d.OS.Major = "Arch Linux", "arch", facts.FamilyUnknown, nil
			d.OS.Version = "rolling"
			d.Files.Items = []facts.FileStat{curStamp("/var/lib/dpkg/status", 1)}
			return d
		}, Unknown, `no automatic-update rules for OS family "unknown"`},
	}
	for _, tt := range tests {
		curExpect(t, tt.name, curRun(t, "CUR-01", tt.doc()), tt.status, tt.detail)
	}
}

// curWinDoc is a Windows document from a B19 os_version row.
func curWinDoc(row map[string]string) *facts.Document {
	d := curDoc("windows")
	d.OS = curOSFromRow(row)
	return d
}

// TestCUR01_B19 grades B19's hosts with CUR-01 itself: product from build and
// SKU, the revision against the cumulative updates, end of servicing per edition.
func TestCUR01_B19(t *testing.T) {
	c := loadB19(t)
	rows := map[string]map[string]string{}
	for _, r := range c.Rows {
		rows[r.Host] = r.Row
	}
	tests := []struct {
		host   string
		now    time.Time
		status Status
		detail string
	}{
		// September 2024: the window starts 2024-08-16
		{"ws-a", time.Date(2024, 9, 20, 0, 0, 0, 0, time.UTC), Pass, "KB5043076"},
		{"ws-b", time.Date(2024, 9, 20, 0, 0, 0, 0, time.UTC), Unknown, "no installed update with a date"},
		{"ws-c", time.Date(2024, 9, 20, 0, 0, 0, 0, time.UTC), Fail, "below 19045.4780 (KB5041580"},
		{"srv-d", time.Date(2024, 9, 20, 0, 0, 0, 0, time.UTC), Unknown, "Windows Server 2022"},
		{"ws-e", time.Date(2024, 9, 20, 0, 0, 0, 0, time.UTC), Unknown, "Windows 11 24H2 (build 26100.?)"},
		// December 2026
		{"ws-a", curNow, Fail, "end of servicing for enterprise editions on 2026-11-10"},
		{"ws-c", curNow, Fail, "Windows 10 22H2 (build 19045.4651) reached end of servicing for enterprise editions on 2025-10-14"},
		{"srv-d", curNow, Fail, "below 20348.3328"},
		{"ws-e", curNow, Fail, "on 2026-10-13"},
	}
	for _, tt := range tests {
		env := curEnv(curWinDoc(rows[tt.host]))
		env.Now = tt.now
		curExpect(t, tt.host+" at "+curDay(tt.now), evaluators["CUR-01"](env), tt.status, tt.detail)
	}
}

// b18Case is testdata/bugcases/B18.json.
type b18Case struct {
	Rows []struct {
		HotfixID    string `json:"hotfix_id"`
		Description string `json:"description"`
		InstalledOn string `json:"installed_on"`
	} `json:"rows"`
	Expected map[string]struct {
		Installed   bool    `json:"installed"`
		InstalledOn *string `json:"installed_on"`
		Confidence  string  `json:"confidence"`
	} `json:"expected_facts"`
}

// curB18Hotfixes builds the hotfix facts the translator produces from B18's
// rows (its expected_facts: parsed date or none, and how it was read).
func curB18Hotfixes(t *testing.T) []facts.Hotfix {
	t.Helper()
	b, err := os.ReadFile("../testdata/bugcases/B18.json")
	if err != nil {
		t.Fatal(err)
	}
	var c b18Case
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	var out []facts.Hotfix
	for _, r := range c.Rows {
		e, ok := c.Expected[r.HotfixID]
		if !ok {
			t.Fatalf("B18: no expectation for %s", r.HotfixID)
		}
		h := facts.Hotfix{ID: r.HotfixID, Description: r.Description, InstalledOnRaw: r.InstalledOn}
		conf := strings.ToLower(e.Confidence)
		switch {
		case e.InstalledOn != nil && strings.Contains(conf, "assumed"):
			h.InstalledOn, h.DateConfidence = *e.InstalledOn, "assumed M/D/YYYY"
		case e.InstalledOn != nil && strings.Contains(conf, "filetime"):
			h.InstalledOn, h.DateConfidence = *e.InstalledOn, "filetime"
		case e.InstalledOn != nil:
			h.InstalledOn, h.DateConfidence = *e.InstalledOn, "unambiguous"
		case strings.Contains(conf, "no date"):
			h.DateConfidence = "missing"
		default:
			h.DateConfidence = "ambiguous"
		}
		out = append(out, h)
	}
	if len(out) != 7 {
		t.Fatalf("B18: %d hotfixes, want 7", len(out))
	}
	return out
}

// TestCUR01_B18 grades Windows patch age on B18's hotfix dates: only parsed
// dates count, and a missing or ambiguous date that may be the newest makes
// the check UNKNOWN, never FAIL.
func TestCUR01_B18(t *testing.T) {
	all := curB18Hotfixes(t)
	without := func(ids ...string) []facts.Hotfix {
		var out []facts.Hotfix
		for _, h := range all {
			if !slices.Contains(ids, h.ID) {
				out = append(out, h)
			}
		}
		return out
	}
	only := func(ids ...string) []facts.Hotfix {
		var out []facts.Hotfix
		for _, h := range all {
			if slices.Contains(ids, h.ID) {
				out = append(out, h)
			}
		}
		return out
	}
	tests := []struct {
		name     string
		now      time.Time
		hotfixes []facts.Hotfix
		status   Status
		detail   string
	}{
		// 29/08/2024 (D/M, unambiguous) is within 35 days of 2024-09-20
		{"newest certain date recent", time.Date(2024, 9, 20, 0, 0, 0, 0, time.UTC), all, Pass, "KB5041571"},
		// by December every certain date is old, but KB5034441 has no date
		{"old dates plus a missing one", time.Date(2024, 12, 20, 0, 0, 0, 0, time.UTC), all, Unknown, "KB5034441: no date"},
		// without the undated hotfix every reading of every date is old: FAIL
		{"old dates, all readable", time.Date(2024, 12, 20, 0, 0, 0, 0, time.UTC), without("KB5034441"), Fail, "KB5041571, 2024-08-29"},
		// 5-8-2024 is 5 Aug or 8 May: on 2024-06-20 only the May reading is in the window
		{"ambiguous date that may be recent", time.Date(2024, 6, 20, 0, 0, 0, 0, time.UTC), only("KB5041585"), Unknown, "could be 2024-05-08 or 2024-08-05"},
		{"only missing and ambiguous dates", time.Date(2024, 12, 20, 0, 0, 0, 0, time.UTC), only("KB5041585", "KB5034441"), Unknown, "no date"},
		// 7/9/2024 assumed July 9; read as 7 September it would be recent on 2024-10-01, so no FAIL
		{"assumed M/D date whose other reading is recent", time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC), only("KB5040442"), Unknown, "could be 2024-07-09 or 2024-09-07"},
		{"FILETIME date", time.Date(2010, 8, 1, 0, 0, 0, 0, time.UTC), only("KB2286198"), Pass, "2010-07-17"},
		{"no hotfixes at all", time.Date(2024, 12, 20, 0, 0, 0, 0, time.UTC), nil, Unknown, "no installed update with a date"},
	}
	for _, tt := range tests {
		d := curDoc("windows")
		d.OS.Build, d.OS.Version, d.OS.Revision = "22631", "10.0.22631", nil // no revision: dates decide
		d.OS.Name = "Microsoft Windows 11 Enterprise"
		d.Hotfixes.Items = tt.hotfixes
		env := curEnv(d)
		env.Now = tt.now
		if tt.name == "FILETIME date" {
			d.OS.Build, d.OS.Version, d.OS.Name = "7601", "6.1.7601", "Microsoft Windows Server 2008 R2 Standard"
		}
		curExpect(t, tt.name, evaluators["CUR-01"](env), tt.status, tt.detail)
	}
}

// TestCUR01_WindowsUpdateHistorySample reads the real windows_update_history
// capture: daily Defender definition updates and the MSRT are not OS patches,
// so a month-old cumulative update is not hidden by yesterday's signatures.
func TestCUR01_WindowsUpdateHistorySample(t *testing.T) {
	b, err := os.ReadFile("../testdata/samples/windows/fleet-windows-update-history.win11.json")
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]string
	if err := json.Unmarshal(b, &rows); err != nil {
		t.Fatal(err)
	}
	osRows, err := os.ReadFile("../testdata/samples/windows/fleet-os-version.win11-21H2.json")
	if err != nil {
		t.Fatal(err)
	}
	var osv []map[string]string
	if err := json.Unmarshal(osRows, &osv); err != nil {
		t.Fatal(err)
	}
	d := curWinDoc(osv[0]) // Windows 11 Enterprise 21H2, build 22000, no revision column
	for _, r := range rows {
		// the Fleet query selected date and title only; our catalogue adds result_code
		d.UpdateHistory.Items = append(d.UpdateHistory.Items, facts.Update{Title: r["title"], Date: curInt(r["date"]), ResultCode: curI(2)})
	}
	env := curEnv(d)
	// window starts 2022-08-11: the newest Defender update (2022-08-11 14:19) is inside it,
	// the newest cumulative update (2022-08-10, KB5016629) is not
	env.Now = time.Date(2022, 9, 15, 12, 0, 0, 0, time.UTC)
	got := evaluators["CUR-01"](env)
	curExpect(t, "sample", got, Fail, "KB5016629")
	dates := got.Evidence["update_dates"].(map[string]any)
	if dates["history_os_updates_succeeded"] != 3 || dates["history_entries"] != 49 {
		t.Errorf("update dates evidence %v: want 3 OS updates of 49 entries", dates)
	}
	env.Now = time.Date(2022, 9, 1, 0, 0, 0, 0, time.UTC)
	curExpect(t, "sample within window", evaluators["CUR-01"](env), Pass, "KB5016629")
	// a failed install does not count
	for i := range d.UpdateHistory.Items {
		d.UpdateHistory.Items[i].ResultCode = curI(4)
	}
	curExpect(t, "all failed", evaluators["CUR-01"](env), Unknown, "no installed update with a date")
}

func TestCUR01_Windows(t *testing.T) {
	hot := func(id string, days int) facts.Hotfix {
		return facts.Hotfix{ID: id, InstalledOn: curDay(curNow.AddDate(0, 0, -days)), DateConfidence: "unambiguous"}
	}
	tests := []struct {
		name   string
		setup  func(d *facts.Document)
		status Status
		detail string
	}{
		{"25H2 with a hotfix 10 days ago", func(d *facts.Document) {
			d.Hotfixes.Items = []facts.Hotfix{hot("KB5070000", 10), hot("KB5060000", 200)}
		}, Pass, "KB5070000"},
		{"25H2 with a hotfix 50 days ago", func(d *facts.Document) {
			d.Hotfixes.Items = []facts.Hotfix{hot("KB5060000", 50)}
		}, Fail, "50 days old"},
		{"revision from registry UBR is checked against the floor", func(d *facts.Document) {
			d.OS.Build, d.OS.Version, d.OS.Revision, d.OS.Name = "20348", "10.0.20348", nil, "Microsoft Windows Server 2022 Datacenter"
			d.Registry.Items = []facts.RegistryValue{{Key: winCurrentVersionKey, Path: winCurrentVersionKey + `\UBR`, Name: "UBR", Type: "REG_DWORD", Data: "2966"}}
			d.Hotfixes.Items = []facts.Hotfix{hot("KB5070000", 3)}
		}, Fail, "below 20348.3328 (KB5053603"},
		{"build the table does not know", func(d *facts.Document) {
			d.OS.Build, d.OS.Version = "28000", "10.0.28000"
			d.Hotfixes.Items = []facts.Hotfix{hot("KB5070000", 3)}
		}, Pass, "Windows 11 (build 28000.7000)"},
		{"Windows 7", func(d *facts.Document) {
			d.OS.Build, d.OS.Version, d.OS.Name = "7601", "6.1.7601", "Microsoft Windows 7 Professional "
		}, Fail, "Windows 7 SP1 (build 7601.7000) reached end of servicing"},
		{"Windows 10 LTSC 2021 is serviced to 2027", func(d *facts.Document) {
			d.OS.Build, d.OS.Version, d.OS.Name, d.OS.Revision = "19044", "10.0.19044", "Microsoft Windows 10 Enterprise LTSC 2021", curI(6500)
			d.Hotfixes.Items = []facts.Hotfix{hot("KB5070000", 3)}
		}, Pass, "KB5070000"},
		{"hotfixes and history not collected", func(d *facts.Document) {
			d.Hotfixes.Origin = curUnknown("query patches error: WMI timeout")
			d.UpdateHistory.Origin = curUnknown("query windows_update_history not run")
		}, Unknown, "WMI timeout"},
		{"no build", func(d *facts.Document) {
			d.OS.Build, d.OS.Version = "", ""
		}, Unknown, "no Windows build number"},
	}
	for _, tt := range tests {
		d := curDoc("windows")
		tt.setup(d)
		curExpect(t, tt.name, curRun(t, "CUR-01", d), tt.status, tt.detail)
	}
}

func TestCUR01_Darwin(t *testing.T) {
	plist := func(kv ...string) []facts.PlistValue {
		var out []facts.PlistValue
		for i := 0; i+1 < len(kv); i += 2 {
			out = append(out, facts.PlistValue{Path: macSoftwareUpdate, Key: kv[i], Value: kv[i+1]})
		}
		return out
	}
	allOn := plist("AutomaticCheckEnabled", "1", "AutomaticDownload", "1", "CriticalUpdateInstall", "1", "AutomaticallyInstallMacOSUpdates", "1")
	tests := []struct {
		name   string
		setup  func(d *facts.Document)
		status Status
		detail string
	}{
		{"every key on", func(d *facts.Document) { d.Plist.Items = allOn }, Pass, "macOS 15 Sequoia is supported until 2027-09-15 (estimated)"},
		{"defaults plus macOS updates on", func(d *facts.Document) {
			d.Plist.Items = plist("AutomaticallyInstallMacOSUpdates", "true")
		}, Pass, "automatic updates are on"},
		{"macOS updates not set", func(d *facts.Document) {
			d.Plist.Items = plist("AutomaticCheckEnabled", "1", "LastFullSuccessfulDate", "2026-11-30 10:00:00 +0000")
		}, Partial, "AutomaticallyInstallMacOSUpdates not on"},
		{"checking off", func(d *facts.Document) {
			d.Plist.Items = plist("AutomaticCheckEnabled", "0", "AutomaticallyInstallMacOSUpdates", "1")
		}, Partial, "automatic updates are off"},
		{"MDM value wins over the plist", func(d *facts.Document) {
			d.Plist.Items = plist("AutomaticCheckEnabled", "0", "AutomaticallyInstallMacOSUpdates", "0")
			d.ManagedPolicies.Items = []facts.ManagedPolicy{
				{Domain: "com.apple.SoftwareUpdate", Name: "AutomaticCheckEnabled", Value: "1"},
				{Domain: "com.apple.SoftwareUpdate", Name: "AutomaticallyInstallMacOSUpdates", Value: "1"},
			}
		}, Pass, "automatic updates are on"},
		{"settings not collected", func(d *facts.Document) {
			d.Queries["x_cur_macos_updates"] = facts.QueryState{State: facts.StateUnknown, Reason: "not run"}
		}, Partial, "were not collected"},
		{"macOS 13 ended", func(d *facts.Document) {
			d.OS.Major, d.OS.Minor, d.OS.Version = curI(13), curI(7), "13.7.1"
			d.Plist.Items = allOn
		}, Fail, "macOS 13 Ventura reached end of security support on 2025-09-15;"},
		{"macOS 14 ended by the three-newest rule (estimated)", func(d *facts.Document) {
			d.OS.Major, d.OS.Minor, d.OS.Version = curI(14), curI(1), "14.1.2"
			d.Plist.Items = allOn
		}, Fail, "(estimated: the vendor publishes no date)"},
		{"Mac OS X 10.13 sample", func(d *facts.Document) {
			d.OS.Name, d.OS.Version, d.OS.Major, d.OS.Minor = "Mac OS X", "10.13.1", curI(10), curI(13)
		}, Fail, "macOS 10.13 High Sierra reached end of security support on 2020-11-12"},
		{"future release, updates off", func(d *facts.Document) {
			d.OS.Major, d.OS.Version = curI(40), "40.0"
			d.Plist.Items = plist("AutomaticCheckEnabled", "0")
		}, Unknown, "not in the lifecycle table"},
	}
	for _, tt := range tests {
		d := curDoc("darwin")
		tt.setup(d)
		curExpect(t, tt.name, curRun(t, "CUR-01", d), tt.status, tt.detail)
	}
}

func TestCUR01_OSUnknown(t *testing.T) {
	d := curDoc("ubuntu")
	d.OS.Origin = curUnknown("query os_version error: database locked")
	curExpect(t, "os unknown", curRun(t, "CUR-01", d), Unknown, "database locked")
	d = curDoc("ubuntu")
	d.OS.Kind, d.OS.Platform, d.OS.Name = "unknown", "freebsd", "FreeBSD"
	curExpect(t, "freebsd", curRun(t, "CUR-01", d), Unknown, "not one this check has patch rules for")
}
