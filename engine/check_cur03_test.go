package engine

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

// TestCUR03_PlatformInfoSample uses the real platform_info capture (MacBookPro11,4,
// date "12/16/2019 " with a trailing space) with the date the translator parses
// from it, 2019-12-16.
func TestCUR03_PlatformInfoSample(t *testing.T) {
	b, err := os.ReadFile("../testdata/samples/macos/fleet-enroll-platform-info.mbp11-4.json")
	if err != nil {
		t.Fatal(err)
	}
	var row map[string]string
	if err := json.Unmarshal(b, &row); err != nil {
		t.Fatal(err)
	}
	if row["date"] != "12/16/2019 " {
		t.Fatalf("sample date %q changed", row["date"])
	}
	d := curDoc("darwin")
	d.Hardware.Vendor, d.Hardware.Model = "Apple Inc.", "MacBookPro11,4"
	d.Firmware = facts.Firmware{Origin: curOK("platform_info"), Vendor: row["vendor"], Version: row["version"], DateRaw: row["date"], Date: "2019-12-16"}

	got := curRun(t, "CUR-03", d)
	curExpect(t, "2019 firmware in 2026", got, Partial, "confirm with the vendor", "Apple Inc. 196.0.0.0.0", "2019-12-16")
	if got.Evidence["age_days"] != 2544 || got.Evidence["date_raw"] != "12/16/2019 " {
		t.Errorf("evidence %v", got.Evidence)
	}
	env := curEnv(d)
	env.Now = time.Date(2020, 6, 1, 0, 0, 0, 0, time.UTC)
	curExpect(t, "same firmware in 2020", evaluators["CUR-03"](env), Pass, "recent")
}

func TestCUR03(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(d *facts.Document)
		status Status
		detail string
	}{
		{"attested current beats an old date", func(d *facts.Document) {
			d.Firmware.Date, d.Firmware.DateRaw = "2015-01-01", "01/01/2015"
			d.Attestation = asmAtt()
			d.Attestation.FirmwareCurrency = &facts.FirmwareCurrency{Current: true, Checked: "2026-11-01"}
		}, Pass, "checked 2026-11-01"},
		{"attested not current", func(d *facts.Document) {
			d.Firmware.Date = "2026-10-01"
			d.Attestation = asmAtt()
			d.Attestation.FirmwareCurrency = &facts.FirmwareCurrency{Current: false}
		}, Fail, "not current"},
		{"attestation for another device falls back to the date", func(d *facts.Document) {
			d.Firmware.Date = "2026-01-15"
			d.Attestation = asmAtt()
			d.Attestation.Binding.Serial = "ZZZ"
			d.Attestation.FirmwareCurrency = &facts.FirmwareCurrency{Current: false}
		}, Pass, "recent"},
		{"unparsed raw date", func(d *facts.Document) {
			d.Firmware.DateRaw = "sometime"
		}, Unknown, `"sometime" could not be read`},
		{"no date at all", func(d *facts.Document) {}, Unknown, "no firmware release date"},
		{"platform_info failed", func(d *facts.Document) {
			d.Firmware.Origin = curUnknown("query platform_info error: no SMBIOS")
		}, Unknown, "no SMBIOS"},
		{"date in the future", func(d *facts.Document) {
			d.Firmware.Date = "2031-01-01"
		}, Error, "after the assessment time"},
		{"virtual machine", func(d *facts.Document) {
			d.Hardware.Vendor, d.Hardware.Model = "VMware, Inc.", "VMware7,1"
			d.Firmware.Date = "2014-01-01"
		}, NotApplicable, "virtual machine"},
		{"Surface is not a VM", func(d *facts.Document) {
			d.Hardware.Vendor, d.Hardware.Model = "Microsoft Corporation", "Surface Laptop 2"
			d.Firmware.Date = "2019-01-01"
		}, Partial, "confirm with the vendor"},
	}
	for _, tt := range tests {
		d := curDoc("windows")
		tt.setup(d)
		curExpect(t, tt.name, curRun(t, "CUR-03", d), tt.status, tt.detail)
	}
}
