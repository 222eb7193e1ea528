package engine

import (
	"context"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/miccmac/miccmac-osq/data"
	"github.com/miccmac/miccmac-osq/queries"
	"github.com/miccmac/miccmac-osq/queries/osqsim"
)

// Collection tests: the catalogue SQL really selects what the CTL and MIN
// checks read. Each query runs in osqsim (SQLite with osquery's schema) over
// rows holding every name the check needs plus decoys it must not return.

// minRunQuery runs the named catalogue query over the given tables.
func minRunQuery(t *testing.T, name, platform string, tables map[string][]queries.Row) []queries.Row {
	t.Helper()
	q, ok := queries.ByName(queries.MustBuiltin(), name)
	if !ok {
		t.Fatalf("catalogue has no query %s", name)
	}
	if !q.RunsOn(platform) {
		t.Fatalf("query %s does not run on %s (platforms %v)", name, platform, q.Platforms)
	}
	db, err := osqsim.OpenWith(tables, osqsim.Options{Platform: platform})
	if err != nil {
		t.Fatalf("osqsim: %v", err)
	}
	defer db.Close()
	rows, err := db.Query(context.Background(), q.SQL)
	if err != nil {
		t.Fatalf("%s (%s): %v", name, q.File, err)
	}
	return rows
}

// minColumn collects one column of the rows, sorted.
func minColumn(rows []queries.Row, col string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r[col])
	}
	sort.Strings(out)
	return out
}

// minExpectSet fails unless got holds exactly want (order ignored).
func minExpectSet(t *testing.T, what string, got, want []string) {
	t.Helper()
	w := append([]string(nil), want...)
	sort.Strings(w)
	if strings.Join(got, "\n") != strings.Join(ctlSortedUnique(w), "\n") {
		t.Errorf("%s:\n got  %q\n want %q", what, got, w)
	}
}

// The old toolkit's MIN-01 could never fail because the legacy units were
// never queried. Every Linux legacy unit of the catalogue must come back from
// the systemd_units query, whatever its state.
func TestMIN01_SystemdQuerySelectsLegacyUnits(t *testing.T) {
	var rows []queries.Row
	var want []string
	for _, e := range minCatalogs().legacy["linux"] {
		for _, u := range append(append([]string(nil), e.Units...), e.UnlessActive...) {
			id := strings.Replace(u, "@.", "@0-10.0.0.1:23-10.0.0.9:50000.", 1)
			want = append(want, id)
			rows = append(rows, queries.Row{"id": id, "load_state": "loaded", "active_state": "inactive", "sub_state": "dead",
				"unit_file_state": "disabled"})
		}
	}
	rows = append(rows, queries.Row{"id": "telnet.socket-decoy.mount", "load_state": "masked", "active_state": "inactive",
		"sub_state": "dead", "unit_file_state": "masked"})
	want = append(want, "telnet.socket-decoy.mount")
	got := minRunQuery(t, "systemd_units", "linux", map[string][]queries.Row{"systemd_units": rows})
	minExpectSet(t, "systemd_units ids", minColumn(got, "id"), want)
	for _, r := range got {
		if _, ok := r["unit_file_state"]; !ok {
			t.Fatalf("systemd_units does not select unit_file_state: enablement would be unknown (B21)")
		}
	}
}

func TestMIN04_SysctlsCollected(t *testing.T) {
	var rows []queries.Row
	var want []string
	for _, it := range minCatalogs().baseline["linux"] {
		if it.Source == "sysctl" {
			want = append(want, it.Key[0])
			rows = append(rows, queries.Row{"name": it.Key[0], "current_value": "1"})
		}
	}
	rows = append(rows, queries.Row{"name": "vm.swappiness", "current_value": "60"})
	got := minRunQuery(t, "system_controls", "linux", map[string][]queries.Row{"system_controls": rows})
	minExpectSet(t, "system_controls names", minColumn(got, "name"), want)
}

