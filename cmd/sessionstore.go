package cmd

import (
	"context"
	"encoding/json"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/state"
)

// sessionStore wraps a profile's storage to watch the one item that holds
// its session. Every way of signing in ends in one write of that item and
// signing out in its removal, so this one place sees them all, and:
//   - records in the state file whether the profile holds a session for the
//     Auth URL (it only feeds hints, so failing to record is not an error);
//   - says when a sign-in replaces the session of another user: silently
//     becoming someone else surprises. A refresh rewrites the same user and
//     says nothing: it is one write, without reading the old session back or
//     touching the state file (the sign-in recorded the session).
type sessionStore struct {
	auth.Storage
	key          string // the profile's session item
	profile, url string
	state        *state.File
	warn         func(format string, args ...any)
}

func (s sessionStore) SetItem(ctx context.Context, key, value string) error {
	if key != s.key || auth.IsRefreshWrite(ctx) {
		return s.Storage.SetItem(ctx, key, value)
	}
	if old, ok, err := s.Storage.GetItem(ctx, key); err == nil && ok {
		was, now := sessionUser(old), sessionUser(value)
		if was != nil && now != nil && was.ID != now.ID {
			s.warn("replaced the session of %s with %s", shared.UserLabel(was), shared.UserLabel(now))
		}
	}
	if err := s.Storage.SetItem(ctx, key, value); err != nil {
		return err
	}
	_ = s.state.SetSession(s.profile, s.url, true)
	return nil
}

func (s sessionStore) RemoveItem(ctx context.Context, key string) error {
	if err := s.Storage.RemoveItem(ctx, key); err != nil || key != s.key {
		return err
	}
	_ = s.state.SetSession(s.profile, s.url, false)
	return nil
}

// sessionUser is the user of a stored session, nil when it is not one.
func sessionUser(raw string) *auth.User {
	var s auth.Session
	if json.Unmarshal([]byte(raw), &s) != nil || s.User.ID == "" {
		return nil
	}
	return &s.User
}
