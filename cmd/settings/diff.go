package settings

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// DiffOptions of `authctl settings diff`.
type DiffOptions struct {
	F        *cmdutil.Factory
	Profiles [2]string
}

// DiffSide is one profile's server in `settings diff --json`.
type DiffSide struct {
	Profile string `json:"profile"`
	URL     string `json:"url"`
}

// Difference is one setting whose value differs.
type Difference struct {
	Setting string `json:"setting"`
	A       any    `json:"a"`
	B       any    `json:"b"`
}

// Diff is what `authctl settings diff --json` prints.
type Diff struct {
	A           DiffSide     `json:"a"`
	B           DiffSide     `json:"b"`
	Same        bool         `json:"same"`
	Differences []Difference `json:"differences"`
}

// NewCmdDiff builds `authctl settings diff`.
func NewCmdDiff(f *cmdutil.Factory, runF func(context.Context, *DiffOptions) error) *cobra.Command {
	opts := &DiffOptions{F: f}
	return &cobra.Command{
		Use:   "diff PROFILE_A PROFILE_B",
		Short: "Compare the auth settings of two profiles' servers",
		Long: heredoc.Doc(`
			Fetch GET /settings from the servers of two profiles (each with its own URL and anon key from
			config.yaml; --url and SUPABASE_URL do not apply) and list every setting that differs:
			staging against production, before a configuration push turns a sign-in method off unnoticed.

			Exit status, as diff(1): 0 when the settings are the same, 1 when they differ (the differences
			on stdout) or a server answered with an error (on stderr), 5 when a server cannot be reached.
		`),
		Example: heredoc.Doc(`
			  authctl settings diff staging production
			  authctl settings diff staging production --json --jq '.differences[].setting'
		`),
		Args: cmdutil.ExactArgs(2, "the two profiles to compare, PROFILE_A PROFILE_B"),
		RunE: cmdutil.RunE(opts, runF, runDiff, &opts.Profiles[0], &opts.Profiles[1]),
	}
}

func runDiff(ctx context.Context, opts *DiffOptions) error {
	var (
		sides    [2]DiffSide
		settings [2]map[string]any
	)
	g, gctx := errgroup.WithContext(ctx)
	for i, name := range opts.Profiles {
		pf := opts.F.ForProfile(name)
		g.Go(func() error {
			t, err := pf.Target()
			if err != nil {
				return err
			}
			sides[i] = DiffSide{Profile: name, URL: t.AuthURL}
			c, err := pf.PublicClient()
			if err != nil {
				return err
			}
			s, err := c.GetSettings(gctx)
			if err != nil {
				return fmt.Errorf("profile %s (%s): %w", name, t.AuthURL, err)
			}
			settings[i], err = flatten(s)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	d := Diff{A: sides[0], B: sides[1], Differences: differences(settings[0], settings[1])}
	d.Same = len(d.Differences) == 0
	err := opts.F.Print(d, func(p *cmdutil.Printer) error {
		return cmdutil.ListView[Difference]{
			Empty:  fmt.Sprintf("The settings of %s and %s are the same.", d.A.Profile, d.B.Profile),
			Header: []string{"setting", d.A.Profile, d.B.Profile},
			Row:    func(x Difference) []string { return []string{x.Setting, show(x.A), show(x.B)} },
		}.View(p, d.Differences)
	})
	if err == nil && !d.Same {
		return &cmdutil.SilentError{Code: cmdutil.ExitError}
	}
	return err
}

// flatten turns settings into dotted keys (external.github) so that a
// provider the server adds later is compared like the others.
func flatten(s *auth.Settings) (map[string]any, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	var tree map[string]any
	if err := json.Unmarshal(b, &tree); err != nil {
		return nil, err
	}
	out := map[string]any{}
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		for k, v := range m {
			if sub, ok := v.(map[string]any); ok {
				walk(prefix+k+".", sub)
				continue
			}
			out[prefix+k] = v
		}
	}
	walk("", tree)
	return out, nil
}

// differences lists the keys whose values differ, sorted; a key one side
// lacks (an older server) counts, with a null value.
func differences(a, b map[string]any) []Difference {
	keys := slices.Sorted(maps.Keys(a))
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	out := []Difference{}
	for _, k := range keys {
		if fmt.Sprint(a[k]) != fmt.Sprint(b[k]) {
			out = append(out, Difference{Setting: k, A: a[k], B: b[k]})
		}
	}
	return out
}

func show(v any) string {
	switch v := v.(type) {
	case nil:
		return "(absent)"
	case bool:
		return onOff(v)
	case string:
		if v == "" {
			return `""`
		}
		return v
	}
	return fmt.Sprint(v)
}
