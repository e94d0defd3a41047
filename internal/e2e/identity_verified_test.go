package e2e

import (
	"testing"
)

// When the real server says an identity's email or phone is verified
// (identity_data.email_verified / phone_verified), and what user_metadata
// says, from sign-up to confirmation, admin changes and email change. The
// values are the real server's (v2.196), some of them odd: the sign-up
// answer shows email_verified true for an identity stored with false.

// verifiedUser is the part of a user these tests look at.
type verifiedUser struct {
	ID           string         `json:"id"`
	UserMetadata map[string]any `json:"user_metadata"`
	AppMetadata  map[string]any `json:"app_metadata"`
	Identities   []struct {
		Provider     string         `json:"provider"`
		IdentityData map[string]any `json:"identity_data"`
	} `json:"identities"`
}

// flags gives "provider:email_verified,phone_verified" for the user's
// identity of provider ("" when it has none).
func (u verifiedUser) flags(provider string) string {
	for _, i := range u.Identities {
		if i.Provider == provider {
			return provider + ":" + boolWord(i.IdentityData["email_verified"]) + "," + boolWord(i.IdentityData["phone_verified"])
		}
	}
	return ""
}

func boolWord(v any) string {
	switch v {
	case true:
		return "true"
	case false:
		return "false"
	}
	return "absent"
}

// adminGetUser reads a user through the admin API.
func adminGetUser(t *testing.T, id string) verifiedUser {
	t.Helper()
	var u verifiedUser
	if code := apiCall(t, "GET", "/admin/users/"+id, target.ServiceRoleKey, nil, &u); code != 200 {
		t.Fatalf("GET /admin/users/%s: %d", id, code)
	}
	return u
}

// verifyEmail verifies an emailed code and returns the signed-in user.
func verifyEmail(t *testing.T, typ, email, code string) verifiedUser {
	t.Helper()
	var s struct {
		User verifiedUser `json:"user"`
	}
	if st := apiCall(t, "POST", "/verify", target.AnonKey, map[string]any{"type": typ, "email": email, "token": code}, &s); st != 200 {
		t.Fatalf("verify %s for %s: %d", typ, email, st)
	}
	return s.User
}

func wantFlags(t *testing.T, what string, u verifiedUser, provider, want string) {
	t.Helper()
	if got := u.flags(provider); got != want {
		t.Errorf("%s: identity %q, want %q", what, got, want)
	}
}

func wantMetadataVerified(t *testing.T, what string, u verifiedUser, want string) {
	t.Helper()
	if got := boolWord(u.UserMetadata["email_verified"]); got != want {
		t.Errorf("%s: user_metadata.email_verified %s, want %s", what, got, want)
	}
}

func TestIdentityVerifiedOnSignUp(t *testing.T) {
	email := uniqueEmail(t)
	var s struct {
		User verifiedUser `json:"user"`
	}
	if code := apiCall(t, "POST", "/signup", target.AnonKey, map[string]any{"email": email, "password": password}, &s); code != 200 {
		t.Fatalf("sign-up: %d", code)
	}
	t.Cleanup(func() { apiCall(t, "DELETE", "/admin/users/"+s.User.ID, target.ServiceRoleKey, nil, nil) })
	// The answer shows the identity's data as the user's metadata, which
	// autoconfirm marked verified; the stored identity says false.
	wantFlags(t, "email sign-up answer", s.User, "email", "email:true,false")
	wantMetadataVerified(t, "email sign-up answer", s.User, "true")
	u := adminGetUser(t, s.User.ID)
	wantFlags(t, "email sign-up, read back", u, "email", "email:false,false")
	wantMetadataVerified(t, "email sign-up, read back", u, "true")

	// A confirmed sign-up link verifies the stored identity; a recovery
	// link of an unconfirmed user confirms only user_metadata.
	email = "confirm-" + uniqueEmail(t)
	l := generateLink(t, "signup", email)
	t.Cleanup(func() { apiCall(t, "DELETE", "/admin/users/"+l.ID, target.ServiceRoleKey, nil, nil) })
	wantFlags(t, "unconfirmed sign-up", adminGetUser(t, l.ID), "email", "email:false,false")
	wantFlags(t, "sign-up confirmed", verifyEmail(t, "signup", email, l.EmailOTP), "email", "email:true,false")
	wantFlags(t, "sign-up confirmed, read back", adminGetUser(t, l.ID), "email", "email:true,false")

	email = "invite-" + uniqueEmail(t)
	l = generateLink(t, "invite", email)
	t.Cleanup(func() { apiCall(t, "DELETE", "/admin/users/"+l.ID, target.ServiceRoleKey, nil, nil) })
	wantFlags(t, "invitation accepted", verifyEmail(t, "invite", email, l.EmailOTP), "email", "email:true,false")

	email = "recovery-" + uniqueEmail(t)
	var created verifiedUser
	apiCall(t, "POST", "/admin/users", target.ServiceRoleKey, map[string]any{"email": email}, &created)
	t.Cleanup(func() { apiCall(t, "DELETE", "/admin/users/"+created.ID, target.ServiceRoleKey, nil, nil) })
	u = verifyEmail(t, "recovery", email, generateLink(t, "recovery", email).EmailOTP)
	wantFlags(t, "unconfirmed user's recovery", u, "email", "email:false,false")
	wantMetadataVerified(t, "unconfirmed user's recovery", u, "true")
}

