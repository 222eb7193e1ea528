package engine

import (
	"strconv"
	"testing"
	"time"

	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/engine/policy"
)

// ctlFiletimeParts splits t into the endTimeHi/endTimeLo DWORDs as older
// osquery prints them (signed 32-bit).
func ctlFiletimeParts(t time.Time) (hi, lo string) {
	ft := uint64(t.Unix()+11644473600) * 10_000_000
	return strconv.FormatInt(int64(int32(uint32(ft>>32))), 10), strconv.FormatInt(int64(int32(uint32(ft))), 10)
}

func TestCTL04(t *testing.T) {
	puppetRunning := []ctlOpt{ctlProcs("puppet"), ctlServices(ctlSvc("puppet.service", ctlB(true), ctlB(true), "enabled"))}
	summary := "/opt/puppetlabs/puppet/public/last_run_summary.yaml"
	gpDN := ctlReg(`HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Group Policy\State\Machine\Distinguished-Name`, "CN=PC01,DC=corp,DC=example")
	gpKey := `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Group Policy\State\Machine\Extension-List\{00000000-0000-0000-0000-000000000000}`
	gpAt := func(t time.Time) ctlOpt {
		hi, lo := ctlFiletimeParts(t)
		return ctlRegistry(gpDN, ctlReg(gpKey+`\endTimeHi`, hi), ctlReg(gpKey+`\endTimeLo`, lo))
	}
	intune := ctlReg(`HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Enrollments\0A1B\ProviderID`, "MS DM Server")
	omadm := `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Provisioning\OMADM\Accounts\0A1B\Protected\ConnInfo\ServerLastSuccessTime`
	ctlRun(t, checkCTL04, []ctlCase{
		{name: "puppet ran yesterday", want: Pass,
			doc:    ctlDoc("linux", append(puppetRunning, ctlFiles(ctlFile(summary, ctlNow.Add(-26*time.Hour))))...),
			detail: []string{"Puppet last ran 2026-12-02T10:00:00Z (1.1 days ago, " + summary + ")", "policy allows 7 days"}},
		{name: "puppet last ran 20 days ago", want: Partial,
			doc:    ctlDoc("linux", append(puppetRunning, ctlFiles(ctlFile(summary, ctlNow.Add(-20*24*time.Hour))))...),
			detail: []string{"Puppet last ran 20.0 days ago"}},
		{name: "stale run within a longer policy window", want: Pass,
			doc: ctlDoc("linux", append(puppetRunning, ctlFiles(ctlFile(summary, ctlNow.Add(-20*24*time.Hour))))...),
			pol: func(p *policy.Policy) { p.Thresholds.BaselineRunMaxAgeDays = 30 }},
		{name: "puppet without run evidence", want: Partial, doc: ctlDoc("linux", puppetRunning...),
			detail: []string{"Puppet (agent running) without run evidence"}},
		{name: "run evidence from the future is not used", want: Partial,
			doc: ctlDoc("linux", append(puppetRunning, ctlFiles(ctlFile(summary, ctlNow.Add(72*time.Hour))))...),
			ev:  []string{"after the assessment time"}},
		{name: "file query failed", want: Partial,
			doc: ctlDoc("linux", append(puppetRunning, ctlQueryFailed("x_ctl_lastrun", "file: timeout"),
				ctlFiles(ctlFile(summary, ctlNow)))...),
			ev: []string{`"run_evidence_not_collected":"query x_ctl_lastrun unknown: file: timeout"`}},
		{name: "scanner only", want: Partial, doc: ctlDoc("linux", ctlPkgs(ctlPkg("usg", "deb", true))),
			detail: []string{"Only compliance scanning (Ubuntu Security Guide (usg))"}},
		{name: "gaiksaurus is not usg", want: Fail, doc: ctlDoc("linux", ctlPkgs(ctlPkg("gaiksaurus", "deb", true)))},
		{name: "nothing", want: Fail, doc: ctlDoc("linux")},
		{name: "agents unknown", want: Unknown,
			doc: ctlDoc("linux", func(d *facts.Document) {
				d.Processes.Origin, d.Services.Origin, d.Packages.Origin = ctlMissing("x"), ctlMissing("y"), ctlMissing("z")
			})},
		{name: "windows group policy refreshed 2 hours ago", want: Pass, doc: ctlDoc("windows", gpAt(ctlNow.Add(-2*time.Hour))),
			detail: []string{"Group Policy (CN=PC01,DC=corp,DC=example) last ran 2026-12-03T10:00:00Z"}},
		{name: "windows group policy 40 days old", want: Partial, doc: ctlDoc("windows", gpAt(ctlNow.Add(-40*24*time.Hour))),
			detail: []string{"last ran 40.0 days ago"}},
		{name: "windows MDM synced", want: Pass, doc: ctlDoc("windows", ctlRegistry(intune, ctlReg(omadm, "20261201T081522Z"))),
			detail: []string{"MDM (MS DM Server) last ran 2026-12-01T08:15:22Z"}},
		{name: "windows MDM sync time unparseable", want: Partial, doc: ctlDoc("windows", ctlRegistry(intune, ctlReg(omadm, "yesterday")))},
		{name: "windows IME log recent", want: Pass,
			doc: ctlDoc("windows", ctlServices(ctlSvc("IntuneManagementExtension", ctlB(true), ctlB(true), "")),
				ctlFiles(ctlFile(`c:\programdata\microsoft\intunemanagementextension\logs\intunemanagementextension.log`, ctlNow.Add(-time.Hour))))},
		{name: "windows registry query failed", want: Unknown, doc: ctlDoc("windows", ctlQueryFailed("x_ctl_windows_mdm", "denied"))},
		{name: "mac MDM without run time", want: Partial,
			doc:    ctlDoc("darwin", ctlFiles(ctlFile(ctlMacADEProfile, ctlNow))),
			detail: []string{"MDM (MDM enrollment) without run evidence"}},
		{name: "mac MDM-delivered profile", want: Partial,
			doc: ctlDoc("darwin", func(d *facts.Document) {
				d.ManagedPolicies.Items = []facts.ManagedPolicy{{Domain: "com.apple.screensaver", Name: "askForPassword", Value: "1", Manual: ctlB(false)}}
			}),
			detail: []string{"MDM (MDM enrollment) without run evidence"}},
		{name: "mac manually installed profile is no enforcement", want: Fail,
			doc: ctlDoc("darwin", func(d *facts.Document) {
				d.ManagedPolicies.Items = []facts.ManagedPolicy{{Domain: "com.apple.screensaver", Name: "askForPassword", Value: "1", Manual: ctlB(true)}}
			})},
		{name: "mac munki report fresh", want: Pass,
			doc: ctlDoc("darwin", ctlProcs("managedsoftwareupdate"),
				ctlFiles(ctlFile("/Library/Managed Installs/ManagedInstallReport.plist", ctlNow.Add(-3*time.Hour))))},
	})
}

func TestCTL04_FiletimeConversion(t *testing.T) {
	want := time.Date(2026, 11, 30, 23, 59, 58, 0, time.UTC)
	hi, lo := ctlFiletimeParts(want)
	h, okH := ctlRegDWORD(hi)
	l, okL := ctlRegDWORD(lo)
	if !okH || !okL {
		t.Fatalf("DWORDs %s/%s not read", hi, lo)
	}
	if got := ctlFiletime(uint64(h)<<32 | uint64(l)); !got.Equal(want) {
		t.Fatalf("filetime = %s, want %s", got, want)
	}
	// FILETIME 01cb26040e6178d4 is 2010-07-17 (field case B18).
	if got := ctlFiletime(0x01cb26040e6178d4).Format("2006-01-02"); got != "2010-07-17" {
		t.Fatalf("filetime 01cb26040e6178d4 = %s, want 2010-07-17", got)
	}
}
