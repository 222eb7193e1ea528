package engine

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

func monHW(vendor, model, serial string) monOpt {
	return func(d *facts.Document) {
		d.Hardware = facts.Hardware{Origin: monKnown("system_info"), Vendor: vendor, Model: model, Serial: serial,
			UUID: "4C4C4544-0000-1000-8000-000000000001", Hostname: "host-1"}
	}
}

func monInventory(r facts.InventoryRecord) monOpt {
	return func(d *facts.Document) { d.Inventory = &r }
}

// monSystemInfoSample reads a real system_info capture (fleet-distributed JSON).
func monSystemInfoSample(t *testing.T, file string) monOpt {
	t.Helper()
	b, err := os.ReadFile("../testdata/samples/" + file)
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]string
	if err := json.Unmarshal(b, &rows); err != nil || len(rows) != 1 {
		t.Fatalf("%s: %v (%d rows)", file, err, len(rows))
	}
	r := rows[0]
	return func(d *facts.Document) {
		d.Hardware = facts.Hardware{Origin: monKnown("system_info"), Vendor: r["hardware_vendor"], Model: r["hardware_model"],
			Serial: r["hardware_serial"], UUID: r["uuid"], Hostname: r["hostname"], ComputerName: r["computer_name"]}
	}
}

func TestINV01(t *testing.T) {
	tracked := facts.InventoryRecord{Source: "cmdb.yaml", DeviceID: "ASSET-0042", Tracked: true,
		Binding: facts.Binding{Serial: "PF2ABCDE"}, LastReviewed: "2026-11-01"}
	untracked := tracked
	untracked.Tracked = false
	other := tracked
	other.Binding = facts.Binding{Serial: "OTHER999"}
	expired := tracked
	expired.ValidUntil = "2026-06-30"
	unbound := tracked
	unbound.Binding = facts.Binding{UUID: "4C4C4544-0000-1000-8000-000000000001"}
	fleet := monFlags("config_plugin", "tls", "logger_plugin", "filesystem,tls", "tls_hostname", "fleet.example.com:443",
		"enroll_tls_endpoint", "/api/osquery/enroll")
	hw := monHW("Dell Inc.", "Latitude 7440", "PF2ABCDE")
	monRunCases(t, "INV-01", []monCase{
		{"tracked record bound by serial", monDoc("linux", hw, monInventory(tracked)), Pass, "ASSET-0042 (cmdb.yaml) matches this device and is tracked"},
		{"tracked record bound by uuid", monDoc("linux", hw, monInventory(unbound)), Pass, "tracked"},
		{"untracked record", monDoc("linux", hw, monInventory(untracked)), Fail, "is not tracked"},
		{"record for another device does not count, enrollment grades", monDoc("linux", hw, monInventory(other), fleet), Pass,
			`The inventory record does not count (cmdb.yaml is for serial "OTHER999", this device has "PF2ABCDE"), but osquery is enrolled`},
		{"expired record, enrolled", monDoc("linux", hw, monInventory(expired), fleet), Pass, "expired on 2026-06-30"},
		{"expired record, not enrolled", monDoc("linux", hw, monInventory(expired), monFlags("config_plugin", "filesystem")),
			Unknown, "expired on 2026-06-30; osquery is not enrolled"},
		{"record bound to serial that was not collected", monDoc("linux", monHW("Dell Inc.", "Latitude", ""), monInventory(tracked), monFlags()),
			Unknown, "device's serial was not collected"},
		{"no record, fleet enrollment", monDoc("linux", hw, fleet), Pass, "enrolled with the management server fleet.example.com:443"},
		{"no record, kolide", monDoc("darwin", hw, monFlags("config_plugin", "kolide_grpc", "logger_plugin", "kolide_grpc")), Pass, "(Kolide)"},
		{"tls plugin without hostname is not enrollment", monDoc("linux", hw, monFlags("config_plugin", "tls")), Unknown, "not enrolled"},
		{"plugin list needs an exact entry", monDoc("linux", hw, monFlags("logger_plugin", "tlsish", "tls_hostname", "x")), Unknown, "not enrolled"},
		{"no record, flags unknown", monDoc("linux", hw), Unknown, "No inventory record was supplied; osquery_flags was not collected (osquery_flags was not run)"},
		{"no record, nothing", monDoc("linux", hw, monFlags("config_plugin", "filesystem")), Unknown, "No inventory record was supplied; osquery is not enrolled"},
	})
	env := monEnv(monDoc("linux", hw, fleet))
	env.Policy.EnrollmentCountsAsInventory = false
	if o := checkINV01(env); o.Status != Unknown || o.Detail != "No inventory record was supplied; osquery is enrolled with a management server but the policy does not count enrollment as inventory." {
		t.Errorf("enrollment not counted by policy: %s %q", o.Status, o.Detail)
	}
}

