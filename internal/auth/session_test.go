package auth

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"
)

func TestSM01_GetSessionReturnsCurrentSession(t *testing.T) {
	srv := newFakeServer(t)
	c := newTestClient(t, srv.URL, nil)
	want := testSession(t, "rt-1", testNow.Unix()+3600)
	storeSession(t, c, want)

	got, err := c.GetSession(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got == nil || got.AccessToken != want.AccessToken || got.RefreshToken != "rt-1" || got.User.ID != "user-1" {
		t.Fatalf("GetSession = %+v, want the stored session", got)
	}
	if n := srv.total(); n != 0 {
		t.Fatalf("a valid session must come from storage without HTTP; got %d requests", n)
	}
}

func TestSM02_GetSessionReturnsNilWhenSignedOut(t *testing.T) {
	srv := newFakeServer(t)
	c := newTestClient(t, srv.URL, nil)
	got, err := c.GetSession(context.Background())
	if err != nil || got != nil {
		t.Fatalf("GetSession = %v, %v; want nil, nil", got, err)
	}
}

func TestSM02b_GetSessionRemovesStructurallyInvalidSession(t *testing.T) {
	srv := newFakeServer(t)
	c := newTestClient(t, srv.URL, nil)
	if err := c.storage.SetItem(context.Background(), c.opts.StorageKey, `{"access_token":"x"}`); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetSession(context.Background())
	if err != nil || got != nil {
		t.Fatalf("GetSession = %v, %v; want nil, nil", got, err)
	}
	if storedSession(t, c) != nil {
		t.Fatal("invalid stored session was kept")
	}
}

func TestSM03_GetSessionRefreshesExpiredSession(t *testing.T) {
	for _, tc := range []struct {
		name      string
		expiresAt int64
	}{
		{"expired", testNow.Unix() - 10},
		{"within the 90 s margin", testNow.Unix() + 90},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newFakeServer(t)
			rep, newJWT := stepReply(t, "token_refresh_ok", 1, nil)
			srv.on("POST", "/token", rep)
			c := newTestClient(t, srv.URL, nil)
			old := testSession(t, "46n6qtayn2cm", tc.expiresAt)
			storeSession(t, c, old)

			got, err := c.GetSession(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if got.AccessToken == old.AccessToken || got.AccessToken != newJWT {
				t.Fatal("GetSession did not return the refreshed access token")
			}
			if got.RefreshToken != "5artev3y7hih" || got.ExpiresAt != 1795389772 {
				t.Fatalf("refreshed session = %+v", got)
			}
			calls := srv.calls("POST", "/token")
			if len(calls) != 1 {
				t.Fatalf("%d refresh calls, want 1", len(calls))
			}
			if calls[0].Query["grant_type"][0] != "refresh_token" || calls[0].jsonBody(t)["refresh_token"] != "46n6qtayn2cm" {
				t.Fatalf("refresh request = %+v", calls[0])
			}
			if s := storedSession(t, c); s == nil || s.RefreshToken != "5artev3y7hih" {
				t.Fatal("refreshed session not saved")
			}
		})
	}
}

func TestSM03b_GetSessionJustOutsideMarginDoesNotRefresh(t *testing.T) {
	srv := newFakeServer(t)
	c := newTestClient(t, srv.URL, nil)
	storeSession(t, c, testSession(t, "rt", testNow.Unix()+91))
	if _, err := c.GetSession(context.Background()); err != nil {
		t.Fatal(err)
	}
	if srv.total() != 0 {
		t.Fatal("a session valid for 91 s was refreshed")
	}
}

