package engine

import (
	"testing"

	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/engine/policy"
)

func TestCTL01_Linux(t *testing.T) {
	ctlRun(t, checkCTL01, []ctlCase{
		{name: "puppet running and enabled", want: Pass,
			doc: ctlDoc("linux", ctlProcs("puppet"), ctlServices(ctlSvc("puppet.service", ctlB(true), ctlB(true), "enabled")),
				ctlPkgs(ctlPkg("puppet-agent", "deb", true))),
			detail: []string{"Puppet is running"}, ev: []string{`"name":"Puppet"`, `"running":true`}},
		{name: "salt running but unit disabled", want: Partial,
			doc:    ctlDoc("linux", ctlServices(ctlSvc("salt-minion.service", ctlB(true), ctlB(false), "disabled"))),
			detail: []string{"Salt minion is running but its service is not enabled at boot"}},
		{name: "chef installed not running", want: Partial,
			doc:    ctlDoc("linux", ctlPkgs(ctlPkg("chef", "deb", true))),
			detail: []string{"Chef Infra Client is installed but not running"}},
		{name: "ansible-pull timer active", want: Pass,
			doc:    ctlDoc("linux", ctlServices(ctlSvc("ansible-pull.timer", ctlB(true), ctlB(true), "enabled"))),
			detail: []string{"Ansible pull (systemd timer) is running"}},
		{name: "intune for linux", want: Pass,
			doc:    ctlDoc("linux", ctlProcs("intune-daemon"), ctlPkgs(ctlPkg("intune-portal", "deb", true))),
			detail: []string{"Microsoft Intune for Linux is running"}},
		{name: "cachefilesd is not chef", want: Fail,
			doc: ctlDoc("linux", ctlPkgs(ctlPkg("cachefilesd", "deb", true), ctlPkg("chef-zero-doc", "deb", true)),
				ctlProcs("cachefilesd"), ctlServices(ctlSvc("cachefilesd.service", ctlB(true), ctlB(true), "enabled"))),
			detail: []string{"No configuration-management agent"}, ev: []string{`"agents":[]`}},
		{name: "removed puppet package does not count", want: Fail,
			doc: ctlDoc("linux", ctlPkgs(ctlPkg("puppet-agent", "deb", false)))},
		{name: "policy addition under config_management", want: Pass,
			doc: ctlDoc("linux", ctlProcs("acme-cm-agent")),
			pol: func(p *policy.Policy) {
				p.CatalogAdditions = map[string][]string{"config_management": {"acme-cm-agent"}}
			},
			detail: []string{"acme-cm-agent is running"}},
		{name: "nothing collected", want: Unknown,
			doc: ctlDoc("linux", func(d *facts.Document) {
				d.Processes.Origin, d.Services.Origin, d.Packages.Origin = ctlMissing("processes: permission denied"),
					ctlMissing("systemd_units: not run"), ctlMissing("deb_packages: no such table")
			}),
			detail: []string{"processes: permission denied"}},
	})
}

func TestCTL01_Windows(t *testing.T) {
	intune := []facts.RegistryValue{
		ctlReg(`HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Enrollments\0A1B2C3D-1111-2222-3333-444455556666\ProviderID`, "MS DM Server"),
		ctlReg(`HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Enrollments\0A1B2C3D-1111-2222-3333-444455556666\UPN`, "user@example.com"),
		ctlReg(`HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Enrollments\0A1B2C3D-1111-2222-3333-444455556666\EnrollmentState`, "1"),
	}
	local := ctlReg(`HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Enrollments\FFFFFFFF-0000-0000-0000-000000000000\ProviderID`, "Local_Management")
	ctlRun(t, checkCTL01, []ctlCase{
		{name: "intune enrollment", want: Pass, doc: ctlDoc("windows", ctlRegistry(intune...)),
			detail: []string{"enrolled in MDM (ProviderID MS DM Server)"}, ev: []string{`"upn":"user@example.com"`}},
		{name: "registry paths compare case-insensitively", want: Pass,
			doc: ctlDoc("windows", ctlRegistry(ctlReg(`HKEY_LOCAL_MACHINE\Software\Microsoft\Enrollments\ABC\ProviderID`, "MS DM Server")))},
		{name: "local management bridge is not MDM", want: Fail, doc: ctlDoc("windows", ctlRegistry(local)),
			ev: []string{`"provider_id":"Local_Management","mdm":false`}},
		{name: "domain group policy", want: Pass,
			doc: ctlDoc("windows", ctlRegistry(ctlReg(
				`HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Group Policy\State\Machine\Distinguished-Name`,
				"CN=PC01,OU=Workstations,DC=corp,DC=example,DC=com"))),
			detail: []string{"domain-joined with Group Policy applied (CN=PC01"}},
		{name: "ccmexec running", want: Pass,
			doc:    ctlDoc("windows", ctlServices(ctlSvc("CcmExec", ctlB(true), ctlB(true), ""))),
			detail: []string{"Microsoft Configuration Manager client is running"}},
		{name: "intune management extension stopped", want: Partial,
			doc:    ctlDoc("windows", ctlServices(ctlSvc("intunemanagementextension", ctlB(false), ctlB(false), ""))),
			detail: []string{"Microsoft Intune Management Extension is installed but not running"}},
		{name: "entra join without mdm", want: Partial,
			doc: ctlDoc("windows", ctlRegistry(ctlReg(
				`HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\CloudDomainJoin\JoinInfo\5A1B\TenantId`, "tenant-guid"))),
			detail: []string{"Entra ID joined (tenant tenant-guid)"}},
		{name: "nothing", want: Fail, doc: ctlDoc("windows")},
		{name: "registry query failed", want: Unknown,
			doc:    ctlDoc("windows", ctlQueryFailed("x_ctl_windows_mdm", "registry: access denied")),
			detail: []string{"x_ctl_windows_mdm", "access denied"}},
		{name: "registry query failed but agent running", want: Pass,
			doc: ctlDoc("windows", ctlQueryFailed("x_ctl_windows_mdm", "timeout"),
				ctlServices(ctlSvc("IntuneManagementExtension", ctlB(true), ctlB(true), "")))},
	})
}