func TestINV02(t *testing.T) {
	monRunCases(t, "INV-02", []monCase{
		{"windows 11 Surface (real capture)", monDoc("windows", monSystemInfoSample(t, "windows/fleet-system-info.win11.json")),
			Pass, `Vendor "Microsoft Corporation", model "Surface Laptop 2" and serial "024100000001"`},
		{"macOS MacBookPro11,4 (real capture)", monDoc("darwin", monSystemInfoSample(t, "macos/fleet-system-info.mac10.14.6.json")),
			Pass, `model "MacBookPro11,4"`},
		{"OEM placeholders", monDoc("linux", monHW("To Be Filled By O.E.M.", "To Be Filled By O.E.M.", "To Be Filled By O.E.M.")),
			Fail, "vendor, model and serial are a firmware placeholder"},
		{"one placeholder", monDoc("linux", monHW("ASUS", "System Product Name", "190937123456789")),
			Partial, "Only vendor and serial are real; model is a firmware placeholder"},
		{"repeated zeros serial", monDoc("windows", monHW("LENOVO", "20XW", "0000000000")), Partial, "serial is a firmware placeholder"},
		{"default string everywhere on windows", monDoc("windows", monHW("Default string", "Default string", "Default string")),
			Fail, "No real hardware attribute"},
		{"windows empty serial is missing, not unknown", monDoc("windows", monHW("HP", "EliteBook 840", "")), Partial, "serial is empty"},
		{"linux empty serial: unprivileged", monDoc("linux", monHW("Dell Inc.", "PowerEdge R640", "")), Unknown, "readable by root only"},
		{"all empty", monDoc("darwin", monHW("", "", "")), Unknown, "without root/administrator rights"},
		{"system_info not collected", monDoc("linux", func(d *facts.Document) { d.Hardware.Origin = monUnknownOrigin("system_info: timeout") }),
			Unknown, "system_info: timeout"},
	})
}

func TestINV03(t *testing.T) {
	debs := monPackages(monPkg("bash", "deb"), monPkg("coreutils", "deb"), monPkg("code", "snap"),
		facts.Package{Name: "old", Source: "deb", Installed: false, Status: "deinstall ok config-files"})
	sources := func(m map[string]facts.Origin) monOpt { return func(d *facts.Document) { d.PackageSources = m } }
	ok := monKnown("deb_packages")
	rhel := func(opts ...monOpt) *facts.Document {
		d := monDoc("linux", opts...)
		d.OS.Family = facts.FamilyRHEL
		return d
	}
	arch := func(opts ...monOpt) *facts.Document {
		d := monDoc("linux", opts...)
		d.OS.Family = facts.FamilyUnknown
		d.OS.Platform = "arch"
		return d
	}
	monRunCases(t, "INV-03", []monCase{
		{"debian with debs and snaps", monDoc("linux", debs, sources(map[string]facts.Origin{"deb": ok, "snap": ok})),
			Pass, "2 installed packages are inventoried from deb_packages (3 in all sources)"},
		{"debian: deb_packages failed", monDoc("linux", debs, sources(map[string]facts.Origin{"deb": monUnknownOrigin("deb_packages: no such table"), "snap": ok})),
			Unknown, "deb_packages was not collected: deb_packages: no such table"},
		{"debian: deb_packages not in the record", monDoc("linux", debs, sources(map[string]facts.Origin{"snap": ok})), Unknown, "deb_packages was not collected"},
		{"debian: zero installed debs", monDoc("linux", monPackages(monPkg("code", "snap")), sources(map[string]facts.Origin{"deb": ok, "snap": ok})),
			Fail, "deb_packages answered with no installed package"},
		{"rhel uses rpm, not deb", rhel(debs, sources(map[string]facts.Origin{"rpm": monKnown("rpm_packages"), "deb": ok})),
			Fail, "rpm_packages answered with no installed package"},
		{"no per-source record: packages section speaks", monDoc("windows", monPackages(monPkg("7-Zip", "programs"))), Pass, "from programs"},
		{"macos apps", monDoc("darwin", monPackages(monPkg("Safari.app", "apps"), monPkg("git", "homebrew"))), Pass, "1 installed packages are inventoried from apps (2 in all sources)"},
		{"unknown family with rows", arch(monPackages(monPkg("pacman", "pacman"))), Pass, `OS family "unknown"`},
		{"unknown family without rows", arch(monPackages()), Unknown, "not one whose package table is known"},
		{"os unknown", &facts.Document{OS: facts.OS{Origin: monUnknownOrigin("os_version: error")}}, Unknown, "os_version was not collected"},
	})
}

func TestINV04(t *testing.T) {
	rec := func(last string) monOpt {
		return monInventory(facts.InventoryRecord{Source: "cmdb.yaml", DeviceID: "ASSET-7", Tracked: true, LastReviewed: last})
	}
	monRunCases(t, "INV-04", []monCase{
		{"reviewed last month", monDoc("linux", rec("2026-11-01")), Pass, "reviewed 32 days ago (policy: every 90 days)"},
		{"reviewed exactly 90 days ago", monDoc("linux", rec("2026-09-04")), Pass, "90 days ago"},
		{"reviewed 91 days ago", monDoc("linux", rec("2026-09-03")), Fail, "last reviewed 91 days ago; the policy asks for a review every 90 days"},
		{"RFC 3339 today", monDoc("linux", rec("2026-12-03T08:00:00Z")), Pass, "0 days ago"},
		{"tomorrow (clock skew)", monDoc("linux", rec("2026-12-04")), Pass, "0 days ago"},
		{"far future", monDoc("linux", rec("2027-03-01")), Error, "is in the future"},
		{"unparseable", monDoc("linux", rec("03/11/2026")), Error, `"03/11/2026" is not a date`},
		{"no date", monDoc("linux", rec("")), Fail, "no last_reviewed date"},
		{"no record", monDoc("linux"), Unknown, "No inventory record was supplied"},
		{"record for another host", monDoc("linux", monHW("Dell", "X", "S1"), monInventory(facts.InventoryRecord{Source: "cmdb.yaml",
			Binding: facts.Binding{Hostname: "other-host"}, LastReviewed: "2026-11-01"})), Unknown, `cmdb.yaml is for hostname "other-host"`},
	})
	env := monEnv(monDoc("linux", rec("2026-11-01")))
	env.Policy.Thresholds.InventoryReviewDays = 30
	if o := checkINV04(env); o.Status != Fail || o.Evidence["age_days"] != 32 {
		t.Errorf("30-day policy: %s %q %v", o.Status, o.Detail, o.Evidence)
	}
}
