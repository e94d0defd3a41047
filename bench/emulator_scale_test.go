package bench

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/authctl/authctl/internal/emulator"
)

// The emulator's cost per request does not grow with the number of users
// (issue 20): users are found through indexes by id, email and phone, and
// a user's identities and factors through indexes by user, never by
// scanning. Each sub-benchmark fills an emulator with N users, then times
// requests that look users up: creating a user (the import's request:
// duplicate check by email and phone, then the answer with identities and
// factors) and updating one by id. ns/op should be about the same for every
// N. The requests go straight to the emulator's handler, so the figures are
// its own cost, not the network's.
//
//	go test -run '^$' -bench EmulatorScale -benchtime 2000x ./bench/
func BenchmarkEmulatorScale(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		srv := filledEmulator(b, n)
		b.Run(fmt.Sprintf("create/users=%d", n), func(b *testing.B) {
			for range b.N {
				i := scaleSeq.Add(1)
				body := fmt.Sprintf(`{"email":"new-%d@example.com","phone":"1666%08d"}`, i, i)
				adminRequest(b, srv, "POST", "/admin/users", body)
			}
		})
		b.Run(fmt.Sprintf("update/users=%d", n), func(b *testing.B) {
			id := adminRequest(b, srv, "POST", "/admin/users", fmt.Sprintf(`{"email":"upd-%d@example.com"}`, scaleSeq.Add(1)))
			for i := range b.N {
				adminRequest(b, srv, "PUT", "/admin/users/"+id, fmt.Sprintf(`{"user_metadata":{"i":%d}}`, i))
			}
		})
	}
}

// scaleSeq makes the emails of the timed requests unique across runs.
var scaleSeq atomic.Int64

// filledEmulator is an emulator holding n users, each with an email and a
// phone.
func filledEmulator(b *testing.B, n int) *emulator.Server {
	b.Helper()
	cfg := emulator.DefaultConfig()
	cfg.Logf = func(string, ...any) {}
	srv, err := emulator.New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	for i := range n {
		adminRequest(b, srv, "POST", "/admin/users", fmt.Sprintf(`{"email":"u%d@example.com","phone":"1555%07d"}`, i, i))
	}
	return srv
}

// adminRequest sends a service-role request to the handler and returns the
// id in the answer.
func adminRequest(b *testing.B, srv *emulator.Server, method, path, body string) string {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+srv.ServiceRoleKey())
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("%s %s: %d %s", method, path, rec.Code, rec.Body)
	}
	out := rec.Body.String()
	_, rest, _ := strings.Cut(out, `"id":"`)
	id, _, _ := strings.Cut(rest, `"`)
	return id
}
