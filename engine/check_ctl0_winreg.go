package engine

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

// Windows management facts read from the registry values the x_ctl_* queries
// collect (queries/sql/x_ctl_windows_mdm.sql, x_ctl_windows_join.sql,
// x_ctl_lastrun_windows.sql). Registry paths compare case-insensitively, as
// Windows does.

const (
	ctlRegEnrollments = `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Enrollments`
	ctlRegGPMachine   = `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Group Policy\State\Machine`
	// ctlRegGPCore is the core Group Policy engine's entry in the extension list:
	// its start/end times are those of the last machine policy processing.
	ctlRegGPCore     = ctlRegGPMachine + `\Extension-List\{00000000-0000-0000-0000-000000000000}`
	ctlRegJoinInfo   = `HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\CloudDomainJoin\JoinInfo`
	ctlRegTenantInfo = `HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\CloudDomainJoin\TenantInfo`
	ctlRegOMADM      = `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Provisioning\OMADM\Accounts`
)

// Catalogue queries the Windows management facts come from.
const (
	ctlQWindowsMDM     = "x_ctl_windows_mdm"
	ctlQWindowsJoin    = "x_ctl_windows_join"
	ctlQWindowsLastRun = "x_ctl_lastrun_windows"
)

// ctlNonMDMProviders are Enrollments ProviderID values that are not a remote
// management service: the local MDM bridge used by tools on the device.
var ctlNonMDMProviders = []string{"Local_Management", "WMI_Bridge_Server"}

// ctlRegKeyName splits a registry value into its key and value name.
func ctlRegKeyName(v facts.RegistryValue) (key, name string) {
	if v.Key != "" && v.Name != "" {
		return v.Key, v.Name
	}
	p := v.Path
	if i := strings.LastIndexByte(p, '\\'); i > 0 {
		return p[:i], p[i+1:]
	}
	return v.Key, v.Name
}

