package configcmd

import (
	"context"
	"fmt"
	"time"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/keyring"
)

// ServiceRoleKeyName is the `config` key of the service-role key. Unlike the
// other keys it never reaches config.yaml: `config set` reads it from stdin
// and stores it with the profile's session storage (OS keyring or the 0600
// session file).
const ServiceRoleKeyName = "service-role-key"

// storageTimeout bounds one storage call (the keyring has its own timeout;
// this one covers the file lock as well).
const storageTimeout = 10 * time.Second

// keyItem resolves the profile (without requiring a valid target URL:
// storing a key must work before the URL is configured), opens its storage
// and names the item holding its key.
func keyItem(f *cmdutil.Factory) (storage auth.Storage, info cmdutil.StorageInfo, profile, item string, err error) {
	if _, profile, err = withConfig(f); err != nil {
		return nil, info, "", "", err
	}
	if storage, info, err = f.Storage(); err != nil {
		return nil, info, "", "", err
	}
	return storage, info, profile, keyring.ServiceRoleKeyItem(profile), nil
}

// setServiceRoleKey reads the key from stdin, or a masked prompt on a
// terminal (never argv: it would show in ps and shell history), and stores it.
func setServiceRoleKey(ctx context.Context, f *cmdutil.Factory) error {
	key, err := shared.Secret(f, !f.IOStreams.CanPrompt(), "stdin", "Service-role key", shared.NotEmpty("the service-role key"))
	if err != nil {
		return err
	}
	storage, info, profile, item, err := keyItem(f)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, storageTimeout)
	defer cancel()
	if err := storage.SetItem(ctx, item, key); err != nil {
		return fmt.Errorf("storing the service-role key: %w", err)
	}
	f.Infof("Stored the service-role key of profile %s in the %s storage", profile, info.Backend)
	return nil
}

// unsetServiceRoleKey forgets the stored key; it is not an error when none
// was stored.
func unsetServiceRoleKey(ctx context.Context, f *cmdutil.Factory) error {
	storage, _, _, item, err := keyItem(f)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, storageTimeout)
	defer cancel()
	return storage.RemoveItem(ctx, item)
}

// getServiceRoleKey says whether a key is stored (and whether the
// environment overrides it), never what it is.
func getServiceRoleKey(ctx context.Context, f *cmdutil.Factory) error {
	storage, _, _, item, err := keyItem(f)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, storageTimeout)
	defer cancel()
	_, stored, err := storage.GetItem(ctx, item)
	if err != nil {
		return err
	}
	state := "not set"
	if stored {
		state = "set"
	}
	getenv := f.IOStreams.Getenv
	if getenv("SUPABASE_SERVICE_ROLE_KEY") != "" || getenv("SUPABASE_SECRET_KEY") != "" {
		state += " (SUPABASE_SERVICE_ROLE_KEY or SUPABASE_SECRET_KEY in the environment takes precedence)"
	}
	return f.Print(map[string]bool{ServiceRoleKeyName: stored}, func(p *cmdutil.Printer) error {
		_, err := fmt.Fprintln(p.Out, state)
		return err
	})
}
