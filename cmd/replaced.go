package cmd

import (
	"context"
	"encoding/json"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
)

// replacedNotice wraps the session storage to say when a sign-in replaces
// the session of another user: silently becoming someone else surprises.
// Every way of signing in ends in one write of the session item, so this
// one place sees them all; a refresh rewrites the same user and says nothing.
type replacedNotice struct {
	auth.Storage
	key  string // the profile's session item
	warn func(format string, args ...any)
}

func (s replacedNotice) SetItem(ctx context.Context, key, value string) error {
	if key == s.key {
		if old, ok, err := s.Storage.GetItem(ctx, key); err == nil && ok {
			was, now := sessionUser(old), sessionUser(value)
			if was != nil && now != nil && was.ID != now.ID {
				s.warn("replaced the session of %s with %s", shared.UserLabel(was), shared.UserLabel(now))
			}
		}
	}
	return s.Storage.SetItem(ctx, key, value)
}

// sessionUser is the user of a stored session, nil when it is not one.
func sessionUser(raw string) *auth.User {
	var s auth.Session
	if json.Unmarshal([]byte(raw), &s) != nil || s.User.ID == "" {
		return nil
	}
	return &s.User
}
