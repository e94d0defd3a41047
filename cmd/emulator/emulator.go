// Package emulator implements `authctl emulator`: a local
// Supabase-Auth-compatible server for development and CI.
package emulator

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/emulator"
	"github.com/authctl/authctl/internal/heredoc"
)

// envPrefix names the environment equivalents of the flags.
const envPrefix = "AUTHCTL_EMULATOR"

// Options of `authctl emulator`.
type Options struct {
	F          *cmdutil.Factory
	Config     emulator.Config
	ConfigFile string // a project's supabase/config.toml (projectfile.go)
	TestOTP    []string
	Providers  []string
	// Ready, when set, receives the address once the server listens (tests).
	Ready func(addr string)
}

// Info is what the emulator prints when it starts, like `supabase start`.
type Info struct {
	URL            string `json:"url"`
	AnonKey        string `json:"anon_key"`
	ServiceRoleKey string `json:"service_role_key"`
	JWTSecret      string `json:"jwt_secret"`
	Messages       string `json:"messages_url"`
	Inbox          string `json:"inbox_url"`
}

// NewCmdEmulator builds `authctl emulator`.
func NewCmdEmulator(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f, Config: emulator.DefaultConfig()}
	c := &opts.Config
	cmd := &cobra.Command{
		Use:   "emulator",
		Short: "Run a local Supabase-Auth-compatible server",
		Long: heredoc.Docf(`
			Serve the Supabase Auth API from memory on 127.0.0.1:9999 (the default URL of authctl and
			of the SDKs), so development and CI need neither Docker nor network. The API is served both at
			/ and at /auth/v1. Defaults mirror Supabase local development: email and SMS autoconfirm,
			anonymous sign-ins, TOTP and phone MFA, manual linking, the OAuth 2.1 server, no rate limits;
			flags turn on the settings of a production project (--confirm-email, --rate-limits, ...).

			%[1]slogin oauth%[1]s goes through a mock identity provider's page; %[1]slogin sso --domain D%[1]s through
			a built-in SAML identity provider for the domains of --sso-domain (its metadata, for
			%[1]sadmin sso providers add%[1]s, is at GET /emulator/saml/metadata).

			Emails and SMS are not sent: every code and link is kept, shown on the inbox page
			(/emulator/inbox, to this machine only) and by %[1]sauthctl emulator messages%[1]s, and admin
			generate-link works as on a real server.

			--config reads a project's supabase/config.toml, the file %[1]ssupabase start%[1]s configures Auth from,
			and behaves as that project would: its [auth] settings, env(NAME) values and the CLI's defaults
			for what it leaves out (so rate limits are on, as under supabase start). As the Supabase CLI
			does, it reads the .env files of the file's directory and the one above (.env.development.local,
			.env.local, .env.development, .env; SUPABASE_ENV picks another stage; set variables win) and
			lets SUPABASE_<KEY> variables replace settings (SUPABASE_AUTH_SITE_URL). Settings the emulator
			does not support are listed when it starts. Flags and their environment equivalents win over
			the file.

			Every flag has an environment equivalent: --jwt-exp is %[2]s.
			The default JWT secret is Supabase's public development secret: never expose the emulator.
			To set your own, prefer %[3]s to --jwt-secret: other local users
			can read a command line (ps), not your environment.
		`, "`", cmdutil.EnvName(envPrefix, "jwt-exp"), cmdutil.EnvName(envPrefix, "jwt-secret")),
		Example: heredoc.Docf(`
			  authctl emulator --port 9999 --data ./auth-state.json
			  %s="$(openssl rand -hex 32)" authctl emulator
			  authctl emulator --jwt-exp 5s --test-otp 15555550100=123456
			  authctl emulator --config supabase/config.toml
			  authctl emulator --sso-domain corp.test   # then: authctl login sso --domain corp.test
		`, cmdutil.EnvName(envPrefix, "jwt-secret")),
		Args: cmdutil.NoArgs,
		PreRunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.loadProjectFile(cmd); err != nil {
				return err
			}
			return cmdutil.BindEnv(cmd, envPrefix, f.IOStreams.Getenv)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.finish(); err != nil {
				return err
			}
			if cmd.Flags().Changed("jwt-secret") { // only argv marks it changed, not the environment
				f.Warnf("--jwt-secret on the command line is readable by other local users (ps); set %s instead",
					cmdutil.EnvName(envPrefix, "jwt-secret"))
			}
			return cmdutil.Run(cmd.Context(), opts, runF, runEmulator)
		},
	}
	cmd.AddCommand(NewCmdMessages(f, nil))
	fl := cmd.Flags()
	fl.StringVar(&opts.ConfigFile, "config", "", "behave as the project of this supabase/config.toml `FILE` (flags win over it)")
	fl.StringVar(&c.Host, "host", c.Host, "`ADDRESS` to listen on (another host than loopback only when you mean it)")
	fl.IntVar(&c.Port, "port", c.Port, "`PORT` to listen on (0 picks a free one)")
	fl.StringVar(&c.DataFile, "data", "", "persist users and sessions to this JSON `FILE`")
	fl.StringVar(&c.JWTSecret, "jwt-secret", c.JWTSecret, "HS256 `SECRET` that signs tokens and the API keys (prefer the environment variable)")
	fl.DurationVar(&c.JWTExp, "jwt-exp", c.JWTExp, "access token lifetime (a `DURATION`)")
	fl.BoolVar(&c.Asymmetric, "asymmetric", false, "sign access tokens with a generated ES256 key published in /.well-known/jwks.json")
	fl.StringSliceVar(&opts.TestOTP, "test-otp", nil, "fixed SMS codes, `PHONE=CODE,...` (default 15555550100-102=123456)")
	fl.StringSliceVar(&opts.Providers, "providers", nil, "OAuth `PROVIDERS` of the mock identity provider, comma-separated (default: all)")
	fl.BoolVar(&c.DisableSignup, "disable-signup", false, "refuse new sign-ups")
	fl.BoolVar(&c.DisableAnonymous, "disable-anonymous", false, "refuse anonymous sign-ins")
	fl.IntVar(&c.PasswordCost, "password-cost", c.PasswordCost, "bcrypt `COST` of stored passwords (4 makes tests fast)")
	fl.BoolVar(&c.Web3, "web3", false, "accept Sign-In with Ethereum/Solana (POST /token?grant_type=web3, for login web3)")
	fl.StringSliceVar(&c.SSODomains, "sso-domain", nil, "`domains` whose login sso goes through the built-in SAML IdP")
	fl.BoolVar(&c.ConfirmEmail, "confirm-email", false, "email autoconfirm off: sign-ups wait for the emailed link or code")
	fl.BoolVar(&c.ConfirmPhone, "confirm-phone", false, "SMS autoconfirm off: phone sign-ups and changes wait for the texted code")
	fl.BoolVar(&c.DisableManualLinking, "disable-manual-linking", false, "refuse linking and unlinking identities (manual_linking_disabled)")
	fl.BoolVar(&c.SecureEmailChange, "secure-email-change", false, "an email change must be confirmed from both the current and the new address")
	fl.BoolVar(&c.FailSMS, "fail-sms", false, "the SMS provider fails for numbers without a test OTP (sms_send_failed)")
	fl.BoolVar(&c.RateLimits, "rate-limits", false, "apply the server's default rate limits (429 over_*_rate_limit)")
	fl.BoolVar(&c.Passkeys, "passkeys", false, "accept passkeys: registration and sign-in with WebAuthn credentials (/passkeys/...)")
	fl.Var(&bothSwitches{&c.MFAWebAuthnEnroll, &c.MFAWebAuthnVerify}, "mfa-webauthn", "accept WebAuthn MFA factors: enrol, challenge and verify a security key as a second factor")
	fl.Lookup("mfa-webauthn").NoOptDefVal = "true"
	fl.StringVar(&c.WebAuthnRPID, "webauthn-rp-id", c.WebAuthnRPID, "WebAuthn relying party ID: the `domain` passkeys are bound to")
	fl.StringVar(&c.WebAuthnRPName, "webauthn-rp-name", c.WebAuthnRPName, "WebAuthn relying party `name` that authenticators show")
	fl.StringSliceVar(&c.WebAuthnOrigins, "webauthn-rp-origins", c.WebAuthnOrigins, "origins of the pages that may use passkeys (`URL`,...)")
	return cmd
}

