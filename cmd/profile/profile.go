// Package profile implements `authctl profile list|use|rename|delete`: the
// set of profiles, one per project or account, and which one is in use.
//
// A group of its own rather than more `config` subcommands: `config` reads
// and changes the keys of one profile, these act on profiles as wholes, and
// rename and delete carry the profile's session and service-role key along,
// which `config` never touches.
package profile

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/config"
	"github.com/authctl/authctl/internal/heredoc"
	"github.com/authctl/authctl/internal/keyring"
)

// NewCmdProfile builds `authctl profile`.
func NewCmdProfile(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "profile <command>",
		Short: "List profiles, switch between them, rename and delete them",
		Long: heredoc.Docf(`
			A profile is a named set of settings (URL, anon key, flow type, storage) with its own session and
			service-role key: one per project, or per account on one project. %[1]sprofile use%[1]s makes one the
			default; --profile NAME or AUTHCTL_PROFILE picks one for a single command. %[1]sstatus --all%[1]s
			shows every profile's session.
		`, "`"),
		Example: heredoc.Doc(`
			  authctl --profile staging config set url https://abcd.supabase.co
			  authctl profile use staging
			  authctl profile list
		`),
		Args: cmdutil.NoArgs,
	}
	cmd.AddCommand(NewCmdList(f, nil), NewCmdUse(f, nil), NewCmdRename(f, nil), NewCmdDelete(f, nil))
	return cmd
}

// existing loads the configuration and checks that name is one of its
// profiles: a usage error naming the known ones otherwise.
func existing(f *cmdutil.Factory, name string) (*config.Config, error) {
	cfg, err := f.Config()
	if err != nil {
		return nil, err
	}
	if !cfg.HasProfile(name) {
		known := "none yet: create one with `authctl --profile NAME config set url URL`"
		if names := cfg.Profiles(); len(names) > 0 {
			known = strings.Join(names, ", ")
		}
		return nil, cmdutil.FlagErrorf("no profile %q in %s (profiles: %s)", name, cfg.Path(), known)
	}
	return cfg, nil
}

// secretItems are the storage items a profile owns: its session and its
// service-role key. The session's item depends on the profile's URL and,
// for local servers, on its name.
func secretItems(f *cmdutil.Factory, profile string) (session, key string, err error) {
	c, err := f.Client()
	if err != nil {
		return "", "", fmt.Errorf("profile %s: %w", profile, err)
	}
	return c.StorageKey(), keyring.ServiceRoleKeyItem(profile), nil
}

// forget removes a profile's secrets from its storage.
func forget(ctx context.Context, f *cmdutil.Factory, profile string) error {
	session, key, err := secretItems(f, profile)
	if err != nil {
		return err
	}
	storage, _, err := f.Storage()
	if err != nil {
		return err
	}
	for _, item := range []string{session, key} {
		if err := storage.RemoveItem(ctx, item); err != nil {
			return fmt.Errorf("profile %s: removing %s: %w", profile, item, err)
		}
	}
	return nil
}
