package engine

import (
	"os"
	"strings"
	"testing"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

func monAV(name, state string, current *bool) facts.SecurityProduct {
	return facts.SecurityProduct{Type: "Antivirus", Name: name, State: state, SignaturesUpToDate: current}
}

func monProducts(ps ...facts.SecurityProduct) monOpt {
	return func(d *facts.Document) {
		d.SecurityProducts = facts.Section[facts.SecurityProduct]{Origin: monKnown("windows_security_products"), Items: ps}
	}
}

// monSecurityCenterSample reads the real Windows Server 2019 capture
// (osquery/osquery#8042), where every windows_security_center column is "Error".
func monSecurityCenterSample(t *testing.T) facts.SecurityCenter {
	t.Helper()
	b, err := os.ReadFile("../testdata/samples/windows/osqueryi-table.windows-security-center.server2019.txt")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	cells := func(l string) []string {
		var out []string
		for _, c := range strings.Split(strings.Trim(l, "|"), "|") {
			out = append(out, strings.TrimSpace(c))
		}
		return out
	}
	head, row := cells(lines[1]), cells(lines[3])
	v := map[string]string{}
	for i, h := range head {
		v[h] = row[i]
	}
	return facts.SecurityCenter{Origin: monKnown("windows_security_center"), Firewall: v["firewall"], Autoupdate: v["autoupdate"],
		Antivirus: v["antivirus"], InternetSettings: v["internet_settings"], Service: v["windows_security_center_service"],
		UserAccountControl: v["user_account_control"]}
}

func TestMON03(t *testing.T) {
	server2019 := monSecurityCenterSample(t)
	if server2019.Antivirus != "Error" || server2019.Firewall != "Error" {
		t.Fatalf("sample not read: %+v", server2019)
	}
	sc := func(s facts.SecurityCenter) monOpt { return func(d *facts.Document) { d.SecurityCenter = s } }
	poor := facts.SecurityCenter{Origin: monKnown("windows_security_center"), Antivirus: "Poor"}
	falconWin := monServices(monWinSvc("CSFalconService", true))
	monRunCases(t, "MON-03", []monCase{
		{"linux falcon running", monDoc("linux", monServices(monUnit("falcon-sensor.service", true, true))), Pass, "CrowdStrike Falcon"},
		{"linux sentinelone by process", monDoc("linux", monProcs("s1-agent")), Pass, "SentinelOne"},
		{"linux mdatp installed, stopped", monDoc("linux", monServices(monUnit("mdatp.service", false, true)), monPackages(monPkg("mdatp", "deb"))),
			Partial, "installed but not running: Microsoft Defender for Endpoint"},
		{"linux osqueryd only is telemetry", monDoc("linux", monProcs("osqueryd")), Partial, "Only endpoint telemetry runs (osquery)"},
		{"linux wazuh only is telemetry", monDoc("linux", monServices(monUnit("wazuh-agent.service", true, true))), Partial, "Wazuh agent"},
		{"linux osqueryi is not osqueryd", monDoc("linux", monProcs("osqueryi")), Fail, "No EDR"},
		{"linux nothing", monDoc("linux", monProcs("sshd")), Fail, "No EDR"},
		{"linux nothing collected", monDoc("linux"), Unknown, "Neither processes nor services were collected"},
		{"linux falcon package, run state unknown", monDoc("linux", monPackages(monPkg("falcon-sensor", "rpm"))),
			Unknown, "CrowdStrike Falcon is installed, but neither processes nor services were collected"},
		{"windows defender on but run state unknown", monDoc("windows", monProducts(monAV("Windows Defender", "On", monBool(true)))),
			Unknown, "a running agent cannot be seen"},
		{"macos falcon system extension", monDoc("darwin", monProcs("com.crowdstrike.falcon.Agent")), Pass, "CrowdStrike"},
		{"windows falcon, no security products reported", monDoc("windows", falconWin), Pass, "CrowdStrike Falcon"},
		{"windows falcon and defender on", monDoc("windows", falconWin, monProducts(monAV("Windows Defender", "On", monBool(true)))),
			Pass, "CrowdStrike Falcon"},
		{"windows falcon, defender passive but falcon AV on", monDoc("windows", falconWin, monProducts(
			monAV("Windows Defender", "Off", monBool(true)), monAV("CrowdStrike Falcon Sensor", "On", nil))), Pass, "CrowdStrike"},
		{"windows falcon, signatures out of date", monDoc("windows", falconWin, monProducts(monAV("Windows Defender", "On", monBool(false)))),
			Partial, "Windows Defender signatures are out of date"},
		{"windows falcon, defender snoozed", monDoc("windows", falconWin, monProducts(monAV("Windows Defender", "Snoozed", monBool(true)))),
			Partial, "Windows Defender is Snoozed"},
		{"windows falcon, security center Poor", monDoc("windows", falconWin, sc(poor)), Partial, "Security Center rates antivirus Poor"},
		{"windows server 2019: security center Error is unknown, not off", monDoc("windows", falconWin, sc(server2019)),
			Pass, "CrowdStrike Falcon"},
		{"windows server 2019 without EDR: Error does not fail by itself", monDoc("windows", monServices(monWinSvc("EventLog", true)), sc(server2019)),
			Fail, "No EDR or endpoint telemetry agent"},
		{"windows defender AV only", monDoc("windows", monServices(monWinSvc("WinDefend", true)), monProducts(monAV("Windows Defender", "On", monBool(true)))),
			Partial, "Antivirus is on with current signatures (Windows Defender), but no EDR"},
		{"windows defender off, no EDR", monDoc("windows", monServices(), monProducts(monAV("Windows Defender", "Off", monBool(false)))),
			Fail, "antivirus protection is unhealthy: Windows Defender is Off"},
		{"windows defender for endpoint sense", monDoc("windows", monServices(monWinSvc("Sense", true))), Pass, "Defender for Endpoint"},
		{"windows sysmon only is telemetry", monDoc("windows", monServices(monWinSvc("Sysmon64", true))), Partial, "Sysmon"},
		{"unknown os", monDoc("unknown", monProcs("falcond")), Unknown, "not one this check knows"},
	})
}
