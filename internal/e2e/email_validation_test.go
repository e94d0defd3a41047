package e2e

import (
	"fmt"
	"strings"
	"testing"
)

// How the real server (v2.196) judges an email address on each endpoint
// that takes one: the address as given (no trimming), at most 255 bytes,
// the HTML form of an address; the status, code and message differ by
// endpoint.

func (e apiErr) String() string { return fmt.Sprintf("%d %s %q", e.Code, e.ErrorCode, e.Msg) }

// emailEndpoint sends addr where an endpoint takes an email address.
type emailEndpoint struct {
	name string
	send func(t *testing.T, addr string) apiErr
}

func emailEndpoints(t *testing.T) []emailEndpoint {
	var anon struct {
		AccessToken string `json:"access_token"`
	}
	apiCall(t, "POST", "/signup", target.AnonKey, map[string]any{}, &anon)
	var existing struct {
		ID    string `json:"id"`
		Email string `json:"email"`
	}
	apiCall(t, "POST", "/admin/users", target.ServiceRoleKey, map[string]any{"email": uniqueEmail(t)}, &existing)
	t.Cleanup(func() { apiCall(t, "DELETE", "/admin/users/"+existing.ID, target.ServiceRoleKey, nil, nil) })
	public := func(method, path string, body func(addr string) map[string]any) func(*testing.T, string) apiErr {
		return func(t *testing.T, addr string) apiErr {
			var e apiErr
			e.Code = apiCall(t, method, path, target.AnonKey, body(addr), &e)
			return e
		}
	}
	admin := func(method, path string, body func(addr string) map[string]any) func(*testing.T, string) apiErr {
		return func(t *testing.T, addr string) apiErr {
			var e apiErr
			e.Code = apiCall(t, method, path, target.ServiceRoleKey, body(addr), &e)
			return e
		}
	}
	email := func(addr string) map[string]any { return map[string]any{"email": addr} }
	return []emailEndpoint{
		{"signup", public("POST", "/signup", func(a string) map[string]any { return map[string]any{"email": a, "password": password} })},
		{"otp", public("POST", "/otp", email)},
		{"otp without sign-up", public("POST", "/otp", func(a string) map[string]any { return map[string]any{"email": a, "create_user": false} })},
		{"magiclink", public("POST", "/magiclink", email)},
		{"recover", public("POST", "/recover", email)},
		{"resend", public("POST", "/resend", func(a string) map[string]any { return map[string]any{"type": "signup", "email": a} })},
		{"verify", public("POST", "/verify", func(a string) map[string]any { return map[string]any{"type": "email", "email": a, "token": "123456"} })},
		{"update user", func(t *testing.T, addr string) apiErr {
			var e apiErr
			e.Code = serverCall(t, target, "PUT", "/user", target.AnonKey, anon.AccessToken, email(addr), &e)
			return e
		}},
		{"admin create", admin("POST", "/admin/users", email)},
		{"admin update", admin("PUT", "/admin/users/"+existing.ID, email)},
		{"invite", admin("POST", "/invite", email)},
		{"generate_link", admin("POST", "/admin/generate_link", func(a string) map[string]any { return map[string]any{"type": "magiclink", "email": a} })},
		{"generate_link new_email", admin("POST", "/admin/generate_link", func(a string) map[string]any {
			return map[string]any{"type": "email_change_new", "email": existing.Email, "new_email": a}
		})},
	}
}

func TestEmailValidationRefusals(t *testing.T) {
	invalid := "400 validation_failed \"Unable to validate email address: invalid format\""
	tooLong := "400 validation_failed \"An email address is too long\""
	// what each endpoint answers for a malformed address, if not invalid
	special := map[string]string{
		"otp without sign-up": "422 otp_disabled \"Signups not allowed for otp\"",
		"verify":              "422 validation_failed \"Invalid email format\"",
	}
	addrs := []struct{ addr, want string }{
		{"a(b)@example.com", invalid},
		{"a b@example.com", invalid},
		{" lead@example.com", invalid},
		{"trail@example.com ", invalid},
		{"üser@example.com", invalid},
		{"user@exämple.com", invalid},
		{"@example.com", invalid},
		{"user@", invalid},
		{"user@@example.com", invalid},
		{"user@-example.com", invalid},
		{"user@example..com", invalid},
		{"user@example.com.", invalid},
		{`"quoted"@example.com`, invalid},
		{"user@" + strings.Repeat("a", 64) + ".com", invalid}, // a domain label of 64
		{strings.Repeat("a", 244) + "@example.com", tooLong},  // 256 bytes
	}
	for _, ep := range emailEndpoints(t) {
		for _, a := range addrs {
			want := a.want
			if w, ok := special[ep.name]; ok {
				want = w
			}
			if ep.name == "verify" && a.want == tooLong {
				want = special["verify"]
			}
			if got := ep.send(t, a.addr).String(); got != want {
				t.Errorf("%s with %q: %s, want %s", ep.name, a.addr, got, want)
			}
		}
	}
}

func TestEmailValidationEmptyAddress(t *testing.T) {
	want := map[string]string{
		"otp":                     "400 validation_failed \"One of email or phone must be set\"",
		"otp without sign-up":     "400 validation_failed \"One of email or phone must be set\"",
		"magiclink":               "422 validation_failed \"Password recovery requires an email\"",
		"recover":                 "400 validation_failed \"Password recovery requires an email\"",
		"resend":                  "400 validation_failed \"Type provided requires an email address\"",
		"verify":                  "400 validation_failed \"Only an email address or phone number should be provided on verify\"",
		"admin create":            "400 validation_failed \"Cannot create a user without either an email or phone\"",
		"invite":                  "400 validation_failed \"An email address is required\"",
		"generate_link":           "400 validation_failed \"An email address is required\"",
		"generate_link new_email": "400 validation_failed \"An email address is required\"",
	}
	for _, ep := range emailEndpoints(t) {
		w, ok := want[ep.name]
		if !ok {
			continue // sign-up and the updates take "" as no address
		}
		if got := ep.send(t, "").String(); got != w {
			t.Errorf("%s with no address: %s, want %s", ep.name, got, w)
		}
	}
}

func TestEmailValidationAccepts(t *testing.T) {
	// Lower-cased; plus-addressing and a dotless domain are fine.
	for _, addr := range []string{
		strings.ToUpper(uniqueEmail(t)[:1]) + uniqueEmail(t)[1:],
		strings.Replace(uniqueEmail(t), "@", "+tag@", 1),
		strings.TrimSuffix(uniqueEmail(t), "@example.com") + "@localhost",
	} {
		var u struct {
			ID    string `json:"id"`
			Email string `json:"email"`
		}
		if code := apiCall(t, "POST", "/admin/users", target.ServiceRoleKey, map[string]any{"email": addr}, &u); code != 200 || u.Email != strings.ToLower(addr) {
			t.Errorf("admin create %q: %d %q, want 200 with the address lower-cased", addr, code, u.Email)
		}
		t.Cleanup(func() { apiCall(t, "DELETE", "/admin/users/"+u.ID, target.ServiceRoleKey, nil, nil) })
	}
	// The address must be new to the server: the generate_link of an
	// unknown user is looked up before its new address is judged.
	var e apiErr
	e.Code = apiCall(t, "POST", "/admin/generate_link", target.ServiceRoleKey,
		map[string]any{"type": "email_change_new", "email": uniqueEmail(t), "new_email": "a(b)@example.com"}, &e)
	if got := e.String(); got != "404 user_not_found \"User with this email not found\"" {
		t.Errorf("generate_link email_change_new for an unknown user with a bad new address: %s", got)
	}
}
