package auth

import (
	"context"
	"testing"
)

func TestAdminListPasskeys(t *testing.T) {
	srv := newFakeServer(t)
	st := serveStep(t, srv, "admin_user_passkeys", 0)
	c := newAdminClient(t, srv)
	ks, err := c.Admin().Passkeys().ListPasskeys(context.Background(), "97f12ab0-e218-4bf9-8034-7671d5cf9c35")
	if err != nil || ks == nil || len(ks) != 0 {
		t.Fatalf("ListPasskeys = %v, %v; want an empty list", ks, err)
	}
	assertSent(t, srv, st)
}

func TestAdminDeletePasskey(t *testing.T) {
	srv := newFakeServer(t)
	srv.on("DELETE", "/admin/users/u-1/passkeys/k-1", status(204, ""))
	c := newAdminClient(t, srv)
	if err := c.Admin().Passkeys().DeletePasskey(context.Background(), "u-1", "k-1"); err != nil {
		t.Fatal(err)
	}
	if err := c.Admin().Passkeys().DeletePasskey(context.Background(), "u-1", ""); err == nil {
		t.Error("an empty passkey id was sent")
	}
}
