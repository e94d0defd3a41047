package main

// step is one request of a scenario. In path and body, $name is a value of
// the run ($email, $phone, ...) or one saved from an earlier answer.
type step struct {
	note         string
	method, path string
	auth         string // anon, service (service-role key), user (latest access token) or "" (none)
	body         string
	status       int               // expected status: the recorder stops when the server disagrees
	save         map[string]string // $name -> dotted field of the answer
	totp         string            // compute $totp from this saved secret first
	hidden       bool              // run (preparing the server) but leave out of the transcript
}

type scenario struct {
	name, description string
	steps             []step
}

// set is the scenarios one server configuration records.
type set struct {
	emulator  []string          // emulator flags for the same configuration
	settings  map[string]string // GOTRUE_* values differing from reference-server/auth.env
	scenarios []scenario
}

const pw = `"correct-horse-9"`

func signup(email string) step {
	return step{method: "POST", path: "/signup", auth: "anon", body: `{"email":"` + email + `","password":` + pw + `}`, status: 200}
}

var sets = map[string]set{
	"default": {scenarios: []scenario{
		{"parity_error_precedence", "A malformed refresh token, a sign-up with a bad address and a weak password, reauthenticate without email or phone, a challenge of a non-UUID factor, a WebAuthn enrolment while off.", []step{
			{method: "POST", path: "/token?grant_type=refresh_token", auth: "anon", body: `{"refresh_token":"invalid-token"}`, status: 400},
			{method: "POST", path: "/signup", auth: "anon", body: `{"email":"not-an-email","password":"a"}`, status: 422},
			{method: "POST", path: "/signup", auth: "anon", body: `{}`, status: 200, note: "anonymous sign-in"},
			{method: "GET", path: "/reauthenticate", auth: "user", status: 400},
			signup("$email"),
			{method: "POST", path: "/factors/not-a-uuid/challenge", auth: "user", body: `{}`, status: 404},
			{method: "POST", path: "/factors", auth: "user", body: `{"factor_type":"webauthn"}`, status: 422},
		}},
		{"parity_oauth_client_uris", "Admin OAuth clients keep client_uri and logo_uri; an update of logo_uri alone, then an invalid one.", []step{
			{method: "POST", path: "/admin/oauth/clients", auth: "service", status: 201, save: map[string]string{"client": "client_id"},
				body: `{"client_name":"uris","redirect_uris":["http://127.0.0.1:5555/cb"],"client_uri":"https://app.example.com","logo_uri":"https://app.example.com/logo.png"}`},
			{method: "PUT", path: "/admin/oauth/clients/$client", auth: "service", body: `{"logo_uri":"https://app.example.com/new.png"}`, status: 200},
			{method: "PUT", path: "/admin/oauth/clients/$client", auth: "service", body: `{"logo_uri":"not a url"}`, status: 400},
			{method: "DELETE", path: "/admin/oauth/clients/$client", auth: "service", status: 204},
		}},
		{"parity_aal1_credentials", "A user with a verified TOTP factor signs in again (aal1) and tries to change password and email, then metadata.", []step{
			signup("$email"),
			{method: "POST", path: "/factors", auth: "user", body: `{"factor_type":"totp"}`, status: 200, save: map[string]string{"factor": "id", "secret": "totp.secret"}},
			{method: "POST", path: "/factors/$factor/challenge", auth: "user", body: `{}`, status: 200, save: map[string]string{"challenge": "id"}},
			{method: "POST", path: "/factors/$factor/verify", auth: "user", body: `{"challenge_id":"$challenge","code":"$totp"}`, totp: "secret", status: 200},
			{method: "POST", path: "/token?grant_type=password", auth: "anon", body: `{"email":"$email","password":` + pw + `}`, status: 200},
			{method: "PUT", path: "/user", auth: "user", body: `{"password":"another-password-8"}`, status: 401},
			{method: "PUT", path: "/user", auth: "user", body: `{"email":"$email2"}`, status: 401},
			{method: "PUT", path: "/user", auth: "user", body: `{"data":{"theme":"dark"}}`, status: 200},
		}},
		{"parity_password_change_clears", "A pending email change and a reauthentication code, then a new password: the *_sent_at times go, new_email stays.", []step{
			signup("$email"),
			{method: "PUT", path: "/user", auth: "user", body: `{"email":"$email2"}`, status: 200},
			{method: "GET", path: "/reauthenticate", auth: "user", status: 200},
			{method: "GET", path: "/user", auth: "user", status: 200},
			{method: "PUT", path: "/user", auth: "user", body: `{"password":"another-password-8"}`, status: 200},
			{method: "GET", path: "/user", auth: "user", status: 200},
		}},
		{"parity_contact_changes", "Under SMS autoconfirm a first and a second phone apply at once; a phone user's first email waits for confirmation.", []step{
			signup("$email"),
			{method: "PUT", path: "/user", auth: "user", body: `{"phone":"$phone"}`, status: 200},
			{method: "PUT", path: "/user", auth: "user", body: `{"phone":"$phone2"}`, status: 200},
			{method: "POST", path: "/signup", auth: "anon", body: `{"phone":"$phone3","password":` + pw + `}`, status: 200, save: map[string]string{"phoneuser": "user.id"}},
			{method: "PUT", path: "/user", auth: "user", body: `{"email":"$email2"}`, status: 200},
			{method: "DELETE", path: "/admin/users/$phoneuser", auth: "service", status: 200, note: "clean-up"},
		}},
	}},
	"limits": {
		emulator: []string{"rate-limits"},
		settings: map[string]string{"GOTRUE_RATE_LIMIT_*": "(server defaults)", "GOTRUE_SMTP_MAX_FREQUENCY": "(default 1m)", "GOTRUE_SMS_MAX_FREQUENCY": "(default 1m)"},
		scenarios: []scenario{
			{"settings_rate_limits", "Default limits: a second recovery email and a second SMS within the minute answer 429.", []step{
				{method: "POST", path: "/admin/users", auth: "service", body: `{"email":"$email","password":` + pw + `,"email_confirm":true}`, status: 200},
				{method: "POST", path: "/recover", auth: "anon", body: `{"email":"$email"}`, status: 200},
				{method: "POST", path: "/recover", auth: "anon", body: `{"email":"$email"}`, status: 429},
				{method: "POST", path: "/otp", auth: "anon", body: `{"phone":"15555550102"}`, status: 200},
				{method: "POST", path: "/otp", auth: "anon", body: `{"phone":"15555550102"}`, status: 429},
			}},
		},
	},
	"signup_off": {
		emulator: []string{"disable-signup"},
		settings: map[string]string{"GOTRUE_DISABLE_SIGNUP": "true"},
		scenarios: []scenario{
			{"settings_signup_off", "Sign-ups off (config.toml enable_signup = false): email, phone and anonymous sign-ups and a one-time code for a new address answer signup_disabled; an admin still creates users, who sign in.", []step{
				{method: "POST", path: "/signup", auth: "anon", body: `{"email":"$email","password":` + pw + `}`, status: 422},
				{method: "POST", path: "/signup", auth: "anon", body: `{"phone":"$phone","password":` + pw + `}`, status: 422},
				{method: "POST", path: "/signup", auth: "anon", body: `{}`, status: 422, note: "anonymous sign-in"},
				{method: "POST", path: "/otp", auth: "anon", body: `{"email":"$email","create_user":true}`, status: 422},
				{method: "POST", path: "/admin/users", auth: "service", body: `{"email":"$email","password":` + pw + `,"email_confirm":true}`, status: 200},
				{method: "POST", path: "/token?grant_type=password", auth: "anon", body: `{"email":"$email","password":` + pw + `}`, status: 200},
			}},
		},
	},
	"passwords": {
		emulator: []string{"password-rules"},
		settings: map[string]string{"GOTRUE_PASSWORD_MIN_LENGTH": "10",
			"GOTRUE_PASSWORD_REQUIRED_CHARACTERS": "abcdefghijklmnopqrstuvwxyz:ABCDEFGHIJKLMNOPQRSTUVWXYZ:0123456789"},
		scenarios: []scenario{
			{"settings_password_rules", "Password rules (config.toml minimum_password_length = 10, password_requirements = lower_upper_letters_digits): sign-up and password change name every rule a password fails.", []step{
				{method: "POST", path: "/signup", auth: "anon", body: `{"email":"$email","password":"short"}`, status: 422},
				{method: "POST", path: "/signup", auth: "anon", body: `{"email":"$email","password":"all-lowercase-9"}`, status: 422},
				{method: "POST", path: "/signup", auth: "anon", body: `{"email":"$email","password":"Correct-Horse-9"}`, status: 200},
				{method: "PUT", path: "/user", auth: "user", body: `{"password":"NO-LOWER-CASE-9"}`, status: 422},
				{method: "PUT", path: "/user", auth: "user", body: `{"password":"Another-Horse-8"}`, status: 200},
			}},
		},
	},
	"confirm": {
		emulator: []string{"confirm-email", "confirm-phone", "disable-manual-linking", "secure-email-change", "fail-sms"},
		settings: map[string]string{"GOTRUE_MAILER_AUTOCONFIRM": "false", "GOTRUE_SMS_AUTOCONFIRM": "false",
			"GOTRUE_SECURITY_MANUAL_LINKING_ENABLED": "false", "GOTRUE_MAILER_SECURE_EMAIL_CHANGE_ENABLED": "true"},
		scenarios: []scenario{
			{"settings_confirm_email", "Email autoconfirm off: sign-up answers the user without a session, sign-in says email_not_confirmed, a second sign-up answers the same pending user, the code from generate_link confirms.", []step{
				signup("$email"),
				{method: "POST", path: "/token?grant_type=password", auth: "anon", body: `{"email":"$email","password":` + pw + `}`, status: 400},
				signup("$email"),
				{method: "POST", path: "/admin/generate_link", auth: "service", body: `{"type":"signup","email":"$email","password":` + pw + `}`, status: 200, save: map[string]string{"otp": "email_otp"}},
				{method: "POST", path: "/verify", auth: "anon", body: `{"type":"signup","email":"$email","token":"$otp"}`, status: 200},
			}},
			{"settings_confirm_phone", "SMS autoconfirm off: a test number's sign-up waits for the code, sign-in says phone_not_confirmed, the test code confirms; another number fails at the SMS provider.", []step{
				// Whoever holds the test number from earlier runs goes first.
				{hidden: true, method: "POST", path: "/otp", auth: "anon", body: `{"phone":"15555550101"}`},
				{hidden: true, method: "POST", path: "/verify", auth: "anon", body: `{"type":"sms","phone":"15555550101","token":"123456"}`, save: map[string]string{"old": "user.id"}},
				{hidden: true, method: "DELETE", path: "/admin/users/$old", auth: "service"},
				{method: "POST", path: "/signup", auth: "anon", body: `{"phone":"15555550101","password":` + pw + `}`, status: 200, save: map[string]string{"phoneuser": "id"}},
				{method: "POST", path: "/token?grant_type=password", auth: "anon", body: `{"phone":"15555550101","password":` + pw + `}`, status: 400},
				{method: "POST", path: "/verify", auth: "anon", body: `{"type":"sms","phone":"15555550101","token":"123456"}`, status: 200},
				{method: "DELETE", path: "/admin/users/$phoneuser", auth: "service", status: 200, note: "clean-up"},
				{method: "POST", path: "/signup", auth: "anon", body: `{"phone":"$phone","password":` + pw + `}`, status: 422, note: "the server's SMS provider fails (fake Twilio credentials): sms_send_failed"},
			}},
			{"settings_manual_linking_off", "Manual linking off: linking and unlinking identities answer manual_linking_disabled.", []step{
				{method: "POST", path: "/admin/users", auth: "service", body: `{"email":"$email","password":` + pw + `,"email_confirm":true}`, status: 200},
				{method: "POST", path: "/token?grant_type=password", auth: "anon", body: `{"email":"$email","password":` + pw + `}`, status: 200},
				{method: "GET", path: "/user/identities/authorize?provider=github&skip_http_redirect=true", auth: "user", status: 404},
				{method: "DELETE", path: "/user/identities/00000000-0000-4000-8000-000000000000", auth: "user", status: 404},
			}},
			{"settings_secure_email_change", "Secure email change on: an email change stays pending, generate_link gives the current address its own link.", []step{
				{method: "POST", path: "/admin/users", auth: "service", body: `{"email":"$email","password":` + pw + `,"email_confirm":true}`, status: 200},
				{method: "POST", path: "/token?grant_type=password", auth: "anon", body: `{"email":"$email","password":` + pw + `}`, status: 200},
				{method: "PUT", path: "/user", auth: "user", body: `{"email":"$email2"}`, status: 200},
				{method: "POST", path: "/admin/generate_link", auth: "service", body: `{"type":"email_change_current","email":"$email","new_email":"$email2"}`, status: 200},
			}},
		},
	},
}
