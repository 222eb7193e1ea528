package engine

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/engine/policy"
)

// curNow is the assessment time of the CUR/ASM tests.
var curNow = time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)

// curInt parses a number for hand-built facts; "" gives nil.
func curInt(s string) *int64 {
	if s == "" {
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		panic(err)
	}
	return &n
}

func curI(n int64) *int64 { return &n }
func curB(b bool) *bool   { return &b }

// curOK is a known section origin fed by the named queries.
func curOK(queries ...string) facts.Origin {
	return facts.Origin{State: facts.StateOK, Queries: queries}
}

// curUnknown is an unknown section origin with its reason.
func curUnknown(reason string) facts.Origin {
	return facts.Origin{State: facts.StateUnknown, Reason: reason}
}

// curDays returns the unix time n days before curNow.
func curDays(n int) *int64 {
	t := curNow.AddDate(0, 0, -n).Unix()
	return &t
}

// curDoc returns a facts document for the OS kind with every section the
// CUR/ASM checks read known and empty; tests fill what they need.
func curDoc(kind string) *facts.Document {
	d := &facts.Document{SchemaVersion: facts.SchemaVersion, Host: "host-1", Queries: map[string]facts.QueryState{}}
	switch kind {
	case "ubuntu":
		d.OS = facts.OS{Name: "Ubuntu", Version: "22.04.3 LTS (Jammy Jellyfish)", Major: curI(22), Minor: curI(4),
			Platform: "ubuntu", PlatformLike: "debian", Family: facts.FamilyDebian, Kind: "linux"}
	case "debian":
		d.OS = facts.OS{Name: "Debian GNU/Linux", Version: "12 (bookworm)", Major: curI(12), Minor: curI(0),
			Platform: "debian", Family: facts.FamilyDebian, Kind: "linux"}
	case "rhel":
		d.OS = facts.OS{Name: "Red Hat Enterprise Linux", Version: "9.4", Major: curI(9), Minor: curI(4),
			Platform: "rhel", PlatformLike: "rhel fedora", Family: facts.FamilyRHEL, Kind: "linux"}
	case "darwin":
		d.OS = facts.OS{Name: "macOS", Version: "15.1", Major: curI(15), Minor: curI(1), Build: "24B83",
			Platform: "darwin", Family: facts.FamilyDarwin, Kind: "darwin"}
	case "windows":
		d.OS = facts.OS{Name: "Microsoft Windows 11 Pro", Version: "10.0.26200", Major: curI(10), Minor: curI(0),
			Build: "26200", Revision: curI(7000), Platform: "windows", Family: facts.FamilyWindows, Kind: "windows"}
	default:
		panic("curDoc: unknown kind " + kind)
	}
	d.OS.Origin = curOK("os_version")
	d.Hardware = facts.Hardware{Origin: curOK("system_info"), Vendor: "Dell Inc.", Model: "Latitude 7440", Serial: "ABC1234", Hostname: "host-1"}
	d.Firmware.Origin = curOK("platform_info")
	for _, s := range []*facts.Origin{&d.Packages.Origin, &d.Services.Origin, &d.Processes.Origin, &d.ConfigNodes.Origin,
		&d.Files.Origin, &d.Plist.Origin, &d.ManagedPolicies.Origin, &d.Registry.Origin, &d.Hotfixes.Origin,
		&d.UpdateHistory.Origin, &d.Repositories.Origin, &d.Certificates.Origin, &d.Osquery.Schedule.Origin} {
		*s = curOK()
	}
	for _, q := range []string{"x_cur_apt_periodic", "x_cur_stamps", "x_cur_yum_cron", "x_cur_snap_flatpak", "x_cur_macos_updates", "x_cur_windows_version"} {
		d.Queries[q] = facts.QueryState{State: facts.StateOK}
	}
	return d
}

// curEnv wraps a document with the default policy at curNow.
func curEnv(d *facts.Document) *Env {
	return &Env{Facts: d, Policy: policy.Default(), Now: curNow}
}

// curRun runs a registered check on a document.
func curRun(t *testing.T, id string, d *facts.Document) Outcome {
	t.Helper()
	fn, ok := evaluators[id]
	if !ok {
		t.Fatalf("%s is not registered", id)
	}
	return fn(curEnv(d))
}

// curService is a systemd unit (or other service) with its state.
func curService(name string, enabled, running bool) facts.Service {
	return facts.Service{Name: name, Manager: "systemd", Enabled: curB(enabled), Running: curB(running)}
}

// curPkg is an installed package of a source table.
func curPkg(source, name, version string) facts.Package {
	return facts.Package{Name: name, Version: version, Source: source, Installed: true}
}

// curNode is an augeas node of a file.
func curNode(path, node, value string) facts.ConfigNode {
	label := node
	for i := len(node) - 1; i >= 0; i-- {
		if node[i] == '/' {
			label = node[i+1:]
			break
		}
	}
	return facts.ConfigNode{Path: path, Node: "/files" + path + "/" + node, Label: label, Value: value}
}

// curExpect asserts a check's status and that the detail mentions want (when set).
func curExpect(t *testing.T, name string, got Outcome, status Status, detailHas ...string) {
	t.Helper()
	if got.Status != status {
		t.Errorf("%s: status %s (%s), want %s", name, got.Status, got.Detail, status)
		return
	}
	for _, s := range detailHas {
		if !strings.Contains(strings.ToLower(got.Detail), strings.ToLower(s)) {
			t.Errorf("%s: detail %q does not mention %q", name, got.Detail, s)
		}
	}
}
