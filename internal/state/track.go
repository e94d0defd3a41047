package state

import (
	"context"

	"github.com/authctl/authctl/internal/auth"
)

// TrackSessions wraps s so that writing or removing the session under key
// records in f whether profile holds a session for authURL. Failing to
// record is not an error: the record only feeds hints.
func TrackSessions(s auth.Storage, f *File, profile, key, authURL string) auth.Storage {
	return &tracked{Storage: s, f: f, profile: profile, key: key, url: authURL}
}

type tracked struct {
	auth.Storage
	f                 *File
	profile, key, url string
}

func (t *tracked) SetItem(ctx context.Context, key, value string) error {
	err := t.Storage.SetItem(ctx, key, value)
	if err == nil && key == t.key {
		_ = t.f.SetSession(t.profile, t.url, true)
	}
	return err
}

func (t *tracked) RemoveItem(ctx context.Context, key string) error {
	err := t.Storage.RemoveItem(ctx, key)
	if err == nil && key == t.key {
		_ = t.f.SetSession(t.profile, t.url, false)
	}
	return err
}
