package emulator

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
	"golang.org/x/crypto/bcrypt"
)

// serveData runs an emulator as `authctl emulator --data FILE` does (Serve,
// which saves the state when it stops) and returns its URL, its
// service-role key and stop, which returns once the state is saved.
func serveData(t *testing.T, file string) (base, serviceKey string, stop func()) {
	t.Helper()
	cfg := DefaultConfig()
	cfg.PasswordCost, cfg.DataFile, cfg.Logf = bcrypt.MinCost, file, t.Logf
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, l) }()
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(stop)
	return "http://" + l.Addr().String(), s.ServiceRoleKey(), stop
}

// verifyTOTP challenges factor and verifies it with the secret's current
// code; the emulator accepts the neighbouring windows, so a window change
// in between does not matter.
func verifyTOTP(t *testing.T, base, token, factor, secret string) testSession {
	t.Helper()
	var ch struct{ ID string }
	if resp := call(t, "POST", base+"/factors/"+factor+"/challenge", token, map[string]string{}, &ch); resp.StatusCode != 200 {
		t.Fatalf("challenge: %d", resp.StatusCode)
	}
	code, err := totp.GenerateCode(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var s testSession
	if resp := call(t, "POST", base+"/factors/"+factor+"/verify", token, map[string]string{"challenge_id": ch.ID, "code": code}, &s); resp.StatusCode != 200 {
		t.Fatalf("verify: %d", resp.StatusCode)
	}
	return s
}

func aalOf(t *testing.T, jwt string) string {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", jwt)
	}
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var c struct{ AAL string }
	_ = json.Unmarshal(payload, &c)
	return c.AAL
}

// TestDataFileRoundTrip: users, identities, factors and sessions made on an
// emulator with a data file are all there after it stops and starts again
// from the file, and they work: the sessions refresh, the password and the
// TOTP factor sign in at aal2, the GitHub user signs in again as the same
// user.
func TestDataFileRoundTrip(t *testing.T) {
	file := filepath.Join(t.TempDir(), "state.json")
	base, key, stop := serveData(t, file)
	const pw = "correct-horse-9"
	var s testSession
	call(t, "POST", base+"/signup", "", map[string]string{"email": "keep@example.com", "password": pw}, &s)
	var f struct {
		ID   string
		TOTP struct{ Secret string }
	}
	if resp := call(t, "POST", base+"/factors", s.AccessToken, map[string]string{"factor_type": "totp", "friendly_name": "app"}, &f); resp.StatusCode != 200 {
		t.Fatalf("enroll: %d", resp.StatusCode)
	}
	aal2 := verifyTOTP(t, base, s.AccessToken, f.ID, f.TOTP.Secret)
	gh := githubSignIn(t, base, "octo@example.com")
	var phone testSession
	call(t, "POST", base+"/signup", "", map[string]string{"phone": "15555550100", "password": pw}, &phone)
	if aal2.RefreshToken == "" || gh.User.ID == "" || phone.User.ID == "" {
		t.Fatalf("setup: %+v %+v %+v", aal2, gh, phone)
	}
	stop()

	base, key2, _ := serveData(t, file)
	if key2 != key {
		t.Fatal("the service-role key changed across the restart")
	}
	var u struct {
		Factors []struct {
			ID, Status   string
			FriendlyName string `json:"friendly_name"`
		}
		Identities []struct{ Provider string }
	}
	call(t, "GET", base+"/admin/users/"+s.User.ID, key, nil, &u)
	if len(u.Factors) != 1 || u.Factors[0].ID != f.ID || u.Factors[0].Status != "verified" || u.Factors[0].FriendlyName != "app" ||
		len(u.Identities) != 1 || u.Identities[0].Provider != "email" {
		t.Fatalf("user after restart: %+v", u)
	}
	call(t, "GET", base+"/admin/users/"+gh.User.ID, key, nil, &u)
	if len(u.Identities) != 1 || u.Identities[0].Provider != "github" {
		t.Fatalf("github user after restart: %+v", u)
	}
	// The sessions live on: an access token still answers, a refresh
	// token is still spendable once and keeps its aal2.
	var me struct{ Email string }
	if resp := call(t, "GET", base+"/user", aal2.AccessToken, nil, &me); resp.StatusCode != 200 || me.Email != "keep@example.com" {
		t.Fatalf("GET /user with a token from before the restart: %d %+v", resp.StatusCode, me)
	}
	var refreshed testSession
	if resp := call(t, "POST", base+"/token?grant_type=refresh_token", "", map[string]string{"refresh_token": aal2.RefreshToken}, &refreshed); resp.StatusCode != 200 || aalOf(t, refreshed.AccessToken) != "aal2" {
		t.Fatalf("refresh after restart: %d %+v", resp.StatusCode, refreshed)
	}
	if resp := call(t, "POST", base+"/token?grant_type=refresh_token", "", map[string]string{"refresh_token": phone.RefreshToken}, nil); resp.StatusCode != 200 {
		t.Fatalf("phone user's refresh after restart: %d", resp.StatusCode)
	}
	// The password and the factor's secret still sign in.
	var again testSession
	if resp := call(t, "POST", base+"/token?grant_type=password", "", map[string]string{"email": "keep@example.com", "password": pw}, &again); resp.StatusCode != 200 || aalOf(t, again.AccessToken) != "aal1" {
		t.Fatalf("password sign-in after restart: %d", resp.StatusCode)
	}
	if up := verifyTOTP(t, base, again.AccessToken, f.ID, f.TOTP.Secret); aalOf(t, up.AccessToken) != "aal2" {
		t.Fatal("TOTP step-up after restart is not aal2")
	}
	if again := githubSignIn(t, base, "octo@example.com"); again.User.ID != gh.User.ID {
		t.Fatalf("the github user came back as a new user: %s, was %s", again.User.ID, gh.User.ID)
	}
}

// githubSignIn signs email in through the mock provider (implicit flow).
func githubSignIn(t *testing.T, base, email string) testSession {
	t.Helper()
	q := url.Values{"provider": {"github"}, "redirect_to": {"http://127.0.0.1:5555/cb"}, "emulator_auto": {"1"}, "login_hint": {email}}
	loc := follow(t, base, base+"/authorize?"+q.Encode())
	frag, _ := url.ParseQuery(loc.Fragment)
	var s testSession
	s.AccessToken, s.RefreshToken = frag.Get("access_token"), frag.Get("refresh_token")
	call(t, "GET", base+"/user", s.AccessToken, nil, &s.User)
	return s
}
