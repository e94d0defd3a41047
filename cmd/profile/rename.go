package profile

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/cmdutil"
)

// RenameOptions of `authctl profile rename`.
type RenameOptions struct {
	F        *cmdutil.Factory
	Old, New string
}

// NewCmdRename builds `authctl profile rename`.
func NewCmdRename(f *cmdutil.Factory, runF func(context.Context, *RenameOptions) error) *cobra.Command {
	opts := &RenameOptions{F: f}
	return &cobra.Command{
		Use:   "rename OLD NEW",
		Short: "Rename a profile, keeping its session and service-role key",
		Args:  cmdutil.ExactArgs(2, "the OLD and NEW names"),
		RunE:  cmdutil.RunE(opts, runF, runRename, &opts.Old, &opts.New),
	}
}

func runRename(ctx context.Context, opts *RenameOptions) error {
	f := opts.F
	cfg, err := existing(f, opts.Old)
	if err != nil {
		return err
	}
	if cfg.HasProfile(opts.New) {
		return cmdutil.FlagErrorf("profile %q already exists: delete it first with `authctl profile delete %s`", opts.New, opts.New)
	}
	// Read the secrets before the rename: where they live depends on the
	// profile's name.
	from := f.ForProfile(opts.Old)
	secrets, err := read(ctx, from, opts.Old)
	if err != nil {
		return err
	}
	if err := cfg.RenameProfile(opts.Old, opts.New); err != nil {
		return err
	}
	if err := cfg.Save(); err != nil {
		return err
	}
	if err := forget(ctx, from, opts.Old); err != nil {
		return err
	}
	if err := write(ctx, f.ForProfile(opts.New), opts.New, secrets); err != nil {
		return fmt.Errorf("profile %s renamed, but its secrets could not be stored under the new name "+
			"(sign in again; set the service-role key again): %w", opts.New, err)
	}
	f.Infof("Renamed profile %s to %s", opts.Old, opts.New)
	return nil
}

// stored is what a profile keeps in its storage; empty strings are absent.
type stored struct{ session, key string }

func read(ctx context.Context, f *cmdutil.Factory, profile string) (stored, error) {
	sessionItem, keyItem, err := secretItems(f, profile)
	if err != nil {
		return stored{}, err
	}
	storage, _, err := f.Storage()
	if err != nil {
		return stored{}, err
	}
	var s stored
	for item, v := range map[string]*string{sessionItem: &s.session, keyItem: &s.key} {
		if *v, _, err = storage.GetItem(ctx, item); err != nil {
			return stored{}, fmt.Errorf("profile %s: reading %s: %w", profile, item, err)
		}
	}
	return s, nil
}

func write(ctx context.Context, f *cmdutil.Factory, profile string, s stored) error {
	sessionItem, keyItem, err := secretItems(f, profile)
	if err != nil {
		return err
	}
	storage, _, err := f.Storage()
	if err != nil {
		return err
	}
	for item, v := range map[string]string{sessionItem: s.session, keyItem: s.key} {
		if v == "" {
			continue
		}
		if err := storage.SetItem(ctx, item, v); err != nil {
			return err
		}
	}
	return nil
}
