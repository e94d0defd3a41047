package auth

import (
	"context"
	"testing"
	"time"
)

func TestSO01_SignOutRemovesSession(t *testing.T) {
	for _, scope := range []SignOutScope{"", SignOutGlobal, SignOutLocal} {
		t.Run(string(scope), func(t *testing.T) {
			srv := newFakeServer(t)
			rep, _ := stepReply(t, "logout_scopes", 2, nil) // 204
			srv.on("POST", "/logout", rep)
			c := newTestClient(t, srv.URL, nil)
			s := testSession(t, "rt", testNow.Unix()+3000)
			storeSession(t, c, s)
			if err := c.SignOut(context.Background(), scope); err != nil {
				t.Fatal(err)
			}
			got, err := c.GetSession(context.Background())
			if err != nil || got != nil {
				t.Fatalf("GetSession after SignOut = %v, %v", got, err)
			}
			calls := srv.calls("POST", "/logout")
			want := string(scope)
			if want == "" {
				want = "global"
			}
			if len(calls) != 1 || calls[0].Query["scope"][0] != want || calls[0].Header.Get("Authorization") != "Bearer "+s.AccessToken {
				t.Fatalf("logout calls = %+v", calls)
			}
		})
	}
}

func TestSO01b_SignOutWithoutSessionSucceedsWithoutRequest(t *testing.T) {
	srv := newFakeServer(t)
	c := newTestClient(t, srv.URL, nil)
	ev, _ := recordEvents(c)
	ev.next(t)
	if err := c.SignOut(context.Background(), SignOutLocal); err != nil {
		t.Fatal(err)
	}
	if srv.total() != 0 {
		t.Fatal("no request expected without a session")
	}
	if e := ev.next(t); e.Event != EventSignedOut {
		t.Fatalf("got %v", e.Event)
	}
}

func TestSO02_SignOutWithInvalidJWTStillClearsLocalSession(t *testing.T) {
	for _, tc := range []struct {
		file string
		idx  int
	}{
		{"user_get_bad_jwt", 2},      // 403 bad_jwt: token is expired
		{"logout_scopes", 3},         // 403 session_not_found
		{"legacy/logout_no_auth", 0}, // 401
	} {
		t.Run(tc.file, func(t *testing.T) {
			srv := newFakeServer(t)
			rep, _ := stepReply(t, tc.file, tc.idx, nil)
			srv.on("POST", "/logout", rep)
			c := newTestClient(t, srv.URL, nil)
			ev, _ := recordEvents(c)
			ev.next(t)
			storeSession(t, c, testSession(t, "rt", testNow.Unix()+3000))
			if err := c.SignOut(context.Background(), SignOutGlobal); err != nil {
				t.Fatalf("an already-invalid token means signed out: %v", err)
			}
			if storedSession(t, c) != nil {
				t.Fatal("local session kept")
			}
			if e := ev.next(t); e.Event != EventSignedOut {
				t.Fatalf("got %v", e.Event)
			}
		})
	}
	t.Run("server failure", func(t *testing.T) {
		srv := newFakeServer(t)
		srv.on("POST", "/logout", reply{status: 503, body: []byte("unavailable")})
		c := newTestClient(t, srv.URL, nil)
		storeSession(t, c, testSession(t, "rt", testNow.Unix()+3000))
		err := c.SignOut(context.Background(), SignOutLocal)
		if !IsAuthRetryableFetchError(err) {
			t.Fatalf("error = %v, want the server error returned", err)
		}
		if storedSession(t, c) != nil {
			t.Fatal("the local session must be removed even when the server call fails")
		}
	})
}

func TestSO03_SignOutOthersKeepsLocalSession(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "logout_scopes", 1, nil)
	srv.on("POST", "/logout", rep)
	c := newTestClient(t, srv.URL, nil)
	s := testSession(t, "rt", testNow.Unix()+3000)
	storeSession(t, c, s)
	ev, _ := recordEvents(c)
	ev.next(t)
	if err := c.SignOut(context.Background(), SignOutOthers); err != nil {
		t.Fatal(err)
	}
	if got := storedSession(t, c); got == nil || got.AccessToken != s.AccessToken {
		t.Fatal("local session removed by scope others")
	}
	if q := srv.calls("POST", "/logout")[0].Query["scope"][0]; q != "others" {
		t.Fatalf("scope = %q", q)
	}
	ev.none(t, 100*time.Millisecond)

	c2 := newTestClient(t, srv.URL, nil)
	if err := c2.SignOut(context.Background(), SignOutOthers); !IsAuthSessionMissingError(err) {
		t.Fatalf("others without a session: %v", err)
	}
}

func TestSignOutRefreshesAnExpiringTokenFirst(t *testing.T) {
	srv := newFakeServer(t)
	refreshed, jwt := stepReply(t, "token_refresh_ok", 1, nil)
	srv.on("POST", "/token", refreshed)
	out, _ := stepReply(t, "logout_global", 2, nil)
	srv.on("POST", "/logout", out)
	c := newTestClient(t, srv.URL, nil)
	storeSession(t, c, testSession(t, "rt", testNow.Unix()+10))
	if err := c.SignOut(context.Background(), SignOutGlobal); err != nil {
		t.Fatal(err)
	}
	if got := srv.calls("POST", "/logout")[0].Header.Get("Authorization"); got != "Bearer "+jwt {
		t.Fatal("global sign-out must use a live token")
	}
	if storedSession(t, c) != nil {
		t.Fatal("session kept")
	}
}
