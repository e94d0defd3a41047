package auth

import (
	"context"
	"errors"
	"testing"
)

func TestLinkIdentityIDToken(t *testing.T) {
	srv := newFakeServer(t)
	rep, jwt := stepReply(t, "token_password_ok", 0, nil) // the same session answer as every grant
	srv.on("POST", "/token", rep)
	c := newTestClient(t, srv.URL, nil)

	// No session: nothing is sent.
	if _, err := c.LinkIdentityIDToken(context.Background(), IDTokenCredentials{Provider: "google", Token: "id.jwt.x"}); !IsAuthSessionMissingError(err) {
		t.Fatalf("signed out: %v", err)
	}
	s := testSession(t, "rt", testNow.Unix()+3000)
	storeSession(t, c, s)
	if _, err := c.LinkIdentityIDToken(context.Background(), IDTokenCredentials{Provider: "google"}); !errors.As(err, new(*InvalidCredentialsError)) {
		t.Fatalf("no token: %v", err)
	}
	if n := len(srv.calls("POST", "/token")); n != 0 {
		t.Fatalf("%d requests before a valid call", n)
	}

	ev, _ := recordEvents(c)
	ev.next(t) // INITIAL_SESSION
	ar, err := c.LinkIdentityIDToken(context.Background(), IDTokenCredentials{Provider: "google", Token: "id.jwt.x", Nonce: "n"})
	if err != nil || ar.Session.AccessToken != jwt {
		t.Fatalf("LinkIdentityIDToken = %+v, %v", ar, err)
	}
	call := srv.calls("POST", "/token")[0]
	b := call.jsonBody(t)
	if call.Query["grant_type"][0] != "id_token" || b["link_identity"] != true || b["provider"] != "google" ||
		b["id_token"] != "id.jwt.x" || b["nonce"] != "n" || call.Header.Get("Authorization") != "Bearer "+s.AccessToken {
		t.Fatalf("request = %+v %v", call, b)
	}
	if got := storedSession(t, c); got == nil || got.AccessToken != jwt {
		t.Fatalf("stored session = %+v", got)
	}
	if e := ev.next(t); e.Event != EventUserUpdated || e.Session.AccessToken != jwt {
		t.Fatalf("event %v", e.Event)
	}
}