// finish validates the flags and folds the list flags into the config.
func (o *Options) finish() error {
	c := &o.Config
	if c.Port < 0 || c.Port > 65535 {
		return cmdutil.FlagErrorf("invalid --port %d", c.Port)
	}
	if c.JWTExp < time.Second {
		return cmdutil.FlagErrorf("--jwt-exp must be at least 1s")
	}
	if len(c.JWTSecret) < 32 {
		return cmdutil.FlagErrorf("--jwt-secret must be at least 32 characters")
	}
	if c.PasswordCost < 4 || c.PasswordCost > 31 {
		return cmdutil.FlagErrorf("--password-cost must be between 4 and 31")
	}
	if len(o.TestOTP) > 0 {
		c.TestOTP = map[string]string{}
		for _, pair := range o.TestOTP {
			phone, code, ok := strings.Cut(pair, "=")
			phone = strings.TrimPrefix(strings.TrimSpace(phone), "+")
			if !ok || phone == "" || strings.TrimSpace(code) == "" {
				return cmdutil.FlagErrorf("invalid --test-otp %q: want PHONE=CODE", pair)
			}
			c.TestOTP[phone] = strings.TrimSpace(code)
		}
	}
	if len(o.Providers) > 0 {
		for _, p := range o.Providers {
			if !slices.Contains(emulator.AllProviders, p) {
				return cmdutil.FlagErrorf("unknown provider %q in --providers (known: %s)", p, strings.Join(emulator.AllProviders, ", "))
			}
		}
		c.Providers = o.Providers
	}
	if err := c.CheckWebAuthn(); err != nil {
		return &cmdutil.HintedError{Err: cmdutil.FlagErrorf("%v", err),
			Hint: "set --webauthn-rp-id and --webauthn-rp-origins, or [auth.webauthn] in the --config file"}
	}
	return nil
}

