package e2e

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/authctl/authctl/internal/softauthn"
)

// Passkeys are off by default (the shared target), on in the PASSKEY_ON
// variant, whose relying party is localhost for pages on
// passkeyOrigin. A software authenticator (internal/softauthn) plays the
// browser and the security key.
const passkeyOrigin = "http://localhost:3000"

// apiErr is the server's (pre-2024 API) error body.
type apiErr struct {
	Code      int    `json:"code"`
	ErrorCode string `json:"error_code"`
	Msg       string `json:"msg"`
}

// ceremony is the answer of an options endpoint.
type ceremony struct {
	ChallengeID string          `json:"challenge_id"`
	Options     json.RawMessage `json:"options"`
	ExpiresAt   int64           `json:"expires_at"`
}

// passkeyItem is a passkey of a list, a registration or a rename.
type passkeyItem struct {
	ID           string  `json:"id"`
	FriendlyName string  `json:"friendly_name"`
	CreatedAt    string  `json:"created_at"`
	LastUsedAt   *string `json:"last_used_at"`
}

// passkeyUser signs up a new user on srv and returns their id and access
// token.
func passkeyUser(t *testing.T, srv *server) (id, token string) {
	t.Helper()
	var s struct {
		AccessToken string `json:"access_token"`
		User        struct {
			ID string `json:"id"`
		} `json:"user"`
	}
	body := map[string]any{"email": uniqueEmail(t), "password": password}
	if code := serverCall(t, srv, "POST", "/signup", srv.AnonKey, "", body, &s); code != 200 || s.AccessToken == "" {
		t.Fatalf("signup: %d %+v", code, s)
	}
	return s.User.ID, s.AccessToken
}

// registerPasskey runs a registration ceremony for the user of token.
func registerPasskey(t *testing.T, srv *server, a *softauthn.Authenticator, token string) passkeyItem {
	t.Helper()
	var c ceremony
	if code := serverCall(t, srv, "POST", "/passkeys/registration/options", srv.AnonKey, token, map[string]any{}, &c); code != 200 {
		t.Fatalf("registration options: %d", code)
	}
	cred, err := a.Create(c.Options)
	if err != nil {
		t.Fatal(err)
	}
	var k passkeyItem
	body := map[string]any{"challenge_id": c.ChallengeID, "credential": json.RawMessage(cred)}
	if code := serverCall(t, srv, "POST", "/passkeys/registration/verify", srv.AnonKey, token, body, &k); code != 200 || k.ID == "" {
		t.Fatalf("registration verify: %d %+v", code, k)
	}
	return k
}

// passkeySignIn runs a discoverable sign-in ceremony and returns the
// verify answer's status and body.
func passkeySignIn(t *testing.T, srv *server, a *softauthn.Authenticator, out any) int {
	t.Helper()
	var c ceremony
	if code := serverCall(t, srv, "POST", "/passkeys/authentication/options", srv.AnonKey, "", map[string]any{}, &c); code != 200 {
		t.Fatalf("authentication options: %d", code)
	}
	assertion, err := a.Get(c.Options)
	if err != nil {
		t.Fatal(err)
	}
	body := map[string]any{"challenge_id": c.ChallengeID, "credential": json.RawMessage(assertion)}
	return serverCall(t, srv, "POST", "/passkeys/authentication/verify", srv.AnonKey, "", body, out)
}

func listPasskeys(t *testing.T, srv *server, path, bearer string) []passkeyItem {
	t.Helper()
	var list []passkeyItem
	if code := serverCall(t, srv, "GET", path, srv.AnonKey, bearer, nil, &list); code != 200 {
		t.Fatalf("GET %s: %d", path, code)
	}
	return list
}

