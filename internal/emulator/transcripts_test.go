package emulator

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/pquerna/otp/totp"
	"golang.org/x/crypto/bcrypt"
)

// transcriptDir finds the transcripts recorded from a real Supabase Auth
// server: AUTHCTL_TRANSCRIPTS, else shared/gotrue-transcripts beside the
// checkout (the layout of the developers' machines and of CI). Outside CI a
// missing directory skips the test; in CI (CI=true) it fails, so the
// fidelity check can never pass by not running.
func transcriptDir(t *testing.T) string {
	if d := os.Getenv("AUTHCTL_TRANSCRIPTS"); d != "" {
		return d
	}
	// This package is internal/emulator: the checkout's parent is three up.
	d, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "gotrue-transcripts"))
	if err == nil {
		if _, err = os.Stat(d); err == nil {
			return d
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("transcripts not found beside the checkout (%s): %v", d, err)
	}
	t.Skip("transcripts not available (set AUTHCTL_TRANSCRIPTS):", err)
	return ""
}

type transcript struct {
	Scenario string `json:"scenario"`
	// Emulator names the `authctl emulator` flags that configure the
	// emulator like the recorded server (testdata/transcripts only).
	Emulator []string `json:"emulator"`
	Steps    []struct {
		Note    string `json:"note"`
		Request struct {
			Method  string            `json:"method"`
			Path    string            `json:"path"`
			Query   map[string]string `json:"query"`
			Headers map[string]string `json:"headers"`
			Body    json.RawMessage   `json:"body"`
		} `json:"request"`
		Response struct {
			Status  int               `json:"status"`
			Headers map[string]string `json:"headers"`
			Body    any               `json:"body"`
		} `json:"response"`
		JWTClaims map[string]map[string]any `json:"jwt_claims"`
	} `json:"steps"`
}

func loadTranscripts(t *testing.T, dir string) []*transcript {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no transcripts in %s: %v", dir, err)
	}
	var out []*transcript
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var tr transcript
		if err := json.Unmarshal(b, &tr); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out = append(out, &tr)
	}
	return out
}

// loadExceptions reads testdata/transcript_exceptions.txt: "scenario — reason".
func loadExceptions(t *testing.T) map[string]string {
	f, err := os.Open("testdata/transcript_exceptions.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, reason, _ := strings.Cut(line, "—")
		out[strings.TrimSpace(name)] = strings.TrimSpace(reason)
	}
	return out
}

// TestTranscripts replays every transcript of both sets against a fresh
// emulator and compares statuses, error codes and messages, the kept
// headers and the shape (keys and JSON types) of every response body.
// A scenario must pass in both sets unless it is listed in
// testdata/transcript_exceptions.txt, and a listed one must still fail.
func TestTranscripts(t *testing.T) {
	dir := transcriptDir(t)
	legacy := loadTranscripts(t, dir)
	versioned := loadTranscripts(t, filepath.Join(dir, "api-version-2024-01-01"))
	idx := newRecordedIndex(append(append([]*transcript{}, legacy...), versioned...))
	exceptions := loadExceptions(t)

	var mu sync.Mutex
	failures := map[string][]string{}
	seen := map[string]bool{}
	for _, set := range []struct {
		name string
		trs  []*transcript
	}{{"legacy", legacy}, {"2024-01-01", versioned}} {
		for _, tr := range set.trs {
			seen[tr.Scenario] = true
			t.Run(set.name+"/"+tr.Scenario, func(t *testing.T) {
				t.Parallel()
				problems := replay(t, tr, idx)
				if len(problems) > 0 {
					mu.Lock()
					failures[tr.Scenario] = append(failures[tr.Scenario], problems...)
					mu.Unlock()
				}
			})
		}
	}
	t.Cleanup(func() {
		var names []string
		for n := range seen {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			probs, listed := failures[n], exceptions[n] != ""
			switch {
			case len(probs) > 0 && !listed:
				t.Errorf("scenario %s fails and is not in the exceptions file:\n  %s", n, strings.Join(probs, "\n  "))
			case len(probs) == 0 && listed:
				t.Errorf("scenario %s now passes: remove it from testdata/transcript_exceptions.txt", n)
			case len(probs) > 0 && testing.Verbose():
				t.Logf("expected failure %s (%s): %s", n, exceptions[n], probs[0])
			}
		}
		for n := range exceptions {
			if !seen[n] {
				t.Errorf("exceptions file names unknown scenario %s", n)
			}
		}
	})
}