func TestSM04_SetSessionWithValidTokens(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "user_get_ok", 0, nil)
	srv.on("GET", "/user", rep)
	c := newTestClient(t, srv.URL, nil)
	exp := testNow.Unix() + 1800
	access := makeJWT(t, map[string]any{"sub": "b930d47c-bb25-490e-85b0-f0fa9e8f4f3e", "exp": exp})
	ev, _ := recordEvents(c)
	if e := ev.next(t); e.Event != EventInitialSession || e.Session != nil {
		t.Fatalf("first event = %v", e)
	}

	s, err := c.SetSession(context.Background(), access, "rt-given")
	if err != nil {
		t.Fatal(err)
	}
	if s.ExpiresAt != exp || s.ExpiresIn != 1800 || s.User.Email != "rec-fd01aaecb7@example.com" {
		t.Fatalf("SetSession = %+v", s)
	}
	calls := srv.calls("GET", "/user")
	if len(calls) != 1 || calls[0].Header.Get("Authorization") != "Bearer "+access {
		t.Fatalf("GET /user calls = %+v", calls)
	}
	got, err := c.GetSession(context.Background())
	if err != nil || got == nil || got.AccessToken != access || got.RefreshToken != "rt-given" {
		t.Fatalf("GetSession after SetSession = %+v, %v", got, err)
	}
	if e := ev.next(t); e.Event != EventSignedIn || e.Session.AccessToken != access {
		t.Fatalf("event = %v", e.Event)
	}
}

func TestSM04b_SetSessionWithExpiredTokenRefreshes(t *testing.T) {
	srv := newFakeServer(t)
	rep, newJWT := stepReply(t, "token_refresh_ok", 1, nil)
	srv.on("POST", "/token", rep)
	c := newTestClient(t, srv.URL, nil)
	access := makeJWT(t, map[string]any{"sub": "u", "exp": testNow.Unix() - 1})
	s, err := c.SetSession(context.Background(), access, "46n6qtayn2cm")
	if err != nil {
		t.Fatal(err)
	}
	if s.AccessToken != newJWT || len(srv.calls("GET", "/user")) != 0 || len(srv.calls("POST", "/token")) != 1 {
		t.Fatal("an expired access token must be refreshed, not sent to /user")
	}
}

func TestSM05_SetSessionRejectsInvalidAccessToken(t *testing.T) {
	srv := newFakeServer(t)
	c := newTestClient(t, srv.URL, nil)
	for _, bad := range []string{"not-a-jwt", "a.b", "eyJ!.eyJ.x", Base64URLEncodeString("[]") + "." + Base64URLEncodeString("{}") + ".sig"} {
		_, err := c.SetSession(context.Background(), bad, "rt")
		var ij *InvalidJwtError
		if !errors.As(err, &ij) {
			t.Fatalf("SetSession(%q) error = %v, want *InvalidJwtError", bad, err)
		}
		mustContain(t, err.Error(), "Invalid JWT structure")
	}
	if srv.total() != 0 {
		t.Fatal("a malformed token must not reach the server")
	}
}

func TestSM06_SetSessionFailsWithoutRefreshToken(t *testing.T) {
	srv := newFakeServer(t)
	c := newTestClient(t, srv.URL, nil)
	_, err := c.SetSession(context.Background(), makeJWT(t, map[string]any{"exp": testNow.Unix() + 60}), "")
	if err == nil || !IsAuthSessionMissingError(err) {
		t.Fatalf("error = %v, want SessionMissing", err)
	}
	if srv.total() != 0 || storedSession(t, c) != nil {
		t.Fatal("nothing may be sent or stored")
	}
}

func TestSM07_RefreshSessionWithExplicitRefreshToken(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "token_refresh_ok", 1, nil)
	srv.on("POST", "/token", rep)
	c := newTestClient(t, srv.URL, nil)
	s, err := c.RefreshSession(context.Background(), &Session{RefreshToken: "46n6qtayn2cm"})
	if err != nil {
		t.Fatal(err)
	}
	if s.RefreshToken == "46n6qtayn2cm" || s.RefreshToken != "5artev3y7hih" {
		t.Fatalf("refresh token = %q, want a new one", s.RefreshToken)
	}
	if got := srv.calls("POST", "/token")[0].jsonBody(t)["refresh_token"]; got != "46n6qtayn2cm" {
		t.Fatalf("sent refresh_token %v", got)
	}
	if st := storedSession(t, c); st == nil || st.RefreshToken != "5artev3y7hih" {
		t.Fatal("refreshed session not saved")
	}
}

