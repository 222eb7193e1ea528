package engine

import (
	"strings"
	"time"
)

func init() { register("INV-04", checkINV04) }

// checkINV04: inventory record reviewed within the policy interval.
// last_reviewed at most Thresholds.InventoryReviewDays calendar days before
// the assessment day -> PASS; older, or no date on the record -> FAIL;
// unparseable, or more than a day in the future -> ERROR; no usable record
// (none supplied, another device's, expired) -> UNKNOWN with the reason.
func checkINV04(env *Env) Outcome {
	rec, why := usableInventory(env)
	if rec == nil {
		if why == "" {
			return outcome(Unknown, nil, "No inventory record was supplied.")
		}
		return outcome(Unknown, map[string]any{"not_counted": why}, "The inventory record does not count: %s.", why)
	}
	limit := env.Policy.Thresholds.InventoryReviewDays
	ev := map[string]any{"source": rec.Source, "device_id": rec.DeviceID, "last_reviewed": rec.LastReviewed,
		"inventory_review_days": limit}
	if limit <= 0 {
		return outcome(Error, ev, "The policy's inventory_review_days is %d; it must be a positive number of days.", limit)
	}
	raw := strings.TrimSpace(rec.LastReviewed)
	if raw == "" {
		return outcome(Fail, ev, "The inventory record carries no last_reviewed date, so no review is on record.")
	}
	reviewed, err := inv04ParseDate(raw)
	if err != nil {
		return outcome(Error, ev, "The inventory record's last_reviewed %q is not a date (want YYYY-MM-DD or RFC 3339).", raw)
	}
	days := inv04DaysBetween(reviewed, env.Now)
	ev["age_days"] = days
	switch {
	case days < -1:
		return outcome(Error, ev, "The inventory record's last_reviewed %s is in the future.", raw)
	case days <= limit:
		return outcome(Pass, ev, "The inventory record was reviewed %d days ago (policy: every %d days).", max(days, 0), limit)
	}
	return outcome(Fail, ev, "The inventory record was last reviewed %d days ago; the policy asks for a review every %d days.", days, limit)
}

// inv04ParseDate reads YYYY-MM-DD or RFC 3339.
func inv04ParseDate(s string) (time.Time, error) {
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC3339, s)
}

// inv04DaysBetween counts calendar days (UTC) from a to b.
func inv04DaysBetween(a, b time.Time) int {
	day := func(t time.Time) time.Time {
		y, m, d := t.UTC().Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	return int(day(b).Sub(day(a)).Hours() / 24)
}
