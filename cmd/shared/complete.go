package shared

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
)

// CompleteProviders completes a PROVIDER argument with the OAuth providers
// the server has on (ServerProviders: cached for a few minutes, so repeated
// Tabs cost one request).
func CompleteProviders(f *cmdutil.Factory) cobra.CompletionFunc {
	return cmdutil.CompleteArg(f, 0, func(ctx context.Context, _ []string) ([]string, error) {
		external, err := ServerProviders(ctx, f)
		if err != nil {
			return nil, err
		}
		return EnabledProviders(external), nil
	})
}

// CompleteFactorIDs completes a FACTOR_ID argument (at pos) with the
// signed-in user's factors, each described by type, status and name: fresh
// from the server while the stored access token is valid, else as the stored
// session last saw them. It never refreshes the session: completion must not
// take the session lock or spend a refresh token.
func CompleteFactorIDs(f *cmdutil.Factory, pos int) cobra.CompletionFunc {
	return cmdutil.CompleteArg(f, pos, func(ctx context.Context, _ []string) ([]string, error) {
		c, err := f.Client()
		if err != nil {
			return nil, err
		}
		s := c.StoredSession(ctx)
		if s == nil {
			return nil, nil
		}
		factors := s.User.Factors
		if !s.ExpiresWithin(f.Now(), 0) {
			if u, err := c.GetUser(ctx, s.AccessToken); err == nil {
				factors = u.Factors
			}
		}
		return FactorCompletions(factors), nil
	})
}

// FactorCompletions are the factors' ids, with what a person recognises
// them by as the shells' description.
func FactorCompletions(fs []auth.Factor) []string {
	out := make([]string, 0, len(fs))
	for _, fa := range fs {
		desc := strings.TrimSpace(string(fa.FactorType) + " " + string(fa.Status) + " " + fa.FriendlyName)
		out = append(out, cobra.CompletionWithDesc(fa.ID, desc))
	}
	return out
}

// CompleteIDs completes the ITEM_ID argument that follows USER_ID with that
// user's items, read with the service-role key (the admin variant of
// CompleteFactorIDs).
func (k UserItems[T]) CompleteIDs(f *cmdutil.Factory) cobra.CompletionFunc {
	return cmdutil.CompleteArg(f, 1, func(ctx context.Context, args []string) ([]string, error) {
		c, err := f.AdminClient()
		if err != nil {
			return nil, err
		}
		items, err := k.List(ctx, c, args[0])
		if err != nil {
			return nil, err
		}
		return k.Completions(items), nil
	})
}
