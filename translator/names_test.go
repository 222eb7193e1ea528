package translator

import "testing"

func TestResolveName(t *testing.T) {
	cat := testCatalog("firewall_profiles", "os_version_windows")
	tests := []struct{ in, want string }{
		{"deb_packages", "deb_packages"},
		{"pack_it-compliance_deb_packages", "deb_packages"},
		{"pack_miccmac_os_version", "os_version"},
		{"pack_miccmac_os_version_windows", "os_version_windows"}, // longest wins
		{"pack_miccmac_user_groups", "user_groups"},
		{"pack_miccmac_groups", "groups"},
		{"pack/Global/os_version", "os_version"},
		{"pack/miccmac/listening_ports", "listening_ports"},
		{"pack/Global/miccmac_users", "users"},
		{"miccmac_time", "time"},
		// Pack names with underscores: multi-word catalogue names still resolve.
		{"pack_my_pack_os_version", "os_version"},
		{"pack_a/b_deb_packages", "deb_packages"},
		// Foreign queries that merely end in a one-word catalogue name are not ours.
		{"pack_it-compliance_alf_services", "pack_it-compliance_alf_services"},
		{"pack_incident-response_logged_in_users", "pack_incident-response_logged_in_users"},
		{"pack/Global/etc_services", "pack/Global/etc_services"},
		{"logged_in_users", "logged_in_users"},
		{"alf_services", "alf_services"},
		{"pack_windows-hardening_windows_firewall_profiles", "firewall_profiles"},
		// osquery's own monitoring pack logs osquery_schedule as "schedule".
		{"pack_osquery-monitoring_schedule", "osquery_schedule"},
		{"pack/osquery-monitoring/schedule", "osquery_schedule"},
		// Unknown names are kept as logged.
		{"pack/Mac General Pack/Disk encryption check", "pack/Mac General Pack/Disk encryption check"},
		{"process_snapshot", "process_snapshot"},
		{"pack_", "pack_"},
		{"pack/", "pack/"},
		{"", ""},
	}
	for _, tc := range tests {
		if got := ResolveName(tc.in, cat); got != tc.want {
			t.Errorf("ResolveName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