func TestMIN04_WindowsBaselineCollected(t *testing.T) {
	var rows []queries.Row
	var want []string
	for _, it := range minCatalogs().baseline["windows"] {
		for _, k := range it.Key {
			i := strings.LastIndexByte(k, '\\')
			want = append(want, k)
			rows = append(rows, queries.Row{"key": k[:i], "path": k, "name": k[i+1:], "type": "REG_DWORD", "data": "1"})
		}
	}
	rows = append(rows, queries.Row{"key": `HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\Lsa`,
		"path": `HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\Lsa\RestrictAnonymous`, "name": "RestrictAnonymous", "data": "0"})
	got := minRunQuery(t, "x_min_windows_baseline", "windows", map[string][]queries.Row{"registry": rows})
	minExpectSet(t, "x_min_windows_baseline paths", minColumn(got, "path"), want)
}

func TestMIN04_SSHDCollected(t *testing.T) {
	rows := []queries.Row{
		{"node": "/files/etc/ssh/sshd_config/PermitRootLogin", "label": "PermitRootLogin", "value": "no", "path": "/etc/ssh/sshd_config"},
		{"node": "/files/etc/ssh/sshd_config/Include", "label": "Include", "value": "/etc/ssh/sshd_config.d/*.conf", "path": "/etc/ssh/sshd_config"},
		{"node": "/files/etc/ssh/sshd_config.d/50-cloud-init.conf/PasswordAuthentication", "label": "PasswordAuthentication", "value": "yes",
			"path": "/etc/ssh/sshd_config.d/50-cloud-init.conf"},
		{"node": "/files/etc/hosts/1/ipaddr", "label": "ipaddr", "value": "127.0.0.1", "path": "/etc/hosts"},
	}
	got := minRunQuery(t, "x_min_sshd", "linux", map[string][]queries.Row{"augeas": rows})
	minExpectSet(t, "x_min_sshd labels", minColumn(got, "label"), []string{"Include", "PasswordAuthentication", "PermitRootLogin"})
}