// ctlRegSubkeyValues returns, for each direct subkey of parent, its values
// (lower-cased value name -> data).
func ctlRegSubkeyValues(items []facts.RegistryValue, parent string) map[string]map[string]string {
	prefix := strings.ToLower(parent) + `\`
	out := map[string]map[string]string{}
	for _, v := range items {
		key, name := ctlRegKeyName(v)
		lk := strings.ToLower(key)
		if !strings.HasPrefix(lk, prefix) {
			continue
		}
		sub := key[len(prefix):]
		if sub == "" || strings.Contains(sub, `\`) {
			continue
		}
		if out[sub] == nil {
			out[sub] = map[string]string{}
		}
		out[sub][strings.ToLower(name)] = v.Data
	}
	return out
}

// ctlRegKeyValues returns the values of one key (lower-cased name -> data).
func ctlRegKeyValues(items []facts.RegistryValue, key string) map[string]string {
	out := map[string]string{}
	for _, v := range items {
		k, name := ctlRegKeyName(v)
		if strings.EqualFold(k, key) {
			out[strings.ToLower(name)] = v.Data
		}
	}
	return out
}

// ctlRegValue returns the data of the value at a full path and whether it exists.
func ctlRegValue(items []facts.RegistryValue, path string) (string, bool) {
	i := strings.LastIndexByte(path, '\\')
	if i < 0 {
		return "", false
	}
	key, name := path[:i], path[i+1:]
	for _, v := range items {
		k, n := ctlRegKeyName(v)
		if strings.EqualFold(k, key) && strings.EqualFold(n, name) {
			return v.Data, true
		}
	}
	return "", false
}

// ctlEnrollment is one HKLM\SOFTWARE\Microsoft\Enrollments\<id> entry.
type ctlEnrollment struct {
	ID           string `json:"id"`
	ProviderID   string `json:"provider_id"`
	State        string `json:"enrollment_state,omitempty"`
	UPN          string `json:"upn,omitempty"`
	DiscoveryURL string `json:"discovery_url,omitempty"`
	// MDM is true when the provider is a remote management service.
	MDM bool `json:"mdm"`
}

// ctlWindowsEnrollments lists the enrollments that name a provider, sorted by id.
func ctlWindowsEnrollments(env *Env) []ctlEnrollment {
	var out []ctlEnrollment
	for id, vals := range ctlRegSubkeyValues(env.Facts.Registry.Items, ctlRegEnrollments) {
		e := ctlEnrollment{ID: id, ProviderID: strings.TrimSpace(vals["providerid"]), State: vals["enrollmentstate"],
			UPN: vals["upn"], DiscoveryURL: vals["discoveryservicefullurl"]}
		if e.ProviderID == "" {
			continue
		}
		e.MDM = true
		for _, p := range ctlNonMDMProviders {
			if strings.EqualFold(e.ProviderID, p) {
				e.MDM = false
			}
		}
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// ctlMDMEnrollments keeps the remote-management enrollments.
func ctlMDMEnrollments(all []ctlEnrollment) []ctlEnrollment {
	var out []ctlEnrollment
	for _, e := range all {
		if e.MDM {
			out = append(out, e)
		}
	}
	return out
}

// ctlWindowsDomainDN is the computer's distinguished name written by domain Group
// Policy processing; empty when the machine never processed domain policy.
func ctlWindowsDomainDN(env *Env) string {
	return strings.TrimSpace(ctlRegKeyValues(env.Facts.Registry.Items, ctlRegGPMachine)["distinguished-name"])
}

// ctlJoin is one Entra ID (Azure AD) join entry.
type ctlJoin struct {
	ID         string `json:"id"`
	TenantID   string `json:"tenant_id"`
	TenantName string `json:"tenant_name,omitempty"`
	UserEmail  string `json:"user_email,omitempty"`
	IdpDomain  string `json:"idp_domain,omitempty"`
}

// ctlWindowsEntraJoins lists the CloudDomainJoin\JoinInfo entries with a tenant.
func ctlWindowsEntraJoins(env *Env) []ctlJoin {
	items := env.Facts.Registry.Items
	tenants := ctlRegSubkeyValues(items, ctlRegTenantInfo)
	var out []ctlJoin
	for id, vals := range ctlRegSubkeyValues(items, ctlRegJoinInfo) {
		j := ctlJoin{ID: id, TenantID: strings.TrimSpace(vals["tenantid"]), UserEmail: vals["useremail"], IdpDomain: vals["idpdomain"]}
		if j.TenantID == "" {
			continue
		}
		for tid, tv := range tenants {
			if strings.EqualFold(tid, j.TenantID) {
				j.TenantName = tv["displayname"]
			}
		}
		out = append(out, j)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// ctlRegDWORD reads a REG_DWORD as osquery prints it. Older osquery prints
// DWORDs as signed 32-bit integers, so negative values are wrapped back.
func ctlRegDWORD(s string) (uint32, bool) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 0, 64)
	if err != nil || n < -(1<<31) || n >= 1<<32 {
		return 0, false
	}
	if n < 0 {
		n += 1 << 32
	}
	return uint32(n), true
}

// ctlFiletime converts a Windows FILETIME (100 ns since 1601-01-01) to time.
func ctlFiletime(ft uint64) time.Time {
	const epochDiff = 11644473600 // seconds from 1601 to 1970
	return time.Unix(int64(ft/10_000_000)-epochDiff, int64(ft%10_000_000)*100).UTC()
}

// ctlWindowsGPLastRun is the end time of the last machine Group Policy processing
// (endTimeHi/endTimeLo of the core extension), if recorded.
func ctlWindowsGPLastRun(env *Env) (time.Time, bool) {
	vals := ctlRegKeyValues(env.Facts.Registry.Items, ctlRegGPCore)
	hi, okHi := ctlRegDWORD(vals["endtimehi"])
	lo, okLo := ctlRegDWORD(vals["endtimelo"])
	if !okHi || !okLo || hi == 0 && lo == 0 {
		return time.Time{}, false
	}
	return ctlFiletime(uint64(hi)<<32 | uint64(lo)), true
}

// ctlWindowsMDMLastSync is the newest successful MDM session time among the
// OMA-DM accounts (ServerLastSuccessTime, e.g. "20261130T081522Z").
func ctlWindowsMDMLastSync(env *Env) (time.Time, bool) {
	var newest time.Time
	for _, v := range env.Facts.Registry.Items {
		key, name := ctlRegKeyName(v)
		lk := strings.ToLower(key)
		if !strings.EqualFold(name, "ServerLastSuccessTime") || !strings.HasPrefix(lk, strings.ToLower(ctlRegOMADM)+`\`) {
			continue
		}
		if t, ok := ctlParseCompactTime(v.Data); ok && t.After(newest) {
			newest = t
		}
	}
	return newest, !newest.IsZero()
}

// ctlParseCompactTime reads the OMA-DM time stamps (basic ISO 8601, UTC) and RFC 3339.
func ctlParseCompactTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"20060102T150405Z", "20060102T150405", time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}
