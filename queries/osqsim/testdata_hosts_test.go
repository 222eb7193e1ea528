package osqsim_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/miccmac/miccmac-osq/queries"
	"github.com/miccmac/miccmac-osq/queries/osqsim"
	"github.com/miccmac/miccmac-osq/translator"
)

var update = flag.Bool("update", false, "rewrite testdata/hosts/*.bundle.json from the fixture hosts")

// hostsDir holds the fixture hosts, one realistic host per OS family.
const hostsDir = "../../testdata/hosts"

// fixtureHost is what a fixture host must yield when the whole catalogue runs on it.
type fixtureHost struct {
	name       string // file name without .json
	host       string
	platform   string
	collected  time.Time
	omitted    map[string]string // query -> error, for the tables the fixture leaves out on purpose
	rows       map[string]int    // row counts of key queries
	firstValue map[string]string // "query.column" -> value of the first row
}

var fixtureHosts = []fixtureHost{
	{
		name: "ubuntu-2404", host: "pg-prod-02", platform: "linux",
		collected: time.Date(2026, 12, 1, 8, 15, 42, 0, time.UTC),
		omitted:   map[string]string{"shadow": "no such table: shadow"},
		rows: map[string]int{
			"os_version": 1, "deb_packages": 516, "rpm_packages": 0, "yum_sources": 0, "apt_sources": 7,
			"systemd_units": 83, "processes": 45, "listening_ports_linux": 10, "users": 37, "groups": 54,
			"sudoers": 10, "iptables": 21, "system_controls": 26, "firewall_ufw": 1, "x_min_sshd": 15,
			"x_mon_journald": 2, "x_mon_rsyslog": 0, "x_cur_apt_periodic": 15, "x_cur_stamps": 4,
			"x_ctl_lastrun": 1, "certificates": 10, "process_namespaces": 1,
		},
		firstValue: map[string]string{
			"os_version.platform": "ubuntu", "os_version.platform_like": "debian", "firewall_ufw.value": "yes",
			"process_namespaces.net_namespace": "4026531840", "system_info.hardware_model": "PowerEdge R650",
		},
	},
	{
		name: "rhel-9", host: "rhel9-app-07", platform: "linux",
		collected: time.Date(2026, 12, 1, 14, 2, 11, 0, time.UTC),
		rows: map[string]int{
			"os_version": 1, "rpm_packages": 262, "deb_packages": 0, "apt_sources": 0, "yum_sources": 8,
			"systemd_units": 50, "processes": 29, "listening_ports_linux": 11, "shadow": 31, "users": 31,
			"sudoers": 10, "iptables": 0, "firewall_ufw": 0, "x_min_sshd": 13, "x_mon_journald": 2,
			"x_mon_rsyslog": 3, "x_cur_stamps": 1, "x_ctl_lastrun": 1, "certificates": 5,
		},
		firstValue: map[string]string{
			"os_version.platform_like": "rhel fedora", "os_version.codename": "Plow",
			"system_info.hardware_vendor": "VMware, Inc.", "platform_info.date": "01/11/2023",
		},
	},
	{
		name: "macos-14", host: "MBP-JDOE-14", platform: "darwin",
		collected: time.Date(2026, 11, 30, 14, 2, 15, 0, time.UTC),
		omitted:   map[string]string{"alf": "no such table: alf"},
		rows: map[string]int{
			"os_version": 1, "apps": 30, "homebrew_packages": 14, "package_receipts": 7, "launchd": 15,
			"processes": 32, "listening_ports": 11, "users": 13, "user_groups": 28, "managed_policies": 16,
			"sip_config": 13, "sharing_preferences": 1, "gatekeeper": 1, "x_ctl_macos_mdm": 3,
			"x_ctl_macos_root": 2, "x_cur_macos_updates": 8, "x_ctl_lastrun": 1, "certificates": 8,
		},
		firstValue: map[string]string{
			"os_version.build": "23B92", "platform_info.date": "10/24/2023 ", "platform_info.vendor": "Apple Inc. ",
			"sharing_preferences.remote_management": "1",
		},
	},
	{
		name: "windows-11", host: "WS-LON-0231", platform: "windows",
		collected: time.Date(2026, 11, 5, 10, 42, 17, 0, time.UTC),
		omitted:   map[string]string{"windows_optional_features": "no such table: windows_optional_features"},
		rows: map[string]int{
			"os_version_windows": 1, "programs": 18, "chocolatey_packages": 0, "services": 39, "processes": 33,
			"patches": 4, "windows_update_history": 14, "windows_security_products": 2, "windows_security_center": 1,
			"users_windows": 9, "groups_windows": 19, "user_groups": 5, "listening_ports": 19,
			"firewall_profiles": 6, "windows_firewall_rules": 8, "x_ctl_windows_mdm": 4, "x_ctl_windows_join": 4, "x_ctl_lastrun_windows": 5,
			"x_min_windows_baseline": 4, "x_mon_audit": 1, "x_mon_wef": 1, "x_cur_windows_version": 6,
			"x_ctl_lastrun": 1, "certificates_windows": 8, "security_profile_info": 1,
		},
		firstValue: map[string]string{
			"os_version_windows.build": "22631", "os_version_windows.revision": "6491",
			"windows_security_center.antivirus": "Good",
		},
	},
	{
		name: "windows-server-2019", host: "FS-LEGACY-01", platform: "windows",
		collected: time.Date(2026, 12, 1, 11, 5, 33, 0, time.UTC),
		omitted:   map[string]string{"certificates_windows": "no such table: certificates"},
		rows: map[string]int{
			"os_version_windows": 1, "programs": 8, "services": 23, "processes": 24, "patches": 6,
			"windows_update_history": 5, "windows_security_products": 0, "windows_security_center": 1,
			"windows_optional_features": 22, "users_windows": 12, "user_groups": 15, "listening_ports": 20,
			"firewall_profiles": 3, "windows_firewall_rules": 14, "x_ctl_windows_mdm": 0, "x_ctl_windows_join": 0, "x_ctl_lastrun_windows": 0,
			"x_min_windows_baseline": 2, "x_mon_wef": 0, "x_cur_windows_version": 5, "x_ctl_lastrun": 0,
			"osquery_schedule": 3, "security_profile_info": 1,
		},
		firstValue: map[string]string{
			"os_version_windows.build": "17763", "platform_info.date": "-1",
			"windows_security_center.firewall": "Error", "windows_security_center.antispyware": "Error",
			"system_info.hardware_serial":                "To be filled by O.E.M.",
			"security_profile_info.enable_admin_account": "1",
		},
	},
}

