package cmd

import (
	"cmp"
	"context"
	"log/slog"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/authurl"
	"github.com/authctl/authctl/internal/build"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/config"
	"github.com/authctl/authctl/internal/filelock"
	"github.com/authctl/authctl/internal/iostreams"
	"github.com/authctl/authctl/internal/keyring"
	"github.com/authctl/authctl/internal/prompt"
	"github.com/authctl/authctl/internal/state"
)

// keyringTimeout bounds every OS keyring call: a locked or absent Secret
// Service must not hang the CLI (gh uses the same figure).
const keyringTimeout = 3 * time.Second

// newFactory wires the real dependencies. Each is built on first use only.
func newFactory(ios *iostreams.IOStreams) *cmdutil.Factory {
	f := &cmdutil.Factory{IOStreams: ios, Flags: &cmdutil.GlobalFlags{}, Now: time.Now}
	getenv := ios.Getenv

	configDir := sync.OnceValues(func() (string, error) { return config.Dir(getenv) })
	stateFile := func() (*state.File, error) {
		dir, err := configDir()
		if err != nil {
			return nil, err
		}
		return state.Open(filepath.Join(dir, "state.json")), nil
	}
	f.State = stateFile
	f.Config = sync.OnceValues(func() (*config.Config, error) {
		dir, err := configDir()
		if err != nil {
			return nil, err
		}
		return config.Load(dir)
	})
	f.Target = sync.OnceValues(func() (*cmdutil.Target, error) {
		cfg, err := f.Config()
		if err != nil {
			return nil, err
		}
		st, err := stateFile()
		if err != nil {
			return nil, err
		}
		return resolveTarget(f.Flags, getenv, cfg, func(r *authurl.Resolver, raw string) (authurl.Endpoints, error) {
			r.HTTP = &http.Client{Timeout: f.Flags.RequestTimeout(), Transport: transport()}
			r.Cache = st
			ctx, cancel := context.WithTimeout(context.Background(), f.Flags.RequestTimeout())
			defer cancel()
			return r.Resolve(ctx, raw)
		})
	})
	type opened struct {
		s    auth.Storage
		info cmdutil.StorageInfo
	}
	storage := sync.OnceValues(func() (opened, error) {
		s, info, err := openStorage(f, configDir)
		return opened{s, info}, err
	})
	f.Storage = func() (auth.Storage, cmdutil.StorageInfo, error) {
		o, err := storage()
		return o.s, o.info, err
	}
	f.Client = sync.OnceValues(func() (*auth.Client, error) { return newClient(f, configDir, "", "", true) })
	f.PKCEClient = sync.OnceValues(func() (*auth.Client, error) { return newClient(f, configDir, "", auth.FlowPKCE, true) })
	f.ServiceRoleKey = sync.OnceValues(func() (cmdutil.Key, error) { return serviceRoleKey(f) })
	f.AdminClient = sync.OnceValues(func() (*auth.Client, error) {
		key, err := f.ServiceRoleKey()
		if err != nil {
			return nil, err
		}
		if key.Value == "" {
			return nil, cmdutil.FlagErrorf("admin commands need the service-role key: %s", cmdutil.HowToSetServiceRoleKey)
		}
		return newClient(f, configDir, key.Value, "", false)
	})
	f.PublicClient = sync.OnceValues(func() (*auth.Client, error) { return newClient(f, configDir, "", "", false) })
	f.ForProfile = func(name string) *cmdutil.Factory {
		pf := newFactory(ios.WithGetenv(profileEnv(getenv)))
		*pf.Flags = *f.Flags
		pf.Flags.Profile, pf.Flags.URL = name, ""
		pf.Now = f.Now
		return pf
	}
	f.Prompter = sync.OnceValue(func() prompt.Prompter {
		if !ios.CanPrompt() {
			return prompt.NoPrompt()
		}
		return prompt.New(ios.In, ios.Out, getenv)
	})
	return f
}

// profileOverrides are the variables that override a profile's own settings.
var profileOverrides = map[string]bool{"AUTHCTL_PROFILE": true, "SUPABASE_URL": true, "SUPABASE_ANON_KEY": true,
	"SUPABASE_PUBLISHABLE_KEY": true, "SUPABASE_SERVICE_ROLE_KEY": true, "SUPABASE_SECRET_KEY": true,
	"AUTHCTL_FLOW_TYPE": true}