// settingFlags are the emulator flags a recording may name, and the Config
// each one sets (as cmd/emulator does), and settings only config.toml
// gives.
var settingFlags = map[string]func(*Config){
	"confirm-email":          func(c *Config) { c.ConfirmEmail = true },
	"confirm-phone":          func(c *Config) { c.ConfirmPhone = true },
	"disable-manual-linking": func(c *Config) { c.DisableManualLinking = true },
	"secure-email-change":    func(c *Config) { c.SecureEmailChange = true },
	"fail-sms":               func(c *Config) { c.FailSMS = true },
	"rate-limits":            func(c *Config) { c.RateLimits = true },
	"disable-signup":         func(c *Config) { c.DisableSignup = true },
	// No flag: config.toml's minimum_password_length = 10 and
	// password_requirements = "lower_upper_letters_digits".
	"password-rules": func(c *Config) {
		c.PasswordMinLength = 10
		c.PasswordRequiredCharacters = []string{"abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789"}
	},
}

// TestRecordedTranscripts replays the recordings of testdata/transcripts
// (made with testdata/record from real servers configured as each file
// says) like TestTranscripts, with no exceptions: they live in the
// repository, so they always run.
func TestRecordedTranscripts(t *testing.T) {
	trs := loadTranscripts(t, "testdata/transcripts")
	idx := newRecordedIndex(trs)
	for _, tr := range trs {
		t.Run(tr.Scenario, func(t *testing.T) {
			t.Parallel()
			for _, p := range replay(t, tr, idx) {
				t.Error(p)
			}
		})
	}
}

// testClock is the injected clock: it only moves when told to.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// runner replays one scenario.
type runner struct {
	t            *testing.T
	srv          *Server
	ts           *httptest.Server
	clock        *testClock
	repl         map[string]string // recorded value -> value in this run
	jwt          string            // latest access token seen
	setupJWT     string            // token of the user the scenario assumes
	fixtures     []fixture         // users created by setup
	secrets      map[string]string // factor id -> TOTP secret
	enrolled     map[string]bool   // recorded factor ids the scenario enrolls
	scenarioText string            // the whole transcript, to search for ids
	tr           *transcript
}

const fixturePassword = "correct-horse-9"

