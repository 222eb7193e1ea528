package engine

import (
	"testing"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

// A record bound to another device, or bound only through hardware
// placeholders, says nothing about this device: INV-01, INV-04 and the CLM
// checks all treat it as not counting (UNKNOWN with the reason, or INV-01
// graded from enrollment when policy allows), never as a FAIL.

func TestINV01_RecordForAnotherDevice(t *testing.T) {
	rec := func(b facts.Binding) monOpt {
		return monInventory(facts.InventoryRecord{Source: "cmdb.yaml", DeviceID: "ASSET-7", Tracked: true, Binding: b, LastReviewed: "2026-11-20"})
	}
	oem := monHW("ASUS", "System Product Name", "To be filled by O.E.M.")
	notEnrolled := monFlags("config_plugin", "filesystem")
	fleet := monFlags("config_plugin", "tls", "tls_hostname", "fleet.example.com:443")
	zeroUUID := func(d *facts.Document) { d.Hardware.UUID = "03000200-0400-0500-0006-000700080009" }
	monRunCases(t, "INV-01", []monCase{
		{"serial mismatch, not enrolled: unknown with the reason", monDoc("linux", monHW("Dell Inc.", "OptiPlex", "PF2ABCDE"),
			rec(facts.Binding{Serial: "OTHER999"}), notEnrolled),
			Unknown, `The inventory record does not count: cmdb.yaml is for serial "OTHER999", this device has "PF2ABCDE"; osquery is not enrolled`},
		{"device serial is a placeholder: no mismatch, no binding", monDoc("linux", oem, rec(facts.Binding{Serial: "MXL1234"}), notEnrolled),
			Unknown, `cmdb.yaml cannot be bound to this device: a placeholder identifies no device (the device reports the placeholder serial "To be filled by O.E.M.")`},
		{"device serial placeholder, enrolled: graded from enrollment", monDoc("linux", oem, rec(facts.Binding{Serial: "MXL1234"}), fleet),
			Pass, "enrolled with the management server fleet.example.com:443"},
		{"a placeholder serial on both sides does not match either", monDoc("linux", oem,
			rec(facts.Binding{Serial: "To Be Filled By O.E.M."}), notEnrolled),
			Unknown, `the record's serial "To Be Filled By O.E.M." is a placeholder`},
		{"placeholder serial skipped, uuid binds", monDoc("linux", oem,
			rec(facts.Binding{Serial: "MXL1234", UUID: "4C4C4544-0000-1000-8000-000000000001"}), notEnrolled),
			Pass, "ASSET-7 (cmdb.yaml) matches this device and is tracked"},
		{"placeholder serial skipped, uuid mismatches", monDoc("linux", oem,
			rec(facts.Binding{Serial: "MXL1234", UUID: "4C4C4544-0000-1000-8000-000000000002"}), notEnrolled),
			Unknown, `cmdb.yaml is for uuid "4C4C4544-0000-1000-8000-000000000002"`},
		{"AMI placeholder uuid binds nothing", monDoc("linux", monHW("Dell Inc.", "OptiPlex", "PF2ABCDE"), zeroUUID,
			rec(facts.Binding{UUID: "03000200-0400-0500-0006-000700080009"}), notEnrolled),
			Unknown, "a placeholder identifies no device"},
	})
	// INV-04 and CLM-01 read the same binding and agree.
	other := monDoc("linux", oem, rec(facts.Binding{Serial: "MXL1234"}), notEnrolled)
	other.Attestation = &facts.Attestation{Source: "attest.yaml", Binding: facts.Binding{Serial: "MXL1234"},
		BusinessOwner: &facts.Assignee{Assigned: true, Name: "Ana Pop"}}
	monRunCases(t, "INV-04", []monCase{{"INV-04 placeholder device", other, Unknown, "a placeholder identifies no device"}})
	monRunCases(t, "CLM-01", []monCase{{"CLM-01 placeholder device", other, Unknown, "a placeholder identifies no device"}})
}
