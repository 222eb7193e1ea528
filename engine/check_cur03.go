package engine

import (
	"strings"
	"time"
)

// CUR-03 Firmware / BIOS current.
//
// The attestation's firmware_currency.current decides (true -> PASS, false ->
// FAIL). Otherwise the platform_info release date: within
// firmware_max_age_days -> PASS ("recent"), older -> PARTIAL ("confirm with
// the vendor": an old date may still be the newest release for the model);
// no parsed date -> UNKNOWN. A virtual machine's firmware belongs to the
// hypervisor -> NOT_APPLICABLE.
func init() { register("CUR-03", checkCUR03) }

// curVirtualFirmware names system_info vendor/model pairs of virtual
// machines (exact, case-insensitive; model "" matches any model of the vendor).
var curVirtualFirmware = []struct{ Vendor, Model string }{
	{"QEMU", ""},
	{"innotek GmbH", "VirtualBox"},
	{"VMware, Inc.", ""},
	{"Xen", ""},
	{"Amazon EC2", ""},
	{"Google", "Google Compute Engine"},
	{"Microsoft Corporation", "Virtual Machine"},
	{"Parallels Software International Inc.", ""},
	{"Parallels International GmbH.", ""},
	{"OpenStack Foundation", ""},
	{"DigitalOcean", "Droplet"},
}

func checkCUR03(env *Env) Outcome {
	f := env.Facts
	fw := f.Firmware
	ev := map[string]any{"vendor": strings.TrimSpace(fw.Vendor), "version": strings.TrimSpace(fw.Version), "date_raw": fw.DateRaw}
	att, why := usableAttestation(env)
	if att != nil && att.FirmwareCurrency != nil {
		fc := att.FirmwareCurrency
		ev["attestation_source"] = att.Source
		ev["firmware_currency"] = map[string]any{"current": fc.Current, "checked": fc.Checked}
		checked := ""
		if fc.Checked != "" {
			checked = " (checked " + fc.Checked + ")"
		}
		if fc.Current {
			return outcome(Pass, ev, "The attestation states the firmware is current%s.", checked)
		}
		return outcome(Fail, ev, "The attestation states the firmware is not current%s.", checked)
	}
	if why != "" {
		ev["attestation_not_used"] = why
	}
	if vm := curVirtualMachine(env); vm != "" {
		ev["virtual_machine"] = vm
		return outcome(NotApplicable, ev, "This is a virtual machine (%s): its firmware is the hypervisor's, patched by the platform owner.", vm)
	}
	if !fw.Known() {
		ev["firmware_reason"] = fw.Reason
		return outcome(Unknown, ev, "%s, and no firmware_currency attestation applies.", asmSentence(curWhy("platform_info", fw.Origin)))
	}
	if strings.TrimSpace(fw.Date) == "" {
		if strings.TrimSpace(fw.DateRaw) == "" {
			return outcome(Unknown, ev, "platform_info gave no firmware release date, and no firmware_currency attestation applies.")
		}
		return outcome(Unknown, ev, "The firmware release date %q could not be read as a date, and no firmware_currency attestation applies.", fw.DateRaw)
	}
	d, err := time.Parse(time.DateOnly, strings.TrimSpace(fw.Date))
	if err != nil {
		return outcome(Error, ev, "The firmware date %q in the facts is not YYYY-MM-DD.", fw.Date)
	}
	maxAge := curPolicy(env).Thresholds.FirmwareMaxAgeDays
	age := curAgeDays(env.Now, d)
	ev["date"] = curDay(d)
	ev["age_days"] = age
	ev["firmware_max_age_days"] = maxAge
	if d.After(env.Now.Add(24 * time.Hour)) {
		return outcome(Error, ev, "The firmware release date %s is after the assessment time.", curDay(d))
	}
	if curWithin(env.Now, d, maxAge) {
		return outcome(Pass, ev, "The firmware (%s %s) is recent: released %s, %d days ago, within %d days.",
			curOr(ev["vendor"].(string), "vendor unknown"), curOr(ev["version"].(string), "version unknown"), curDay(d), age, maxAge)
	}
	return outcome(Partial, ev, "The firmware (%s %s) was released %s, %d days ago (more than %d): confirm with the vendor that no newer release exists for this model.",
		curOr(ev["vendor"].(string), "vendor unknown"), curOr(ev["version"].(string), "version unknown"), curDay(d), age, maxAge)
}

// curVirtualMachine names the hypervisor when system_info shows a virtual machine.
func curVirtualMachine(env *Env) string {
	hw := env.Facts.Hardware
	if !hw.Known() {
		return ""
	}
	vendor, model := strings.TrimSpace(hw.Vendor), strings.TrimSpace(hw.Model)
	for _, v := range curVirtualFirmware {
		if strings.EqualFold(vendor, v.Vendor) && (v.Model == "" || strings.EqualFold(model, v.Model)) {
			return strings.TrimSpace(vendor + " " + model)
		}
	}
	return ""
}
