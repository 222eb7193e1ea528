package translator

import (
	"fmt"
	"strings"

	"github.com/miccmac/miccmac-osq/engine/facts"
	"github.com/miccmac/miccmac-osq/queries"
)

// mapServices fills d.Services from systemd units, Windows services and
// launchd jobs, and d.ServiceSources with each manager's origin.
func mapServices(d *facts.Document, f *feed) {
	if src := f.sources["windows"]; src != nil && src.ok() && len(f.parts) == 1 && f.parts[0].qualifier == "windows" {
		// osquery returns no services at all when one of them cannot be opened.
		f.emptyIsUnknown("cannot be true on Windows: osquery lists no services when it cannot open one of them")
	}
	var items []facts.Service
	if f.ok() {
		items = make([]facts.Service, 0, f.rowCount())
		for _, p := range f.parts {
			for _, r := range p.rows {
				var s facts.Service
				switch p.qualifier {
				case "systemd":
					s = f.systemdUnit(p, r)
				case "windows":
					s = f.windowsService(p, r)
				case "launchd":
					s = launchdJob(r)
				default:
					continue
				}
				items = append(items, s)
			}
		}
	}
	d.Services = facts.Section[facts.Service]{Origin: f.done(), Items: items}
	d.ServiceSources = f.sourceOrigins()
}

// systemdEnabled maps unit_file_state to "starts at boot" (B21). static,
// indirect, alias and generated units are pulled in by other units or by
// generators, so they start; enabled-runtime starts until the next reboot
// (RuntimeOnly). masked, disabled and transient units do not. linked, bad
// and other states say nothing about boot: nil.
var systemdEnabled = map[string]bool{
	"enabled": true, "enabled-runtime": true, "static": true, "indirect": true,
	"alias": true, "generated": true,
	"disabled": false, "masked": false, "masked-runtime": false, "transient": false,
}

// systemdRunning maps active_state: active and reloading run; inactive and
// failed do not; activating, deactivating and others are in flux (nil).
var systemdRunning = map[string]bool{
	"active": true, "reloading": true, "inactive": false, "failed": false,
}

func (f *feed) systemdUnit(p *part, r queries.Row) facts.Service {
	s := facts.Service{
		Name:          text(r, "id"),
		Manager:       "systemd",
		ActiveState:   text(r, "active_state"),
		SubState:      text(r, "sub_state"),
		UnitFileState: text(r, "unit_file_state"),
		Path:          text(r, "fragment_path"),
	}
	switch {
	case !has(r, "unit_file_state"):
		f.note(p, p.query+": no unit_file_state column (osquery before 4.x): enablement unknown", "")
	case s.UnitFileState != "":
		if e, ok := systemdEnabled[s.UnitFileState]; ok {
			s.Enabled = ptr(e)
			s.RuntimeOnly = s.UnitFileState == "enabled-runtime"
		} else {
			f.note(p, fmt.Sprintf("%s: unit_file_state without a boot meaning, enablement unknown", p.query), s.UnitFileState)
		}
	}
	if run, ok := systemdRunning[s.ActiveState]; ok {
		s.Running = ptr(run)
	}
	return s
}

// windowsService reads services: running iff status is RUNNING; enabled
// (starts at boot) iff start_type is AUTO_START, BOOT_START or SYSTEM_START.
// DEMAND_START (manual, including trigger-started services) and DISABLED are
// not enabled.
func (f *feed) windowsService(p *part, r queries.Row) facts.Service {
	s := facts.Service{
		Name:        text(r, "name"),
		Manager:     "windows",
		DisplayName: text(r, "display_name"),
		StartType:   text(r, "start_type"),
		Status:      text(r, "status"),
		Path:        text(r, "path"),
	}
	if s.Status != "" {
		s.Running = ptr(strings.EqualFold(s.Status, "RUNNING"))
	}
	switch strings.ToUpper(s.StartType) {
	case "":
	case "AUTO_START", "BOOT_START", "SYSTEM_START":
		s.Enabled = ptr(true)
	case "DEMAND_START", "DISABLED":
		s.Enabled = ptr(false)
	default:
		f.note(p, p.query+": unknown start_type, enablement unknown", s.StartType)
	}
	return s
}

// launchdJob reads launchd. Path is program, else the whole
// program_arguments (paths may hold spaces, so it is not split). Enabled =
// not Disabled and (RunAtLoad or KeepAlive): launchd starts the job by itself
// at load. The table sees neither launchctl's override database nor
// socket/Mach-service activation, so an on-demand job reads as not enabled.
// Running is unknown (nil): launchd holds no process state.
func launchdJob(r queries.Row) facts.Service {
	s := facts.Service{
		Name:    firstText(r, "label", "name"),
		Manager: "launchd",
		Path:    firstText(r, "program", "program_arguments"),
	}
	disabled := truthy(r["disabled"])
	s.Enabled = ptr(!disabled && (truthy(r["run_at_load"]) || truthy(r["keep_alive"])))
	return s
}

// truthy reads launchd's plist booleans as osquery renders them ("1", "",
// "0", "true"); a non-empty dictionary-valued KeepAlive counts as set.
func truthy(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "0", "false", "no":
		return false
	}
	return true
}
