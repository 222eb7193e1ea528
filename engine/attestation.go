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
// it names another device, or it expired before the assessment time.
func recordMismatch(env *Env, source string, b facts.Binding, validUntil string) string {
	hw := env.Facts.Hardware
	name := source
	if name == "" {
		name = "record"
	}
	check := func(field, want, have string) string {
		if want == "" {
			return ""
		}
		if have == "" {
			return fmt.Sprintf("%s is bound to %s %q but the device's %s was not collected", name, field, want, field)
		}
		if !strings.EqualFold(strings.TrimSpace(want), strings.TrimSpace(have)) {
			return fmt.Sprintf("%s is for %s %q, this device has %q", name, field, want, have)
		}
		return ""
	}
	host := hw.Hostname
	if host == "" {
		host = env.Facts.Host
	}
	for _, why := range []string{
		check("serial", b.Serial, hw.Serial),
		check("uuid", b.UUID, hw.UUID),
		check("hostname", b.Hostname, host),
	} {
		if why != "" {
			return why
		}
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