// Off, every /passkeys route answers 404 passkey_disabled, signed in or
// not, while the admin list still answers (empty).
func TestPasskeysDisabled(t *testing.T) {
	id, token := passkeyUser(t, target)
	for _, r := range []struct{ method, path, bearer string }{
		{"POST", "/passkeys/authentication/options", ""},
		{"POST", "/passkeys/registration/options", token},
		{"GET", "/passkeys/", token},
		{"DELETE", "/passkeys/00000000-0000-4000-8000-000000000000", token},
	} {
		var e apiErr
		code := serverCall(t, target, r.method, r.path, target.AnonKey, r.bearer, map[string]any{}, &e)
		if code != 404 || e.ErrorCode != "passkey_disabled" || e.Msg != "Passkeys are disabled" {
			t.Errorf("%s %s: %d %+v, want 404 passkey_disabled", r.method, r.path, code, e)
		}
	}
	if list := listPasskeys(t, target, "/admin/users/"+id+"/passkeys", target.ServiceRoleKey); len(list) != 0 {
		t.Errorf("admin list: %+v", list)
	}
}

// A user registers a passkey, signs in with it, lists, renames and deletes
// it; the admin lists and deletes another; what is deleted no longer signs
// in.
func TestPasskeysLifecycle(t *testing.T) {
	srv := serverWith(t, "PASSKEY_ON")
	a := softauthn.New(passkeyOrigin)
	id, token := passkeyUser(t, srv)
	if list := listPasskeys(t, srv, "/passkeys/", token); len(list) != 0 {
		t.Fatalf("a new user has passkeys: %+v", list)
	}
	k := registerPasskey(t, srv, a, token)
	if k.FriendlyName != "Passkey" || k.CreatedAt == "" {
		t.Errorf("registered %+v, want the name Passkey", k)
	}

	// The second registration excludes the first credential.
	var c ceremony
	serverCall(t, srv, "POST", "/passkeys/registration/options", srv.AnonKey, token, map[string]any{}, &c)
	var excl struct {
		ExcludeCredentials []struct{ ID string } `json:"excludeCredentials"`
	}
	if json.Unmarshal(c.Options, &excl) != nil || len(excl.ExcludeCredentials) != 1 {
		t.Errorf("registration options exclude %+v, want the one credential", excl)
	}

	var s struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
		User         struct {
			ID string `json:"id"`
		} `json:"user"`
	}
	if code := passkeySignIn(t, srv, a, &s); code != 200 || s.User.ID != id || s.AccessToken == "" || s.RefreshToken == "" {
		t.Fatalf("sign-in: %d %+v", code, s)
	}
	c2 := claims(t, s.AccessToken)
	if amr, _ := c2["amr"].([]any); len(amr) != 1 || amr[0].(map[string]any)["method"] != "passkey" {
		t.Errorf("amr %v, want passkey", c2["amr"])
	}
	list := listPasskeys(t, srv, "/passkeys", s.AccessToken)
	if len(list) != 1 || list[0].ID != k.ID || list[0].LastUsedAt == nil {
		t.Errorf("list after sign-in: %+v", list)
	}

	var e apiErr
	if code := serverCall(t, srv, "PATCH", "/passkeys/"+k.ID, srv.AnonKey, token, map[string]any{"friendly_name": ""}, &e); code != 400 || e.Msg != "friendly_name is required" {
		t.Errorf("rename to nothing: %d %+v", code, e)
	}
	long := map[string]any{"friendly_name": strings.Repeat("x", 121)}
	if code := serverCall(t, srv, "PATCH", "/passkeys/"+k.ID, srv.AnonKey, token, long, &e); code != 400 || e.Msg != "friendly_name must be 120 characters or less" {
		t.Errorf("rename to 121 characters: %d %+v", code, e)
	}
	var renamed passkeyItem
	if code := serverCall(t, srv, "PATCH", "/passkeys/"+k.ID, srv.AnonKey, token, map[string]any{"friendly_name": "Work laptop"}, &renamed); code != 200 || renamed.FriendlyName != "Work laptop" || renamed.ID != k.ID {
		t.Errorf("rename: %d %+v", code, renamed)
	}

	// Another user sees none of it and cannot touch it.
	_, other := passkeyUser(t, srv)
	if code := serverCall(t, srv, "DELETE", "/passkeys/"+k.ID, srv.AnonKey, other, nil, &e); code != 404 || e.Msg != "Passkey not found" {
		t.Errorf("another user's delete: %d %+v", code, e)
	}

	if code := serverCall(t, srv, "DELETE", "/passkeys/"+k.ID, srv.AnonKey, token, nil, nil); code != http.StatusNoContent {
		t.Errorf("delete: %d", code)
	}
	if code := passkeySignIn(t, srv, a, &e); code != 400 || e.ErrorCode != "webauthn_verification_failed" {
		t.Errorf("sign-in with a deleted passkey: %d %+v", code, e)
	}

	// The admin, with authctl, lists and deletes a lost device's passkey.
	k2 := registerPasskey(t, srv, a, token)
	cli := envFor(t, srv)
	cli.vars["SUPABASE_SERVICE_ROLE_KEY"] = srv.ServiceRoleKey
	var listed []passkeyItem
	cli.jsonOut(&listed, "", "admin", "passkeys", "list", id)
	if len(listed) != 1 || listed[0].ID != k2.ID || listed[0].FriendlyName != "Passkey" {
		t.Errorf("admin passkeys list: %+v", listed)
	}
	if out := cli.mustRun(0, "", "admin", "passkeys", "list", id).Stdout; !strings.Contains(out, k2.ID) {
		t.Errorf("admin passkeys list's table lacks %s:\n%s", k2.ID, out)
	}
	if ids, _ := cli.complete("admin", "passkeys", "delete", id, ""); len(ids) != 1 || ids[0] != k2.ID {
		t.Errorf("admin passkeys delete USER_ID <Tab> offered %q, want the passkey's id", ids)
	}
	var deleted passkeyItem
	cli.jsonOut(&deleted, "", "admin", "passkeys", "delete", id, k2.ID, "--yes")
	if deleted.ID != k2.ID {
		t.Errorf("admin passkeys delete printed %+v", deleted)
	}
	r := cli.run("", "admin", "passkeys", "delete", id, k2.ID, "--yes")
	if r.Code != 1 || !strings.Contains(r.Stderr, "Passkey not found") {
		t.Errorf("deleting it again: exit %d\n%s", r.Code, r.Stderr)
	}
	if list := listPasskeys(t, srv, "/passkeys/", token); len(list) != 0 {
		t.Errorf("list after the admin's delete: %+v", list)
	}
}