func TestSM08_RefreshSessionWithoutArgumentUsesStorage(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "token_refresh_ok", 1, nil)
	srv.on("POST", "/token", rep)
	c := newTestClient(t, srv.URL, nil)

	if _, err := c.RefreshSession(context.Background(), nil); !IsAuthSessionMissingError(err) {
		t.Fatalf("no stored session: error = %v, want SessionMissing", err)
	}
	storeSession(t, c, testSession(t, "stored-rt", testNow.Unix()+3000))
	ev, _ := recordEvents(c)
	ev.next(t) // INITIAL_SESSION
	s, err := c.RefreshSession(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.RefreshToken != "5artev3y7hih" {
		t.Fatalf("refresh token = %q", s.RefreshToken)
	}
	if got := srv.calls("POST", "/token")[0].jsonBody(t)["refresh_token"]; got != "stored-rt" {
		t.Fatalf("sent refresh_token %v, want the stored one", got)
	}
	if e := ev.next(t); e.Event != EventTokenRefreshed || e.Session.RefreshToken != "5artev3y7hih" {
		t.Fatalf("event = %v", e.Event)
	}
}

// slowReply holds the answer until release is closed, so concurrent callers
// pile up behind one in-flight refresh.
func slowReply(rep reply, release <-chan struct{}) reply {
	return reply{handler: func(w http.ResponseWriter, r *http.Request) {
		<-release
		for k, v := range rep.headers {
			w.Header().Set(k, v)
		}
		w.WriteHeader(rep.status)
		_, _ = w.Write(rep.body)
	}}
}

func TestSM09_ConcurrentRefreshRequestsAreDeduplicated(t *testing.T) {
	srv := newFakeServer(t)
	rep, newJWT := stepReply(t, "token_refresh_ok", 1, nil)
	release := make(chan struct{})
	srv.on("POST", "/token", slowReply(rep, release))
	c := newTestClient(t, srv.URL, nil)
	storeSession(t, c, testSession(t, "46n6qtayn2cm", testNow.Unix()+3000))

	const n = 8
	var wg sync.WaitGroup
	results := make([]*Session, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = c.RefreshSession(context.Background(), nil)
		}()
	}
	time.Sleep(150 * time.Millisecond)
	close(release)
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("caller %d: %v", i, errs[i])
		}
		if results[i].AccessToken != newJWT {
			t.Fatalf("caller %d got a different access token", i)
		}
	}
	if got := len(srv.calls("POST", "/token")); got != 1 {
		t.Fatalf("%d refresh calls, want 1", got)
	}
	// The deferred is reset after it settles: a later refresh makes a new call.
	if _, err := c.RefreshSession(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if got := len(srv.calls("POST", "/token")); got != 2 {
		t.Fatalf("%d refresh calls after a later refresh, want 2", got)
	}
}

func TestSM09b_ConcurrentGetSessionOnExpiredSessionRefreshesOnce(t *testing.T) {
	srv := newFakeServer(t)
	rep, newJWT := stepReply(t, "token_refresh_ok", 1, nil)
	release := make(chan struct{})
	srv.on("POST", "/token", slowReply(rep, release))
	c := newTestClient(t, srv.URL, nil)
	storeSession(t, c, testSession(t, "46n6qtayn2cm", testNow.Unix()-5))

	const n = 8
	var wg sync.WaitGroup
	tokens := make(chan string, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := c.GetSession(context.Background())
			if err != nil {
				t.Error(err)
				return
			}
			tokens <- s.AccessToken
		}()
	}
	time.Sleep(100 * time.Millisecond)
	close(release)
	wg.Wait()
	close(tokens)
	for tok := range tokens {
		if tok != newJWT {
			t.Fatal("a caller did not get the refreshed token")
		}
	}
	if got := len(srv.calls("POST", "/token")); got != 1 {
		t.Fatalf("%d refresh calls, want exactly 1 (later callers must re-read storage under the lock)", got)
	}
}

