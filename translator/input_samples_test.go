package translator

import (
	"strings"
	"testing"
	"time"

	"github.com/miccmac/miccmac-osq/queries"
)

// TestReadSamples_ResultLogs reads every real result-log capture and checks
// the rebuilt state of each host and query.
func TestReadSamples_ResultLogs(t *testing.T) {
	const mac, ubuntu = "192-168-0-4.example.ro", "ubuntu-xenial"
	tests := []struct {
		file, host, query string
		rows              int
		collected         int64
		warn              string // a Result warning that must be present ("" = none at all)
		check             func(t *testing.T, rows []queries.Row)
	}{
		{file: "linux-debian/it-compliance-deb-packages.differential.ndjson", host: ubuntu, query: "deb_packages", rows: 39, collected: 1512669453,
			check: func(t *testing.T, rows []queries.Row) {
				if r := oneRow(t, rows, "name", "libcap2"); r["version"] != "1:2.24-12" || r["source"] != "" || r["revision"] != "12" {
					t.Errorf("libcap2 = %v", r)
				}
				if _, ok := oneRow(t, rows, "name", "libcap2")["source"]; !ok {
					t.Error(`source "" must be kept as "", not dropped`)
				}
			}},
		{file: "linux-debian/it-compliance-deb-packages.head.ndjson", host: ubuntu, query: "deb_packages", rows: 20, collected: 1512669453,
			check: func(t *testing.T, rows []queries.Row) {
				if r := oneRow(t, rows, "name", "apt"); r["version"] != "1.2.24" || r["revision"] != "" || r["size"] != "3349" {
					t.Errorf("apt = %v", r)
				}
			}},
		{file: "linux-debian/it-compliance-deb-packages.tail-eof.ndjson", host: ubuntu, query: "deb_packages", rows: 18, collected: 1512669453,
			check: func(t *testing.T, rows []queries.Row) {
				n := 0
				for _, r := range rows {
					if strings.HasPrefix(r["name"], "linux-image-4.4.0-") {
						n++
					}
				}
				if n != 3 {
					t.Errorf("%d linux-image-4.4.0-* kernels, want 3", n)
				}
				if r := oneRow(t, rows, "name", "linux-image-virtual"); r["version"] != "4.4.0.101.106" {
					t.Errorf("linux-image-virtual = %v", r)
				}
			}},
		// osqueryd restarted: the same 11 devices logged twice at counter 0 must
		// not become 22.
		{file: "linux-debian/it-compliance-disk-os-osqinfo.two-starts.ndjson", host: ubuntu, query: "disk_encryption", rows: 11, collected: 1512669439,
			check: func(t *testing.T, rows []queries.Row) {
				if r := oneRow(t, rows, "name", "/dev/sdb"); r["uuid"] != "2017-08-31-09-16-31-00" || r["encrypted"] != "0" {
					t.Errorf("/dev/sdb = %v", r)
				}
			}},
		{file: "linux-debian/it-compliance-disk-os-osqinfo.two-starts.ndjson", host: ubuntu, query: "os_version", rows: 1, collected: 1512669439,
			check: func(t *testing.T, rows []queries.Row) {
				if r := rows[0]; r["version"] != "16.04.3 LTS (Xenial Xerus)" || r["patch"] != "0" || r["codename"] != "xenial" {
					t.Errorf("os_version = %v", r)
				}
			}},
		{file: "linux-debian/it-compliance-disk-os-osqinfo.two-starts.ndjson", host: ubuntu, query: "osquery_info", rows: 1, collected: 1512669439,
			check: func(t *testing.T, rows []queries.Row) {
				if r := rows[0]; r["watcher"] != "11629" || r["version"] != "2.10.2" {
					t.Errorf("osquery_info = %v, want the second start (watcher 11629)", r)
				}
			}},
		{file: "linux-debian/osquery-monitoring-schedule.raw-key-order.ndjson", host: ubuntu, query: "osquery_schedule", rows: 10, collected: 1515423115,
			check: func(t *testing.T, rows []queries.Row) {
				if r := oneRow(t, rows, "name", "pack_ossec-rootkit_55808.a_worm"); r["executions"] != "38" || r["interval"] != "60" {
					t.Errorf("schedule row = %v", r)
				}
			}},
		{file: "macos/docs-process-snapshot.snapshot.json", host: "hostname.local", query: "process_snapshot", rows: 4, collected: 1462228052,
			check: func(t *testing.T, rows []queries.Row) {
				if r := oneRow(t, rows, "pid", "51"); r["path"] != "/usr/sbin/syslogd" || r["parent"] != "1" {
					t.Errorf("pid 51 = %v", r)
				}
			}},
		// A counter-1 batch: only the change is known, and the removed row was
		// never seen. The state is what the batch added, flagged incomplete.
		{file: "macos/docs-processes.batch.json", host: "hostname.local", query: "processes", rows: 1, collected: 1412123850,
			warn: "no complete run",
			check: func(t *testing.T, rows []queries.Row) {
				if r := rows[0]; r["pid"] != "97830" || r["name"] != "osqueryd" {
					t.Errorf("processes = %v", r)
				}
			}},
		{file: "macos/docs-processes.event-added.json", host: "hostname.local", query: "processes", rows: 1, collected: 1412123850, warn: "no complete run"},
		{file: "macos/fleet-pack-disk-encryption.empty-snapshot.json", host: "xxx", query: "pack/Mac General Pack/Disk encryption check", rows: 0, collected: 1572583018},
		{file: "macos/it-compliance-alf-auths-services.differential.ndjson", host: mac, query: "pack_it-compliance_alf_explicit_auths", rows: 7, collected: 1514471990},
		// alf_services is not ours (and no longer exists in osquery): kept
		// under its logged name even though "services" is a catalogue name.
		{file: "macos/it-compliance-alf-auths-services.differential.ndjson", host: mac, query: "pack_it-compliance_alf_services", rows: 9, collected: 1514471990,
			check: func(t *testing.T, rows []queries.Row) {
				if r := oneRow(t, rows, "service", "Personal Web Sharing"); r["process"] != "httpd" || r["state"] != "0" {
					t.Errorf("service row = %v", r)
				}
			}},
		{file: "macos/it-compliance-alf-exceptions.differential.ndjson", host: mac, query: "pack_it-compliance_alf_exceptions", rows: 9, collected: 1514471994,
			check: func(t *testing.T, rows []queries.Row) {
				if got := rowsWhere(rows, "state", "3"); len(got) != 9 {
					t.Errorf("%d rows with state 3, want 9", len(got))
				}
				oneRow(t, rows, "path", "/System/Library/PrivateFrameworks/EmbeddedOSInstall.framework/Versions/A/XPCServices/EmbeddedOSInstallService.xpc/")
			}},
		{file: "macos/it-compliance-alf.differential.ndjson", host: mac, query: "alf", rows: 1, collected: 1514471997,
			check: func(t *testing.T, rows []queries.Row) {
				if r := rows[0]; r["global_state"] != "0" || r["logging_enabled"] != "1" || r["version"] != "1.6" {
					t.Errorf("alf = %v", r)
				}
			}},
		{file: "macos/it-compliance-disk-encryption.differential.ndjson", host: mac, query: "disk_encryption", rows: 8, collected: 1514471994,
			check: func(t *testing.T, rows []queries.Row) {
				if r := oneRow(t, rows, "name", "/dev/disk1s1"); r["encrypted"] != "1" || r["type"] != "APFS Encryption" || r["uid"] != "501" {
					t.Errorf("/dev/disk1s1 = %v", r)
				}
				if got := rowsWhere(rows, "encrypted", "1"); len(got) != 1 {
					t.Errorf("%d encrypted rows, want 1", len(got))
				}
			}},
		// Counter 1 replaces two mounts (removed + added) and osquery_info.
		{file: "macos/it-compliance-kernel-osqinfo-usb-mounts.run-counter0-1.ndjson", host: mac, query: "mounts", rows: 5, collected: 1514472008,
			check: func(t *testing.T, rows []queries.Row) {
				r := oneRow(t, rows, "path", "/")
				if r["blocks_available"] != "75967194" || r["inodes"] != "9223372036854775807" || r["inodes_free"] != "9223372036853222766" {
					t.Errorf("/ = %v, want the counter-1 values", r)
				}
				if r := oneRow(t, rows, "path", "/private/var/vm"); r["blocks_available"] != "75967194" {
					t.Errorf("/private/var/vm = %v", r)
				}
			}},
		{file: "macos/it-compliance-kernel-osqinfo-usb-mounts.run-counter0-1.ndjson", host: mac, query: "osquery_info", rows: 1, collected: 1514472008,
			check: func(t *testing.T, rows []queries.Row) {
				if r := rows[0]; r["datetime"] != "2017-12-28T14:40:08Z" || r["version"] != "2.11.0" {
					t.Errorf("osquery_info = %v, want the counter-1 row", r)
				}
			}},
		{file: "macos/it-compliance-kernel-osqinfo-usb-mounts.run-counter0-1.ndjson", host: mac, query: "kernel_info", rows: 1, collected: 1514472008,
			check: func(t *testing.T, rows []queries.Row) {
				if r := rows[0]; r["arguments"] != " " || r["version"] != "17.2.0" {
					t.Errorf("kernel_info = %q", r)
				}
			}},
		{file: "macos/it-compliance-kernel-osqinfo-usb-mounts.run-counter0-1.ndjson", host: mac, query: "pack_it-compliance_usb_devices", rows: 2, collected: 1514472008},
		// Two byte-identical certificates are two rows.
		{file: "macos/it-compliance-keychain-items.differential.ndjson", host: mac, query: "pack_it-compliance_keychain_items", rows: 8, collected: 1514471995,
			check: func(t *testing.T, rows []queries.Row) {
				if got := rowsWhere(rows, "label", "StartCom Certification Authority"); len(got) != 2 {
					t.Errorf("%d StartCom rows, want 2", len(got))
				}
			}},
		{file: "macos/it-compliance-launchd.differential.ndjson", host: mac, query: "pack_it-compliance_launchd", rows: 12, collected: 1514471991,
			check: func(t *testing.T, rows []queries.Row) {
				if r := oneRow(t, rows, "label", "com.apple.ManagedClient.cloudconfigurationd"); r["program_arguments"] != "/usr/libexec/cloudconfigurationd" || r["program"] != "" {
					t.Errorf("launchd row = %v", r)
				}
			}},
		// Only a removal, with nothing before it: ran, state unknown beyond "0
		// rows known", flagged.
		{file: "macos/it-compliance-mounts.removed.ndjson", host: mac, query: "mounts", rows: 0, collected: 1514472008, warn: "1 removed row(s) matched no row"},
		{file: "macos/it-compliance-os-version.macos10.13.differential.ndjson", host: mac, query: "os_version", rows: 1, collected: 1514471995,
			check: func(t *testing.T, rows []queries.Row) {
				r := rows[0]
				if r["name"] != "Mac OS X" || r["build"] != "17B1003" || r["codename"] != "" {
					t.Errorf("os_version = %v", r)
				}
				if _, ok := r["arch"]; ok {
					t.Error("arch was not logged: must be absent (NULL)")
				}
			}},
		{file: "macos/it-compliance-package-receipts.differential.ndjson", host: mac, query: "pack_it-compliance_package_receipts", rows: 17, collected: 1514471995,
			check: func(t *testing.T, rows []queries.Row) {
				if r := oneRow(t, rows, "package_id", "org.virtualbox.pkg.virtualbox"); r["install_time"] != "1504522132.67707" || r["location"] != "Applications/" {
					t.Errorf("virtualbox receipt = %v", r)
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.file+"/"+tc.query, func(t *testing.T) {
			in := readOne(t, samplePath(tc.file))
			if len(in.Hosts) != 1 {
				t.Fatalf("%d hosts, want 1", len(in.Hosts))
			}
			r := resultOf(t, in, tc.host, tc.query)
			if r.Status != queries.StatusOK || len(r.Rows) != tc.rows || r.Rows == nil {
				t.Fatalf("status %s, %d rows (nil=%v), want ok with %d rows", r.Status, len(r.Rows), r.Rows == nil, tc.rows)
			}
			if tc.warn == "" && len(r.Warnings) > 0 {
				t.Errorf("unexpected warnings %q", r.Warnings)
			}
			if tc.warn != "" && !hasWarning(r.Warnings, tc.warn) {
				t.Errorf("warnings %q lack %q", r.Warnings, tc.warn)
			}
			if got := hostOf(t, in, tc.host).CollectedAt; !got.Equal(time.Unix(tc.collected, 0)) {
				t.Errorf("CollectedAt %v, want %v", got, time.Unix(tc.collected, 0).UTC())
			}
			if !strings.HasPrefix(r.Source, samplePath(tc.file)+":") {
				t.Errorf("Source %q does not name the file", r.Source)
			}
			if tc.check != nil {
				tc.check(t, r.Rows)
			}
			if in.Skipped != 0 || len(in.Warnings) != 0 {
				t.Errorf("skipped %d, warnings %q on a clean capture", in.Skipped, inputWarns(in))
			}
		})
	}
}

// TestReadSamples_Decorations: decorations are merged per host; the legacy
// hostname key names the host.
func TestReadSamples_Decorations(t *testing.T) {
	in := readOne(t, samplePath("macos/fleet-pack-disk-encryption.empty-snapshot.json"))
	h := hostOf(t, in, "xxx")
	if h.Decorations["hostname"] != "mac" || h.Decorations["host_uuid"] != "xxx" || len(h.Decorations) != 2 {
		t.Errorf("decorations %v", h.Decorations)
	}
	in = readOne(t, samplePath("linux-debian/it-compliance-disk-os-osqinfo.two-starts.ndjson"))
	h = hostOf(t, in, "ubuntu-xenial")
	if h.Decorations["host_uuid"] != "BBBBBBBB-0000-0000-0000-000000000002" || h.Decorations["username"] != "ubuntu" {
		t.Errorf("decorations %v", h.Decorations)
	}
}

// TestReadSamples_DebSplitAcrossFiles: the three deb_packages captures are
// pieces of one counter-0 run (same epoch, counter and time). Read together,
// in any order, they continue that run instead of replacing each other.
func TestReadSamples_DebSplitAcrossFiles(t *testing.T) {
	files := []string{
		samplePath("linux-debian/it-compliance-deb-packages.head.ndjson"),
		samplePath("linux-debian/it-compliance-deb-packages.differential.ndjson"),
		samplePath("linux-debian/it-compliance-deb-packages.tail-eof.ndjson"),
	}
	for _, order := range [][]int{{0, 1, 2}, {2, 1, 0}} {
		var paths []string
		for _, i := range order {
			paths = append(paths, files[i])
		}
		in, err := ReadFiles(paths, testCatalog())
		if err != nil {
			t.Fatal(err)
		}
		r := resultOf(t, in, "ubuntu-xenial", "deb_packages")
		if len(r.Rows) != 77 || len(r.Warnings) != 0 {
			t.Errorf("order %v: %d rows (warnings %q), want 39+20+18 = 77", order, len(r.Rows), r.Warnings)
		}
		oneRow(t, r.Rows, "name", "apt")
		oneRow(t, r.Rows, "name", "libcap2")
		oneRow(t, r.Rows, "name", "linux-image-virtual")
	}
}

// TestReadSamples_MultipleHosts merges a macOS and an Ubuntu capture.
func TestReadSamples_MultipleHosts(t *testing.T) {
	in, err := ReadFiles([]string{
		samplePath("macos/it-compliance-os-version.macos10.13.differential.ndjson"),
		samplePath("linux-debian/it-compliance-disk-os-osqinfo.two-starts.ndjson"),
	}, testCatalog())
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Hosts) != 2 || in.Hosts[0].Host != "192-168-0-4.example.ro" || in.Hosts[1].Host != "ubuntu-xenial" {
		t.Fatalf("hosts %v, want the two sorted", in.Hosts)
	}
	if got := resultOf(t, in, "192-168-0-4.example.ro", "os_version").Rows[0]["name"]; got != "Mac OS X" {
		t.Errorf("mac os_version name %q", got)
	}
	if got := resultOf(t, in, "ubuntu-xenial", "os_version").Rows[0]["name"]; got != "Ubuntu" {
		t.Errorf("ubuntu os_version name %q", got)
	}
}

// TestReadSamples_RowFilesNeedAName: bare rows and non-JSON captures given
// without NAME= fail, naming the file and saying what to do.
func TestReadSamples_RowFilesNeedAName(t *testing.T) {
	tests := []struct{ file, want string }{
		{"linux-rhel/fleet-os-version.rhel9.json", "NAME=FILE"},
		{"linux-rhel/fleet-rpm-kernels.rhel9.json", "NAME=FILE"},
		{"macos/fleet-os-version.macos14.json", "NAME=FILE"},
		{"macos/fleet-system-info.mac10.14.6.json", "NAME=FILE"},
		{"macos/fleet-enroll-platform-info.mbp11-4.json", "NAME=FILE"},
		{"windows/fleet-os-version.win11-21H2.json", "NAME=FILE"},
		{"windows/fleet-os-windows.win11-21H2.json", "NAME=FILE"},
		{"windows/fleet-osquery-info.dup-key.win11.json", "NAME=FILE"},
		{"windows/fleet-system-info.win11.json", "NAME=FILE"},
		{"windows/fleet-uptime.win11.json", "NAME=FILE"},
		{"windows/fleet-windows-update-history.win11.json", "NAME=FILE"},
		{"linux-suse/osqueryi-table.os-version.sles12sp3.txt", "line 1: not JSON"},
		{"windows/osqueryi-table.windows-security-center.server2019.txt", "line 1: not JSON"},
		// A reporter's reformatted fragment of a log line is not a log.
		{"windows/results-log-fragment.os-version.win7.txt", "line 1: not JSON"},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			_, err := ReadFiles([]string{samplePath(tc.file)}, testCatalog())
			if err == nil {
				t.Fatal("no error")
			}
			if msg := err.Error(); !strings.Contains(msg, tc.want) || !strings.Contains(msg, samplePath(tc.file)) {
				t.Errorf("error %q lacks %q or the file name", msg, tc.want)
			}
		})
	}
}
