package engine

import (
	"testing"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

func TestCTL03(t *testing.T) {
	bound := func(v *bool) *facts.Attestation {
		return &facts.Attestation{Source: "attest.yaml", Binding: facts.Binding{Serial: "SN-1"}, IdentityAwareAccess: v}
	}
	withSerial := func(s string) ctlOpt { return func(d *facts.Document) { d.Hardware.Serial = s } }
	ctlRun(t, checkCTL03, []ctlCase{
		{name: "attested true", want: Pass, doc: ctlDoc("linux", withSerial("SN-1"), ctlAttest(bound(ctlB(true)))),
			detail: []string{"attest.yaml"}, ev: []string{`"identity_aware_access":true`}},
		{name: "attested false beats agents", want: Fail,
			doc: ctlDoc("linux", withSerial("SN-1"), ctlAttest(bound(ctlB(false))), ctlProcs("warp-svc"))},
		{name: "zscaler running, no attestation", want: Partial, doc: ctlDoc("windows", ctlProcs("ZSATunnel.exe")),
			detail: []string{"Zscaler Client Connector running"}},
		{name: "tailscale installed", want: Partial, doc: ctlDoc("linux", ctlPkgs(ctlPkg("tailscale", "deb", true))),
			detail: []string{"Tailscale installed"}},
		{name: "entra joined", want: Partial,
			doc: ctlDoc("windows", ctlRegistry(
				ctlReg(`HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\CloudDomainJoin\JoinInfo\9F8E\TenantId`, "7a1c-tenant"),
				ctlReg(`HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\CloudDomainJoin\TenantInfo\7a1c-tenant\DisplayName`, "Example Corp"))),
			detail: []string{"Entra ID joined to tenant Example Corp"}},
		{name: "nothing", want: Unknown, doc: ctlDoc("linux"), detail: []string{"decided outside the device"}},
		{name: "attestation for another device", want: Unknown, doc: ctlDoc("linux", withSerial("SN-2"), ctlAttest(bound(ctlB(true)))),
			detail: []string{`attest.yaml is for serial "SN-1", this device has "SN-2"`}},
		{name: "attestation for another device, agent present", want: Partial,
			doc:    ctlDoc("darwin", withSerial("SN-2"), ctlAttest(bound(ctlB(true))), ctlProcs("Okta Verify")),
			detail: []string{"Okta Verify running", "attestation not used"}},
		{name: "expired attestation", want: Unknown,
			doc:    ctlDoc("linux", ctlAttest(&facts.Attestation{Source: "old.yaml", ValidUntil: "2026-01-31", IdentityAwareAccess: ctlB(true)})),
			detail: []string{"old.yaml expired on 2026-01-31"}},
		{name: "attestation without the key", want: Unknown,
			doc: ctlDoc("linux", ctlAttest(&facts.Attestation{Source: "a.yaml"})), ev: []string{"has no identity_aware_access value"}},
	})
}