// collectHost loads a fixture host and runs the built-in catalogue on it.
func collectHost(t *testing.T, fh fixtureHost) *queries.HostResults {
	t.Helper()
	f, err := osqsim.LoadFixture(filepath.Join(hostsDir, fh.name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	if f.Host != fh.host || f.Platform != fh.platform {
		t.Fatalf("%s: host %q platform %q, want %q %q", fh.name, f.Host, f.Platform, fh.host, fh.platform)
	}
	db, err := f.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cat, err := queries.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	h := osqsim.Collect(context.Background(), db, cat, f.Platform, f.Host)
	h.Decorations = map[string]string{translator.PlatformDecoration: f.Platform}
	return h
}

// TestHostFixtures runs the whole catalogue on every fixture host: each query
// of the host's platform answers, except the ones whose table the fixture
// leaves out on purpose, which fail as osquery does; key queries return the
// rows the fixture holds for them, so a WHERE clause or a fixture edit that
// loses rows is caught.
func TestHostFixtures(t *testing.T) {
	cat := queries.MustBuiltin()
	for _, fh := range fixtureHosts {
		t.Run(fh.name, func(t *testing.T) {
			h := collectHost(t, fh)
			if !h.CollectedAt.Equal(fh.collected) {
				t.Errorf("collected at %v, want %v (the fixture's time table)", h.CollectedAt, fh.collected)
			}
			want := queries.ForPlatform(cat, fh.platform)
			if len(h.Results) != len(want) {
				t.Errorf("%d results, want one per %s query (%d)", len(h.Results), fh.platform, len(want))
			}
			for _, q := range want {
				r := h.Get(q.Name)
				wantErr, omitted := fh.omitted[q.Name]
				switch {
				case omitted && (r.Status != queries.StatusError || r.Error != wantErr):
					t.Errorf("%s: status %q error %q, want the error %q of a table the fixture leaves out", q.Name, r.Status, r.Error, wantErr)
				case !omitted && r.Status != queries.StatusOK:
					t.Errorf("%s: %s %q; the fixture must answer every %s query (or list it as omitted)", q.Name, r.Status, r.Error, fh.platform)
				}
			}
			for name := range fh.omitted {
				if _, ok := queries.ByName(want, name); !ok {
					t.Errorf("omitted query %q is not in the %s catalogue", name, fh.platform)
				}
			}
			for name, n := range fh.rows {
				if r := h.Get(name); r.Status != queries.StatusOK || len(r.Rows) != n {
					t.Errorf("%s: %s with %d rows, want ok with %d", name, r.Status, len(r.Rows), n)
				}
			}
			for key, v := range fh.firstValue {
				name, col, _ := strings.Cut(key, ".")
				r := h.Get(name)
				if len(r.Rows) == 0 {
					t.Errorf("%s: no rows, want %s = %q", name, col, v)
					continue
				}
				if got, ok := r.Rows[0][col]; !ok || got != v {
					t.Errorf("%s: %s = %q (present %v), want %q", name, col, got, ok, v)
				}
			}
		})
	}
}

// TestHostFixtures_OtherPlatformTables checks the fixtures keep to their
// platform: osqsim refuses a table osquery lacks there, so a linux fixture
// with a registry table would not load at all.
func TestHostFixtures_OtherPlatformTables(t *testing.T) {
	for _, fh := range fixtureHosts {
		f, err := osqsim.LoadFixture(filepath.Join(hostsDir, fh.name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		for table := range f.Tables {
			switch {
			case fh.platform != "windows" && (table == "registry" || table == "programs" || table == "services"),
				fh.platform != "darwin" && (table == "apps" || table == "plist" || table == "launchd"),
				fh.platform != "linux" && (table == "deb_packages" || table == "systemd_units" || table == "augeas"):
				t.Errorf("%s: holds %s, which osquery does not have on %s", fh.name, table, fh.platform)
			}
		}
	}
}

// TestHostBundles keeps testdata/hosts/<name>.bundle.json equal to what the
// catalogue collects from the fixture, so `miccmac-osq report --input
// testdata/hosts/<name>.bundle.json` scores the fixture host without SQLite.
// Run with -update after changing a fixture or the catalogue.
func TestHostBundles(t *testing.T) {
	cat := queries.MustBuiltin()
	for _, fh := range fixtureHosts {
		t.Run(fh.name, func(t *testing.T) {
			h := collectHost(t, fh)
			var buf bytes.Buffer
			if err := translator.WriteBundle(&buf, h); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(hostsDir, fh.name+".bundle.json")
			if *update {
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			committed, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run: go test ./queries/osqsim -run TestHostBundles -update)", err)
			}
			if !bytes.Equal(committed, buf.Bytes()) {
				t.Fatalf("%s drifted from what the catalogue collects from %s.json; run: go test ./queries/osqsim -run TestHostBundles -update", path, fh.name)
			}
			// The committed bundle reads back as the same host and results.
			in, err := translator.Read(path, bytes.NewReader(committed), cat)
			if err != nil {
				t.Fatal(err)
			}
			if len(in.Hosts) != 1 {
				t.Fatalf("bundle reads as %d hosts, want 1", len(in.Hosts))
			}
			got := in.Hosts[0]
			if got.Host != fh.host || !got.CollectedAt.Equal(fh.collected) || translator.Platform(got) != fh.platform {
				t.Errorf("bundle host %q collected %v platform %q, want %q %v %q",
					got.Host, got.CollectedAt, translator.Platform(got), fh.host, fh.collected, fh.platform)
			}
			if diff := resultDiff(h.Results, got.Results); diff != "" {
				t.Errorf("bundle results differ from the collected ones: %s", diff)
			}
		})
	}
}

// resultDiff names the first queries whose status, error or rows differ.
func resultDiff(want, got map[string]*queries.Result) string {
	var names []string
	for n := range want {
		names = append(names, n)
	}
	sort.Strings(names)
	var bad []string
	for _, n := range names {
		w, g := want[n], got[n]
		if g == nil {
			bad = append(bad, n+": missing")
			continue
		}
		if w.Status != g.Status || w.Error != g.Error || !reflect.DeepEqual(w.Rows, g.Rows) {
			bad = append(bad, n)
		}
	}
	if len(got) != len(want) {
		bad = append(bad, "result count differs")
	}
	return strings.Join(bad, ", ")
}
