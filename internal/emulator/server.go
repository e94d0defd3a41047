package emulator

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/go-webauthn/webauthn/webauthn"
	"github.com/gobwas/glob"
	"github.com/google/uuid"
)

// Server is an in-memory Supabase-Auth-compatible HTTP server.
type Server struct {
	cfg  Config
	keys *keys
	mux  *http.ServeMux

	mu    sync.Mutex // guards st and dirty; held by each request except while it hashes or checks a password (unlocked)
	st    *store
	dirty bool // changed since the last save

	anonKey, serviceKey string
	limits              *limits     // guarded by mu
	allowList           []glob.Glob // cfg.URIAllowList compiled (redirect.go)
	// The WebAuthn relying parties of passkeys and of WebAuthn factors,
	// built once from cfg (go-webauthn validates its configuration on every
	// build); the errors are answered when a ceremony needs them.
	passkeyRP, mfaRP       *webauthn.WebAuthn
	passkeyRPErr, mfaRPErr error
}

// New builds a server from cfg, loading cfg.DataFile when it exists.
// Zero values in cfg take the defaults of DefaultConfig.
func New(cfg Config) (*Server, error) {
	def := DefaultConfig()
	if cfg.JWTSecret == "" {
		cfg.JWTSecret = def.JWTSecret
	}
	if len(cfg.JWTSecret) < 32 {
		return nil, errors.New("emulator: the JWT secret must be at least 32 characters long")
	}
	if cfg.JWTExp <= 0 {
		cfg.JWTExp = def.JWTExp
	}
	cfg.PasswordMinLength = max(cfg.PasswordMinLength, minPasswordLength)
	if cfg.EmailMaxFrequency == 0 {
		cfg.EmailMaxFrequency = sendMaxFrequency
	}
	if cfg.SMSMaxFrequency == 0 {
		cfg.SMSMaxFrequency = sendMaxFrequency
	}
	if cfg.EmailsPerHour == 0 {
		cfg.EmailsPerHour = sentPerHour
	}
	if cfg.SMSPerHour == 0 {
		cfg.SMSPerHour = sentPerHour
	}
	if cfg.PasswordCost == 0 {
		cfg.PasswordCost = def.PasswordCost
	}
	if cfg.Host == "" {
		cfg.Host = def.Host
	}
	if cfg.Port == 0 {
		cfg.Port = def.Port
	}
	if cfg.TestOTP == nil {
		cfg.TestOTP = def.TestOTP
	}
	if cfg.WebAuthnRPID == "" {
		cfg.WebAuthnRPID = def.WebAuthnRPID
	}
	if cfg.WebAuthnRPName == "" {
		cfg.WebAuthnRPName = def.WebAuthnRPName
	}
	if len(cfg.WebAuthnOrigins) == 0 {
		cfg.WebAuthnOrigins = def.WebAuthnOrigins
	}
	otps := map[string]string{}
	for phone, code := range cfg.TestOTP {
		if p, err := validatePhone(phone); err == nil {
			phone = p // "+1 555-555-0100" and "15555550100" are the same number
		}
		otps[phone] = code
	}
	cfg.TestOTP = otps
	if cfg.Providers == nil {
		cfg.Providers = def.Providers
	}
	if cfg.SiteURL == "" {
		cfg.SiteURL = def.SiteURL
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	st, err := loadStore(cfg.DataFile)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, st: st, mux: http.NewServeMux(), limits: newLimits()}
	if err := cfg.CheckWebAuthn(); err != nil {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	s.passkeyRP, s.passkeyRPErr = cfg.relyingParty()
	s.mfaRP, s.mfaRPErr = cfg.mfaRelyingParty()
	k, err := newKeys(cfg.JWTSecret, cfg.Asymmetric, st.SigningKey)
	if err != nil {
		return nil, err
	}
	st.SigningKey = k.privateJWK()
	s.keys = k
	if s.anonKey, err = s.apiKey("anon"); err != nil {
		return nil, err
	}
	if s.serviceKey, err = s.apiKey("service_role"); err != nil {
		return nil, err
	}
	if s.allowList, err = compileAllowList(cfg.URIAllowList); err != nil {
		return nil, err
	}
	if err := s.registerBuiltInSSO(cfg.SSODomains); err != nil {
		return nil, err
	}
	s.routes()
	return s, nil
}

// apiKey signs a long-lived key for role, like `supabase start` prints.
func (s *Server) apiKey(role string) (string, error) {
	return sign(s.keys.hsSig, obj{{"iss", "supabase-demo"}, {"role", role}, {"exp", int64(1983812996)}})
}

// AnonKey is the public API key (role anon).
func (s *Server) AnonKey() string { return s.anonKey }

// ServiceRoleKey is the admin API key (role service_role).
func (s *Server) ServiceRoleKey() string { return s.serviceKey }

// Handler serves the API. Paths may carry the /auth/v1 prefix of a project URL.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p, ok := strings.CutPrefix(r.URL.Path, "/auth/v1"); ok && (p == "" || p[0] == '/') {
			r.URL.Path = p
			r.URL.RawPath = strings.TrimPrefix(r.URL.RawPath, "/auth/v1")
		}
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		if cors(rec, r) {
			s.cfg.Logf("%s %s %d", r.Method, r.URL.Path, rec.status)
			return
		}
		if _, pattern := s.mux.Handler(r); pattern == "" {
			s.unrouted(rec, r)
		} else {
			s.mux.ServeHTTP(rec, r)
		}
		s.cfg.Logf("%s %s %d", r.Method, r.URL.Path, rec.status)
	})
}