// A challenge serves once; bodies without a challenge, a credential or with
// a forged one are refused with the server's codes; anonymous users cannot
// register.
func TestPasskeysRefusals(t *testing.T) {
	srv := serverWith(t, "PASSKEY_ON")
	a := softauthn.New(passkeyOrigin)
	_, token := passkeyUser(t, srv)
	var c ceremony
	serverCall(t, srv, "POST", "/passkeys/registration/options", srv.AnonKey, token, map[string]any{}, &c)
	cred, err := a.Create(c.Options)
	if err != nil {
		t.Fatal(err)
	}
	verify := "/passkeys/registration/verify"
	for _, r := range []struct {
		body      map[string]any
		code      int
		errorCode string
		msg       string
	}{
		{map[string]any{"credential": json.RawMessage(cred)}, 400, "validation_failed", "challenge_id is required"},
		{map[string]any{"challenge_id": c.ChallengeID}, 400, "validation_failed", "credential is required"},
		{map[string]any{"challenge_id": "nope", "credential": json.RawMessage(cred)}, 400, "validation_failed", "challenge_id must be a valid UUID"},
		{map[string]any{"challenge_id": "00000000-0000-4000-8000-000000000000", "credential": json.RawMessage(cred)}, 400, "webauthn_challenge_not_found", "Challenge not found or already used"},
		{map[string]any{"challenge_id": c.ChallengeID, "credential": map[string]any{"id": "x"}}, 400, "webauthn_verification_failed", "Invalid credential response"},
		// the failed attempt used the challenge up
		{map[string]any{"challenge_id": c.ChallengeID, "credential": json.RawMessage(cred)}, 400, "webauthn_challenge_not_found", "Challenge not found or already used"},
	} {
		var e apiErr
		if code := serverCall(t, srv, "POST", verify, srv.AnonKey, token, r.body, &e); code != r.code || e.ErrorCode != r.errorCode || e.Msg != r.msg {
			t.Errorf("verify %v: %d %+v, want %d %s %q", r.body, code, e, r.code, r.errorCode, r.msg)
		}
	}

	// A signed assertion replayed on a new challenge fails verification.
	registerPasskey(t, srv, a, token)
	var opts ceremony
	serverCall(t, srv, "POST", "/passkeys/authentication/options", srv.AnonKey, "", map[string]any{}, &opts)
	old, _ := a.Get(opts.Options)
	serverCall(t, srv, "POST", "/passkeys/authentication/options", srv.AnonKey, "", map[string]any{}, &opts)
	var e apiErr
	replay := map[string]any{"challenge_id": opts.ChallengeID, "credential": json.RawMessage(old)}
	if code := serverCall(t, srv, "POST", "/passkeys/authentication/verify", srv.AnonKey, "", replay, &e); code != 400 || e.Msg != "Credential verification failed" {
		t.Errorf("replayed assertion: %d %+v", code, e)
	}

	var anon struct {
		AccessToken string `json:"access_token"`
	}
	serverCall(t, srv, "POST", "/signup", srv.AnonKey, "", map[string]any{}, &anon)
	if code := serverCall(t, srv, "POST", "/passkeys/registration/options", srv.AnonKey, anon.AccessToken, map[string]any{}, &e); code != 403 || e.ErrorCode != "no_authorization" {
		t.Errorf("anonymous registration: %d %+v", code, e)
	}
	if code := serverCall(t, srv, "GET", "/passkeys/", srv.AnonKey, "", nil, &e); code != 401 || e.ErrorCode != "no_authorization" {
		t.Errorf("list without a token: %d %+v", code, e)
	}
}

