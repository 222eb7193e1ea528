package translator

import (
	"path/filepath"
	"testing"

	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/queries"
)

func TestIntOf_BigAndOddNumbers(t *testing.T) {
	tests := []struct {
		in   string
		want *int64
		note string
	}{
		{"9223372036854775807", int64p(9223372036854775807), ""},
		{"9223372036854775808", nil, "beyond the 64-bit integer range"},
		{"18446744073709551616", nil, "beyond the 64-bit integer range"},
		{"-1", int64p(-1), ""},
		{"0", int64p(0), ""},
		{" 42 ", int64p(42), ""},
		{"24.0", int64p(24), ""},
		{"", nil, ""},
		{"abc", nil, "not a whole number"},
		{"1.5", nil, "not a whole number"},
	}
	for _, tt := range tests {
		f := &feed{}
		p := &part{query: "q"}
		got := f.intOf(p, queries.Row{"c": tt.in}, "c")
		if !sameInt(got, tt.want) {
			t.Errorf("intOf(%q) = %v, want %v", tt.in, showInt(got), showInt(tt.want))
		}
		notes := f.notes.list()
		if (tt.note == "") != (len(notes) == 0) || (tt.note != "" && !containsNote(notes, tt.note)) {
			t.Errorf("intOf(%q) notes %q, want %q", tt.in, notes, tt.note)
		}
	}
	if got := (&feed{}).intOf(&part{}, queries.Row{}, "c"); got != nil {
		t.Errorf("missing column: %v", *got)
	}
}

func TestAccounts_WindowsSIDs(t *testing.T) {
	d := ToFacts(richWindowsHost(), factsCatalog(t))
	if u := d.Users.Items[0]; u.SID != "S-1-5-21-1-2-3-500" || !sameInt(u.UID, int64p(500)) || u.Type != "local" {
		t.Errorf("user: %+v", u)
	}
	if g := d.Groups.Items[0]; g.SID != "S-1-5-32-544" || g.Name != "Administrators" || !sameInt(g.GID, int64p(544)) {
		t.Errorf("group: %+v", g)
	}
	mac := factsHost("m").ok("os_version", rowOSMac).
		ok("users", queries.Row{"uid": "501", "gid": "20", "username": "usr", "uuid": "DDDDDDDD-0000-0000-0000-000000000004", "shell": "/bin/zsh"}).
		facts(t)
	if u := mac.Users.Items[0]; u.SID != "" || u.Username != "usr" {
		t.Errorf("a macOS user UUID is not a SID: %+v", u)
	}
}

func TestListeningPorts_B23Quirks(t *testing.T) {
	d := factsHost("l").ok("os_version", rowOSUbuntu).
		ok("listening_ports_linux",
			queries.Row{"pid": "-1", "port": "68", "protocol": "17", "family": "2", "address": "0.0.0.0", "net_namespace": "4026531840"},
			queries.Row{"pid": "2301", "port": "80", "protocol": "6", "family": "2", "address": "0.0.0.0", "net_namespace": "4026532601", "process_name": "nginx", "process_path": "/usr/sbin/nginx"},
			queries.Row{"pid": "700", "port": "0", "protocol": "0", "family": "1", "address": "", "path": "/run/systemd/notify"}).
		ok("process_namespaces", queries.Row{"net_namespace": "4026531840"}).
		facts(t)
	items := d.ListeningPorts.Items
	if len(items) != 2 {
		t.Fatalf("%d ports, want 2 (unix socket left out)", len(items))
	}
	if items[0].PID != nil || !sameInt(items[0].Port, int64p(68)) {
		t.Errorf("pid -1 must be unknown: %+v", items[0])
	}
	if items[1].ProcessName != "nginx" || items[1].NetNamespace != "4026532601" || !sameInt(items[1].PID, int64p(2301)) {
		t.Errorf("container listener: %+v", items[1])
	}
	if d.HostNetNamespace != "4026531840" || d.HostNetNamespaceOrigin.State != facts.StateOK {
		t.Errorf("host namespace %q %+v", d.HostNetNamespace, d.HostNetNamespaceOrigin)
	}
}