// profileEnv hides profileOverrides from getenv: a key in the environment
// belongs to whichever project the environment names, not to every profile.
func profileEnv(getenv func(string) string) func(string) string {
	return func(k string) string {
		if profileOverrides[k] {
			return ""
		}
		return getenv(k)
	}
}

// serviceRoleKey is the environment's key, else the one `config set
// service-role-key` stored for the profile; the zero Key when neither has
// one. The storage is opened only when the environment has none, so CI jobs
// never touch the keyring for it.
func serviceRoleKey(f *cmdutil.Factory) (cmdutil.Key, error) {
	if k := envKey(f.IOStreams.Getenv, "SUPABASE_SERVICE_ROLE_KEY", "SUPABASE_SECRET_KEY"); k.Value != "" {
		return k, nil
	}
	t, err := f.Target()
	if err != nil {
		return cmdutil.Key{}, err
	}
	storage, _, err := f.Storage()
	if err != nil {
		return cmdutil.Key{}, cmdutil.FlagErrorf("reading the stored service-role key: the key storage is unusable: %v; %s", err, cmdutil.HowToSetServiceRoleKey)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*keyringTimeout)
	defer cancel()
	key, ok, err := storage.GetItem(ctx, keyring.ServiceRoleKeyItem(t.Profile))
	switch {
	case err != nil:
		return cmdutil.Key{}, cmdutil.FlagErrorf("reading the stored service-role key failed: %v; %s", err, cmdutil.HowToSetServiceRoleKey)
	case !ok || key == "":
		return cmdutil.Key{}, nil
	}
	return cmdutil.Key{Value: key, Source: "`authctl config set service-role-key` (profile " + t.Profile + ")"}, nil
}

// envKey is the first of names that is set, with its name as the source.
func envKey(getenv func(string) string, names ...string) cmdutil.Key {
	for _, n := range names {
		if v := getenv(n); v != "" {
			return cmdutil.Key{Value: v, Source: n}
		}
	}
	return cmdutil.Key{}
}

// resolveTarget applies the precedence flag > environment > profile > default
// to the URL and keys, then lets resolve find the Auth API behind the URL
// (package authurl's rule: a one-time probe when the URL does not say).
func resolveTarget(flags *cmdutil.GlobalFlags, getenv func(string) string, cfg *config.Config,
	resolve func(*authurl.Resolver, string) (authurl.Endpoints, error)) (*cmdutil.Target, error) {
	profile := cmdutil.ProfileName(flags, getenv, cfg)
	p := cfg.Profile(profile)
	raw, source := flags.URL, "--url"
	switch {
	case raw != "":
	case getenv("SUPABASE_URL") != "":
		raw, source = getenv("SUPABASE_URL"), "SUPABASE_URL"
	case p.URL != "":
		raw, source = p.URL, "config url of profile "+profile
	default:
		raw, source = cmdutil.DefaultURL, "the default"
	}
	anonKey := envKey(getenv, "SUPABASE_ANON_KEY", "SUPABASE_PUBLISHABLE_KEY")
	if anonKey.Value == "" && p.AnonKey != "" {
		anonKey = cmdutil.Key{Value: p.AnonKey, Source: "config anon-key of profile " + profile}
	}
	e, err := resolve(&authurl.Resolver{APIKey: anonKey.Value, Source: source}, raw)
	if err != nil {
		return nil, cmdutil.FlagErrorWrap(err)
	}
	return &cmdutil.Target{
		Profile:     profile,
		AuthURL:     e.Auth,
		ProjectURL:  e.Project,
		URLSource:   source,
		AnonKey:     anonKey.Value,
		AnonKeyFrom: anonKey.Source,
		FlowType:    cmp.Or(getenv("AUTHCTL_FLOW_TYPE"), p.FlowType, "implicit"),
		StorageMode: cmp.Or(getenv("AUTHCTL_STORAGE"), p.Storage, "auto"),
		Unset:       cmp.Or(flags.URL, getenv("SUPABASE_URL"), p.URL) == "",
	}, nil
}

