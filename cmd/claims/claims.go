// Package claims implements `authctl claims`: decode a JWT and verify it
// against the project's published keys, or by the server when no published
// key can (spec §6.24).
package claims

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/config"
	"github.com/authctl/authctl/internal/heredoc"
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
	Offline      bool
	CheckSession bool
}

// NewCmdClaims builds `authctl claims`.
func NewCmdClaims(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f, Client: f.Client, CacheDir: func() (string, error) {
		dir, err := config.Dir(f.IOStreams.Getenv)
		return filepath.Join(dir, "cache"), err
	}}
	cmd := &cobra.Command{
		Use:   "claims [JWT | -] [--allow-expired] [--check-session | --offline] [--jwks FILE]",
		Short: "Decode a JWT and verify it",
		Long: heredoc.Docf(`
			Print a JWT's claims and header, and how it was verified. Without JWT the stored session's
			access token is used (refreshed when about to expire); %[1]s-%[1]s reads it from stdin.

			Asymmetric tokens (ES256, RS256, EdDSA …) are checked against the project's keys from
			/.well-known/jwks.json, cached for 10 minutes in the configuration directory's cache/ folder.
			A token no published key can check — HS256, signed with the project's secret, which is never
			published, or a kid the JWKS does not hold — is sent to the server (GET /user), as the reference
			client's getClaims does: the server checks its signature and expiry, and that its user and
			session still exist. Forged, expired, unsigned and malformed tokens, and tokens the server
			refuses, fail with exit code 1 (the server's code, e.g. bad_jwt, session_not_found,
			user_not_found, user_banned, is printed); the stored session, when the server says it was
			signed out, is removed (exit code 3).

			--check-session asks the server even when the signature was verified locally: it answers
			"is this session still alive?" (signed out, revoked, user deleted or banned fail), what a
			backend's verifySession with checkRevoked would answer. --offline and --jwks FILE (a JWKS
			document) never send the token anywhere: a token they cannot check is printed as NOT verified
			("verified": false and a reason in --json, a warning on stderr), with exit code 0; so is an
			expired HS256 token with --allow-expired, which the server refuses to look at.
		`, "`"),
		Example: heredoc.Doc(`
			  authctl claims                                # the signed-in session's token
			  authctl claims "$TOKEN" --json --jq .claims.sub
			  authctl claims - --check-session < token.txt   # exit 0 only while the session is alive
			  authctl claims - --allow-expired < token.txt
			  authctl claims "$TOKEN" --jwks jwks.json         # offline
		`),
		Args: cmdutil.MaximumNArgs(1, "one JWT"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				if opts.Token = strings.TrimSpace(args[0]); opts.Token == "" {
					return cmdutil.FlagErrorf("the JWT argument is empty")
				}
			}
			if opts.Offline && opts.CheckSession {
				return cmdutil.FlagErrorf("--offline and --check-session cannot be combined: checking the session needs the server")
			}
			return cmdutil.Run(cmd.Context(), opts, runF, runClaims)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&opts.AllowExpired, "allow-expired", false, "decode and verify an expired token too")
	fl.StringVar(&opts.JWKSFile, "jwks", "", "verify against the keys of this JWKS `FILE` only (no request to verify)")
	fl.BoolVar(&opts.Offline, "offline", false, "send no request: check with --jwks or the cached keys only")
	fl.BoolVar(&opts.CheckSession, "check-session", false, "also ask the server whether the token's session is still alive")
	return cmd
}

func runClaims(ctx context.Context, opts *Options) error {
	f := opts.F
	token := opts.Token
	if len(token) > shared.MaxSecretBytes {
		// The same bound as on stdin, the recommended way to pass a JWT.
		return cmdutil.FlagErrorf("the JWT is longer than %d KiB", shared.MaxSecretBytes>>10)
	}
	if token == "-" {
		lines, err := shared.ReadSecretLines(f.IOStreams.In, 1, "the JWT on stdin")
		if err != nil {
			return err
		}
		if token = strings.TrimSpace(lines[0]); token == "" {
			return cmdutil.FlagErrorf("stdin holds no JWT")
		}
	}
	gopts := auth.GetClaimsOptions{AllowExpired: opts.AllowExpired, Offline: opts.Offline, CheckSession: opts.CheckSession}
	if opts.JWKSFile != "" {
		raw, err := shared.ReadFlagFile("--jwks", opts.JWKSFile)
		if err != nil {
			return err
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
	status := cs.Green(cs.SuccessIcon()) + " " + verifiedBy(res)
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

// verifiedBy says how a verified token was checked, and whether the server
// vouched for its session.
func verifiedBy(res *auth.ClaimsResult) string {
	h := res.Header
	var s string
	switch res.VerifiedBy {
	case auth.VerifiedByServer:
		s = "verified by the server (" + h.Alg + ")"
	default:
		s = "signature verified (" + h.Alg
		if h.Kid != "" {
			s += ", kid " + h.Kid
		}
		s += ")"
	}
	if res.SessionChecked {
		s += "; session active"
	}
	return s
}