func TestCertificates(t *testing.T) {
	d := factsHost("c").ok("os_version", rowOSUbuntu).ok("certificates",
		queries.Row{"common_name": "root", "ca": "1", "self_signed": "1", "not_valid_before": "1433415148", "not_valid_after": "2064348748", "key_strength": "4096", "signing_algorithm": "sha256WithRSAEncryption"},
		queries.Row{"common_name": "leaf", "ca": "0", "self_signed": "0", "not_valid_after": "1700000000", "key_strength": "2048 bits"},
		queries.Row{"common_name": "ec", "ca": "0", "key_strength": "secp256r1", "not_valid_after": ""},
	).facts(t)
	c := d.Certificates.Items
	if showBool(c[0].CA) != true || showBool(c[0].SelfSigned) != true || !sameInt(c[0].NotValidAfter, int64p(2064348748)) || !sameInt(c[0].KeyStrength, int64p(4096)) {
		t.Errorf("root: %+v", c[0])
	}
	if showBool(c[1].CA) != false || !sameInt(c[1].KeyStrength, int64p(2048)) || c[1].NotValidBefore != nil {
		t.Errorf("leaf: %+v", c[1])
	}
	if c[2].KeyStrength != nil || c[2].NotValidAfter != nil || c[2].SelfSigned != nil {
		t.Errorf("ec: %+v", c[2])
	}
	w := ToFacts(richWindowsHost(), factsCatalog(t)).Certificates.Items[0]
	if w.Store != "My" || w.StoreLocation != "LocalMachine" || !sameInt(w.KeyStrength, int64p(2048)) {
		t.Errorf("windows certificate: %+v", w)
	}
}

func TestWindowsSecurityTables(t *testing.T) {
	sc := osqueryiTableRows(t, filepath.Join("..", "testdata", "samples", "windows", "osqueryi-table.windows-security-center.server2019.txt"))
	d := factsHost("srv").ok("os_version_windows", rowOSWindows).
		ok("windows_security_center", sc...).
		ok("windows_security_products",
			queries.Row{"type": "Antivirus", "name": "Microsoft Defender Antivirus", "state": "On", "signatures_up_to_date": "1"},
			queries.Row{"type": "Antivirus", "name": "Stale AV", "state": "Snoozed", "signatures_up_to_date": "0"}).
		ok("windows_update_history",
			queries.Row{"date": "1660173924", "title": "2022-08 Cumulative Update (KB5016629)", "result_code": "2", "operation": "1"},
			queries.Row{"date": "1660173925", "title": "Named", "result_code": "Succeeded With Errors"},
			queries.Row{"date": "", "title": "Odd", "result_code": "Whatever"}).
		ok("windows_optional_features", queries.Row{"name": "SMB1Protocol", "state": "1", "statename": "Enabled"}).
		facts(t)
	if d.SecurityCenter.Firewall != "Error" || d.SecurityCenter.State != facts.StateOK || !containsNote(d.SecurityCenter.Notes, "every value is Error") {
		t.Errorf("server security center: %+v", d.SecurityCenter)
	}
	p := d.SecurityProducts.Items
	if showBool(p[0].SignaturesUpToDate) != true || showBool(p[1].SignaturesUpToDate) != false || p[1].State != "Snoozed" {
		t.Errorf("products: %+v", p)
	}
	u := d.UpdateHistory.Items
	if !sameInt(u[0].Date, int64p(1660173924)) || !sameInt(u[0].ResultCode, int64p(2)) || !sameInt(u[1].ResultCode, int64p(3)) ||
		u[2].ResultCode != nil || u[2].Date != nil || u[2].Result != "Whatever" {
		t.Errorf("update history: %+v", u)
	}
	if f := d.OptionalFeatures.Items[0]; f.Name != "SMB1Protocol" || !sameInt(f.State, int64p(1)) {
		t.Errorf("feature: %+v", f)
	}
}

