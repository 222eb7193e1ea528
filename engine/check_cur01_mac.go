package engine

import (
	"sort"
	"strings"
)

// macOS Software Update settings (x_cur_macos_updates reads the plist;
// managed_policies carries the same keys when an MDM profile sets them, and
// a managed value wins).
const (
	macUpdatesQuery   = "x_cur_macos_updates"
	macSoftwareUpdate = "/Library/Preferences/com.apple.SoftwareUpdate.plist"
	macSUDomain       = "com.apple.SoftwareUpdate"
)

// macUpdateKeys are the Software Update keys that together mean "updates
// install by themselves", with macOS's value when the key is absent (nil:
// no dependable default, so an absent key is not counted as on).
var macUpdateKeys = []struct {
	Key     string
	Default *bool
}{
	{"AutomaticCheckEnabled", macBoolPtr(true)},
	{"AutomaticDownload", macBoolPtr(true)},
	{"CriticalUpdateInstall", macBoolPtr(true)},
	{"AutomaticallyInstallMacOSUpdates", nil},
}

func macBoolPtr(b bool) *bool { return &b }

// macSetting is one key's effective value and where it came from.
type macSetting struct {
	Value  *bool  `json:"value"`
	Source string `json:"source"` // managed, plist, default, not set
	Raw    string `json:"raw,omitempty"`
}

// curMacUpdateSettings returns the effective Software Update settings, or
// known=false with the reason when neither the plist nor managed policies
// were collected.
func curMacUpdateSettings(env *Env) (map[string]macSetting, map[string]string, bool, string) {
	f := env.Facts
	plistOK, why := curQueryKnown(env, macUpdatesQuery, f.Plist.Origin)
	plistOK = plistOK && f.Plist.Known()
	if !plistOK && why == "" {
		why = curWhy("plist", f.Plist.Origin)
	}
	managedOK := f.ManagedPolicies.Known()
	raw := map[string]string{}
	managed := map[string]string{}
	if plistOK {
		for _, p := range f.Plist.Items {
			if p.Path == macSoftwareUpdate && p.Subkey == "" {
				raw[p.Key] = p.Value
			}
		}
	}
	if managedOK {
		for _, m := range f.ManagedPolicies.Items {
			if m.Domain == macSUDomain && m.Username == "" {
				managed[m.Name] = m.Value
			}
		}
	}
	if !plistOK && len(managed) == 0 {
		return nil, nil, false, why
	}
	out := map[string]macSetting{}
	for _, k := range macUpdateKeys {
		s := macSetting{Source: "not set"}
		if v, ok := managed[k.Key]; ok {
			s.Source, s.Raw = "managed", v
		} else if v, ok := raw[k.Key]; ok {
			s.Source, s.Raw = "plist", v
		} else if plistOK && k.Default != nil {
			s.Source, s.Value = "default", k.Default
		}
		if s.Raw != "" {
			if b, ok := curTruthy(s.Raw); ok {
				s.Value = &b
			}
		}
		out[k.Key] = s
	}
	extra := map[string]string{}
	for _, k := range []string{"LastFullSuccessfulDate", "LastSuccessfulDate", "LastRecommendedUpdatesAvailable"} {
		if v, ok := raw[k]; ok {
			extra[k] = v
		}
	}
	return out, extra, true, ""
}

// curMacAuto grades the settings: on when every key is true; off when the
// check or critical security installs are off; otherwise partial.
func curMacAuto(env *Env) (state string, detail string, ev map[string]any) {
	settings, extra, known, why := curMacUpdateSettings(env)
	ev = map[string]any{}
	if !known {
		return autoUnknown, "automatic-update settings were not collected (" + why + ")", ev
	}
	ev["settings"] = settings
	if len(extra) > 0 {
		ev["software_update_history"] = extra
	}
	isTrue := func(k string) bool { v := settings[k].Value; return v != nil && *v }
	isFalse := func(k string) bool { v := settings[k].Value; return v != nil && !*v }
	var notOn []string
	for _, k := range macUpdateKeys {
		if !isTrue(k.Key) {
			notOn = append(notOn, k.Key)
		}
	}
	sort.Strings(notOn)
	switch {
	case len(notOn) == 0:
		return autoOn, "automatic updates are on (check, download, critical updates and macOS updates)", ev
	case isFalse("AutomaticCheckEnabled") || isFalse("CriticalUpdateInstall"):
		return autoOff, "automatic updates are off (" + strings.Join(notOn, ", ") + " not on)", ev
	}
	return autoUnverified, "automatic updates are only partly on (" + strings.Join(notOn, ", ") + " not on)", ev
}

func cur01Darwin(env *Env) Outcome {
	sup := curReleaseSupport(env)
	ev := map[string]any{"release": sup.Evidence}
	if sup.Ended {
		return curEOLOutcome(sup, ev)
	}
	state, autoText, autoEv := curMacAuto(env)
	ev["automatic_updates"] = autoEv
	ev["automatic_updates_state"] = state
	supText := "the release is not in the lifecycle table (" + curOr(strings.TrimSpace(sup.Name), "unknown") + ")"
	if sup.Known {
		supText = sup.Name + " is supported until " + sup.EndDate
		if sup.Estimated {
			supText += " (estimated)"
		}
	}
	switch {
	case state == autoOn:
		return outcome(Pass, ev, "%s, and %s.", asmSentence(autoText), supText)
	case sup.Known:
		return outcome(Partial, ev, "%s, but %s.", asmSentence(supText), autoText)
	}
	return outcome(Unknown, ev, "Patch level cannot be graded: %s, and %s.", autoText, supText)
}