func replay(t *testing.T, tr *transcript, idx *recordedIndex) []string {
	clock := &testClock{now: time.Now().UTC().Truncate(time.Second)}
	cfg := DefaultConfig()
	cfg.PasswordCost = bcrypt.MinCost
	cfg.Now = clock.Now
	cfg.Providers = []string{"github", "google"}
	for _, flag := range tr.Emulator {
		set, ok := settingFlags[flag]
		if !ok {
			t.Fatalf("transcript %s: unknown emulator flag %q", tr.Scenario, flag)
		}
		set(&cfg)
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	r := &runner{t: t, srv: srv, ts: ts, clock: clock, repl: map[string]string{}, secrets: map[string]string{}}
	for _, lp := range localPart.FindAllString(mustJSON(tr), -1) {
		if _, ok := r.repl[lp]; !ok {
			r.repl[lp] = "rec-" + randomHex(10)
		}
	}
	if err := r.setup(tr, idx); err != nil {
		return []string{"setup: " + err.Error()}
	}
	var problems []string
	for i, st := range tr.Steps {
		clock.advance(20 * time.Millisecond)
		if strings.Contains(st.Note, "11 s after") {
			clock.advance(11 * time.Second)
		}
		r.totpCode(st.Request.Path, st.Request.Body, st.Response.Status)
		if os.Getenv("EMU_DEBUG") != "" { // EMU_DEBUG=1 go test -v -run TestTranscripts/legacy/NAME: the bodies sent
			t.Logf("step %d body %s", i, strings.Join(strings.Fields(r.sub(string(st.Request.Body))), ""))
		}
		status, hdr, body, err := r.do(st.Request.Method, st.Request.Path, st.Request.Query, st.Request.Headers, st.Request.Body, st.Note)
		if err != nil {
			return append(problems, fmt.Sprintf("step %d: %v", i, err))
		}
		var got any
		if len(body) > 0 && json.Unmarshal(body, &got) != nil {
			got = string(body)
		}
		where := fmt.Sprintf("step %d (%s %s)", i, st.Request.Method, st.Request.Path)
		if status != st.Response.Status {
			problems = append(problems, fmt.Sprintf("%s: status %d, want %d; body %.300s", where, status, st.Response.Status, body))
			continue
		}
		for _, p := range compareHeaders(st.Response.Headers, hdr, r) {
			problems = append(problems, where+": "+p)
		}
		for _, p := range compareBody("body", st.Response.Body, got, r) {
			problems = append(problems, where+": "+p)
		}
		for _, p := range compareClaims(st.JWTClaims, got, hdr) {
			problems = append(problems, where+": "+p)
		}
		r.learn(st.Response.Body, got)
		if loc := hdr.Get("Location"); loc != "" {
			r.learnURL(st.Response.Headers["Location"], loc)
		}
		if m, ok := got.(map[string]any); ok {
			if tok, ok := m["access_token"].(string); ok {
				r.jwt = tok
			}
			if t, ok := m["totp"].(map[string]any); ok {
				r.secrets[fmt.Sprint(m["id"])] = fmt.Sprint(t["secret"])
			}
		}
	}
	return problems
}

// totpCode maps the recorded code of a factor verification that succeeded
// to the factor's current RFC 6238 code.
func (r *runner) totpCode(path string, body json.RawMessage, status int) {
	id, ok := strings.CutPrefix(r.sub(path), "/factors/")
	if !ok || !strings.HasSuffix(id, "/verify") || status != http.StatusOK {
		return
	}
	secret := r.secrets[strings.TrimSuffix(id, "/verify")]
	var b struct {
		Code string `json:"code"`
	}
	if secret == "" || json.Unmarshal(body, &b) != nil || b.Code == "" {
		return
	}
	if code, err := totp.GenerateCode(secret, r.clock.Now()); err == nil {
		r.repl[b.Code] = code
	}
}

// sub replaces recorded values by this run's values.
func (r *runner) sub(s string) string {
	keys := make([]string, 0, len(r.repl))
	for k := range r.repl {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return len(keys[i]) > len(keys[j]) })
	for _, k := range keys {
		s = strings.ReplaceAll(s, k, r.repl[k])
	}
	return s
}

// placeholder expands the transcripts' <...> header placeholders.
func (r *runner) placeholder(v, note string) string {
	jwt := r.jwt
	if jwt == "" || strings.Contains(note, "user's own session") {
		jwt = r.setupJWT
	}
	if jwt == "" {
		jwt = r.setupJWT
	}
	repl := map[string]string{
		"<anon>":                               r.srv.AnonKey(),
		"<service_role>":                       r.srv.ServiceRoleKey(),
		"<user_jwt>":                           jwt,
		"<jwt signed with a different secret>": r.foreignJWT(),
		"<expired user_jwt>":                   r.expiredJWT(),
		"<base64(client_id:client_secret)>":    base64.StdEncoding.EncodeToString([]byte(r.repl["<client_id>"] + ":" + r.repl["<client_secret>"])),
	}
	for k, val := range repl {
		v = strings.ReplaceAll(v, k, val)
	}
	return r.sub(v)
}

