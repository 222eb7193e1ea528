package engine

import (
	"testing"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

// minHardenedSysctls are the Linux baseline sysctls, all met.
var minHardenedSysctls = map[string]string{
	"kernel.randomize_va_space": "2", "kernel.kptr_restrict": "1", "kernel.dmesg_restrict": "1", "fs.suid_dumpable": "0",
	"net.ipv4.conf.all.rp_filter": "2", "net.ipv4.conf.all.accept_redirects": "0", "net.ipv4.conf.default.accept_redirects": "0",
	"net.ipv6.conf.all.accept_redirects": "0", "net.ipv4.conf.all.send_redirects": "0", "net.ipv4.conf.default.send_redirects": "0",
	"net.ipv4.tcp_syncookies": "1", "fs.protected_hardlinks": "1", "fs.protected_symlinks": "1",
}

func minSysctls(over map[string]string, drop ...string) ctlOpt {
	return func(d *facts.Document) {
		vals := map[string]string{}
		for k, v := range minHardenedSysctls {
			vals[k] = v
		}
		for k, v := range over {
			vals[k] = v
		}
		for _, k := range drop {
			delete(vals, k)
		}
		for k, v := range vals {
			d.Sysctls.Items = append(d.Sysctls.Items, facts.Sysctl{Name: k, CurrentValue: v})
		}
	}
}

func minSSHD(nodes ...[3]string) ctlOpt {
	return func(d *facts.Document) {
		for _, n := range nodes {
			d.ConfigNodes.Items = append(d.ConfigNodes.Items, facts.ConfigNode{Path: n[0], Node: "/files" + n[0] + "/" + n[1], Label: n[1], Value: n[2]})
		}
	}
}

const sshdMain = "/etc/ssh/sshd_config"

func TestMIN04_Linux(t *testing.T) {
	hardenedSSH := minSSHD([3]string{sshdMain, "PermitRootLogin", "no"}, [3]string{sshdMain, "PasswordAuthentication", "no"})
	ctlRun(t, checkMIN04, []ctlCase{
		{name: "all met", want: Pass, doc: ctlDoc("linux", minSysctls(nil), hardenedSSH),
			detail: []string{"15 of 15 baseline settings are met (100.0%)"},
			ev:     []string{`"id":"kernel.kptr_restrict","title":"kernel pointers hidden","value":"1","required":"\u003e= 1","state":"met"`}},
		{name: "kptr_restrict 2 is >= 1 as a number", want: Pass, doc: ctlDoc("linux", minSysctls(map[string]string{"kernel.kptr_restrict": "2"}), hardenedSSH)},
		{name: "OpenSSH default PasswordAuthentication yes is not met", want: Pass,
			doc:    ctlDoc("linux", minSysctls(nil), minSSHD([3]string{sshdMain, "Port", "22"})),
			detail: []string{"14 of 15", "sshd.PasswordAuthentication=yes"},
			ev:     []string{`"id":"sshd.PermitRootLogin"`, "not set: default prohibit-password applies"}},
		{name: "drop-in wins over the main file (first value)", want: Pass,
			doc: ctlDoc("linux", minSysctls(nil), minSSHD(
				[3]string{sshdMain, "Include", "/etc/ssh/sshd_config.d/*.conf"},
				[3]string{sshdMain, "PasswordAuthentication", "no"},
				[3]string{"/etc/ssh/sshd_config.d/50-cloud-init.conf", "PasswordAuthentication", "yes"},
				[3]string{sshdMain, "PermitRootLogin", "no"})),
			detail: []string{"sshd.PasswordAuthentication=yes"}, ev: []string{"set in /etc/ssh/sshd_config.d/50-cloud-init.conf"}},
		{name: "drop-ins ignored without Include", want: Pass,
			doc: ctlDoc("linux", minSysctls(nil), minSSHD(
				[3]string{sshdMain, "PasswordAuthentication", "no"},
				[3]string{"/etc/ssh/sshd_config.d/50-cloud-init.conf", "PasswordAuthentication", "yes"})),
			detail: []string{"15 of 15"}},
		{name: "Match block settings are not global", want: Pass,
			doc: ctlDoc("linux", minSysctls(nil), minSSHD([3]string{sshdMain, "PasswordAuthentication", "no"}), func(d *facts.Document) {
				d.ConfigNodes.Items = append(d.ConfigNodes.Items, facts.ConfigNode{Path: sshdMain,
					Node: "/files/etc/ssh/sshd_config/Match[1]/Settings/PermitRootLogin", Label: "PermitRootLogin", Value: "yes"})
			}), detail: []string{"15 of 15"}},
		{name: "half the sysctls off is partial", want: Partial,
			doc: ctlDoc("linux", hardenedSSH, minSysctls(map[string]string{"kernel.randomize_va_space": "0", "kernel.kptr_restrict": "0",
				"kernel.dmesg_restrict": "0", "fs.suid_dumpable": "2", "net.ipv4.conf.all.rp_filter": "0"})),
			detail: []string{"10 of 15 baseline settings are met (66.7%)"}},
		{name: "mostly off fails", want: Fail,
			doc: ctlDoc("linux", minSSHD([3]string{sshdMain, "PermitRootLogin", "yes"}, [3]string{sshdMain, "PasswordAuthentication", "yes"}),
				minSysctls(map[string]string{"kernel.randomize_va_space": "1", "kernel.kptr_restrict": "0", "kernel.dmesg_restrict": "0",
					"fs.suid_dumpable": "1", "net.ipv4.conf.all.rp_filter": "0", "net.ipv4.conf.all.accept_redirects": "1",
					"net.ipv4.conf.default.accept_redirects": "1", "net.ipv6.conf.all.accept_redirects": "1"})),
			detail: []string{"Only 5 of 15"}},
		{name: "no IPv6 and no sshd: left out, counted", want: Pass,
			doc:    ctlDoc("linux", minSysctls(nil, "net.ipv6.conf.all.accept_redirects")),
			detail: []string{"12 of 12"}, ev: []string{`"not_applicable":3`, "parameter not present on this kernel", "OpenSSH server not installed?"}},
		{name: "sshd query failed: unknown items counted", want: Pass,
			doc:    ctlDoc("linux", minSysctls(nil), ctlQueryFailed("x_min_sshd", "augeas: timeout")),
			detail: []string{"13 of 13", "2 setting(s) could not be read"}, ev: []string{`"unknown":2`}},
		{name: "nothing readable", want: Unknown,
			doc: ctlDoc("linux", ctlQueryFailed("x_min_sshd", "x"), func(d *facts.Document) { d.Sysctls.Origin = ctlMissing("system_controls: denied") })},
	})
}

func TestMIN04_Windows(t *testing.T) {
	const pol = `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\`
	lmc := ctlReg(`HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\Lsa\LmCompatibilityLevel`, "5")
	autorun := ctlReg(pol+`Explorer\NoDriveTypeAutoRun`, "255")
	noSMB1 := func(d *facts.Document) {
		d.OptionalFeatures.Items = []facts.OptionalFeature{{Name: "SMB1Protocol", State: ctlI(2)}}
	}
	ctlRun(t, checkMIN04, []ctlCase{
		{name: "defaults plus two set values", want: Pass, doc: ctlDoc("windows", ctlRegistry(lmc, autorun), noSMB1),
			detail: []string{"5 of 5"}, ev: []string{"absent: default 1 applies", "SMB1Protocol feature not enabled"}},
		{name: "defaults only: autorun 145 and LM level 3 are not met", want: Partial, doc: ctlDoc("windows", noSMB1),
			detail: []string{"3 of 5", "autorun.NoDriveTypeAutoRun=145", "lsa.LmCompatibilityLevel=3"}},
		{name: "UAC off, SMB1 feature on, Defender RTP disabled by policy", want: Fail,
			doc: ctlDoc("windows", ctlRegistry(lmc, autorun, ctlReg(pol+`System\EnableLUA`, "0"),
				ctlReg(`HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\Windows Defender\Real-Time Protection\DisableRealtimeMonitoring`, "1"),
				ctlReg(`HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows Defender\Real-Time Protection\DisableRealtimeMonitoring`, "0")),
				func(d *facts.Document) {
					d.OptionalFeatures.Items = []facts.OptionalFeature{{Name: "SMB1Protocol", State: ctlI(1)}}
				}),
			detail: []string{"Only 2 of 5", "uac.EnableLUA=0", "smb1.server=1", "defender.DisableRealtimeMonitoring=1"}},
		{name: "SMB1=0 overrides the feature", want: Pass,
			doc: ctlDoc("windows", ctlRegistry(lmc, autorun, ctlReg(`HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\LanmanServer\Parameters\SMB1`, "0")),
				func(d *facts.Document) {
					d.OptionalFeatures.Items = []facts.OptionalFeature{{Name: "SMB1Protocol", State: ctlI(1)}}
				})},
		{name: "registry query failed", want: Unknown, doc: ctlDoc("windows", ctlQueryFailed("x_min_windows_baseline", "registry: denied"))},
	})
}

func TestMIN04_Darwin(t *testing.T) {
	mac := func(sip, gk, sb *bool) ctlOpt {
		return func(d *facts.Document) {
			if sip != nil {
				d.SIP.Items = []facts.SIPFlag{{Flag: "sip", Enabled: sip}, {Flag: "allow_untrusted_kexts", Enabled: ctlB(false)}}
			}
			d.Gatekeeper.AssessmentsEnabled = gk
			d.SecureBoot.Enabled = sb
		}
	}
	ctlRun(t, checkMIN04, []ctlCase{
		{name: "all on", want: Pass, doc: ctlDoc("darwin", mac(ctlB(true), ctlB(true), ctlB(true))), detail: []string{"3 of 3"}},
		{name: "secure boot not visible", want: Pass, doc: ctlDoc("darwin", mac(ctlB(true), ctlB(true), nil)),
			detail: []string{"2 of 2", "1 setting(s) could not be read"}},
		{name: "gatekeeper off", want: Partial, doc: ctlDoc("darwin", mac(ctlB(true), ctlB(false), ctlB(true))), detail: []string{"gatekeeper=0"}},
		{name: "SIP and gatekeeper off", want: Fail, doc: ctlDoc("darwin", mac(ctlB(false), ctlB(false), ctlB(true)))},
		{name: "nothing visible", want: Unknown, doc: ctlDoc("darwin", mac(nil, nil, nil))},
	})
}
