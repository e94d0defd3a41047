package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/authctl/authctl/internal/emulator"
	"github.com/authctl/authctl/internal/emulator/projectconfig"
	"github.com/authctl/authctl/internal/emulator/projectconfig/projectconfigtest"
	"github.com/authctl/authctl/internal/softauthn"
)

// A project's supabase/config.toml (testdata/config.toml): the built
// `authctl emulator --config` must behave as a real server configured with
// the GOTRUE_* settings `supabase start` derives from it (the PROJECT
// variant of .ci/server-variants). The same checks run against both on a
// real run, against the emulator alone on the emulator run.

const projectConfigFile = "testdata/config.toml"

// projectEnv is the environment the file's env(NAME) values read.
var projectEnv = map[string]string{
	"ACME_SITE_URL": "https://app.acme.test",
	"ACME_RP_ID":    "acme.test",
	"SUPABASE_AUTH_EXTERNAL_GITHUB_CLIENT_ID": "acme-web",
	"SUPABASE_AUTH_EXTERNAL_GITHUB_SECRET":    "not-a-real-secret",
	"SUPABASE_AUTH_SMS_TWILIO_AUTH_TOKEN":     "not-a-real-token",
	"SUPABASE_AUTH_EXTERNAL_GOOGLE_SECRET":    "not-a-real-secret",
	"SUPABASE_AUTH_EXTERNAL_APPLE_SECRET":     "not-a-real-secret",
}

// loadProjectConfig is the PROJECT variant's emulator.Config.
func loadProjectConfig(c *emulator.Config) {
	if _, err := projectconfig.Load(projectConfigFile, func(k string) string { return projectEnv[k] }, c); err != nil {
		panic(err)
	}
}

// startProjectEmulator runs the built binary with --config file and the
// environment env until the test ends, and returns it with what it
// printed on stderr before serving.
func startProjectEmulator(t *testing.T, file string, env map[string]string) (*server, string) {
	t.Helper()
	cmd := exec.Command(binary, "emulator", "--config", file, "--port", "0", "--password-cost", "4", "--json")
	cmd.Env = []string{"HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH")}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	// stderr goes to a file: it is complete once the banner is on stdout.
	errFile, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = errFile
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Signal(os.Interrupt); _ = cmd.Wait() })
	var info struct {
		URL            string `json:"url"`
		AnonKey        string `json:"anon_key"`
		ServiceRoleKey string `json:"service_role_key"`
	}
	if err := json.NewDecoder(stdout).Decode(&info); err != nil {
		raw, _ := os.ReadFile(errFile.Name())
		t.Fatalf("authctl emulator --config: %v\n%s", err, raw)
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	raw, err := os.ReadFile(errFile.Name())
	if err != nil {
		t.Fatal(err)
	}
	return &server{URL: info.URL, AnonKey: info.AnonKey, ServiceRoleKey: info.ServiceRoleKey, Emulated: true}, string(raw)
}

