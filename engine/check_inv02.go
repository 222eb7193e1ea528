package engine

import (
	"strings"
)

func init() { register("INV-02", checkINV02) }

// checkINV02: hardware attributes recorded (make, model, serial).
// system_info vendor, model and serial all real -> PASS; one or two -> PARTIAL;
// none -> FAIL. Placeholders (data/placeholders.yaml, or one character
// repeated) are not real. Empty values that an unprivileged osquery would
// produce are UNKNOWN: all three empty, or an empty serial on Linux (the DMI
// serial is readable by root only).
func checkINV02(env *Env) Outcome {
	f := env.Facts
	hw := f.Hardware
	if !hw.Known() {
		return outcome(Unknown, nil, "system_info was not collected: %s.", monReason(hw.Origin, "system_info"))
	}
	list := builtinPlaceholders().hardware
	fields := []struct{ name, value string }{{"vendor", hw.Vendor}, {"model", hw.Model}, {"serial", hw.Serial}}
	ev := map[string]any{}
	var real, placeholder, empty []string
	for _, fl := range fields {
		v := strings.TrimSpace(fl.value)
		ev[fl.name] = fl.value
		switch {
		case v == "":
			empty = append(empty, fl.name)
		case isPlaceholder(list, v):
			placeholder = append(placeholder, fl.name)
		default:
			real = append(real, fl.name)
		}
	}
	ev["real"], ev["placeholder"], ev["empty"] = real, placeholder, empty
	linuxOrUnknown := !f.OS.Known() || f.OS.Kind == "linux"
	switch {
	case len(empty) == 3:
		return outcome(Unknown, ev, "system_info returned no vendor, model or serial; osquery most likely ran without root/administrator rights.")
	case strings.TrimSpace(hw.Serial) == "" && linuxOrUnknown:
		return outcome(Unknown, ev, "The hardware serial is empty: on Linux it is readable by root only (/sys/class/dmi/id/product_serial), so osquery most likely ran unprivileged.")
	case len(real) == 3:
		return outcome(Pass, ev, "Vendor %q, model %q and serial %q are recorded.", hw.Vendor, hw.Model, hw.Serial)
	case len(real) > 0:
		return outcome(Partial, ev, "Only %s %s real; %s.", monJoin(real), inv02Verb(len(real)), inv02Missing(placeholder, empty))
	}
	return outcome(Fail, ev, "No real hardware attribute is recorded: %s.", inv02Missing(placeholder, empty))
}

func inv02Verb(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

func inv02Missing(placeholder, empty []string) string {
	var parts []string
	if len(placeholder) > 0 {
		parts = append(parts, monJoin(placeholder)+" "+inv02Verb(len(placeholder))+" a firmware placeholder")
	}
	if len(empty) > 0 {
		parts = append(parts, monJoin(empty)+" "+inv02Verb(len(empty))+" empty")
	}
	return strings.Join(parts, ", ")
}