func TestCTL01_Darwin(t *testing.T) {
	ctlRun(t, checkCTL01, []ctlCase{
		{name: "MDM-delivered preferences", want: Pass,
			doc:    ctlDoc("darwin", ctlManaged(false, "com.apple.SoftwareUpdate", "com.apple.screensaver")),
			detail: []string{"MDM-delivered preferences present (com.apple.SoftwareUpdate, com.apple.screensaver)"},
			ev:     []string{`"managed_policy_domains":["com.apple.SoftwareUpdate","com.apple.screensaver"]`}},
		{name: "manually installed profile only is not MDM", want: Fail,
			doc:       ctlDoc("darwin", ctlManaged(true, "com.apple.screensaver")),
			detail:    []string{"the managed preferences present (com.apple.screensaver) come from manually installed profiles, not MDM"},
			notDetail: []string{"MDM-delivered preferences present"},
			ev:        []string{`"managed_policy_domains":[]`, `"manual_profile_domains":["com.apple.screensaver"]`, `are not MDM enrollment evidence`}},
		{name: "manual profile plus profiles marker: profiles but no MDM", want: Partial,
			doc:       ctlDoc("darwin", ctlManaged(true, "com.apple.screensaver"), ctlFiles(ctlFile(ctlMacProfilesInstalled, ctlNow))),
			detail:    []string{"MDM enrollment is not confirmed"},
			notDetail: []string{"MDM-delivered"}},
		{name: "MDM and manual profiles: MDM counts, manual listed", want: Pass,
			doc:    ctlDoc("darwin", ctlManaged(false, "com.apple.SoftwareUpdate"), ctlManaged(true, "com.example.wifi")),
			detail: []string{"MDM-delivered preferences present (com.apple.SoftwareUpdate)"}, notDetail: []string{"com.example.wifi"},
			ev: []string{`"manual_profile_domains":["com.example.wifi"]`}},
		{name: "manual column not collected: origin unknown", want: Partial,
			doc: ctlDoc("darwin", func(d *facts.Document) {
				d.ManagedPolicies.Items = []facts.ManagedPolicy{{Domain: "com.apple.SoftwareUpdate", Name: "AutomaticCheckEnabled", Value: "1"}}
			}),
			detail: []string{"(com.apple.SoftwareUpdate) but whether MDM delivered them is unknown"},
			ev:     []string{`"unknown_origin_policy_domains":["com.apple.SoftwareUpdate"]`}},
		{name: "ADE enrollment profile", want: Pass,
			doc:    ctlDoc("darwin", ctlFiles(ctlFile(ctlMacADEProfile, ctlNow))),
			detail: []string{"Automated Device Enrollment"}},
		{name: "ADE record only", want: Partial, doc: ctlDoc("darwin", ctlFiles(ctlFile(ctlMacADERecord, ctlNow)))},
		{name: "jamf running", want: Pass, doc: ctlDoc("darwin", ctlProcs("jamf")), detail: []string{"Jamf Pro agent is running"}},
		{name: "nothing", want: Fail, doc: ctlDoc("darwin")},
		{name: "managed_policies failed", want: Unknown,
			doc: ctlDoc("darwin", func(d *facts.Document) {
				d.ManagedPolicies.Origin = ctlMissing("managed_policies: no such table")
			}),
			detail: []string{"managed_policies not collected: managed_policies: no such table"}},
	})
}

func TestCTL01_OSGate(t *testing.T) {
	unknownOS := ctlDoc("linux")
	unknownOS.OS.Kind, unknownOS.OS.Family, unknownOS.OS.Name, unknownOS.OS.Platform = "unknown", facts.FamilyUnknown, "FreeBSD", "freebsd"
	noOS := ctlDoc("linux")
	noOS.OS.Origin = ctlMissing("os_version: no such table")
	for _, fn := range []CheckFunc{checkCTL01, checkCTL02, checkCTL04, checkMIN01, checkMIN02, checkMIN03, checkMIN04} {
		ctlRun(t, fn, []ctlCase{
			{name: "unknown OS is never graded as Linux", doc: unknownOS, want: Unknown, detail: []string{"FreeBSD"}},
			{name: "os_version missing", doc: noOS, want: Unknown, detail: []string{"os_version was not collected: os_version: no such table"}},
		})
	}
}

// ctlManaged adds one preference per domain from an MDM-delivered (manual
// false) or manually installed (manual true) profile.
func ctlManaged(manual bool, domains ...string) ctlOpt {
	return func(d *facts.Document) {
		for _, dom := range domains {
			d.ManagedPolicies.Items = append(d.ManagedPolicies.Items,
				facts.ManagedPolicy{Domain: dom, Name: "Setting", Value: "1", Manual: ctlB(manual)})
		}
	}
}
