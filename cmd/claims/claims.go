// Package claims implements `authctl claims`: decode a JWT and verify its
// signature against the project's published keys (spec §6.24).
package claims

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/config"
	"github.com/authctl/authctl/internal/render"
)

// Options of `authctl claims`.
type Options struct {
	F            *cmdutil.Factory
	Client       func() (*auth.Client, error)
	CacheDir     func() (string, error) // where fetched JWKS documents are kept
	Token        string                 // the JWT, "-" for stdin, "" for the session's access token
	AllowExpired bool
	JWKSFile     string
}

// NewCmdClaims builds `authctl claims`.
func NewCmdClaims(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f, Client: f.Client, CacheDir: func() (string, error) {
		dir, err := config.Dir(f.IOStreams.Getenv)
		return filepath.Join(dir, "cache"), err
	}}
	cmd := &cobra.Command{
		Use:   "claims [JWT | -] [--allow-expired] [--jwks FILE]",
		Short: "Decode a JWT and verify its signature",
		Long: "Print a JWT's claims and header, and whether its signature was verified. Without JWT the\n" +
			"stored session's access token is used (refreshed when about to expire); `-` reads it from stdin.\n\n" +
			"Asymmetric tokens (ES256, RS256, EdDSA …) are checked against the project's keys from\n" +
			"/.well-known/jwks.json, cached for 10 minutes in the configuration directory's cache/ folder,\n" +
			"or against --jwks FILE (a JWKS document, no network). HS256 tokens are signed with the project's\n" +
			"shared secret, which is never published: they are reported as NOT verified (\"verified\": false\n" +
			"and a reason in --json), never as valid. Expired, unsigned, malformed tokens and signatures\n" +
			"that do not match fail with exit code 1.",
		Example: "  authctl claims                                # the signed-in session's token\n" +
			"  authctl claims \"$TOKEN\" --json --jq .claims.sub\n" +
			"  authctl claims - --allow-expired < token.txt\n" +
			"  authctl claims \"$TOKEN\" --jwks jwks.json         # offline",
		Args: cmdutil.MaximumNArgs(1, "one JWT"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				if opts.Token = strings.TrimSpace(args[0]); opts.Token == "" {
					return cmdutil.FlagErrorf("the JWT argument is empty")
				}
			}
			return cmdutil.Run(cmd.Context(), opts, runF, runClaims)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&opts.AllowExpired, "allow-expired", false, "decode and verify an expired token too")
	fl.StringVar(&opts.JWKSFile, "jwks", "", "verify against the keys of this JWKS `file` instead of the server's")
	return cmd
}

func runClaims(ctx context.Context, opts *Options) error {
	f := opts.F
	token := opts.Token
	if token == "-" {
		lines, err := shared.ReadSecretLines(f.IOStreams.In, 1, "the JWT on stdin")
		if err != nil {
			return err
		}
		if token = strings.TrimSpace(lines[0]); token == "" {
			return cmdutil.FlagErrorf("stdin holds no JWT")
		}
	}
	gopts := auth.GetClaimsOptions{AllowExpired: opts.AllowExpired}
	if opts.JWKSFile != "" {
		raw, err := os.ReadFile(opts.JWKSFile)
		if err != nil {
			return cmdutil.FlagErrorf("--jwks: %v", err)
		}
		if gopts.JWKS, err = auth.ParseJWKS(raw); err != nil {
			return cmdutil.FlagErrorf("--jwks %s: %v", opts.JWKSFile, err)
		}
	} else if opts.CacheDir != nil {
		// Without a usable directory the SDK's in-memory cache still works.
		if dir, err := opts.CacheDir(); err == nil {
			gopts.Cache = diskCache{dir: dir}
		}
	}
	c, err := opts.Client()
	if err != nil {
		return err
	}
	res, err := c.GetClaims(ctx, token, gopts)
	if err != nil {
		return err
	}
	if !res.Verified {
		f.Warnf("the signature was NOT verified: %s", res.Reason)
	}
	return f.Print(res, func(p *cmdutil.Printer) error { return printHuman(p, res) })
}

// printHuman writes the verification outcome first, then the header and
// every claim as indented JSON (claims are open-ended: a table would drop
// nested app_metadata).
func printHuman(p *cmdutil.Printer, res *auth.ClaimsResult) error {
	cs := p.CS
	h := res.Header
	status := cs.Green(cs.SuccessIcon()) + " signature verified (" + h.Alg
	if h.Kid != "" {
		status += ", kid " + h.Kid
	}
	status += ")"
	if !res.Verified {
		status = cs.Yellow(cs.WarningIcon()) + " signature NOT verified (" + h.Alg + ")"
	}
	claims := any(res.Claims)
	if res.Claims.Raw != nil {
		claims = res.Claims.Raw
	}
	body, err := json.MarshalIndent(claims, "", "  ")
	if err != nil {
		return err
	}
	header, err := json.Marshal(h)
	if err != nil {
		return err
	}
	if exp := res.Claims.Exp; exp > 0 {
		status += "\n  expires: " + render.RelativeAndDate(time.Unix(exp, 0), p.Now)
	}
	_, err = fmt.Fprintf(p.Out, "%s\n  header:  %s\nclaims:\n%s\n", status, header, body)
	return err
}