// cors lets browser apps on any origin call the emulator, like a local
// Supabase stack; it answers preflight requests itself (reporting true).
func cors(w http.ResponseWriter, r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return false
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", origin)
	h.Set("Access-Control-Allow-Credentials", "true")
	h.Add("Vary", "Origin")
	h.Set("Access-Control-Expose-Headers", "Link, X-Total-Count, X-Sb-Error-Code, X-Supabase-Api-Version")
	if r.Method != http.MethodOptions || r.Header.Get("Access-Control-Request-Method") == "" {
		return false
	}
	h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS")
	if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
		h.Set("Access-Control-Allow-Headers", req)
	}
	h.Set("Access-Control-Max-Age", "600")
	w.WriteHeader(http.StatusNoContent)
	return true
}

// statusRecorder remembers the status code for the request log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// unrouted answers 405 with no body when another method is routed, else the
// plain-text 404 of the real server.
func (s *Server) unrouted(w http.ResponseWriter, r *http.Request) {
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch} {
		r2 := r.Clone(r.Context())
		r2.Method = m
		if _, p := s.mux.Handler(r2); p != "" {
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
	}
	http.NotFound(w, r)
}

// persistEvery is how often Serve saves a changed state to DataFile.
const persistEvery = 2 * time.Second

// Serve serves on l until ctx is done, then shuts down gracefully and
// persists the state to DataFile when one is configured (also every few
// seconds while it changes, so a killed emulator loses little).
func (s *Server) Serve(ctx context.Context, l net.Listener) error {
	hs := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(l) }()
	tick := time.NewTicker(persistEvery)
	defer tick.Stop()
	var err error
loop:
	for {
		select {
		case <-ctx.Done():
			shutCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			err = hs.Shutdown(shutCtx)
			cancel()
			break loop
		case err = <-errc:
			break loop
		case <-tick.C:
			if perr := s.persist(); perr != nil {
				s.cfg.Logf("%v", perr)
			}
		}
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	if perr := s.persist(); perr != nil && err == nil {
		err = perr
	}
	return err
}

// persist writes the state to DataFile (if any).
func (s *Server) persist() error {
	if s.cfg.DataFile == "" {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.dirty {
		return nil
	}
	if err := s.st.save(s.cfg.DataFile); err != nil {
		return fmt.Errorf("emulator: saving %s: %w", s.cfg.DataFile, err)
	}
	s.dirty = false
	return nil
}

// handle wraps an API handler: it runs under the lock, answers errors, and
// writes the buffered response once the lock is released, so that a slow
// client never holds up the others.
func (s *Server) handle(pattern string, h func(w http.ResponseWriter, r *http.Request) error) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		buf := &bufferedResponse{header: http.Header{}, status: http.StatusOK}
		func() {
			s.mu.Lock()
			defer s.mu.Unlock() // also when a handler panics
			if r.Method != http.MethodGet && r.Method != http.MethodHead {
				s.dirty = true
			}
			defer s.st.reindexTouched()
			if err := h(buf, r); err != nil {
				var ae *apiError
				if !errors.As(err, &ae) {
					s.cfg.Logf("emulator: %s %s: %v", r.Method, r.URL.Path, err)
					ae = internal("Unexpected failure, please check server logs for more information")
				}
				buf.reset()
				writeError(buf, r, ae)
			}
		}()
		buf.flush(w)
	})
}

// bufferedResponse collects a response written under the lock.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header         { return b.header }
func (b *bufferedResponse) Write(p []byte) (int, error) { return b.body.Write(p) }
func (b *bufferedResponse) WriteHeader(status int)      { b.status = status }

func (b *bufferedResponse) reset() {
	b.header, b.status = http.Header{}, http.StatusOK
	b.body.Reset()
}

func (b *bufferedResponse) flush(w http.ResponseWriter) {
	for k, v := range b.header {
		w.Header()[k] = v
	}
	w.WriteHeader(b.status)
	_, _ = w.Write(b.body.Bytes())
}

// unlocked runs f without the store lock (for slow password hashing).
// Callers must re-read any state they depend on afterwards.
func (s *Server) unlocked(f func()) {
	// Requests that run meanwhile re-index what they read; what this one
	// read must still be re-indexed when it ends.
	mine := maps.Clone(s.st.idx.touched)
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		maps.Copy(s.st.idx.touched, mine)
	}()
	f()
}

func (s *Server) now() time.Time { return s.cfg.Now().UTC() }

func newID() string { return uuid.NewString() }

const tokenAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// randomToken returns n random lowercase alphanumerics.
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = tokenAlphabet[int(b[i])%len(tokenAlphabet)]
	}
	return string(b)
}

// randomDigits returns n random decimal digits.
func randomDigits(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = '0' + b[i]%10
	}
	return string(b)
}

func ptr[T any](v T) *T { return &v }