func TestRefreshTokenAlreadyUsedRemovesSessionAndIsSessionMissing(t *testing.T) {
	for _, tc := range []struct {
		file string
		idx  int
		code string
	}{
		{"token_refresh_reuse_after_interval", 3, CodeRefreshTokenAlreadyUsed},
		{"token_refresh_invalid", 0, CodeRefreshTokenNotFound},
		{"legacy/token_refresh_invalid", 0, CodeRefreshTokenNotFound},
	} {
		t.Run(tc.file, func(t *testing.T) {
			srv := newFakeServer(t)
			rep, _ := stepReply(t, tc.file, tc.idx, nil)
			srv.on("POST", "/token", rep)
			c := newTestClient(t, srv.URL, nil)
			ev, _ := recordEvents(c)
			ev.next(t) // INITIAL_SESSION, before a session exists
			storeSession(t, c, testSession(t, "k2qw65eowo3f", testNow.Unix()-1))

			s, err := c.GetSession(context.Background())
			if s != nil || !IsAuthSessionMissingError(err) || IsAuthAPIError(err) {
				t.Fatalf("GetSession = %v, %v; want SessionMissing", s, err)
			}
			var sm *SessionMissingError
			errors.As(err, &sm)
			if sm.Code != tc.code || sm.Status != 400 {
				t.Fatalf("error fields = %+v", sm.AuthError)
			}
			if storedSession(t, c) != nil {
				t.Fatal("session not removed")
			}
			if e := ev.next(t); e.Event != EventSignedOut || e.Session != nil {
				t.Fatalf("event = %v", e.Event)
			}
		})
	}
}

func TestRefreshRetriesOnlyRetryableErrors(t *testing.T) {
	t.Run("503 then success", func(t *testing.T) {
		srv := newFakeServer(t)
		ok, newJWT := stepReply(t, "token_refresh_ok", 1, nil)
		unavailable := reply{status: 503, body: []byte("upstream unavailable")}
		srv.on("POST", "/token", unavailable, unavailable, ok)
		c := newTestClient(t, srv.URL, nil)
		storeSession(t, c, testSession(t, "rt", testNow.Unix()-1))
		s, err := c.GetSession(context.Background())
		if err != nil || s.AccessToken != newJWT {
			t.Fatalf("GetSession = %v, %v", s, err)
		}
		if got := len(srv.calls("POST", "/token")); got != 3 {
			t.Fatalf("%d calls, want 3", got)
		}
	})
	t.Run("network failure keeps the session", func(t *testing.T) {
		srv := newFakeServer(t)
		url := srv.URL
		srv.Close()
		c := newTestClient(t, url, nil)
		storeSession(t, c, testSession(t, "rt", testNow.Unix()-1))
		_, err := c.GetSession(context.Background())
		if !IsAuthRetryableFetchError(err) {
			t.Fatalf("error = %v, want retryable", err)
		}
		if storedSession(t, c) == nil {
			t.Fatal("being offline must not sign the user out")
		}
	})
	t.Run("400 is not retried", func(t *testing.T) {
		srv := newFakeServer(t)
		bad, _ := stepReply(t, "token_refresh_invalid", 0, nil)
		srv.on("POST", "/token", bad)
		c := newTestClient(t, srv.URL, nil)
		_, err := c.RefreshSession(context.Background(), &Session{RefreshToken: "x"})
		if err == nil || len(srv.calls("POST", "/token")) != 1 {
			t.Fatalf("err = %v, calls = %d; want one call", err, len(srv.calls("POST", "/token")))
		}
	})
}

func TestGetUserRemovesSessionWhenServerSaysSessionNotFound(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "logout_scopes", 3, nil) // 403 session_not_found
	srv.on("GET", "/user", rep)
	c := newTestClient(t, srv.URL, nil)
	storeSession(t, c, testSession(t, "rt", testNow.Unix()+3000))
	_, err := c.GetUser(context.Background(), "")
	if !IsAuthSessionMissingError(err) {
		t.Fatalf("error = %v", err)
	}
	if storedSession(t, c) != nil {
		t.Fatal("session kept after session_not_found")
	}
}

