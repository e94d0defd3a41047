package render

import (
	"strings"
	"testing"
	"time"
)

func TestRelativeTime(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "just now"},
		{-30 * time.Second, "just now"},
		{45 * time.Second, "in 45 seconds"},
		{time.Minute, "in 1 minute"},
		{59*time.Minute + 59*time.Second, "in 59 minutes"},
		{-3 * time.Minute, "3 minutes ago"},
		{-time.Hour, "1 hour ago"},
		{2*time.Hour + 30*time.Minute, "in 2 hours"},
		{3 * 24 * time.Hour, "in 3 days"},
		{-24 * time.Hour, "1 day ago"},
		{-60 * 24 * time.Hour, "2 months ago"},
		{800 * 24 * time.Hour, "in 2 years"},
	}
	for _, tt := range tests {
		if got := RelativeTime(now.Add(tt.d), now); got != tt.want {
			t.Errorf("%v: got %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestServerTime(t *testing.T) {
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	if got := ServerTime("2026-12-04T09:59:59.987654321Z", now); !strings.HasPrefix(got, "2 hours ago (2026-12-04 ") {
		t.Errorf("ServerTime = %q", got)
	}
	if got := ServerTime("not a time", now); got != "not a time" {
		t.Errorf("unparseable value changed: %q", got)
	}
}
