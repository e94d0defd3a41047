package audit

import (
	"testing"
	"time"

	"github.com/authctl/authctl/internal/auth"
)

func TestParseSince(t *testing.T) {
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Time{
		"90m":                  now.Add(-90 * time.Minute),
		"2026-12-01":           time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
		"2026-12-01T09:30:00Z": time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC),
		"":                     {},
	} {
		if got, err := parseSince(in, now); err != nil || !got.Equal(want) {
			t.Errorf("parseSince(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"yesterday", "-5m", "12/01/2026"} {
		if _, err := parseSince(bad, now); err == nil {
			t.Errorf("parseSince(%q): no error", bad)
		}
	}
}

// The server filters on one substring; the rest is matched exactly here,
// and an actor id, which the server cannot search, is matched here only.
func TestFilter(t *testing.T) {
	id := "7f3e16a0-1111-4222-8333-944455556666"
	e := &auth.AuditEntry{Payload: map[string]any{"action": "login", "actor_id": id, "actor_username": "QA@example.com"}}
	for _, tc := range []struct {
		fl    filter
		query string
		match bool
	}{
		{filter{action: "login", actor: "qa@example.com"}, "author:qa@example.com", true},
		{filter{action: "log"}, "action:log", false},
		{filter{actor: id, action: "login"}, "action:login", true},
		{filter{actor: "7f3e16a0"}, "author:7f3e16a0", false},
	} {
		if q := tc.fl.serverQuery(); q != tc.query {
			t.Errorf("%+v: query %q, want %q", tc.fl, q, tc.query)
		}
		if m := tc.fl.match(e); m != tc.match {
			t.Errorf("%+v: match %v, want %v", tc.fl, m, tc.match)
		}
	}
}

// Entries sharing the newest timestamp are told apart by id.
func TestWatermark(t *testing.T) {
	at := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	var w watermark
	a := &auth.AuditEntry{ID: "a", CreatedAt: at}
	if w.seen(a) {
		t.Fatal("an empty watermark has seen nothing")
	}
	w.advance(a)
	b := &auth.AuditEntry{ID: "b", CreatedAt: at}
	older := &auth.AuditEntry{ID: "c", CreatedAt: at.Add(-time.Millisecond)}
	if !w.seen(a) || w.seen(b) || !w.seen(older) {
		t.Errorf("seen: a %v b %v older %v", w.seen(a), w.seen(b), w.seen(older))
	}
}