func TestGetUserWithoutSessionIsSessionMissing(t *testing.T) {
	srv := newFakeServer(t)
	c := newTestClient(t, srv.URL, nil)
	if _, err := c.GetUser(context.Background(), ""); !IsAuthSessionMissingError(err) {
		t.Fatalf("error = %v", err)
	}
	if srv.total() != 0 {
		t.Fatal("no request expected")
	}
}

func TestGetSessionValidForRefreshesWhenTTLTooShort(t *testing.T) {
	srv := newFakeServer(t)
	rep, jwt := stepReply(t, "token_refresh_ok", 1, nil)
	srv.on("POST", "/token", rep)
	c := newTestClient(t, srv.URL, nil)
	storeSession(t, c, testSession(t, "46n6qtayn2cm", testNow.Unix()+600))
	s, err := c.GetSessionValidFor(context.Background(), 5*time.Minute)
	if err != nil || s.AccessToken == jwt || srv.total() != 0 {
		t.Fatalf("10 min left, 5 min wanted: %v, %d requests", err, srv.total())
	}
	s, err = c.GetSessionValidFor(context.Background(), 15*time.Minute)
	if err != nil || s.AccessToken != jwt || srv.total() != 1 {
		t.Fatalf("10 min left, 15 min wanted: %v, %d requests", err, srv.total())
	}
}

func TestRefreshFailureWithForeignTokenKeepsStoredSession(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "token_refresh_invalid", 0, nil)
	srv.on("POST", "/token", rep)
	c := newTestClient(t, srv.URL, nil)
	storeSession(t, c, testSession(t, "mine", testNow.Unix()+3000))
	_, err := c.SetSession(context.Background(), makeJWT(t, map[string]any{"exp": testNow.Unix() - 1}), "someone-elses")
	if !IsAuthSessionMissingError(err) {
		t.Fatalf("error = %v", err)
	}
	if s := storedSession(t, c); s == nil || s.RefreshToken != "mine" {
		t.Fatal("a refused foreign refresh token signed out the stored session")
	}
}

// A refresh of the stored session marks its write as one, so a watching
// storage can skip what it checks for sign-ins; a sign-in does not, nor does
// a refresh of a token handed in.
func TestRefreshWriteIsMarked(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "token_password_ok", 0, nil)
	srv.on("POST", "/token", rep)
	st := &countingStorage{MemoryStorage: NewMemoryStorage()}
	c := newTestClient(t, srv.URL, func(o *Options) { o.Storage = st })
	if _, err := c.SignInWithPassword(context.Background(), PasswordCredentials{Email: "a@example.com", Password: "correct-horse-9"}); err != nil {
		t.Fatal(err)
	}
	refresh := newFakeServer(t)
	rep, _ = stepReply(t, "token_refresh_ok", 1, nil)
	refresh.on("POST", "/token", rep)
	c = newTestClient(t, refresh.URL, func(o *Options) { o.Storage = st })
	if _, err := c.RefreshSession(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if st.sets.Load() != 2 || st.refreshSets.Load() != 1 {
		t.Fatalf("%d writes, %d marked refresh; want 2 and 1", st.sets.Load(), st.refreshSets.Load())
	}
	// A refresh token handed in may be another user's: saving what it
	// gives is a sign-in, whether SetSession spends it (an expired access
	// token) or RefreshSession is given a session.
	access := makeJWT(t, map[string]any{"sub": "u", "exp": testNow.Unix() - 1})
	if _, err := c.SetSession(context.Background(), access, "46n6qtayn2cm"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.RefreshSession(context.Background(), &Session{RefreshToken: "handed-in"}); err != nil {
		t.Fatal(err)
	}
	if st.sets.Load() != 4 || st.refreshSets.Load() != 1 {
		t.Fatalf("%d writes, %d marked refresh; want 4 and 1", st.sets.Load(), st.refreshSets.Load())
	}
}