func (r *runner) foreignJWT() string {
	sig, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: []byte("another-secret-another-secret-another-secret")}, nil)
	tok, _ := sign(sig, obj{{"sub", newID()}, {"role", "authenticated"}, {"exp", time.Now().Add(time.Hour).Unix()}})
	return tok
}

func (r *runner) expiredJWT() string {
	tok, _ := sign(r.srv.keys.signer, obj{{"sub", newID()}, {"role", "authenticated"}, {"exp", r.clock.Now().Add(-time.Hour).Unix()}})
	return tok
}

func (r *runner) do(method, path string, query, headers map[string]string, body json.RawMessage, note string) (int, http.Header, []byte, error) {
	u := r.ts.URL + r.sub(path)
	if len(query) > 0 {
		q := url.Values{}
		for k, v := range query {
			q.Set(k, r.sub(v))
		}
		u += "?" + q.Encode()
	}
	var rd io.Reader
	ct := headers["Content-Type"]
	if len(body) > 0 && string(body) != "null" {
		raw := r.sub(string(body))
		var asString string
		if json.Unmarshal([]byte(raw), &asString) == nil {
			raw = asString // a non-JSON body recorded as a string
		} else if strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
			var m map[string]any
			_ = json.Unmarshal([]byte(raw), &m)
			f := url.Values{}
			for k, v := range m {
				f.Set(k, fmt.Sprint(v))
			}
			raw = f.Encode()
		}
		rd = strings.NewReader(raw)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		return 0, nil, nil, err
	}
	for k, v := range headers {
		req.Header.Set(k, r.placeholder(v, note))
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b, err
}

var volatile = regexp.MustCompile(`^[0-9a-zA-Z_\-.]{8,}$|@`)

// learn maps recorded values (ids, tokens, codes) to this run's values by
// walking the recorded and actual bodies side by side.
func (r *runner) learn(rec, got any) {
	switch x := rec.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return
		}
		for k, v := range x {
			if s, ok := v.(string); ok && (k == "email_otp" || k == "otp") {
				if gs, ok := g[k].(string); ok {
					r.repl[s] = gs
				}
			}
			if k == "client_id" {
				if s, ok := g[k].(string); ok {
					r.repl["<client_id>"] = s
				}
			}
			if k == "client_secret" {
				if s, ok := g[k].(string); ok {
					r.repl["<client_secret>"] = s
				}
			}
			r.learn(v, g[k])
		}
	case []any:
		g, ok := got.([]any)
		if !ok {
			return
		}
		for i := range min(len(x), len(g)) {
			r.learn(x[i], g[i])
		}
	case string:
		g, ok := got.(string)
		if !ok || g == x || x == "<jwt>" {
			return
		}
		if strings.Contains(x, "://") {
			r.learnURL(x, g)
			return
		}
		if !volatile.MatchString(x) || strings.Contains(x, " ") {
			return
		}
		if _, err := time.Parse(time.RFC3339Nano, x); err == nil {
			return
		}
		if _, exists := r.repl[x]; !exists {
			r.repl[x] = g
		}
	}
}

// learnURL aligns the query and fragment parameters of two URLs.
func (r *runner) learnURL(rec, got string) {
	ru, err1 := url.Parse(rec)
	gu, err2 := url.Parse(got)
	if err1 != nil || err2 != nil {
		return
	}
	for _, pair := range [][2]string{{ru.RawQuery, gu.RawQuery}, {ru.Fragment, gu.Fragment}} {
		rq, _ := url.ParseQuery(pair[0])
		gq, _ := url.ParseQuery(pair[1])
		for k := range rq {
			r.learn(rq.Get(k), gq.Get(k))
		}
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func randomHex(n int) string {
	const hexdigits = "0123456789abcdef"
	b := []byte(randomToken(n))
	for i := range b {
		b[i] = hexdigits[int(b[i])%16]
	}
	return string(b)
}
