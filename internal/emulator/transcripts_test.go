package emulator

import (
	"bufio"
	"bytes"
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

// The transcripts recorded from a real Supabase Auth server (see
// /work/shared/gotrue-transcripts/README.md); AUTHCTL_TRANSCRIPTS overrides.
func transcriptDir(t *testing.T) string {
	if d := os.Getenv("AUTHCTL_TRANSCRIPTS"); d != "" {
		return d
	}
	d := "/work/shared/gotrue-transcripts"
	if _, err := os.Stat(d); err != nil {
		t.Skip("transcripts not available:", err)
	}
	return d
}

type transcript struct {
	Scenario string `json:"scenario"`
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

// recordedIndex maps recorded user ids and identity ids to emails across
// all transcripts, to rebuild the users a scenario assumes exist.
type recordedIndex struct {
	idsByLocal map[string][]string         // email local part -> user ids
	creators   map[string]creator          // email local part -> request that created it
	factors    map[string][]recordedFactor // email local part -> factors of the user
	clients    map[string]map[string]any   // OAuth client id -> its registration
	localByID  map[string]string           // user id -> email local part
	identities map[string][]string         // user id -> identity ids
}

var localPart = regexp.MustCompile(`rec-[0-9a-f]{10}`)

func newRecordedIndex(trs []*transcript) *recordedIndex {
	idx := &recordedIndex{idsByLocal: map[string][]string{}, localByID: map[string]string{}, identities: map[string][]string{}, creators: map[string]creator{}, factors: map[string][]recordedFactor{}, clients: map[string]map[string]any{}}
	factorOwner := map[string]string{} // factor id -> owner's user id or local part
	factorSeen := map[string]recordedFactor{}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			id, _ := x["id"].(string)
			email, _ := x["email"].(string)
			if _, isUser := x["aud"]; isUser && id != "" {
				if lp := localPart.FindString(email); lp != "" {
					idx.idsByLocal[lp] = appendNew(idx.idsByLocal[lp], id)
					idx.localByID[id] = lp
				}
			}
			if fs, ok := x["factors"].([]any); ok && id != "" {
				for _, f := range fs {
					if fm, ok := f.(map[string]any); ok {
						fid, _ := fm["id"].(string)
						factorOwner[fid] = id
						name, _ := fm["friendly_name"].(string)
						ftype, _ := fm["factor_type"].(string)
						phone, _ := fm["phone"].(string)
						factorSeen[fid] = recordedFactor{id: fid, typ: ftype, name: name, phone: phone}
					}
				}
			}
			if totp, ok := x["totp"].(map[string]any); ok && id != "" {
				uri, _ := totp["uri"].(string)
				name, _ := x["friendly_name"].(string)
				if lp := localPart.FindString(uri); lp != "" {
					factorOwner[id] = lp
					if _, seen := factorSeen[id]; !seen {
						factorSeen[id] = recordedFactor{id: id, typ: "totp", name: name}
					}
				}
			}
			if cid, ok := x["client_id"].(string); ok && x["registration_type"] != nil {
				idx.clients[cid] = x
			}
			if iid, ok := x["identity_id"].(string); ok {
				uid, _ := x["user_id"].(string)
				idx.identities[uid] = appendNew(idx.identities[uid], iid)
			}
			for _, c := range x {
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	for _, tr := range trs {
		for _, st := range tr.Steps {
			walk(st.Response.Body)
			q := st.Request
			if q.Method == "POST" && (q.Path == "/signup" || q.Path == "/admin/users") && st.Response.Status == 200 {
				var b struct {
					Email string `json:"email"`
				}
				if json.Unmarshal(q.Body, &b) == nil {
					if lp := localPart.FindString(b.Email); lp != "" {
						idx.creators[lp] = creator{q.Path, q.Body}
					}
				}
			}
		}
	}
	ids := make([]string, 0, len(factorSeen))
	for id := range factorSeen {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, fid := range ids {
		owner := factorOwner[fid]
		if lp := idx.localByID[owner]; lp != "" {
			owner = lp
		}
		idx.factors[owner] = append(idx.factors[owner], factorSeen[fid])
		idx.localByID[fid] = owner
	}
	return idx
}

// recordedFactor is an MFA factor some recorded user had.
type recordedFactor struct {
	id, typ, name, phone string
}

// creator is a recorded request that created a user.
type creator struct {
	path string
	body json.RawMessage
}

func appendNew(list []string, v string) []string {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
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
	t        *testing.T
	srv      *Server
	ts       *httptest.Server
	clock    *testClock
	repl     map[string]string // recorded value -> value in this run
	jwt      string            // latest access token seen
	setupJWT string            // token of the user the scenario assumes
	fixtures []fixture         // users created by setup
	secrets  map[string]string // factor id -> TOTP secret
	enrolled map[string]bool   // recorded factor ids the scenario enrolls
}

const fixturePassword = "correct-horse-9"

func replay(t *testing.T, tr *transcript, idx *recordedIndex) []string {
	clock := &testClock{now: time.Now().UTC().Truncate(time.Second)}
	cfg := DefaultConfig()
	cfg.PasswordCost = bcrypt.MinCost
	cfg.Now = clock.Now
	cfg.Providers = []string{"github", "google"}
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
		if os.Getenv("EMU_DEBUG") != "" {
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

// setup creates what the scenario assumes already exists: users referred
// to by email, id or phone before any step created them (replaying the
// request that created them in the recording when there is one), and a
// signed-in user when a user token is needed first.
func (r *runner) setup(tr *transcript, idx *recordedIndex) error {
	produced := ""
	created := map[string]bool{}
	needJWT := false
	var unknownIDs []string // ids of existing things no step produced
	var needGrant []grantRequest
	r.enrolled = map[string]bool{}
	for _, st := range tr.Steps {
		if m, ok := st.Response.Body.(map[string]any); ok && st.Request.Path == "/factors" {
			r.enrolled[fmt.Sprint(m["id"])] = true
		}
	}
	for i, st := range tr.Steps {
		var body map[string]any
		_ = json.Unmarshal(st.Request.Body, &body)
		for k, v := range st.Request.Query {
			if body == nil {
				body = map[string]any{}
			}
			if _, ok := body[k]; !ok {
				body[k] = v
			}
		}
		reqBody := string(st.Request.Body)
		if ne, ok := body["new_email"].(string); ok {
			reqBody = strings.ReplaceAll(reqBody, ne, "") // must not exist
		}
		req := reqBody + " " + st.Request.Path + " " + mustJSON(st.Request.Query)
		for _, id := range uuidPattern.FindAllString(st.Request.Path, -1) {
			switch lp := idx.localByID[id]; {
			case strings.Contains(produced, id):
			case lp != "":
				req += " " + lp
			case st.Response.Status < 300:
				unknownIDs = append(unknownIDs, id)
			}
		}
		for _, id := range uuidPattern.FindAllString(req, -1) {
			if c := idx.clients[id]; c != nil && !created[id] && !strings.Contains(produced, id) {
				created[id] = true
				if err := r.createClient(id, c, ""); err != nil {
					return err
				}
			}
		}
		if strings.Contains(st.Request.Headers["Authorization"], "<base64(client_id:client_secret)>") && r.repl["<client_id>"] == "" {
			if err := r.createClient("", map[string]any{"client_name": "conf", "registration_type": "manual"},
				fmt.Sprint(body["redirect_uri"])); err != nil {
				return err
			}
			if st.Response.Status >= 300 {
				r.repl["<client_secret>"] = "not-the-secret"
			}
		}
		if id, ok := strings.CutPrefix(st.Request.Path, "/oauth/authorizations/"); ok && st.Request.Method == "GET" {
			if m, ok := st.Response.Body.(map[string]any); ok && m["redirect_url"] != nil {
				needGrant = append(needGrant, grantFor(tr, id))
			}
		}
		if st.Request.Method == "DELETE" && st.Request.Path == "/user/oauth/grants" && st.Response.Status == http.StatusNoContent {
			needGrant = append(needGrant, grantRequest{clientID: st.Request.Query["client_id"], scope: "email profile"})
		}
		if st.Request.Path == "/admin/audit" && !created["audit"] {
			// The recording shows sign-ins and deletions: make some.
			created["audit"] = true
			if err := r.createEmailUser("rec-"+randomHex(10), idx); err != nil {
				return err
			}
			if err := r.createListedUser(); err != nil {
				return err
			}
			victim := r.fixtures[0].id
			if status, _, b, err := r.do("DELETE", "/admin/users/"+victim, nil, jsonHeaders, nil, ""); err != nil || status != http.StatusOK {
				return fmt.Errorf("deleting fixture: %d %s %v", status, b, err)
			}
		}
		if st.Request.Method == "GET" && st.Request.Path == "/admin/users" && !created["list"] {
			created["list"] = true
			for range 5 {
				if err := r.createListedUser(); err != nil {
					return err
				}
			}
		}
		if strings.Contains(st.Request.Headers["Authorization"], "<user_jwt>") && !strings.Contains(produced, `"access_token"`) {
			needJWT = true
			if m, ok := st.Response.Body.(map[string]any); ok && m["aud"] != nil && !created["owner"] {
				if lp := idx.localByID[fmt.Sprint(m["id"])]; lp != "" {
					req += " " + lp
				}
			}
			if name := factorNameOwner[tr.Scenario]; name != "" {
				for lp, fs := range idx.factors {
					for _, f := range fs {
						if f.name == name {
							req += " " + lp
						}
					}
				}
			}
			created["owner"] = true
		}
		creates := createsUser(tr.Scenario, i, st.Request.Method, st.Request.Path, st.Request.Body)
		for _, lp := range localPart.FindAllString(req, -1) {
			if created[lp] || strings.Contains(produced, lp) || creates {
				created[lp] = true
				continue
			}
			created[lp] = true
			if err := r.createEmailUser(lp, idx); err != nil {
				return err
			}
		}
		if ph, ok := body["phone"].(string); ok && !created[ph] && !strings.Contains(produced, ph) && !creates && st.Request.Path != "/factors" {
			created[ph] = true
			if err := r.createPhoneUser(ph); err != nil {
				return err
			}
		}
		produced += mustJSON(st.Response.Body) + st.Response.Headers["Location"]
	}
	if len(r.fixtures) == 0 && needJWT {
		if err := r.createEmailUser("rec-"+randomHex(10), idx); err != nil {
			return err
		}
	}
	if len(r.fixtures) > 0 {
		for _, id := range unknownIDs {
			r.repl[id] = r.fixtures[0].id
		}
		if len(needGrant) > 0 && r.setupJWT == "" {
			tok, err := r.signInFixture(r.fixtures[0])
			if err != nil {
				return err
			}
			r.setupJWT = tok
		}
		for _, g := range needGrant {
			if err := r.createGrant(g); err != nil {
				return err
			}
		}
		if needJWT && strings.HasSuffix(tr.Scenario, "_at_aal2") && r.fixtures[0].aal2JWT != "" {
			r.setupJWT = r.fixtures[0].aal2JWT
		}
		if needJWT && r.setupJWT == "" {
			tok, err := r.signInFixture(r.fixtures[0])
			if err != nil {
				return err
			}
			r.setupJWT = tok
		}
	}
	return nil
}

// createsUser reports whether a request is expected to create (or to not
// find) the user it names, so no fixture must exist.
func createsUser(scenario string, step int, method, path string, body json.RawMessage) bool {
	var b map[string]any
	_ = json.Unmarshal(body, &b)
	switch {
	case freshEmails[fmt.Sprintf("%s#%d", scenario, step)]:
		return true
	case method == "PUT" && path == "/user":
		return true
	case method == "POST" && (path == "/signup" || path == "/admin/users" || path == "/invite" || path == "/otp"):
		return !strings.Contains(scenario, "duplicate") && !strings.Contains(scenario, "existing") && scenario != "otp_email" && scenario != "otp_email_rate_limited"
	case path == "/admin/generate_link":
		return b["type"] == "signup" || b["type"] == "invite"
	}
	return false
}

// grantRequest is a consent the scenario's user must already have given.
type grantRequest struct {
	clientID, redirectURI, scope string
}

// grantFor finds the client and scope of a recorded authorization id.
func grantFor(tr *transcript, authorizationID string) grantRequest {
	for _, st := range tr.Steps {
		if st.Request.Path == "/oauth/authorize" && strings.Contains(st.Response.Headers["Location"], authorizationID) {
			q := st.Request.Query
			return grantRequest{clientID: q["client_id"], redirectURI: q["redirect_uri"], scope: q["scope"]}
		}
	}
	return grantRequest{}
}

// createClient registers a recorded OAuth client (or, with an empty id, a
// confidential client whose credentials fill the Basic placeholder).
func (r *runner) createClient(recordedID string, c map[string]any, redirectURI string) error {
	body := map[string]any{"client_name": c["client_name"], "redirect_uris": c["redirect_uris"]}
	if m, ok := c["token_endpoint_auth_method"]; ok {
		body["token_endpoint_auth_method"] = m
	}
	if body["redirect_uris"] == nil {
		body["redirect_uris"] = []string{redirectURI}
	}
	path := "/admin/oauth/clients"
	if c["registration_type"] == "dynamic" {
		path = "/oauth/clients/register"
	}
	status, _, b, err := r.do("POST", path, nil, jsonHeaders, json.RawMessage(mustJSON(body)), "")
	if err != nil {
		return err
	}
	var resp struct {
		ClientID     string `json:"client_id"`
		ClientSecret string `json:"client_secret"`
	}
	if status != http.StatusCreated || json.Unmarshal(b, &resp) != nil {
		return fmt.Errorf("creating client: %d %s", status, b)
	}
	if recordedID != "" {
		r.repl[recordedID] = resp.ClientID
		return nil
	}
	r.repl["<client_id>"], r.repl["<client_secret>"] = resp.ClientID, resp.ClientSecret
	return nil
}

// createGrant has the setup user approve an authorization for a client.
func (r *runner) createGrant(g grantRequest) error {
	clientID := r.sub(g.clientID)
	redirect := g.redirectURI
	if redirect == "" {
		redirect = "http://127.0.0.1:53682/oauth/cb"
	}
	q := map[string]string{"client_id": clientID, "redirect_uri": redirect, "response_type": "code", "scope": g.scope,
		"code_challenge": strings.Repeat("c", 43), "code_challenge_method": "plain"}
	status, hdr, b, err := r.do("GET", "/oauth/authorize", q, nil, nil, "")
	if err != nil {
		return err
	}
	loc, err := url.Parse(hdr.Get("Location"))
	if err != nil || status != http.StatusFound || loc.Query().Get("authorization_id") == "" {
		return fmt.Errorf("authorize for grant: %d %s %s", status, hdr.Get("Location"), b)
	}
	auth := map[string]string{"Content-Type": "application/json", "Authorization": "Bearer " + r.setupJWT}
	var out map[string]any
	if err := r.post("/oauth/authorizations/"+loc.Query().Get("authorization_id")+"/consent", auth, map[string]string{"action": "approve"}, &out); err != nil {
		return err
	}
	return nil
}

// factorNameOwner names, for scenarios that only send a user token, a
// factor that the token's user has.
var factorNameOwner = map[string]string{"mfa_duplicate_friendly_name": "laptop"}

// freshEmails are steps whose email must not exist yet.
var freshEmails = map[string]bool{
	"token_password_unknown_email#0": true,
	"admin_generate_link_errors#2":   true, // magiclink for an unknown email
}

var uuidPattern = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// fixture is a user created by setup.
type fixture struct {
	id, email, password string
	aal2JWT             string // after verifying its TOTP factor, if any
}

var jsonHeaders = map[string]string{"Content-Type": "application/json", "Authorization": "Bearer <service_role>"}

// createEmailUser creates the user of an email local part: by replaying
// the recorded request that created it, else by signing it up.
func (r *runner) createEmailUser(lp string, idx *recordedIndex) error {
	email := r.sub(lp) + "@example.com"
	path, reqBody := "/signup", map[string]any{"email": email, "password": fixturePassword}
	if c, ok := idx.creators[lp]; ok {
		path = c.path
		if err := json.Unmarshal([]byte(r.sub(string(c.body))), &reqBody); err != nil {
			return err
		}
	}
	_, _, body, err := r.do("POST", path, nil, jsonHeaders, json.RawMessage(mustJSON(reqBody)), "")
	if err != nil {
		return err
	}
	var resp struct {
		AccessToken string `json:"access_token"`
		User        *struct {
			ID         string `json:"id"`
			Identities []struct {
				IdentityID string `json:"identity_id"`
			} `json:"identities"`
		} `json:"user"`
		ID         string `json:"id"`
		Identities []struct {
			IdentityID string `json:"identity_id"`
		} `json:"identities"`
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		return fmt.Errorf("creating %s: %s", email, body)
	}
	id, identities := resp.ID, resp.Identities
	if resp.User != nil {
		id, identities = resp.User.ID, resp.User.Identities
	}
	if id == "" {
		return fmt.Errorf("creating %s: %s", email, body)
	}
	for _, rid := range idx.idsByLocal[lp] {
		r.repl[rid] = id
		for _, iid := range idx.identities[rid] {
			if len(identities) > 0 {
				r.repl[iid] = identities[0].IdentityID
			}
		}
	}
	pw, _ := reqBody["password"].(string)
	f := fixture{id: id, email: email, password: pw}
	if fs := idx.factors[lp]; len(fs) > 0 {
		if err := r.createFactors(&f, fs); err != nil {
			return err
		}
	} else if r.setupJWT == "" && resp.AccessToken != "" {
		r.setupJWT = resp.AccessToken
	}
	r.fixtures = append(r.fixtures, f)
	return nil
}

// createFactors enrolls a fixture's recorded factors: TOTP ones verified
// first (which gives an aal2 session), then the others from that session.
func (r *runner) createFactors(f *fixture, fs []recordedFactor) error {
	tok, err := r.signInFixture(*f)
	if err != nil {
		return err
	}
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].typ == "totp" && fs[j].typ != "totp" })
	for _, rf := range fs {
		if r.enrolled[rf.id] {
			continue // the scenario enrolls it itself
		}
		hdr := map[string]string{"Content-Type": "application/json", "Authorization": "Bearer " + tok}
		body := map[string]any{"factor_type": rf.typ, "friendly_name": rf.name}
		if rf.phone != "" {
			body["phone"] = rf.phone
		}
		var enrolled struct {
			ID   string `json:"id"`
			TOTP struct {
				Secret string `json:"secret"`
			} `json:"totp"`
		}
		if err := r.post("/factors", hdr, body, &enrolled); err != nil {
			return err
		}
		r.repl[rf.id] = enrolled.ID
		if rf.typ != "totp" {
			continue
		}
		r.secrets[enrolled.ID] = enrolled.TOTP.Secret
		var ch struct {
			ID string `json:"id"`
		}
		if err := r.post("/factors/"+enrolled.ID+"/challenge", hdr, map[string]any{}, &ch); err != nil {
			return err
		}
		code, err := totp.GenerateCode(enrolled.TOTP.Secret, r.clock.Now())
		if err != nil {
			return err
		}
		var verified struct {
			AccessToken string `json:"access_token"`
		}
		if err := r.post("/factors/"+enrolled.ID+"/verify", hdr, map[string]any{"challenge_id": ch.ID, "code": code}, &verified); err != nil {
			return err
		}
		tok, f.aal2JWT = verified.AccessToken, verified.AccessToken
	}
	return nil
}

// post sends a JSON request during setup and decodes a 200 answer.
func (r *runner) post(path string, hdr map[string]string, body, out any) error {
	status, _, b, err := r.do("POST", path, nil, hdr, json.RawMessage(mustJSON(body)), "")
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return fmt.Errorf("POST %s: %d %s", path, status, b)
	}
	return json.Unmarshal(b, out)
}

func (r *runner) signInFixture(f fixture) (string, error) {
	_, _, body, err := r.do("POST", "/token", map[string]string{"grant_type": "password"}, jsonHeaders,
		json.RawMessage(mustJSON(map[string]string{"email": f.email, "password": f.password})), "")
	if err != nil {
		return "", err
	}
	var resp struct {
		AccessToken string `json:"access_token"`
	}
	if json.Unmarshal(body, &resp) != nil || resp.AccessToken == "" {
		return "", fmt.Errorf("signing in %s: %s", f.email, body)
	}
	return resp.AccessToken, nil
}

// createListedUser adds a confirmed, signed-in, admin-created user so
// listings have pages.
func (r *runner) createListedUser() error {
	f := fixture{email: "list-" + randomHex(10) + "@example.com", password: fixturePassword}
	_, _, body, err := r.do("POST", "/admin/users", nil, jsonHeaders,
		json.RawMessage(mustJSON(map[string]any{"email": f.email, "password": f.password, "email_confirm": true})), "")
	if err != nil {
		return err
	}
	if !bytes.Contains(body, []byte(`"id"`)) {
		return fmt.Errorf("creating %s: %s", f.email, body)
	}
	_, err = r.signInFixture(f)
	return err
}

// createPhoneUser signs a phone up with a password, or, for the test
// numbers, sends it an OTP like the recorder did.
func (r *runner) createPhoneUser(phone string) error {
	path, want, req := "/signup", "access_token", map[string]string{"phone": phone, "password": fixturePassword}
	if _, test := r.srv.cfg.TestOTP[phone]; test {
		path, want, req = "/otp", "message_id", map[string]string{"phone": phone}
	}
	_, _, body, err := r.do("POST", path, nil, map[string]string{"Content-Type": "application/json"},
		json.RawMessage(mustJSON(req)), "")
	if err != nil {
		return err
	}
	if !bytes.Contains(body, []byte(want)) {
		return fmt.Errorf("creating phone %s: %s", phone, body)
	}
	if path == "/otp" {
		_, _, body, err = r.do("POST", "/verify", nil, jsonHeaders,
			json.RawMessage(mustJSON(map[string]string{"phone": phone, "token": r.srv.cfg.TestOTP[phone], "type": "sms"})), "")
		if err != nil || !bytes.Contains(body, []byte("access_token")) {
			return fmt.Errorf("verifying phone %s: %s %v", phone, body, err)
		}
	}
	return nil
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

func compareHeaders(rec map[string]string, got http.Header, r *runner) []string {
	var out []string
	for _, h := range []string{"Content-Type", "X-Sb-Error-Code", "X-Supabase-Api-Version", "Link", "X-Total-Count", "Location"} {
		want, has := rec[h]
		g := got.Get(h)
		switch {
		case has != (g != ""):
			out = append(out, fmt.Sprintf("header %s = %q, want %q", h, g, want))
		case !has:
		case h == "Link":
			if linkRels(want) != linkRels(g) {
				out = append(out, fmt.Sprintf("Link rels %q, want %q", g, want))
			}
		case h == "Location" && isExternal(want):
			// The emulator's mock identity provider lives at its own path:
			// only the parameters it is sent are compared.
			if p := urlShape(r.sub(want)); !strings.HasSuffix(urlShape(g), p[strings.Index(p, "?"):]) {
				out = append(out, fmt.Sprintf("Location shape %s, want %s", urlShape(g), p))
			}
		case h == "Location":
			if p := urlShape(r.sub(want)); p != urlShape(g) {
				out = append(out, fmt.Sprintf("Location shape %s, want %s", urlShape(g), p))
			}
		case h == "X-Total-Count":
		default:
			if g != want {
				out = append(out, fmt.Sprintf("header %s = %q, want %q", h, g, want))
			}
		}
	}
	return out
}

var relPattern = regexp.MustCompile(`rel="(\w+)"`)

func linkRels(h string) string {
	var rels []string
	for _, m := range relPattern.FindAllStringSubmatch(h, -1) {
		rels = append(rels, m[1])
	}
	return strings.Join(rels, ",")
}

// isExternal reports a URL to another host than the server or a loopback app.
func isExternal(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && u.Hostname() != "" && u.Hostname() != "127.0.0.1" && u.Hostname() != "localhost"
}

// urlShape is a URL's path with the sorted names of its query and
// fragment parameters (host and values vary).
func urlShape(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return s
	}
	names := func(raw string) string {
		q, _ := url.ParseQuery(raw)
		var ks []string
		for k := range q {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		return strings.Join(ks, ",")
	}
	return u.Path + "?" + names(u.RawQuery) + "#" + names(u.Fragment)
}

// exactFields are compared by value (error codes and messages).
var exactFields = map[string]bool{"code": true, "error_code": true, "msg": true, "message": true, "error": true, "error_description": true}

func compareBody(path string, rec, got any, r *runner) []string {
	switch x := rec.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: %s, want object", path, jsonType(got))}
		}
		if isMetadata(path) {
			x, g = standardKeys(x), standardKeys(g)
		}
		var out []string
		for k := range x {
			if _, ok := g[k]; !ok {
				out = append(out, fmt.Sprintf("%s.%s missing", path, k))
			}
		}
		for k := range g {
			if _, ok := x[k]; !ok {
				out = append(out, fmt.Sprintf("%s.%s unexpected", path, k))
			}
		}
		for k, v := range x {
			if gv, ok := g[k]; ok {
				if exactFields[k] && path == "body" {
					if ws, ok := v.(string); ok {
						v = r.sub(ws)
					}
					if fmt.Sprint(v) != fmt.Sprint(gv) {
						out = append(out, fmt.Sprintf("%s.%s = %v, want %v", path, k, gv, v))
					}
					continue
				}
				out = append(out, compareBody(path+"."+k, v, gv, r)...)
			}
		}
		return out
	case []any:
		g, ok := got.([]any)
		if !ok {
			return []string{fmt.Sprintf("%s: %s, want array", path, jsonType(got))}
		}
		if (len(x) == 0) != (len(g) == 0) {
			return []string{fmt.Sprintf("%s: %d elements, want %d", path, len(g), len(x))}
		}
		for i, gv := range g {
			var best []string
			for _, xv := range x {
				p := compareBody(fmt.Sprintf("%s[%d]", path, i), xv, gv, r)
				if len(p) == 0 {
					best = nil
					break
				}
				if best == nil || len(p) < len(best) {
					best = p
				}
			}
			if best != nil {
				return best
			}
		}
		return nil
	case string:
		if path == "body" {
			if g, ok := got.(string); !ok || (strings.HasPrefix(x, "404") && g != x) {
				return []string{fmt.Sprintf("body %.80q, want %.80q", fmt.Sprint(got), x)}
			}
			return nil
		}
	}
	if jsonType(rec) != jsonType(got) {
		return []string{fmt.Sprintf("%s: %s, want %s", path, jsonType(got), jsonType(rec))}
	}
	return nil
}

// compareClaims decodes the access tokens the transcript has claims for
// (in the body or the Location fragment) and compares their claim set and
// types, and the values of role, aal, is_anonymous and the amr methods.
func compareClaims(want map[string]map[string]any, got any, hdr http.Header) []string {
	var out []string
	for where, wc := range want {
		var tok string
		switch where {
		case "response.body.access_token":
			if m, ok := got.(map[string]any); ok {
				tok, _ = m["access_token"].(string)
			}
		case "response.headers.Location":
			if u, err := url.Parse(hdr.Get("Location")); err == nil {
				f, _ := url.ParseQuery(u.Fragment)
				tok = f.Get("access_token")
			}
		default:
			continue // tokens the emulator does not issue in the same place
		}
		parts := strings.Split(tok, ".")
		if len(parts) != 3 {
			out = append(out, where+": no JWT")
			continue
		}
		payload, err := base64.RawURLEncoding.DecodeString(parts[1])
		var gc map[string]any
		if err != nil || json.Unmarshal(payload, &gc) != nil {
			out = append(out, where+": undecodable JWT")
			continue
		}
		out = append(out, compareBody("claims", wc, gc, nil)...)
		for _, k := range []string{"role", "aal", "is_anonymous"} {
			if fmt.Sprint(wc[k]) != fmt.Sprint(gc[k]) {
				out = append(out, fmt.Sprintf("claim %s = %v, want %v", k, gc[k], wc[k]))
			}
		}
		if amrMethods(wc["amr"]) != amrMethods(gc["amr"]) {
			out = append(out, fmt.Sprintf("amr %s, want %s", amrMethods(gc["amr"]), amrMethods(wc["amr"])))
		}
	}
	return out
}

func amrMethods(v any) string {
	list, _ := v.([]any)
	var ms []string
	for _, e := range list {
		if m, ok := e.(map[string]any); ok {
			ms = append(ms, fmt.Sprint(m["method"]))
		}
	}
	// The order follows the timestamps (newest first), which the test's
	// clock does not reproduce to the second: compare the methods only.
	sort.Strings(ms)
	return strings.Join(ms, ",")
}

// Custom metadata keys are user data (and the recorder's users carry keys
// set by other scenarios): only the server's own keys are compared.
func isMetadata(path string) bool {
	return strings.HasSuffix(path, "_metadata") || strings.HasSuffix(path, ".identity_data")
}

var serverMetadataKeys = map[string]bool{"provider": true, "providers": true, "email": true, "email_verified": true,
	"phone_verified": true, "sub": true, "phone": true}

func standardKeys(m map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		if serverMetadataKeys[k] {
			out[k] = v
		}
	}
	return out
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
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