func TestIdentityVerifiedOnPhoneSignUp(t *testing.T) {
	var s struct {
		User verifiedUser `json:"user"`
	}
	if code := apiCall(t, "POST", "/signup", target.AnonKey, map[string]any{"phone": uniquePhone(), "password": password}, &s); code != 200 {
		t.Fatalf("phone sign-up: %d", code)
	}
	t.Cleanup(func() { apiCall(t, "DELETE", "/admin/users/"+s.User.ID, target.ServiceRoleKey, nil, nil) })
	// SMS autoconfirm changes neither the identity nor user_metadata.
	wantFlags(t, "phone sign-up answer", s.User, "phone", "phone:false,false")
	wantMetadataVerified(t, "phone sign-up answer", s.User, "false")
	wantFlags(t, "phone sign-up, read back", adminGetUser(t, s.User.ID), "phone", "phone:false,false")
}

func TestIdentityVerifiedByAdmin(t *testing.T) {
	email, phone := uniqueEmail(t), uniquePhone()
	var u verifiedUser
	if code := apiCall(t, "POST", "/admin/users", target.ServiceRoleKey,
		map[string]any{"email": email, "phone": phone, "email_confirm": true, "phone_confirm": true}, &u); code != 200 {
		t.Fatalf("admin create: %d", code)
	}
	t.Cleanup(func() { apiCall(t, "DELETE", "/admin/users/"+u.ID, target.ServiceRoleKey, nil, nil) })
	// One identity each, neither verified whatever email_confirm says;
	// user_metadata gets email_verified only.
	wantFlags(t, "admin create", u, "email", "email:false,false")
	wantFlags(t, "admin create", u, "phone", "phone:false,false")
	wantMetadataVerified(t, "admin create", u, "true")
	if p, _ := u.AppMetadata["providers"].([]any); len(p) != 2 || p[0] != "email" || p[1] != "phone" || u.AppMetadata["provider"] != "email" {
		t.Errorf("admin create: app_metadata %v, want provider email, providers [email phone]", u.AppMetadata)
	}

	// An update naming the address sets the identity's flag to its
	// email_confirm / phone_confirm (false when left out); the answer still
	// shows the identities as they were.
	var upd verifiedUser
	apiCall(t, "PUT", "/admin/users/"+u.ID, target.ServiceRoleKey, map[string]any{"email": email, "email_confirm": true, "phone": phone, "phone_confirm": true}, &upd)
	wantFlags(t, "admin update answer", upd, "email", "email:false,false")
	wantFlags(t, "admin update answer", upd, "phone", "phone:false,false")
	got := adminGetUser(t, u.ID)
	wantFlags(t, "admin update, read back", got, "email", "email:true,false")
	wantFlags(t, "admin update, read back", got, "phone", "phone:false,true")
	apiCall(t, "PUT", "/admin/users/"+u.ID, target.ServiceRoleKey, map[string]any{"email": email}, &upd)
	wantFlags(t, "admin update without email_confirm answer", upd, "email", "email:true,false")
	wantFlags(t, "admin update without email_confirm, read back", adminGetUser(t, u.ID), "email", "email:false,false")

	// A phone added by an update gets a new identity, in the answer too,
	// and app_metadata.providers stays as it was.
	var only verifiedUser
	apiCall(t, "POST", "/admin/users", target.ServiceRoleKey, map[string]any{"email": "phone-" + uniqueEmail(t)}, &only)
	t.Cleanup(func() { apiCall(t, "DELETE", "/admin/users/"+only.ID, target.ServiceRoleKey, nil, nil) })
	apiCall(t, "PUT", "/admin/users/"+only.ID, target.ServiceRoleKey, map[string]any{"phone": uniquePhone(), "phone_confirm": true}, &upd)
	wantFlags(t, "phone added by admin update", upd, "phone", "phone:false,true")
	if p, _ := upd.AppMetadata["providers"].([]any); len(p) != 1 {
		t.Errorf("phone added by admin update: app_metadata %v, want providers [email] only", upd.AppMetadata)
	}
}

func TestIdentityVerifiedOnEmailChange(t *testing.T) {
	e := newEnv(t)
	s := signUp(t, e, uniqueEmail(t))
	t.Cleanup(func() { apiCall(t, "DELETE", "/admin/users/"+s.User.ID, target.ServiceRoleKey, nil, nil) })
	newEmail := "new-" + uniqueEmail(t)
	if code := serverCall(t, target, "PUT", "/user", target.AnonKey, s.AccessToken, map[string]any{"email": newEmail}, nil); code != 200 {
		t.Fatalf("email change: %d", code)
	}
	var l emailLink
	apiCall(t, "POST", "/admin/generate_link", target.ServiceRoleKey,
		map[string]any{"type": "email_change_new", "email": s.User.Email, "new_email": newEmail}, &l)
	u := verifyEmail(t, "email_change", newEmail, l.EmailOTP)
	wantFlags(t, "email change confirmed", u, "email", "email:true,false")
	wantFlags(t, "email change confirmed, read back", adminGetUser(t, s.User.ID), "email", "email:true,false")
}
