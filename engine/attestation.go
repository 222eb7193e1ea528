package engine

import (
	"fmt"
	"strings"
	"time"

	"github.com/miccmac/miccmac-osq/engine/facts"
)

// usableAttestation returns the attestation when it applies to this device and
// has not expired; otherwise nil and why (empty reason when none was supplied).
func usableAttestation(env *Env) (*facts.Attestation, string) {
	a := env.Facts.Attestation
	if a == nil {
		return nil, ""
	}
	if why := recordMismatch(env, a.Source, a.Binding, a.ValidUntil); why != "" {
		return nil, why
	}
	return a, ""
}

// usableInventory is usableAttestation for the inventory record.
func usableInventory(env *Env) (*facts.InventoryRecord, string) {
	r := env.Facts.Inventory
	if r == nil {
		return nil, ""
	}
	if why := recordMismatch(env, r.Source, r.Binding, r.ValidUntil); why != "" {
		return nil, why
	}
	return r, ""
}

// recordMismatch says why an external record does not count for this device:
// it names another device, it cannot be bound (a bound field the device did
// not report), or it expired before the assessment time. A hardware
// placeholder (data/placeholders.yaml: "To Be Filled By O.E.M.", an all-zero
// uuid ...) on either side identifies no device, so that field neither
// matches nor mismatches; a record bound only by such fields does not count.
func recordMismatch(env *Env, source string, b facts.Binding, validUntil string) string {
	hw := env.Facts.Hardware
	name := source
	if name == "" {
		name = "record"
	}
	host := hw.Hostname
	if host == "" {
		host = env.Facts.Host
	}
	ph := builtinPlaceholders().hardware
	var placeholders []string
	bound, matched := 0, 0
	for _, c := range []struct{ field, want, have string }{
		{"serial", b.Serial, hw.Serial}, {"uuid", b.UUID, hw.UUID}, {"hostname", b.Hostname, host},
	} {
		want, have := strings.TrimSpace(c.want), strings.TrimSpace(c.have)
		if want == "" {
			continue
		}
		bound++
		switch {
		case isPlaceholder(ph, want):
			placeholders = append(placeholders, fmt.Sprintf("the record's %s %q is a placeholder", c.field, want))
		case have == "":
			return fmt.Sprintf("%s is bound to %s %q but the device's %s was not collected", name, c.field, want, c.field)
		case isPlaceholder(ph, have):
			placeholders = append(placeholders, fmt.Sprintf("the device reports the placeholder %s %q", c.field, have))
		case !strings.EqualFold(want, have):
			return fmt.Sprintf("%s is for %s %q, this device has %q", name, c.field, want, have)
		default:
			matched++
		}
	}
	if bound > 0 && matched == 0 {
		return fmt.Sprintf("%s cannot be bound to this device: a placeholder identifies no device (%s)", name, strings.Join(placeholders, "; "))
	}
	if validUntil != "" {
		t, err := parseDay(validUntil)
		if err != nil {
			return fmt.Sprintf("%s has valid_until %q, which is not a date", name, validUntil)
		}
		if env.Now.After(t) {
			return fmt.Sprintf("%s expired on %s", name, validUntil)
		}
	}
	return ""
}

// parseDay reads YYYY-MM-DD (end of that day, UTC) or RFC 3339.
func parseDay(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t.Add(24*time.Hour - time.Nanosecond), nil
	}
	return time.Parse(time.RFC3339, s)
}