func openStorage(f *cmdutil.Factory, configDir func() (string, error)) (auth.Storage, cmdutil.StorageInfo, error) {
	t, err := f.Target()
	if err != nil {
		return nil, cmdutil.StorageInfo{}, err
	}
	dir, err := configDir()
	if err != nil {
		return nil, cmdutil.StorageInfo{}, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*keyringTimeout)
	defer cancel()
	s, info, err := keyring.Open(ctx, keyring.Config{Mode: t.StorageMode, Service: "authctl",
		FileDir: filepath.Join(dir, "sessions"), Profile: t.Profile, Timeout: keyringTimeout,
		OnOverwrite: func(c *keyring.CorruptError) {
			f.Warnf("replacing the corrupt session file %s (%v)", c.Path, c.Err)
		}})
	if err != nil {
		return nil, cmdutil.StorageInfo{}, err
	}
	st, err := f.State()
	if err != nil {
		return nil, cmdutil.StorageInfo{}, err
	}
	s = sessionStore{Storage: s, key: t.SessionKey(), profile: t.Profile, url: t.AuthURL, state: st, warn: f.Warnf}
	si := cmdutil.StorageInfo{Backend: info.Backend, FallbackReason: info.FallbackReason}
	// Once per profile and reason: repeated on every command, `authctl
	// token` in a script included, it buried output and taught people to
	// ignore warnings. `authctl status` still shows the fallback.
	if si.FallbackReason != "" && st.ShowOnce("keyring-fallback:"+t.Profile, si.FallbackReason) {
		f.Warnf("the OS keyring was not usable (%s); this profile's sessions are kept in %s instead.\n"+
			"  This is shown once. To keep sessions in that file without trying the keyring: authctl%s config set storage file",
			si.FallbackReason, filepath.Join(dir, "sessions"), profileFlag(t.Profile))
	}
	return s, si, nil
}

// newClient builds an SDK client for the target: the user's session in the
// selected storage, the cross-process lock, and the service-role key when
// given (admin commands). flow overrides the profile's flow type when set.
// Without withSession the client keeps sessions in memory only: admin calls
// need no session, `admin users session` verifies with it so that the
// profile's session stays as it was unless --save asks otherwise, and public
// endpoints (settings, health) need no storage opened.
func newClient(f *cmdutil.Factory, configDir func() (string, error), serviceRoleKey string, flow auth.FlowType, withSession bool) (*auth.Client, error) {
	t, err := f.Target()
	if err != nil {
		return nil, err
	}
	var storage auth.Storage
	if withSession {
		if storage, _, err = f.Storage(); err != nil {
			return nil, err
		}
	}
	dir, err := configDir()
	if err != nil {
		return nil, err
	}
	opts := auth.DefaultOptions()
	opts.URL = t.AuthURL
	opts.APIKey = t.AnonKey
	opts.ServiceRoleKey = serviceRoleKey
	opts.StorageKey = t.SessionKey()
	opts.LegacyStorageKey = auth.LegacyStorageKey(t.AuthURL, t.Profile)
	opts.Storage = storage
	opts.Lock = filelock.New(filepath.Join(dir, "locks"))
	opts.AutoRefreshToken = false // a CLI process is short-lived; `authctl watch` starts the ticker itself
	opts.FlowType = auth.FlowType(t.FlowType)
	if flow != "" {
		opts.FlowType = flow
	}
	opts.ClientInfo = build.ClientInfo()
	opts.HTTPClient = &http.Client{Timeout: f.Flags.RequestTimeout(), Transport: transport()}
	// A process waiting for the session lock waits as long as the holder's
	// work may take: one refresh (its retries stay within --http-timeout)
	// plus a few keyring calls. A holder is alive while it holds the lock
	// (the OS releases it on exit), so waiting less failed processes whose
	// turn was coming under a slow server; waiting longer is waiting on a
	// server that is down (exit 5 then).
	opts.LockAcquireTimeout = f.Flags.RequestTimeout() + lockWorkSlack
	if f.Flags.Debug {
		// Values reach the logger already redacted by the SDK.
		opts.Debug = slog.New(slog.NewTextHandler(f.IOStreams.ErrOut, &slog.HandlerOptions{Level: slog.LevelDebug})).Debug
	}
	return auth.NewClient(opts)
}

// lockWorkSlack is what a lock holder may spend beyond its HTTP request:
// storage reads and writes (keyring calls are bounded by keyringTimeout).
const lockWorkSlack = 4 * keyringTimeout

// profileFlag is the --profile flag that names profile in a suggested
// command, empty for the default profile.
func profileFlag(profile string) string {
	if profile == config.DefaultProfile {
		return ""
	}
	return " --profile " + profile
}

// transport keeps enough idle connections per host for the widest concurrent
// job (admin users import --concurrency, at most 64): with net/http's default
// of 2, every request beyond two workers opens, and leaves in TIME_WAIT, a new
// TCP connection, costing a third of the import throughput.
func transport() http.RoundTripper {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	return t
}
