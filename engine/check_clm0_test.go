package engine

import (
	"strings"
	"testing"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

func monAttest(a facts.Attestation) monOpt {
	return func(d *facts.Document) { d.Attestation = &a }
}

func TestCLM01and02(t *testing.T) {
	owner := &facts.Assignee{Assigned: true, Name: "Finance Operations"}
	admin := &facts.Assignee{Assigned: true, Name: "Linux Platform Team"}
	cases := []struct {
		name       string
		doc        *facts.Document
		want1      Status
		want2      Status
		detail1    string
		detailBoth string
	}{
		{"both assigned", monDoc("linux", monAttest(facts.Attestation{Source: "attest.yaml", BusinessOwner: owner, SystemAdministrator: admin})),
			Pass, Pass, "The accountable business owner is Finance Operations.", ""},
		{"not assigned", monDoc("linux", monAttest(facts.Attestation{BusinessOwner: &facts.Assignee{Name: "Finance"},
			SystemAdministrator: &facts.Assignee{}})), Fail, Fail, "No accountable business owner is assigned.", ""},
		{"assigned without name", monDoc("linux", monAttest(facts.Attestation{BusinessOwner: &facts.Assignee{Assigned: true, Name: "  "},
			SystemAdministrator: &facts.Assignee{Assigned: true, Name: "TBD"}})), Fail, Fail, "business_owner is marked assigned but names nobody", ""},
		{"keys absent", monDoc("linux", monAttest(facts.Attestation{Source: "attest.yaml"})), Unknown, Unknown,
			"The attestation (attest.yaml) does not state business_owner.", ""},
		{"no attestation", monDoc("linux"), Unknown, Unknown, "No attestation was supplied", "cannot be seen on the device"},
		{"attestation for another device", monDoc("linux", monHW("Dell", "X", "SERIAL-A"), monAttest(facts.Attestation{Source: "attest.yaml",
			Binding: facts.Binding{Serial: "SERIAL-B"}, BusinessOwner: owner, SystemAdministrator: admin})),
			Unknown, Unknown, `attest.yaml is for serial "SERIAL-B"`, "does not count"},
		{"expired attestation", monDoc("linux", monAttest(facts.Attestation{Source: "attest.yaml", ValidUntil: "2026-01-31",
			BusinessOwner: owner, SystemAdministrator: admin})), Unknown, Unknown, "attest.yaml expired on 2026-01-31", "does not count"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o1, o2 := checkCLM01(monEnv(c.doc)), checkCLM02(monEnv(c.doc))
			if o1.Status != c.want1 || !contains2(o1.Detail, c.detail1, c.detailBoth) {
				t.Errorf("CLM-01 = %s %q, want %s %q", o1.Status, o1.Detail, c.want1, c.detail1)
			}
			if o2.Status != c.want2 || !contains2(o2.Detail, c.detailBoth, "") {
				t.Errorf("CLM-02 = %s %q, want %s", o2.Status, o2.Detail, c.want2)
			}
		})
	}
}

// contains2 reports whether s contains both a and b (empty ones are ignored).
func contains2(s, a, b string) bool {
	return (a == "" || strings.Contains(s, a)) && (b == "" || strings.Contains(s, b))
}

func TestCLM03(t *testing.T) {
	bp := func(doc bool, class string) monOpt {
		return monAttest(facts.Attestation{Source: "attest.yaml", BusinessPurpose: &facts.BusinessPurpose{Documented: doc, DataClassification: class}})
	}
	monRunCases(t, "CLM-03", []monCase{
		{"documented and classified", monDoc("linux", bp(true, "Confidential")), Pass, `classified "Confidential"`},
		{"documented only", monDoc("linux", bp(true, "")), Partial, "no data classification"},
		{"classification placeholder", monDoc("linux", bp(true, "n/a")), Partial, "no data classification"},
		{"not documented", monDoc("linux", bp(false, "Internal")), Fail, "not documented"},
		{"key absent", monDoc("linux", monAttest(facts.Attestation{Source: "attest.yaml"})), Unknown, "does not state business_purpose"},
		{"no attestation", monDoc("windows"), Unknown, "No attestation was supplied"},
	})
}