// A user with a verified factor registers and deletes passkeys only at
// aal2; renaming needs no step-up.
func TestPasskeysNeedAAL2WithMFA(t *testing.T) {
	srv := serverWith(t, "PASSKEY_ON")
	a := softauthn.New(passkeyOrigin)
	e := envFor(t, srv)
	email := uniqueEmail(t)
	signUp(t, e, email)
	enrollVerifiedTOTP(t, e, "app")
	aal2 := strings.TrimSpace(e.mustRun(0, "", "token").Stdout)
	k := registerPasskey(t, srv, a, aal2)

	e.mustRun(0, "", "logout")
	e.mustRun(0, password+"\n", "login", "password", "--email", email, "--password-stdin")
	aal1 := strings.TrimSpace(e.mustRun(0, "", "token").Stdout)
	for _, r := range []struct{ method, path string }{
		{"POST", "/passkeys/registration/options"},
		{"POST", "/passkeys/registration/verify"},
		{"DELETE", "/passkeys/" + k.ID},
	} {
		var e apiErr
		code := serverCall(t, srv, r.method, r.path, srv.AnonKey, aal1, map[string]any{}, &e)
		if code != 403 || e.ErrorCode != "insufficient_aal" || e.Msg != "AAL2 session is required to manage passkeys when MFA is enabled" {
			t.Errorf("%s %s at aal1: %d %+v, want 403 insufficient_aal", r.method, r.path, code, e)
		}
	}
	if code := serverCall(t, srv, "PATCH", "/passkeys/"+k.ID, srv.AnonKey, aal1, map[string]any{"friendly_name": "key"}, nil); code != 200 {
		t.Errorf("rename at aal1: %d", code)
	}
	// A passkey sign-in is aal1 too: it does not stand for the factor.
	var s struct {
		AccessToken string `json:"access_token"`
	}
	if code := passkeySignIn(t, srv, a, &s); code != 200 || claims(t, s.AccessToken)["aal"] != "aal1" {
		t.Errorf("passkey sign-in: %d aal %v, want aal1", code, claims(t, s.AccessToken)["aal"])
	}
}

// A user has at most ten passkeys (on ten authenticators: one holds one
// credential per user, excludeCredentials sees to it).
func TestPasskeysAtMostTen(t *testing.T) {
	srv := serverWith(t, "PASSKEY_ON")
	_, token := passkeyUser(t, srv)
	for range 10 {
		registerPasskey(t, srv, softauthn.New(passkeyOrigin), token)
	}
	var e apiErr
	code := serverCall(t, srv, "POST", "/passkeys/registration/options", srv.AnonKey, token, map[string]any{}, &e)
	if code != 422 || e.ErrorCode != "too_many_passkeys" || e.Msg != "Maximum number of passkeys reached" {
		t.Errorf("an eleventh passkey: %d %+v, want 422 too_many_passkeys", code, e)
	}
}
