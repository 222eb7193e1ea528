package translator

import (
	"fmt"
	"testing"

	"github.com/miccmac/miccmac-osq/engine"
	"github.com/miccmac/miccmac-osq/engine/policy"
	"github.com/miccmac/miccmac-osq/queries"
)

// richLinuxHost is an Ubuntu server with nDeb packages and the other tables a
// typical collection returns.
func richLinuxHost(nDeb int) *queries.HostResults {
	b := factsHost("ubuntu-1").ok("os_version", rowOSUbuntu)
	debs := make([]queries.Row, nDeb)
	states := []string{"install ok installed", "install ok installed", "hold ok installed", "deinstall ok config-files"}
	for i := range debs {
		debs[i] = queries.Row{"name": fmt.Sprintf("pkg-%04d", i), "version": fmt.Sprintf("1:%d.%d-%dubuntu1", i/100, i%100, i%7),
			"arch": "amd64", "status": states[i%len(states)], "maintainer": "Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>", "source": ""}
	}
	b.ok("deb_packages", debs...).ok("rpm_packages")
	units := make([]queries.Row, 200)
	for i := range units {
		units[i] = queries.Row{"id": fmt.Sprintf("unit-%03d.service", i), "load_state": "loaded", "active_state": []string{"active", "inactive", "failed"}[i%3],
			"sub_state": "running", "unit_file_state": []string{"enabled", "static", "disabled", "masked"}[i%4], "fragment_path": fmt.Sprintf("/usr/lib/systemd/system/unit-%03d.service", i)}
	}
	b.ok("systemd_units", units...)
	procs := make([]queries.Row, 300)
	for i := range procs {
		procs[i] = queries.Row{"pid": fmt.Sprint(i + 1), "name": fmt.Sprintf("proc%d", i), "path": fmt.Sprintf("/usr/bin/proc%d", i), "cmdline": fmt.Sprintf("/usr/bin/proc%d --flag", i)}
	}
	b.ok("processes", procs...)
	b.ok("users",
		queries.Row{"uid": "0", "gid": "0", "username": "root", "directory": "/root", "shell": "/bin/bash", "uuid": ""},
		queries.Row{"uid": "1000", "gid": "1000", "username": "ubuntu", "directory": "/home/ubuntu", "shell": "/bin/bash", "uuid": ""},
		queries.Row{"uid": "65534", "gid": "65534", "username": "nobody", "directory": "/nonexistent", "shell": "/usr/sbin/nologin", "uuid": ""})
	b.ok("groups", queries.Row{"gid": "0", "groupname": "root"}, queries.Row{"gid": "27", "groupname": "sudo"})
	b.ok("user_groups", queries.Row{"uid": "1000", "gid": "27"})
	b.ok("shadow", queries.Row{"username": "root", "password_status": "locked", "hash_alg": "", "last_change": "19800"})
	b.ok("sudoers", queries.Row{"source": "/etc/sudoers", "header": "%sudo", "rule_details": "ALL=(ALL:ALL) ALL"})
	b.ok("listening_ports_linux",
		queries.Row{"pid": "812", "port": "22", "protocol": "6", "family": "2", "address": "0.0.0.0", "net_namespace": "4026531840", "process_name": "sshd", "process_path": "/usr/sbin/sshd"},
		queries.Row{"pid": "-1", "port": "68", "protocol": "17", "family": "2", "address": "0.0.0.0", "net_namespace": "4026531840"})
	b.ok("process_namespaces", queries.Row{"net_namespace": "4026531840"})
	b.ok("iptables", queries.Row{"filter_name": "filter", "chain": "INPUT", "policy": "DROP", "target": "", "protocol": "0", "dst_port": ""})
	b.ok("firewall_ufw", queries.Row{"node": "/files/etc/ufw/ufw.conf/ENABLED", "value": "yes", "label": "ENABLED", "path": "/etc/ufw/ufw.conf"})
	b.ok("system_controls", queries.Row{"name": "kernel.randomize_va_space", "current_value": "2", "config_value": "2"})
	b.ok("system_info", queries.Row{"hostname": "ubuntu-1", "uuid": "BBBBBBBB-0000-0000-0000-000000000002", "hardware_vendor": "Dell Inc.", "hardware_model": "PowerEdge R640", "hardware_serial": "ABC1234"})
	b.ok("platform_info", queries.Row{"vendor": "Dell Inc.", "version": "2.19.1", "date": "06/04/2023", "firmware_type": "uefi"})
	b.ok("time", queries.Row{"unix_time": "1772445600", "timezone": "UTC"})
	b.ok("osquery_info", queries.Row{"version": "5.23.1", "build_platform": "linux"})
	b.ok("osquery_flags", queries.Row{"name": "tls_hostname", "value": "fleet.example.com"}, queries.Row{"name": "config_plugin", "value": "tls"})
	b.ok("osquery_schedule", queries.Row{"name": "pack_miccmac_os_version", "interval": "86400", "executions": "3", "last_executed": "1772445600", "denylisted": "0"})
	b.ok("apt_sources", queries.Row{"name": "noble", "source": "/etc/apt/sources.list.d/ubuntu.sources", "base_uri": "http://archive.ubuntu.com/ubuntu", "release": "noble", "components": "main restricted"})
	b.ok("yum_sources")
	b.ok("certificates", queries.Row{"common_name": "ISRG Root X1", "ca": "1", "self_signed": "1", "not_valid_before": "1433415148", "not_valid_after": "2064348748", "key_strength": "4096", "signing_algorithm": "sha256WithRSAEncryption", "key_algorithm": "rsaEncryption", "path": "/etc/ssl/certs/ca-certificates.crt"})
	b.ok("secureboot", queries.Row{"secure_boot": "1", "setup_mode": "0"})
	return b.h
}

