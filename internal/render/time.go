package render

import (
	"fmt"
	"time"
)

// RelativeTime describes t relative to now for people: "in 59 minutes",
// "3 minutes ago", "in 2 hours", "just now", "in 3 days". Amounts are rounded
// down, so an expiry is never announced later than it is ("in 59 minutes"
// for 59m59s). Under a minute in the future it counts seconds, because a
// token about to expire is worth knowing about precisely.
func RelativeTime(t, now time.Time) string {
	d := t.Sub(now)
	future := d > 0
	if !future {
		d = -d
	}
	if d < time.Second || (!future && d < time.Minute) {
		return "just now"
	}
	var n int
	var unit string
	switch {
	case d < time.Minute:
		n, unit = int(d/time.Second), "second"
	case d < time.Hour:
		n, unit = int(d/time.Minute), "minute"
	case d < 24*time.Hour:
		n, unit = int(d/time.Hour), "hour"
	case d < 30*24*time.Hour:
		n, unit = int(d/(24*time.Hour)), "day"
	case d < 365*24*time.Hour:
		n, unit = int(d/(30*24*time.Hour)), "month"
	default:
		n, unit = int(d/(365*24*time.Hour)), "year"
	}
	if n != 1 {
		unit += "s"
	}
	if future {
		return fmt.Sprintf("in %d %s", n, unit)
	}
	return fmt.Sprintf("%d %s ago", n, unit)
}

// RelativeAndDate is how a detail view shows a time: "3 days ago
// (2026-12-01 10:00:00 UTC)", relative for reading, the local date to note.
func RelativeAndDate(t, now time.Time) string {
	return RelativeTime(t, now) + " (" + t.Local().Format("2006-01-02 15:04:05 MST") + ")"
}

// ServerTime shows a server timestamp (RFC 3339, with or without fraction)
// as RelativeAndDate; a value it cannot parse is shown as it came.
func ServerTime(ts string, now time.Time) string {
	t, err := time.Parse(time.RFC3339Nano, ts)
	if err != nil {
		return ts
	}
	return RelativeAndDate(t, now)
}