func TestCTL04_RunEvidenceCollected(t *testing.T) {
	var rows []queries.Row
	var want []string
	for _, paths := range ctlRunEvidence {
		for _, p := range paths {
			want = append(want, p)
			rows = append(rows, queries.Row{"path": p, "directory": p[:strings.LastIndexAny(p, `/\`)], "type": "regular", "mtime": "1764700000"})
		}
	}
	for _, p := range []string{ctlMacADEProfile, ctlMacADERecord, ctlMacProfilesInstalled} {
		rows = append(rows, queries.Row{"path": p, "directory": "/var/db/ConfigurationProfiles/Settings", "type": "regular"})
	}
	rows = append(rows, queries.Row{"path": "/etc/passwd", "directory": "/etc", "type": "regular"})
	for _, platform := range []string{"linux", "darwin", "windows"} {
		got := minRunQuery(t, "x_ctl_lastrun", platform, map[string][]queries.Row{"file": rows})
		minExpectSet(t, "x_ctl_lastrun paths on "+platform, minColumn(got, "path"), want)
	}
	got := minRunQuery(t, "x_ctl_macos_mdm", "darwin", map[string][]queries.Row{"file": rows})
	minExpectSet(t, "x_ctl_macos_mdm paths", minColumn(got, "path"), []string{ctlMacADEProfile, ctlMacADERecord, ctlMacProfilesInstalled})
}

func TestCTL_WindowsRegistryCollected(t *testing.T) {
	reg := func(path, data string) queries.Row {
		i := strings.LastIndexByte(path, '\\')
		return queries.Row{"key": path[:i], "path": path, "name": path[i+1:], "type": "REG_SZ", "data": data}
	}
	enr := ctlRegEnrollments + `\0A1B2C3D-1111-2222-3333-444455556666\`
	join := ctlRegJoinInfo + `\5A1B2C\`
	rows := []queries.Row{
		reg(enr+"ProviderID", "MS DM Server"), reg(enr+"EnrollmentState", "1"), reg(enr+"UPN", "u@example.com"),
		reg(enr+"DiscoveryServiceFullURL", "https://enrollment.manage.microsoft.com"), reg(enr+"AADTenantID", "decoy"),
		reg(ctlRegGPMachine+`\Distinguished-Name`, "CN=PC01,DC=corp"),
		reg(join+"TenantId", "t-1"), reg(join+"UserEmail", "u@example.com"), reg(join+"IdpDomain", "login.windows.net"),
		reg(join+"Thumbprint", "decoy"), reg(ctlRegTenantInfo+`\t-1\DisplayName`, "Example"),
		reg(ctlRegGPCore+`\endTimeHi`, "31234567"), reg(ctlRegGPCore+`\endTimeLo`, "-12345"),
		reg(ctlRegOMADM+`\0A1B\Protected\ConnInfo\ServerLastSuccessTime`, "20261201T081522Z"),
		reg(ctlRegOMADM+`\0A1B\Protected\ConnInfo\ServerLastFailureTime`, "decoy"),
		reg(`HKEY_LOCAL_MACHINE\SOFTWARE\Decoy\ProviderID`, "decoy"),
	}
	tables := map[string][]queries.Row{"registry": rows}
	minExpectSet(t, "x_ctl_windows_mdm", minColumn(minRunQuery(t, "x_ctl_windows_mdm", "windows", tables), "name"),
		[]string{"ProviderID", "EnrollmentState", "UPN", "DiscoveryServiceFullURL", "Distinguished-Name"})
	minExpectSet(t, "x_ctl_windows_join", minColumn(minRunQuery(t, "x_ctl_windows_join", "windows", tables), "name"),
		[]string{"TenantId", "UserEmail", "IdpDomain", "DisplayName"})
	minExpectSet(t, "x_ctl_lastrun_windows", minColumn(minRunQuery(t, "x_ctl_lastrun_windows", "windows", tables), "name"),
		[]string{"endTimeHi", "endTimeLo", "ServerLastSuccessTime"})
}

// The macOS root query must never return the password hash.
func TestCTL02_MacRootQueryNeverSelectsTheHash(t *testing.T) {
	rows := []queries.Row{
		{"path": ctlMacRootPath, "key": "passwd", "subkey": "0", "value": "*"},
		{"path": ctlMacRootPath, "key": "authentication_authority", "subkey": "0", "value": ";ShadowHash;HASHLIST:<SALTED-SHA512-PBKDF2>"},
		{"path": ctlMacRootPath, "key": "ShadowHashData", "subkey": "0", "value": "SECRET-HASH-BYTES"},
		{"path": "/var/db/dslocal/nodes/Default/users/anna.plist", "key": "passwd", "subkey": "0", "value": "********"},
	}
	got := minRunQuery(t, "x_ctl_macos_root", "darwin", map[string][]queries.Row{"plist": rows})
	minExpectSet(t, "x_ctl_macos_root keys", minColumn(got, "key"), []string{"authentication_authority", "passwd"})
}

func TestMINCatalogs(t *testing.T) {
	c, err := loadMinCatalogs(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"linux", "darwin", "windows"} {
		if len(c.legacy[p]) == 0 || len(c.baseline[p]) == 0 {
			t.Errorf("%s: legacy %d entries, baseline %d items", p, len(c.legacy[p]), len(c.baseline[p]))
		}
	}
	for _, fam := range []string{"debian", "rhel", "suse", "amazon"} {
		if len(c.deny.Families[fam]) == 0 {
			t.Errorf("deny-packages: family %s has no list", fam)
		}
	}
	for _, f := range []string{"TelnetClient", "TelnetServer", "TFTP", "SMB1Protocol", "IIS-FTPServer"} {
		if !slices.Contains(c.deny.WindowsFeatures, f) {
			t.Errorf("deny-packages: windows feature %s missing", f)
		}
	}
}

func TestCTLAgentCatalogs(t *testing.T) {
	cats, err := loadAgentCatalogs(data.FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{ctlCatConfigManagement, ctlCatDeviceTrust, ctlCatScanners} {
		entries := cats[name]
		if len(entries) == 0 {
			t.Fatalf("data/agents-%s.yaml missing or empty", name)
		}
		seen := map[string]bool{}
		for _, a := range entries {
			if seen[a.Name] {
				t.Errorf("%s: %q listed twice", name, a.Name)
			}
			seen[a.Name] = true
			for _, n := range append(append(append([]string(nil), a.Processes...), a.Services...), a.Packages...) {
				if strings.TrimSpace(n) != n || n == "" {
					t.Errorf("%s: %q has a blank or padded name %q", name, a.Name, n)
				}
			}
		}
	}
	for name := range ctlRunEvidence {
		found := false
		for _, a := range cats[ctlCatConfigManagement] {
			found = found || a.Name == name
		}
		if !found {
			t.Errorf("ctlRunEvidence names %q, which is not in agents-config-management.yaml", name)
		}
	}
}
