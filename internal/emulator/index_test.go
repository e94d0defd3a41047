package emulator

import "testing"

// TestIndexFollowsChanges: lookups by email and phone find users under
// their current addresses after every kind of change, and not under old
// ones; deleted users and identities are gone.
func TestIndexFollowsChanges(t *testing.T) {
	srv, ts := newTestServer(t, nil)
	admin := srv.ServiceRoleKey()
	var u struct{ ID string }
	call(t, "POST", ts.URL+"/admin/users", admin, map[string]any{"email": "a@example.com", "phone": "15550000001", "password": "correct-horse-9", "email_confirm": true}, &u)
	call(t, "PUT", ts.URL+"/admin/users/"+u.ID, admin, map[string]any{"email": "b@example.com", "phone": "15550000002"}, nil)

	var s testSession
	call(t, "POST", ts.URL+"/token?grant_type=password", "", map[string]string{"email": "b@example.com", "password": "correct-horse-9"}, &s)
	call(t, "PUT", ts.URL+"/user", s.AccessToken, map[string]string{"phone": "15550000003"}, nil) // applied at once
	call(t, "PUT", ts.URL+"/user", s.AccessToken, map[string]string{"email": "c@example.com"}, nil)
	m := lastMessage(t, srv, ts.URL, "c@example.com")
	call(t, "POST", ts.URL+"/verify", "", map[string]string{"type": "email_change", "email": "c@example.com", "token": m.OTP}, nil)

	var anon testSession
	call(t, "POST", ts.URL+"/signup", "", map[string]any{}, &anon)
	call(t, "PUT", ts.URL+"/user", anon.AccessToken, map[string]string{"email": "d@example.com"}, nil) // an anonymous user's email applies at once

	for _, c := range []struct {
		email, phone string
		found        bool
	}{
		{"a@example.com", "15550000001", false},
		{"b@example.com", "15550000002", false},
		{"c@example.com", "15550000003", true},
	} {
		if got := srv.st.userByEmail(c.email); (got != nil) != c.found || (got != nil && got.ID != u.ID) {
			t.Errorf("userByEmail(%s) = %v, want found=%v", c.email, got, c.found)
		}
		if got := srv.st.userByPhone(c.phone); (got != nil) != c.found {
			t.Errorf("userByPhone(%s) = %v, want found=%v", c.phone, got, c.found)
		}
	}
	if got := srv.st.userByEmail("D@example.com"); got == nil || got.ID != anon.User.ID {
		t.Errorf("userByEmail(D@example.com) = %v, want the converted anonymous user", got)
	}
	if n := len(srv.st.identitiesOf(u.ID)); n != 2 {
		t.Errorf("%d identities, want email and phone", n)
	}
	call(t, "DELETE", ts.URL+"/admin/users/"+u.ID, admin, nil, nil)
	if srv.st.userByEmail("c@example.com") != nil || len(srv.st.identitiesOf(u.ID)) != 0 {
		t.Error("a deleted user is still found")
	}
}