func runEmulator(ctx context.Context, opts *Options) error {
	c := opts.Config
	logf := func(format string, args ...any) { fmt.Fprintf(opts.F.IOStreams.ErrOut, format+"\n", args...) }
	c.Logf = logf
	srv, err := emulator.New(c)
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", net.JoinHostPort(c.Host, strconv.Itoa(c.Port)))
	if err != nil {
		return fmt.Errorf("cannot listen on %s:%d: %w", c.Host, c.Port, err)
	}
	url := "http://" + l.Addr().String()
	info := Info{URL: url, AnonKey: srv.AnonKey(), ServiceRoleKey: srv.ServiceRoleKey(), JWTSecret: c.JWTSecret,
		Messages: url + "/emulator/messages", Inbox: url + "/emulator/inbox"}
	if err := opts.F.Print(info, func(p *cmdutil.Printer) error {
		_, err := fmt.Fprintf(p.Out, "authctl emulator is running.\n\n"+
			"         API URL: %s\n       Inbox URL: %s\n      JWT secret: %s\n        anon key: %s\nservice_role key: %s\n\n"+
			"export SUPABASE_URL=%s SUPABASE_ANON_KEY=%s\n\n"+
			"Emails and SMS are not sent: read their codes and links at the Inbox URL\n"+
			"or with `authctl emulator messages --follow`. Press Ctrl-C to stop.\n",
			info.URL, info.Inbox, info.JWTSecret, info.AnonKey, info.ServiceRoleKey, info.URL, info.AnonKey)
		return err
	}); err != nil {
		l.Close()
		return err
	}
	if opts.Ready != nil {
		opts.Ready(l.Addr().String())
	}
	if c.Host != "127.0.0.1" && c.Host != "localhost" && c.Host != "::1" {
		opts.F.Warnf("listening on %s: the emulator uses development keys and is not meant to be reachable from other machines", c.Host)
	}
	err = srv.Serve(ctx, l)
	logf("emulator stopped")
	return err
}

// bothSwitches is a boolean flag that sets two settings at once: the
// server switches WebAuthn factors' enrolment and verification apart (a
// config.toml can too), the command line turns both on.
type bothSwitches struct{ a, b *bool }

func (s *bothSwitches) Set(v string) error {
	on, err := strconv.ParseBool(v)
	if err != nil {
		return err
	}
	*s.a, *s.b = on, on
	return nil
}

func (s *bothSwitches) String() string {
	if s.a == nil {
		return "false"
	}
	return strconv.FormatBool(*s.a && *s.b)
}

func (s *bothSwitches) Type() string     { return "bool" }
func (s *bothSwitches) IsBoolFlag() bool { return true }
