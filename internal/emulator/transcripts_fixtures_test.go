package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/pquerna/otp/totp"
)

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
	r.scenarioText = mustJSON(tr)
	r.tr = tr
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
	path := "/oauth/authorizations/" + loc.Query().Get("authorization_id")
	// Consent is accepted only from the user who fetched the authorization.
	if status, _, b, err := r.do("GET", path, nil, auth, nil, ""); err != nil || status != http.StatusOK {
		return fmt.Errorf("fetching the authorization for grant: %d %s %v", status, b, err)
	}
	var out map[string]any
	return r.post(path+"/consent", auth, map[string]string{"action": "approve"}, &out)
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
	if resp.AccessToken == "" && pw != "" && r.firstSeenSignedIn(idx.idsByLocal[lp]) {
		if _, err := r.signInFixture(f); err != nil {
			return err
		}
	}
	r.fixtures = append(r.fixtures, f)
	return nil
}

// firstSeenSignedIn reports whether the first time the scenario shows the
// user (one of its recorded ids), it had signed in already.
func (r *runner) firstSeenSignedIn(ids []string) bool {
	var found map[string]any
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if id, _ := x["id"].(string); found == nil && x["aud"] != nil && slices.Contains(ids, id) {
				found = x
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
	for _, st := range r.tr.Steps {
		if walk(st.Response.Body); found != nil {
			return found["last_sign_in_at"] != nil
		}
	}
	return false
}

// createFactors enrolls a fixture's recorded factors: TOTP ones verified
// first (which gives an aal2 session), then the others from that session.
func (r *runner) createFactors(f *fixture, fs []recordedFactor) error {
	tok, err := r.signInFixture(*f)
	if err != nil {
		return err
	}
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].typ == "totp" && fs[j].typ != "totp" })
	// When the scenario shows some of the user's factors, the user had
	// those (others came or went in other scenarios); else all of them.
	var visible []recordedFactor
	for _, rf := range fs {
		if strings.Contains(r.scenarioText, rf.id) {
			visible = append(visible, rf)
		}
	}
	if len(visible) > 0 {
		fs = visible
	}
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