// richWindowsHost is a Windows 11 workstation.
func richWindowsHost() *queries.HostResults {
	return factsHost("ws-a").
		ok("os_version_windows", rowOSWindows).
		ok("programs", queries.Row{"name": "Google Chrome", "version": "120.0", "publisher": "Google LLC", "install_date": "20240115", "identifying_number": "{GUID}"}).
		ok("chocolatey_packages").
		ok("services", queries.Row{"name": "EventLog", "display_name": "Windows Event Log", "status": "RUNNING", "start_type": "AUTO_START", "path": `C:\Windows\System32\svchost.exe -k LocalServiceNetworkRestricted -p`}).
		ok("users_windows", queries.Row{"uid": "500", "gid": "513", "username": "Administrator", "uuid": "S-1-5-21-1-2-3-500", "type": "local"}).
		ok("groups_windows", queries.Row{"gid": "544", "groupname": "Administrators", "group_sid": "S-1-5-32-544", "comment": ""}).
		ok("patches", queries.Row{"hotfix_id": "KB5040442", "description": "Security Update", "installed_on": "7/9/2024"}).
		ok("windows_update_history", queries.Row{"date": "1660173924", "title": "2022-08 Cumulative Update (KB5016629)", "operation": "1", "result_code": "2"}).
		ok("windows_security_products", queries.Row{"type": "Antivirus", "name": "Microsoft Defender Antivirus", "state": "On", "signatures_up_to_date": "1"}).
		ok("windows_security_center", queries.Row{"firewall": "Good", "autoupdate": "Good", "antivirus": "Good", "antispyware": "Good", "internet_settings": "Good", "windows_security_center_service": "Good", "user_account_control": "Good"}).
		ok("windows_optional_features", queries.Row{"name": "SMB1Protocol", "state": "2", "statename": "Disabled"}).
		ok("firewall_profiles", queries.Row{"key": `HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\SharedAccess\Parameters\FirewallPolicy\PublicProfile`, "path": `HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\SharedAccess\Parameters\FirewallPolicy\PublicProfile\EnableFirewall`, "name": "EnableFirewall", "type": "REG_DWORD", "data": "1"}).
		ok("certificates_windows", queries.Row{"common_name": "ws-a.corp.example", "ca": "0", "self_signed": "0", "not_valid_after": "1700000000", "key_strength": "2048 bits", "store": "My", "store_location": "LocalMachine"}).
		h
}

// BenchmarkToFacts maps one host with 3,000 deb packages and typical other tables.
func BenchmarkToFacts(b *testing.B) {
	h := richLinuxHost(3000)
	cat := factsCatalog(b)
	b.ReportAllocs()
	for b.Loop() {
		d := ToFacts(h, cat)
		if len(d.Packages.Items) != 3000 {
			b.Fatalf("%d packages", len(d.Packages.Items))
		}
	}
}

// BenchmarkTranslateAndScore is the main job for one host: 3,000 deb packages
// and the usual tables, rows -> facts -> 26 graded checks.
func BenchmarkTranslateAndScore(b *testing.B) {
	h := richLinuxHost(3000)
	cat := factsCatalog(b)
	pol := policy.Default()
	b.ReportAllocs()
	for b.Loop() {
		a, err := engine.Assess(ToFacts(h, cat), pol, engine.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if a.Counts[engine.Pass]+a.Counts[engine.Partial]+a.Counts[engine.Fail] == 0 {
			b.Fatal("nothing was graded")
		}
	}
}