// The emulator lists on start-up what of the file it does not support
// (the email template and the enabled access token hook; the disabled
// send-SMS hook costs nothing) and the tables that are not about auth.
func TestProjectConfigListsUnsupported(t *testing.T) {
	_, stderr := startProjectEmulator(t, projectConfigFile, projectEnv)
	for _, want := range []string{
		projectConfigFile + ": settings the emulator does not support (no effect here):\n" +
			"  line 54: auth.email.template.invite (not emulated)\n" +
			"  line 86: auth.hook.custom_access_token (not emulated)\n",
		projectConfigFile + ": not auth settings, ignored: api, db, edge_runtime, project_id, storage, studio\n",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(stderr, "send_sms") || strings.Contains(stderr, "warning") {
		t.Errorf("stderr:\n%s", stderr)
	}
}

// A project keeps values in supabase/.env and the other .env files the
// Supabase CLI reads, and overrides settings with SUPABASE_* variables: the
// emulator reads them as the CLI does (the process environment first,
// then supabase/, then the project directory).
func TestProjectConfigEnvFiles(t *testing.T) {
	file := projectconfigtest.Project(t, map[string]string{
		"supabase/config.toml": "[auth]\nsite_url = \"env(ACME_SITE)\"\njwt_expiry = 3600\n" +
			"[auth.external.github]\nenabled = false\nclient_id = \"acme-web\"\nsecret = \"env(ACME_GITHUB_SECRET)\"\n",
		"supabase/.env":       "ACME_SITE=https://env.acme.test\nSUPABASE_AUTH_JWT_EXPIRY=900\nACME_GITHUB_SECRET=not-a-real-secret\n",
		"supabase/.env.local": "SUPABASE_AUTH_EXTERNAL_GITHUB_ENABLED=true\n",
		".env":                "SUPABASE_AUTH_ENABLE_SIGNUP=false\nACME_SITE=https://root.acme.test\n",
	})
	s, stderr := startProjectEmulator(t, file, map[string]string{"SUPABASE_AUTH_JWT_EXPIRY": "600"})
	if want := file + ": settings replaced from the environment: SUPABASE_AUTH_ENABLE_SIGNUP, " +
		"SUPABASE_AUTH_EXTERNAL_GITHUB_ENABLED, SUPABASE_AUTH_JWT_EXPIRY\n"; !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}

	_, settings := projectCall(t, s, "GET", "/settings", "", nil)
	ext, _ := settings["external"].(map[string]any)
	if settings["disable_signup"] != true || ext["github"] != true {
		t.Errorf("settings: %v", settings)
	}
	user := uniqueEmail(t)
	status, body := projectCall(t, s, "POST", "/admin/users", s.ServiceRoleKey,
		map[string]any{"email": user, "password": projectPassword, "email_confirm": true})
	if status != 200 {
		t.Fatalf("admin create user: %d %v", status, body)
	}
	status, body = projectCall(t, s, "POST", "/token?grant_type=password", "", map[string]any{"email": user, "password": projectPassword})
	if status != 200 || body["expires_in"] != float64(600) {
		t.Errorf("sign-in: %d %v, want expires_in 600 (the process environment's)", status, body)
	}
	status, body = projectCall(t, s, "POST", "/admin/generate_link", s.ServiceRoleKey,
		map[string]any{"type": "magiclink", "email": user, "redirect_to": "https://evil.example.net/"})
	if status != 200 || body["redirect_to"] != "https://env.acme.test" {
		t.Errorf("site URL: %d %v, want supabase/.env's https://env.acme.test", status, body["redirect_to"])
	}
}

func TestProjectConfigFile(t *testing.T) {
	emu, _ := startProjectEmulator(t, projectConfigFile, projectEnv)
	servers := map[string]*server{"emulator": emu}
	if !target.Emulated {
		servers["real"] = serverWith(t, "PROJECT")
	}
	for name, s := range servers {
		t.Run(name, func(t *testing.T) { checkProjectSettings(t, s) })
	}
}

// projectCall sends a JSON request to s with the anon key, or token as
// the bearer, and decodes the answer into a map.
func projectCall(t *testing.T, s *server, method, path, token string, body any) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, strings.TrimSuffix(s.URL, "/")+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token == "" {
		token = s.AnonKey
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("apikey", s.AnonKey)
	req.Header.Set("Authorization", "Bearer "+token)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := map[string]any{}
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, out
}

// wantError checks an error answer's status, code and message.
func wantError(t *testing.T, what string, status int, body map[string]any, wantStatus int, code, msg string) {
	t.Helper()
	if status != wantStatus || body["error_code"] != code || body["msg"] != msg {
		t.Errorf("%s: %d %v, want %d %s %q", what, status, body, wantStatus, code, msg)
	}
}

const projectPassword = "Correct-Horse-9"

