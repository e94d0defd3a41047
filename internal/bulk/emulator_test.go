package bulk

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/bulk/bulktest"
	"github.com/authctl/authctl/internal/emulator"
)

// emulated starts an emulator on loopback and returns an admin client.
func emulated(t *testing.T) (admin *auth.Client, url, anonKey string) {
	t.Helper()
	cfg := emulator.DefaultConfig()
	cfg.PasswordCost = 4
	cfg.Logf = func(string, ...any) {}
	emu, err := emulator.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(emu.Handler())
	t.Cleanup(srv.Close)
	c, err := auth.NewClient(auth.Options{URL: srv.URL, APIKey: emu.AnonKey(), ServiceRoleKey: emu.ServiceRoleKey()})
	if err != nil {
		t.Fatal(err)
	}
	return c, srv.URL, emu.AnonKey()
}

func TestExportImportRoundTripAgainstEmulator(t *testing.T) {
	src, _, _ := emulated(t)
	ctx := context.Background()
	im := &Importer{Admin: src.Admin(), Concurrency: 4}
	in := strings.Replace(lines(120), `{"email":"user7@example.com"`, `{"email":"user7@example.com","email_confirm":true,"ban_duration":"48h","app_metadata":{"plan":"pro"}`, 1)
	if sum, err := im.Run(ctx, reader(in)); err != nil || sum.Created != 120 {
		t.Fatalf("%+v %v", sum, err)
	}
	for _, format := range []string{"jsonl", "csv"} {
		var buf bytes.Buffer
		n, err := (&Exporter{Admin: src.Admin(), Format: format, PerPage: 7}).Export(ctx, &buf)
		if err != nil || n != 120 {
			t.Fatalf("%s: %d %v", format, n, err)
		}
		dst, _, _ := emulated(t)
		read := func(fn RowFunc) error { return ReadJSONL(bytes.NewReader(buf.Bytes()), testNow, fn) }
		if format == "csv" {
			read = func(fn RowFunc) error { return ReadCSV(bytes.NewReader(buf.Bytes()), testNow, fn) }
		}
		if sum, err := (&Importer{Admin: dst.Admin(), Concurrency: 4}).Run(ctx, read); err != nil || sum.Created != 120 {
			t.Fatalf("%s: %+v %v", format, sum, err)
		}
		u, err := dst.Admin().GetUserByEmail(ctx, "user7@example.com")
		if err != nil {
			t.Fatal(err)
		}
		orig, _ := src.Admin().GetUserByEmail(ctx, "user7@example.com")
		if u.ID != orig.ID || u.EmailConfirmedAt == "" || u.BannedUntil == "" || u.AppMetadata["plan"] != "pro" || u.UserMetadata["i"] != float64(7) {
			t.Errorf("%s: user7 came back as %+v", format, u)
		}
	}
}

func TestExportIsOldestFirstJSONLines(t *testing.T) {
	c, _, _ := emulated(t)
	ctx := context.Background()
	if _, err := (&Importer{Admin: c.Admin(), Concurrency: 1}).Run(ctx, reader(lines(12))); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := (&Exporter{Admin: c.Admin(), PerPage: 5}).Export(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(&buf)
	for i := 0; sc.Scan(); i++ {
		var u auth.User
		if err := json.Unmarshal(sc.Bytes(), &u); err != nil || u.UserMetadata["i"] != float64(i) {
			t.Fatalf("line %d: %s %v", i+1, sc.Text(), err)
		}
	}
}

func TestFirebaseUsersSignInWithTheirPasswords(t *testing.T) {
	c, url, anon := emulated(t)
	p := bulktest.TestProject
	users := []bulktest.User{
		{LocalID: "fb-1", Email: "ann@example.com", EmailVerified: true, Password: "ann's password"},
		{LocalID: "fb-2", Email: "bob@example.com", EmailVerified: true, Password: "hunter2-bob", Claims: map[string]any{"role": "editor"}},
	}
	hc, err := ParseHashConfig([]byte(p.Config()))
	if err != nil {
		t.Fatal(err)
	}
	read := func(fn RowFunc) error { return ReadFirebase(bytes.NewReader(p.Export(users)), hc, fn) }
	if sum, err := (&Importer{Admin: c.Admin()}).Run(context.Background(), read); err != nil || sum.Created != 2 {
		t.Fatalf("%+v %v", sum, err)
	}
	for _, u := range users {
		user, err := auth.NewClient(auth.Options{URL: url, APIKey: anon})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := user.SignInWithPassword(context.Background(), auth.PasswordCredentials{Email: u.Email, Password: u.Password}); err != nil {
			t.Errorf("%s: %v", u.Email, err)
		}
		if _, err := user.SignInWithPassword(context.Background(), auth.PasswordCredentials{Email: u.Email, Password: u.Password + "x"}); err == nil {
			t.Errorf("%s: a wrong password signed in", u.Email)
		}
	}
}
