package translator

import (
	"path/filepath"
	"testing"

	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/queries"
)

// TestHotfixes_B18 drives patches.installed_on from the B18 bug case: every
// hotfix is installed; dates are parsed only when the text allows, exactly as
// expected_facts says.
func TestHotfixes_B18(t *testing.T) {
	var bc struct {
		Rows     []queries.Row `json:"rows"`
		Expected map[string]struct {
			Installed   bool    `json:"installed"`
			InstalledOn *string `json:"installed_on"`
			Confidence  string  `json:"confidence"`
		} `json:"expected_facts"`
	}
	readFactsTestdata(t, "bugcases/B18.json", &bc)
	// How each expected_facts confidence text reads as a DateConfidence value.
	confidence := map[string]string{
		"KB5040442": DateAssumedMDY,  // "M/D/YYYY assumed (both fields <= 12)"
		"KB5039212": DateAssumedMDY,  // "M/D/YYYY assumed (WMI's usual order)"
		"KB5041580": DateUnambiguous, // "D-M-YYYY, unambiguous (13 > 12)"
		"KB5041585": DateAmbiguous,   // "ambiguous (5 Aug or 8 May); keep raw text"
		"KB2286198": DateFiletime,    // "hex FILETIME"
		"KB5034441": DateMissing,     // "no date"
		"KB5041571": DateUnambiguous, // "first field 29 > 12, so D/M/YYYY"
	}
	d := factsHost("ws").ok("os_version_windows", rowOSWindows).ok("patches", bc.Rows...).facts(t)
	if len(d.Hotfixes.Items) != len(bc.Expected) {
		t.Fatalf("%d hotfixes, %d expectations", len(d.Hotfixes.Items), len(bc.Expected))
	}
	for i, h := range d.Hotfixes.Items {
		want := bc.Expected[h.ID]
		wantOn := ""
		if want.InstalledOn != nil {
			wantOn = *want.InstalledOn
		}
		if h.Installed != want.Installed || h.InstalledOn != wantOn || h.DateConfidence != confidence[h.ID] {
			t.Errorf("%s %q: installed %v on %q (%s), want %v %q (%s: %s)", h.ID, h.InstalledOnRaw, h.Installed, h.InstalledOn,
				h.DateConfidence, want.Installed, wantOn, confidence[h.ID], want.Confidence)
		}
		if h.InstalledOnRaw != bc.Rows[i]["installed_on"] {
			t.Errorf("%s: raw %q not kept", h.ID, h.InstalledOnRaw)
		}
	}
	for _, n := range []string{"read as M/D/YYYY", "cannot be told apart"} {
		if !containsNote(d.Hotfixes.Notes, n) {
			t.Errorf("notes %q lack %q", d.Hotfixes.Notes, n)
		}
	}
}

func TestParseHotfixDate(t *testing.T) {
	tests := []struct{ in, date, conf string }{
		{"8-13-2024", "2024-08-13", DateUnambiguous},
		{"2024-07-09", "2024-07-09", DateUnambiguous},
		{"20240709", "2024-07-09", DateUnambiguous},
		{"7/9/2024 12:00:00 AM", "2024-07-09", DateAssumedMDY},
		{"12/31/2023", "2023-12-31", DateUnambiguous},
		{"01CB26040E6178D4", "2010-07-17", DateFiletime},
		{"  ", "", DateMissing},
		{"2/30/2024", "", DateUnparseable},
		{"13/13/2024", "", DateUnparseable},
		{"last tuesday", "", DateUnparseable},
		{"0000000000000000", "", DateUnparseable},
		{"29.08.2024", "2024-08-29", DateUnambiguous},
		{"5.8.2024", "", DateAmbiguous},
	}
	for _, tt := range tests {
		date, conf := parseHotfixDate(tt.in)
		if date != tt.date || conf != tt.conf {
			t.Errorf("parseHotfixDate(%q) = %q %s, want %q %s", tt.in, date, conf, tt.date, tt.conf)
		}
	}
}

func TestFirmwareDate(t *testing.T) {
	rows := jsonArrayRows(t, filepath.Join("..", "testdata", "samples", "macos", "fleet-enroll-platform-info.mbp11-4.json"))
	d := factsHost("mac").ok("os_version", rowOSMac).ok("platform_info", rows...).facts(t)
	fw := d.Firmware
	if fw.DateRaw != "12/16/2019 " || fw.Date != "2019-12-16" || fw.Vendor != "Apple Inc." || fw.Version != "196.0.0.0.0" || fw.State != facts.StateOK {
		t.Errorf("MacBookPro11,4 firmware: %+v", fw)
	}

	tests := []struct{ in, want string }{
		{"12/16/2019 ", "2019-12-16"},
		{"2019-12-16", "2019-12-16"},
		{"20191216", "2019-12-16"},
		{"20191216000000.000000+000", "2019-12-16"},
		{"03/14/08", "2008-03-14"},
		{"13/45/2019", ""},
		{"", ""},
		{"N/A", ""},
	}
	for _, tt := range tests {
		got, ok := parseFirmwareDate(tt.in)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("parseFirmwareDate(%q) = %q %v, want %q", tt.in, got, ok, tt.want)
		}
	}

	bad := factsHost("x").ok("os_version", rowOSUbuntu).ok("platform_info", queries.Row{"vendor": "X", "version": "1", "date": "N/A"}).facts(t)
	if bad.Firmware.Date != "" || bad.Firmware.DateRaw != "N/A" || !containsNote(bad.Firmware.Notes, "platform_info.date: not a date") {
		t.Errorf("unparseable firmware date: %+v", bad.Firmware)
	}
}
