package engine

import (
	"strings"
	"testing"
	"time"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

// Detail wording found by review: each case asserts the exact new text.

func TestMIN03_WindowsSaysWhichProfilesAreOff(t *testing.T) {
	prof := func(name, src string, on bool) facts.FirewallProfile {
		return facts.FirewallProfile{Profile: name, Enabled: ctlB(on), Source: src}
	}
	profiles := func(p ...facts.FirewallProfile) ctlOpt {
		return func(d *facts.Document) { d.Firewall.Profiles.Items = p }
	}
	ctlRun(t, checkMIN03, []ctlCase{
		{name: "two of three profiles off", want: Fail,
			doc: ctlDoc("windows", profiles(prof("Domain", "local", true), prof("Private", "local", false), prof("Public", "policy", false))),
			detail: []string{"The host firewall is off for the Private and Public profiles (Domain profile enabled (local); " +
				"Private profile disabled (local); Public profile disabled (policy))."}},
		{name: "one profile off", want: Fail,
			doc:    ctlDoc("windows", profiles(prof("Domain", "local", true), prof("Private", "local", true), prof("Public", "local", false))),
			detail: []string{"The host firewall is off for the Public profile ("}},
	})
}

func TestMIN04_UngradedCountsAddUp(t *testing.T) {
	noSysctls := func(d *facts.Document) { d.Sysctls.Items = []facts.Sysctl{{Name: "vm.swappiness", CurrentValue: "60"}} }
	ctlRun(t, checkMIN04, []ctlCase{
		{name: "nothing applies: 13 parameters absent, sshd not configured", want: Unknown, doc: ctlDoc("linux", noSysctls),
			detail: []string{"None of the 15 baseline settings could be graded: 15 do not apply to this device " +
				"(parameter not present on this kernel [13]; /etc/ssh/sshd_config not read (OpenSSH server not installed?) [2])."}},
		{name: "nothing read", want: Unknown, doc: ctlDoc("linux", func(d *facts.Document) {
			d.Sysctls.Origin = ctlMissing("system_controls: not in the input")
		}, ctlQueryFailed("x_min_sshd", "not in the input")),
			detail: []string{"None of the 15 baseline settings could be graded: 15 could not be read " +
				"(system_controls not collected: system_controls: not in the input [13]; query x_min_sshd unknown: not in the input [2])."}},
		{name: "mixed", want: Unknown, doc: ctlDoc("linux", noSysctls, ctlQueryFailed("x_min_sshd", "timeout")),
			detail: []string{"could be graded: 2 could not be read (query x_min_sshd unknown: timeout [2]) and 13 do not apply to this device " +
				"(parameter not present on this kernel [13])."}},
	})
}

func TestMIN01_Wording(t *testing.T) {
	ctlRun(t, checkMIN01, []ctlCase{
		{name: "not everything checked", want: Unknown, doc: ctlDoc("linux", func(d *facts.Document) {
			d.Services.Origin = ctlMissing("systemd_units: not in the input")
		}), detail: []string{"No legacy or risky service was found running or enabled, but not everything could be checked: " +
			"services not collected: systemd_units: not in the input."}},
		{name: "rhel: rpcbind service and socket are one finding", want: Fail,
			doc: ctlDoc("linux", func(d *facts.Document) { d.OS.Family = facts.FamilyRHEL }, ctlServices(
				ctlSvc("rpcbind.service", ctlB(true), ctlB(true), "enabled"),
				ctlSvc("rpcbind.socket", ctlB(true), ctlB(true), "enabled"),
				ctlSvc("telnet.socket", ctlB(false), ctlB(true), "enabled"))),
			detail: []string{"Legacy or risky services are on: rpcbind without NFS server (rpcbind.service: running and enabled at boot; " +
				"rpcbind.socket: running and enabled at boot), telnet server (telnet.socket: enabled at boot)."},
			ev: []string{`"unit":"rpcbind.service"`, `"unit":"rpcbind.socket"`}},
	})
	o := checkMIN01(ctlEnv(ctlDoc("linux", ctlServices(ctlSvc("rpcbind.service", ctlB(true), ctlB(true), "enabled"),
		ctlSvc("rpcbind.socket", ctlB(true), ctlB(true), "enabled")))))
	if n := strings.Count(o.Detail, "rpcbind without NFS server"); n != 1 {
		t.Errorf("rpcbind named %d times: %q", n, o.Detail)
	}
}

func TestSentenceCase(t *testing.T) {
	for in, want := range map[string]string{
		"automatic updates are on":                  "Automatic updates are on",
		"platform_info was not collected: x":        "platform_info was not collected: x",
		"macOS 10.13 High Sierra is supported":      "macOS 10.13 High Sierra is supported",
		"osquery_flags was not collected":           "osquery_flags was not collected",
		"osquery is not enrolled":                   "osquery is not enrolled",
		"third-party apps":                          "Third-party apps",
		"no inventory record was supplied; x":       "No inventory record was supplied; x",
		"x_cur_stamps: not in the input":            "x_cur_stamps: not in the input",
		"/etc/ssh/sshd_config not read":             "/etc/ssh/sshd_config not read",
		"":                                          "",
		"ünicode start":                             "Ünicode start",
		"the release is not in the lifecycle table": "The release is not in the lifecycle table",
	} {
		if got := sentenceCase(in); got != want {
			t.Errorf("sentenceCase(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIdentifiersAreNotCapitalised(t *testing.T) {
	// CUR-03 and CUR-04 with their tables missing, as in a foreign pack capture.
	d := curDoc("ubuntu")
	d.Firmware.Origin = curUnknown("platform_info: not in the input")
	d.Certificates.Origin = curUnknown("certificates: not in the input")
	if got := curRun(t, "CUR-03", d); got.Detail != "platform_info was not collected: platform_info: not in the input, and no firmware_currency attestation applies." {
		t.Errorf("CUR-03 detail %q", got.Detail)
	}
	if got := curRun(t, "CUR-04", d); got.Detail != "The certificates table was not collected: certificates: not in the input." {
		t.Errorf("CUR-04 detail %q", got.Detail)
	}
	// CUR-01 on macOS 10.13 without automatic-update settings: the release name leads.
	m := curDoc("darwin")
	m.OS.Name, m.OS.Version, m.OS.Major, m.OS.Minor = "Mac OS X", "10.13.6", curI(10), curI(13)
	m.Queries["x_cur_macos_updates"] = facts.QueryState{State: facts.StateUnknown, Reason: "not in the input"}
	env := curEnv(m)
	env.Now = time.Date(2017, 12, 28, 14, 40, 8, 0, time.UTC) // the capture's time: 10.13 still supported
	if got := evaluators["CUR-01"](env); !strings.HasPrefix(got.Detail, "macOS 10.13 High Sierra is supported until 2020-11-12, but ") {
		t.Errorf("CUR-01 detail %q must start with macOS", got.Detail)
	}
}

func TestMON02_NothingFoundPerPlatform(t *testing.T) {
	monRunCases(t, "MON-02", []monCase{
		{"linux", monDoc("linux", monServices(monUnit("cron.service", true, true)), monProcs("cron"), monNodes()),
			Fail, "No log forwarder, remote syslog action or journal upload was found."},
		{"windows", monDoc("windows", monServices(monWinSvc("EventLog", true)), monRegistry()),
			Fail, "No log forwarder and no Windows Event Forwarding subscription was found."},
		{"macos", monDoc("darwin", monProcs("launchd")), Fail, "No log-forwarding agent was found."},
	})
	for _, kind := range []string{"windows", "darwin"} {
		d := monDoc(kind, monServices(), monProcs("x"), monRegistry())
		if o := checkMON02(monEnv(d)); strings.Contains(o.Detail, "syslog") || strings.Contains(o.Detail, "journal") {
			t.Errorf("%s MON-02 detail names Linux mechanisms: %q", kind, o.Detail)
		}
	}
}

func TestCUR04_ListsEachFinding(t *testing.T) {
	now := curNow.Unix()
	day := int64(86400)
	cert := func(cn, path string, ca, self bool, after int64) facts.Certificate {
		return facts.Certificate{CommonName: cn, Path: path, CA: curB(ca), SelfSigned: curB(self), NotValidAfter: curI(after),
			SigningAlgorithm: "sha256WithRSAEncryption", KeyAlgorithm: "rsaEncryption", KeyStrength: curI(2048)}
	}
	const login = "/Users/ana/Library/Keychains/login.keychain-db"
	const roots = "/System/Library/Keychains/SystemRootCertificates.keychain"
	cases := []struct {
		name   string
		certs  []facts.Certificate
		status Status
		detail string
	}{
		{"expiring login certificate is named", []facts.Certificate{cert("Apple Development: Ana Pop (7XK2)", login, false, false, now+10*day)},
			Partial, `No expired identity certificates, but 1 finding(s): "Apple Development: Ana Pop (7XK2)" in ` + login +
				`: expires within 30 days, not valid after 2026-12-13 (by store: ` + login + `: 1 expiring).`},
		{"an expired root CA beside an expired identity is named", []facts.Certificate{
			cert("vpn.corp.example", login, false, false, now-3*day),
			cert("Old Root CA", roots, true, true, now-400*day)},
			Fail, `1 expired non-CA certificate(s): "vpn.corp.example" in ` + login + `: expired, not valid after 2026-11-30; ` +
				`also 1 other finding(s): "Old Root CA" in ` + roots + `: expired root, not valid after 2025-10-29.`},
		{"more than five: capped with a count", func() []facts.Certificate {
			var cs []facts.Certificate
			for _, cn := range []string{"a", "b", "c", "d", "e", "f", "g"} {
				cs = append(cs, cert(cn, login, false, false, now+5*day))
			}
			return cs
		}(), Partial, `"e" in ` + login + `: expires within 30 days, not valid after 2026-12-08; and 2 more (see the evidence) (by store: ` +
			login + `: 7 expiring).`},
	}
	for _, c := range cases {
		d := curDoc("darwin")
		d.Certificates.Items = c.certs
		got := curRun(t, "CUR-04", d)
		if got.Status != c.status || !strings.HasSuffix(got.Detail, c.detail) {
			t.Errorf("%s: %s %q\nwant %s ending %q", c.name, got.Status, got.Detail, c.status, c.detail)
		}
	}
}