func checkProjectSettings(t *testing.T, s *server) {
	email := func(tag string) string { return strings.Replace(uniqueEmail(t), "@", "-"+tag+"@", 1) }

	// /settings reflects the file.
	_, settings := projectCall(t, s, "GET", "/settings", "", nil)
	ext, _ := settings["external"].(map[string]any)
	got := fmt.Sprintf("disable_signup=%v mailer_autoconfirm=%v phone_autoconfirm=%v passkeys_enabled=%v", settings["disable_signup"],
		settings["mailer_autoconfirm"], settings["phone_autoconfirm"], settings["passkeys_enabled"])
	for _, p := range []string{"anonymous_users", "email", "phone", "github", "google", "apple", "keycloak"} {
		got += fmt.Sprintf(" %s=%v", p, ext[p])
	}
	if want := "disable_signup=false mailer_autoconfirm=false phone_autoconfirm=true passkeys_enabled=true anonymous_users=false " +
		"email=true phone=false github=true google=false apple=false keycloak=false"; got != want {
		t.Errorf("settings:\n got %s\nwant %s", got, want)
	}

	// Password length and required characters, every failed rule named.
	status, body := projectCall(t, s, "POST", "/signup", "", map[string]any{"email": email("weak"), "password": "short"})
	wantError(t, "weak password", status, body, 422, "weak_password", "Password should be at least 10 characters. "+
		"Password should contain at least one character of each: abcdefghijklmnopqrstuvwxyz, ABCDEFGHIJKLMNOPQRSTUVWXYZ, 0123456789.")
	if wp, _ := body["weak_password"].(map[string]any); fmt.Sprint(wp["reasons"]) != "[length characters]" {
		t.Errorf("weak_password = %v", body["weak_password"])
	}
	status, body = projectCall(t, s, "POST", "/signup", "", map[string]any{"email": email("chars"), "password": "all-lowercase-9"})
	if wp, _ := body["weak_password"].(map[string]any); status != 422 || fmt.Sprint(wp["reasons"]) != "[characters]" {
		t.Errorf("password without capitals: %d %v", status, body)
	}

	// Confirmations on: a sign-up has no session and cannot sign in yet.
	unconfirmed := email("unconfirmed")
	status, body = projectCall(t, s, "POST", "/signup", "", map[string]any{"email": unconfirmed, "password": projectPassword})
	if status != 200 || body["access_token"] != nil || body["email"] != unconfirmed {
		t.Errorf("sign-up with confirmations: %d %v", status, body)
	}
	status, body = projectCall(t, s, "POST", "/token?grant_type=password", "", map[string]any{"email": unconfirmed, "password": projectPassword})
	wantError(t, "unconfirmed sign-in", status, body, 400, "email_not_confirmed", "Email not confirmed")

	// Anonymous sign-ins and the phone provider are off.
	status, body = projectCall(t, s, "POST", "/signup", "", map[string]any{})
	wantError(t, "anonymous sign-in", status, body, 422, "anonymous_provider_disabled", "Anonymous sign-ins are disabled")
	status, body = projectCall(t, s, "POST", "/signup", "", map[string]any{"phone": "15555550100", "password": projectPassword})
	wantError(t, "phone sign-up", status, body, 400, "phone_provider_disabled", "Phone signups are disabled")
	status, body = projectCall(t, s, "POST", "/otp", "", map[string]any{"phone": "15555550100"})
	wantError(t, "phone OTP", status, body, 400, "phone_provider_disabled", "Unsupported phone provider")

	// A confirmed user's access token lives jwt_expiry seconds.
	user := email("confirmed")
	status, body = projectCall(t, s, "POST", "/admin/users", s.ServiceRoleKey,
		map[string]any{"email": user, "password": projectPassword, "email_confirm": true})
	if status != 200 {
		t.Fatalf("admin create user: %d %v", status, body)
	}
	status, body = projectCall(t, s, "POST", "/token?grant_type=password", "", map[string]any{"email": user, "password": projectPassword})
	token, _ := body["access_token"].(string)
	if status != 200 || token == "" || body["expires_in"] != float64(1800) {
		t.Fatalf("sign-in: %d %v", status, body)
	}
	if exp, iat := tokenClaim(t, token, "exp"), tokenClaim(t, token, "iat"); exp-iat != 1800 {
		t.Errorf("token lifetime %v s, want 1800", exp-iat)
	}

	// TOTP factors on, phone factors off.
	status, body = projectCall(t, s, "POST", "/factors", token, map[string]any{"factor_type": "totp", "friendly_name": "app"})
	if status != 200 || body["type"] != "totp" {
		t.Errorf("TOTP enroll: %d %v", status, body)
	}
	status, body = projectCall(t, s, "POST", "/factors", token, map[string]any{"factor_type": "phone", "phone": "+15555550101"})
	wantError(t, "phone factor enroll", status, body, 422, "mfa_phone_enroll_not_enabled", "MFA enroll is disabled for Phone")

	// Passkeys on, with the file's relying party: a key for
	// https://app.acme.test registers, one from another origin does not.
	var c ceremony
	if code := serverCall(t, s, "POST", "/passkeys/registration/options", s.AnonKey, token, map[string]any{}, &c); code != 200 {
		t.Fatalf("passkey registration options: %d", code)
	}
	var opts struct {
		RP map[string]any `json:"rp"`
	}
	if err := json.Unmarshal(c.Options, &opts); err != nil || fmt.Sprint(opts.RP) != "map[id:acme.test name:Acme]" {
		t.Errorf("relying party %v (%v)", opts.RP, err)
	}
	for i, origin := range []string{"https://app.acme.test", "http://localhost:3000"} {
		if i > 0 {
			serverCall(t, s, "POST", "/passkeys/registration/options", s.AnonKey, token, map[string]any{}, &c)
		}
		cred, err := softauthn.New(origin).Create(c.Options)
		if err != nil {
			t.Fatal(err)
		}
		var e apiErr
		code := serverCall(t, s, "POST", "/passkeys/registration/verify", s.AnonKey, token,
			map[string]any{"challenge_id": c.ChallengeID, "credential": json.RawMessage(cred)}, &e)
		want := []apiErr{{Code: 200}, {Code: 400, ErrorCode: "webauthn_verification_failed", Msg: "Credential verification failed"}}[i]
		if e.Code = code; e != want {
			t.Errorf("passkey from %s: %+v, want %+v", origin, e, want)
		}
	}
	// WebAuthn factors on.
	status, body = projectCall(t, s, "POST", "/factors", token, map[string]any{"factor_type": "webauthn", "friendly_name": "key"})
	if status != 200 || body["type"] != "webauthn" {
		t.Errorf("WebAuthn factor enroll: %d %v", status, body)
	}

	// Manual linking off.
	status, body = projectCall(t, s, "GET", "/user/identities/authorize?provider=github&skip_http_redirect=true", token, nil)
	wantError(t, "manual linking", status, body, 404, "manual_linking_disabled", "Manual linking is disabled")

	// Redirects: the site, the allow list's globs and deep link, else the
	// site URL. The patterns reach the server joined with commas and split
	// at each, so {docs,api} arrives as "https://{docs" and
	// "api}.acme.org/*", and an unclosed { is taken as a group there.
	for to, want := range map[string]string{
		"https://app.acme.test/dashboard":        "https://app.acme.test/dashboard",
		"https://pr-42.acme.test/welcome?next=1": "https://pr-42.acme.test/welcome?next=1",
		"com.acme.app://login-callback":          "com.acme.app://login-callback",
		"https://a.b.acme.test/":                 "https://app.acme.test",
		"https://evil.example.net/":              "https://app.acme.test",
		"https://pr-42.preview.acme.dev/a/b":     "https://pr-42.preview.acme.dev/a/b", // [0-9] a class
		"https://pr-4x.preview.acme.dev/":        "https://app.acme.test",
		"https://pr-123.preview.acme.dev/":       "https://app.acme.test",
		"https://web.staging.acme.dev/x":         "https://web.staging.acme.dev/x", // [!x] any other
		"https://xweb.staging.acme.dev/x":        "https://app.acme.test",
		"https://web.staging.acme.dev/x/y":       "https://app.acme.test", // * stops at '/'
		"https://docs.acme.org/x":                "https://app.acme.test", // {docs,api} split in two
		"https://api.acme.org/x":                 "https://app.acme.test",
		"https://docs":                           "https://docs",
		"com.acme.app://cb1":                     "com.acme.app://cb1", // ? one character
		"com.acme.app://cb12":                    "https://app.acme.test",
	} {
		status, body = projectCall(t, s, "POST", "/admin/generate_link", s.ServiceRoleKey,
			map[string]any{"type": "magiclink", "email": user, "redirect_to": to})
		if status != 200 || body["redirect_to"] != want {
			t.Errorf("redirect_to %s: %d %v, want %s", to, status, body["redirect_to"], want)
		}
	}

	// Secure email change: the current address confirms too.
	status, body = projectCall(t, s, "POST", "/admin/generate_link", s.ServiceRoleKey,
		map[string]any{"type": "email_change_current", "email": user, "new_email": email("new")})
	if status != 200 || body["verification_type"] != "email_change_current" {
		t.Errorf("email_change_current link: %d %v", status, body)
	}

	// Enabled providers: GitHub starts, Google is off.
	status, _ = projectCall(t, s, "GET", "/authorize?provider=github", "", nil)
	if status != 302 {
		t.Errorf("authorize github: %d, want 302", status)
	}
	status, body = projectCall(t, s, "GET", "/authorize?provider=google", "", nil)
	wantError(t, "authorize google", status, body, 400, "validation_failed", "Unsupported provider: provider is not enabled")
}

// tokenClaim reads a numeric claim of a JWT.
func tokenClaim(t *testing.T, token, name string) float64 {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", token)
	}
	raw, err := b64url(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var claims map[string]any
	if err := json.Unmarshal(raw, &claims); err != nil {
		t.Fatal(err)
	}
	v, _ := claims[name].(float64)
	return v
}