func TestMacSecuritySections(t *testing.T) {
	d := factsHost("m").ok("os_version", rowOSMac).
		ok("sip_config", queries.Row{"config_flag": "sip", "enabled": "1", "enabled_nvram": "1"}, queries.Row{"config_flag": "allow_untrusted_kexts", "enabled": "0"}).
		ok("gatekeeper", queries.Row{"assessments_enabled": "1", "dev_id_enabled": "1"}).
		ok("sharing_preferences", queries.Row{"remote_login": "1", "screen_sharing": "0", "file_sharing": ""}).
		ok("managed_policies", queries.Row{"domain": "com.apple.SoftwareUpdate", "name": "AutomaticallyInstallMacOSUpdates", "value": "1"}).
		ok("secureboot_darwin", queries.Row{"secure_boot": "1", "secure_mode": "1", "description": "Full Security"}).
		facts(t)
	if len(d.SIP.Items) != 2 || showBool(d.SIP.Items[0].Enabled) != true || showBool(d.SIP.Items[1].Enabled) != false {
		t.Errorf("sip: %+v", d.SIP.Items)
	}
	if showBool(d.Gatekeeper.AssessmentsEnabled) != true || showBool(d.Gatekeeper.DevIDEnabled) != true {
		t.Errorf("gatekeeper: %+v", d.Gatekeeper)
	}
	v := d.Sharing.Values
	if !sameInt(v["remote_login"], int64p(1)) || !sameInt(v["screen_sharing"], int64p(0)) || v["file_sharing"] != nil || len(v) != 3 {
		t.Errorf("sharing: %v", v)
	}
	if d.ManagedPolicies.Items[0].Name != "AutomaticallyInstallMacOSUpdates" || d.ManagedPolicies.Items[0].Value != "1" {
		t.Errorf("managed policies: %+v", d.ManagedPolicies.Items)
	}
	sb := d.SecureBoot
	if showBool(sb.Enabled) != true || sb.SetupMode != nil || !sameInt(sb.SecureMode, int64p(1)) || sb.Description != "Full Security" || sb.State != facts.StateOK {
		t.Errorf("secure boot: %+v", sb)
	}
	// secureboot (linux, windows) is not applicable on macOS and does not make the section unknown.
	if d.Queries["secureboot"].State != facts.StateNotApplicable {
		t.Errorf("secureboot on macOS: %+v", d.Queries["secureboot"])
	}
}

func TestOsquerySections(t *testing.T) {
	info := ndjsonRows(t, filepath.Join("..", "testdata", "samples", "macos", "it-compliance-kernel-osqinfo-usb-mounts.run-counter0-1.ndjson"))
	var osq []queries.Row
	for _, r := range info {
		if has(r, "config_hash") {
			osq = append(osq, r)
		}
	}
	sched := ndjsonRows(t, filepath.Join("..", "testdata", "samples", "linux-debian", "osquery-monitoring-schedule.raw-key-order.ndjson"))
	d := factsHost("m").ok("os_version", rowOSMac).
		ok("osquery_info", osq[:1]...).
		ok("osquery_schedule", append(sched, queries.Row{"name": "new", "interval": "60", "denylisted": "1"}, queries.Row{"name": "old", "blacklisted": "0"})...).
		ok("osquery_flags", queries.Row{"name": "tls_hostname", "value": "fleet.example.com"}, queries.Row{"name": "logger_plugin", "value": "tls,filesystem"}).
		facts(t)
	if d.Osquery.Version != "2.11.0" || d.Osquery.State != facts.StateOK {
		t.Errorf("osquery_info joined with time (2017 pack): %+v", d.Osquery.Origin)
	}
	s := d.Osquery.Schedule.Items
	if len(s) != len(sched)+2 || s[0].Name != "pack_ossec-rootkit_55808.a_worm" || !sameInt(s[0].Executions, int64p(38)) || s[0].Denylisted != nil {
		t.Errorf("schedule[0]: %+v", s[0])
	}
	if showBool(s[len(s)-2].Denylisted) != true || showBool(s[len(s)-1].Denylisted) != false {
		t.Errorf("denylisted/blacklisted: %v %v", showBool(s[len(s)-2].Denylisted), showBool(s[len(s)-1].Denylisted))
	}
	if d.Osquery.Flags["tls_hostname"] != "fleet.example.com" || d.Osquery.FlagsOrigin.State != facts.StateOK {
		t.Errorf("flags: %v %+v", d.Osquery.Flags, d.Osquery.FlagsOrigin)
	}
}

func TestRepositories(t *testing.T) {
	d := factsHost("r").ok("os_version", rowOSUbuntu).
		ok("apt_sources", queries.Row{"name": "docker", "base_uri": "https://download.docker.com/linux/ubuntu", "release": "noble", "components": "stable", "source": "/etc/apt/sources.list.d/docker.list"}).
		ok("yum_sources",
			queries.Row{"name": "epel", "baseurl": "", "metalink": "https://mirrors.fedoraproject.org/metalink?repo=epel-9", "enabled": "1"},
			queries.Row{"name": "off", "baseurl": "https://x.example/repo", "enabled": "0"},
			queries.Row{"name": "implicit", "baseurl": "https://y.example/repo", "enabled": ""}).
		facts(t)
	r := d.Repositories.Items
	if len(r) != 4 || r[0].Kind != "apt" || r[0].Enabled != nil || r[0].Components != "stable" {
		t.Fatalf("repositories: %+v", r)
	}
	if r[1].BaseURI != "https://mirrors.fedoraproject.org/metalink?repo=epel-9" || showBool(r[1].Enabled) != true ||
		showBool(r[2].Enabled) != false || showBool(r[3].Enabled) != true {
		t.Errorf("yum: %+v", r[1:])
	}
	if !containsNote(d.RepositorySources["yum"].Notes, "no enabled= setting") {
		t.Errorf("yum default must be noted: %+v", d.RepositorySources["yum"])
	}
}

func TestGenericSectionsKeepRawValues(t *testing.T) {
	d := factsHost("g").ok("os_version", rowOSUbuntu).
		ok("system_controls", queries.Row{"name": "net.ipv4.tcp_rmem", "current_value": "4096\t131072\t6291456", "config_value": ""}).
		ok("x_min_sshd", queries.Row{"node": "/files/etc/ssh/sshd_config/PermitRootLogin", "value": "no ", "label": "PermitRootLogin", "path": "/etc/ssh/sshd_config"}).
		ok("x_mon_journald", queries.Row{"path": "/var/log/journal", "type": "directory", "size": "4096", "mtime": "1772445600", "uid": "0", "mode": "2755"}).
		facts(t)
	if s := d.Sysctls.Items[0]; s.CurrentValue != "4096\t131072\t6291456" {
		t.Errorf("sysctl: %+v", s)
	}
	if c := d.ConfigNodes.Items[0]; c.Value != "no " || c.Label != "PermitRootLogin" {
		t.Errorf("config node: %+v", c)
	}
	if f := d.Files.Items[0]; f.Type != "directory" || !sameInt(f.Mtime, int64p(1772445600)) || f.Mode != "2755" || !sameInt(f.UID, int64p(0)) {
		t.Errorf("file: %+v", f)
	}
	if d.ConfigNodes.State != facts.StateOK || d.Files.State != facts.StateOK {
		t.Errorf("origins: %+v %+v", d.ConfigNodes.Origin, d.Files.Origin)
	}
}
