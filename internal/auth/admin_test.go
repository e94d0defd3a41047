package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

const testServiceKey = "service-role-key-0123456789"

// newAdminClient is a test client with the service-role key.
func newAdminClient(t *testing.T, srv *fakeServer) *Client {
	t.Helper()
	return newTestClient(t, srv.URL, func(o *Options) { o.ServiceRoleKey = testServiceKey })
}

// serveStep routes step idx of a transcript on srv: the recorded request's
// method and path answer with the recorded response.
func serveStep(t *testing.T, srv *fakeServer, name string, idx int) step {
	t.Helper()
	st := loadStep(t, name, idx)
	rep, _ := stepReply(t, name, idx, nil)
	srv.on(st.Request.Method, st.Request.Path, rep)
	return st
}

// assertSent checks that the last request for the step's route carried what
// the recorded client sent: query, JSON body (compared as JSON) and the kind
// of bearer token.
func assertSent(t *testing.T, srv *fakeServer, st step) recorded {
	t.Helper()
	calls := srv.calls(st.Request.Method, st.Request.Path)
	if len(calls) == 0 {
		t.Fatalf("no %s %s sent", st.Request.Method, st.Request.Path)
	}
	got := calls[len(calls)-1]
	wantQ := map[string][]string{}
	for k, v := range st.Request.Query {
		wantQ[k] = []string{v}
	}
	gotQ := got.Query
	if gotQ == nil {
		gotQ = map[string][]string{}
	}
	if !reflect.DeepEqual(gotQ, wantQ) {
		t.Errorf("%s %s query = %v, want %v", st.Request.Method, st.Request.Path, gotQ, wantQ)
	}
	var want, have any
	wb := strings.TrimSpace(string(st.Request.Body))
	if wb == "" || wb == "null" {
		if len(got.Body) != 0 {
			t.Errorf("%s %s sent body %s, want none", st.Request.Method, st.Request.Path, got.Body)
		}
	} else {
		_ = json.Unmarshal(st.Request.Body, &want)
		if err := json.Unmarshal(got.Body, &have); err != nil {
			t.Fatalf("%s %s body %q: %v", st.Request.Method, st.Request.Path, got.Body, err)
		}
		if !reflect.DeepEqual(have, want) {
			t.Errorf("%s %s body = %s, want %s", st.Request.Method, st.Request.Path, got.Body, st.Request.Body)
		}
	}
	switch st.Request.Headers["Authorization"] {
	case "Bearer <service_role>":
		if h := got.Header.Get("Authorization"); h != "Bearer "+testServiceKey {
			t.Errorf("Authorization = %q, want the service-role key", h)
		}
	case "Bearer <user_jwt>":
		if h := got.Header.Get("Authorization"); !strings.HasPrefix(h, "Bearer ey") {
			t.Errorf("Authorization = %q, want the user's JWT", h)
		}
	}
	if got.Header.Get("apikey") != testAnonKey {
		t.Errorf("apikey = %q", got.Header.Get("apikey"))
	}
	return got
}

func wantAPIError(t *testing.T, err error, status int, code string) {
	t.Helper()
	var api *APIError
	if !errors.As(err, &api) {
		t.Fatalf("err = %T %v, want *APIError", err, err)
	}
	if api.Status != status || api.Code != code {
		t.Fatalf("err = %d %q (%s), want %d %q", api.Status, api.Code, api.Message, status, code)
	}
}

func TestAD01CreateUser(t *testing.T) {
	srv := newFakeServer(t)
	st := serveStep(t, srv, "admin_create_user", 0)
	c := newAdminClient(t, srv)
	u, err := c.Admin().CreateUser(context.Background(), AdminUserAttributes{
		Email: "rec-5cb6c01b46@example.com", Password: "correct-horse-9", EmailConfirm: Bool(true),
		UserMetadata: map[string]any{"a": 1}, AppMetadata: map[string]any{"tier": "gold"},
	})
	if err != nil {
		t.Fatal(err)
	}
	assertSent(t, srv, st)
	if u.ID != "c611c53b-0433-44dd-a472-044df479499a" || u.Email != "rec-5cb6c01b46@example.com" || u.EmailConfirmedAt == "" {
		t.Fatalf("user = %+v", u)
	}
	if len(u.Identities) != 1 || u.Identities[0].Provider != "email" {
		t.Fatalf("identities = %+v", u.Identities)
	}
	if storedSession(t, c) != nil {
		t.Fatal("an admin call stored a session")
	}
}

func TestAD02CreateUserWithMetadata(t *testing.T) {
	srv := newFakeServer(t)
	serveStep(t, srv, "admin_create_user", 0)
	c := newAdminClient(t, srv)
	u, err := c.Admin().CreateUser(context.Background(), AdminUserAttributes{
		Email: "rec-5cb6c01b46@example.com", Password: "correct-horse-9", EmailConfirm: Bool(true),
		UserMetadata: map[string]any{"a": 1}, AppMetadata: map[string]any{"tier": "gold"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if u.UserMetadata["a"] != float64(1) || u.AppMetadata["tier"] != "gold" || u.AppMetadata.Provider() != "email" {
		t.Fatalf("metadata = %v / %v", u.UserMetadata, u.AppMetadata)
	}
}

func TestAD03CreateUserInvalidEmail(t *testing.T) {
	srv := newFakeServer(t)
	serveStep(t, srv, "admin_create_user_invalid_email", 0)
	c := newAdminClient(t, srv)
	_, err := c.Admin().CreateUser(context.Background(), AdminUserAttributes{Email: "bad"})
	wantAPIError(t, err, 400, "validation_failed")
	if !IsAuthError(err) {
		t.Fatal("not an AuthError")
	}
}

func TestAdminCreateUserAllAttributes(t *testing.T) {
	srv := newFakeServer(t)
	// phone + phone_confirm, as recorded.
	st := serveStep(t, srv, "admin_create_user_phone", 0)
	c := newAdminClient(t, srv)
	u, err := c.Admin().CreateUser(context.Background(), AdminUserAttributes{Phone: "19990883403", PhoneConfirm: Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	assertSent(t, srv, st)
	if u.Phone != "19990883403" || u.PhoneConfirmedAt == "" {
		t.Fatalf("user = %+v", u)
	}

	// password_hash, as recorded.
	srv2 := newFakeServer(t)
	st = serveStep(t, srv2, "admin_create_user_password_hash", 0)
	c2 := newAdminClient(t, srv2)
	if _, err := c2.Admin().CreateUser(context.Background(), AdminUserAttributes{
		Email: "rec-cb4c39ccd9@example.com", PasswordHash: "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", EmailConfirm: Bool(true),
	}); err != nil {
		t.Fatal(err)
	}
	assertSent(t, srv2, st)

	// email_confirm false is sent, not dropped.
	srv3 := newFakeServer(t)
	st = serveStep(t, srv3, "admin_confirm_email", 0)
	c3 := newAdminClient(t, srv3)
	if _, err := c3.Admin().CreateUser(context.Background(), AdminUserAttributes{
		Email: "rec-0e07790a2c@example.com", Password: "correct-horse-9", EmailConfirm: Bool(false),
	}); err != nil {
		t.Fatal(err)
	}
	assertSent(t, srv3, st)

	// Every other attribute reaches the wire under the server's name.
	srv4 := newFakeServer(t)
	srv4.on("POST", "/admin/users", reply{status: 200, body: []byte(`{"id":"u1"}`)})
	c4 := newAdminClient(t, srv4)
	if _, err := c4.Admin().CreateUser(context.Background(), AdminUserAttributes{
		ID: "11111111-2222-3333-4444-555555555555", Email: "x@example.com", BanDuration: "24h", Role: "service_worker",
	}); err != nil {
		t.Fatal(err)
	}
	body := srv4.calls("POST", "/admin/users")[0].jsonBody(t)
	want := map[string]any{"id": "11111111-2222-3333-4444-555555555555", "email": "x@example.com", "ban_duration": "24h", "role": "service_worker"}
	if !reflect.DeepEqual(body, want) {
		t.Fatalf("body = %v, want %v", body, want)
	}
}

func TestAdminWithoutServiceRoleKeyFailsBeforeSending(t *testing.T) {
	srv := newFakeServer(t)
	c := newTestClient(t, srv.URL, nil)
	a := c.Admin()
	ctx := context.Background()
	calls := map[string]func() error{
		"CreateUser":     func() error { _, err := a.CreateUser(ctx, AdminUserAttributes{Email: "x@example.com"}); return err },
		"ListUsers":      func() error { _, err := a.ListUsers(ctx, ListUsersParams{}); return err },
		"ListAllUsers":   func() error { return a.ListAllUsers(ctx, ListUsersParams{}, func(User) error { return nil }) },
		"GetUserByID":    func() error { _, err := a.GetUserByID(ctx, "id"); return err },
		"UpdateUserByID": func() error { _, err := a.UpdateUserByID(ctx, "id", AdminUserAttributes{}); return err },
		"DeleteUser":     func() error { return a.DeleteUser(ctx, "id", false) },
		"Invite":         func() error { _, err := a.InviteUserByEmail(ctx, "x@example.com", InviteOptions{}); return err },
		"GenerateLink": func() error {
			_, err := a.GenerateLink(ctx, GenerateLinkParams{Type: LinkMagicLink, Email: "x@example.com"})
			return err
		},
		"MFA.ListFactors":  func() error { _, err := a.MFA().ListFactors(ctx, "u"); return err },
		"MFA.DeleteFactor": func() error { _, err := a.MFA().DeleteFactor(ctx, "u", "f"); return err },
		"Passkeys.List":    func() error { _, err := a.Passkeys().ListPasskeys(ctx, "u"); return err },
		"Passkeys.Delete":  func() error { return a.Passkeys().DeletePasskey(ctx, "u", "k") },
		"OAuth.ListClients": func() error {
			_, err := a.OAuth().ListClients(ctx, PageParams{})
			return err
		},
		"OAuth.CreateClient": func() error { _, err := a.OAuth().CreateClient(ctx, OAuthClientParams{}); return err },
		"OAuth.Regenerate":   func() error { _, err := a.OAuth().RegenerateClientSecret(ctx, "c"); return err },
	}
	for name, call := range calls {
		err := call()
		if !errors.Is(err, ErrServiceRoleKeyMissing) {
			t.Errorf("%s: err = %v, want ErrServiceRoleKeyMissing", name, err)
		}
	}
	if srv.total() != 0 {
		t.Fatalf("%d requests sent without a service-role key", srv.total())
	}
	mustContain(t, ErrServiceRoleKeyMissing.Error(), "SUPABASE_SERVICE_ROLE_KEY")
}

func TestAdminNotAdminKey(t *testing.T) {
	srv := newFakeServer(t)
	serveStep(t, srv, "admin_create_user_no_auth", 0)
	c := newAdminClient(t, srv)
	_, err := c.Admin().CreateUser(context.Background(), AdminUserAttributes{Email: "rec-31076a5cd1@example.com"})
	wantAPIError(t, err, 403, "not_admin")
	if strings.Contains(err.Error(), testServiceKey) {
		t.Fatal("the key leaked into the error")
	}
}

func TestAD04ListUsers(t *testing.T) {
	srv := newFakeServer(t)
	st := serveStep(t, srv, "admin_list_users_page", 0)
	c := newAdminClient(t, srv)
	page, err := c.Admin().ListUsers(context.Background(), ListUsersParams{Page: 1, PerPage: 2})
	if err != nil {
		t.Fatal(err)
	}
	assertSent(t, srv, st)
	if page.Aud != "authenticated" || len(page.Users) != 2 || page.Users[0].Email != "rec-0e07790a2c@example.com" {
		t.Fatalf("page = %+v", page)
	}
	if page.Total != 4192 || page.NextPage != 2 || page.LastPage != 2096 {
		t.Fatalf("total/next/last = %d/%d/%d, want 4192/2/2096", page.Total, page.NextPage, page.LastPage)
	}
}

func TestAdminListUsersFilterAndSort(t *testing.T) {
	srv := newFakeServer(t)
	st := serveStep(t, srv, "admin_list_users_filter", 0)
	c := newAdminClient(t, srv)
	page, err := c.Admin().ListUsers(context.Background(), ListUsersParams{Filter: "rec-5cb6c01b46"})
	if err != nil {
		t.Fatal(err)
	}
	assertSent(t, srv, st)
	if page.Total != 1 || page.NextPage != 0 || page.LastPage != 1 || len(page.Users) != 1 {
		t.Fatalf("page = %+v", page)
	}

	srv2 := newFakeServer(t)
	srv2.on("GET", "/admin/users", reply{status: 200, body: []byte(`{"users":[],"aud":"authenticated"}`)})
	c2 := newAdminClient(t, srv2)
	page, err = c2.Admin().ListUsers(context.Background(), ListUsersParams{Page: 3, PerPage: 10, Sort: "created_at asc"})
	if err != nil {
		t.Fatal(err)
	}
	q := srv2.calls("GET", "/admin/users")[0].Query
	if q["page"][0] != "3" || q["per_page"][0] != "10" || q["sort"][0] != "created_at asc" {
		t.Fatalf("query = %v", q)
	}
	if page.Users == nil || page.NextPage != 0 || page.Total != 0 {
		t.Fatalf("empty page = %+v", page)
	}
}

func TestAD05ListUsersInvalidPage(t *testing.T) {
	srv := newFakeServer(t)
	serveStep(t, srv, "admin_list_users_bad_page", 1)
	c := newAdminClient(t, srv)
	_, err := c.Admin().ListUsers(context.Background(), ListUsersParams{Page: 1, PerPage: -1})
	wantAPIError(t, err, 400, "validation_failed")
	mustContain(t, err.Error(), "Bad Pagination Parameters")
	if got := srv.calls("GET", "/admin/users")[0].Query["per_page"]; got != nil {
		t.Fatalf("negative per_page sent: %v", got)
	}

	// The recorded answer to per_page=-1, served for any request.
	srv2 := newFakeServer(t)
	serveStep(t, srv2, "admin_list_users_per_page_zero", 0)
	c2 := newAdminClient(t, srv2)
	if _, err := c2.Admin().ListUsers(context.Background(), ListUsersParams{Page: 1, PerPage: 1}); err == nil {
		t.Fatal("want an error for the recorded per_page=0 failure")
	}
}

func TestParseLinkHeaderMultiDigitPages(t *testing.T) {
	cases := []struct {
		link       string
		next, last int
	}{
		{`</admin/users?page=10&per_page=50>; rel="next", </admin/users?page=39&per_page=50>; rel="last"`, 10, 39},
		{`</admin/users?page=39&per_page=50>; rel="last", </admin/users?page=10&per_page=50>; rel="next"`, 10, 39},
		{`</admin/users?per_page=2&page=2096>; rel=last`, 0, 2096},
		{`<https://ref.supabase.co/auth/v1/admin/users?page=123&per_page=1>;rel="next"`, 123, 0},
		{`</admin/users?filter=a,b&page=11>; rel="next", </admin/users?filter=a,b&page=12>; rel="last"`, 11, 12},
		{`</admin/users?page=7>; rel="next last"`, 7, 7},
		{`</admin/users?page=abc>; rel="next"`, 0, 0},
		{`garbage`, 0, 0},
		{``, 0, 0},
	}
	for _, tc := range cases {
		h := http.Header{}
		if tc.link != "" {
			h.Set("Link", tc.link)
		}
		next, last := LinkPages(h)
		if next != tc.next || last != tc.last {
			t.Errorf("LinkPages(%q) = %d, %d, want %d, %d", tc.link, next, last, tc.next, tc.last)
		}
	}
	got := ParseLinkHeader(`</a?x=1>; rel="next"; title="a, <b>", </c>; rel="last"`)
	if len(got) != 2 || got[0].URL != "/a?x=1" || got[0].Rels[0] != "next" || got[1].URL != "/c" {
		t.Fatalf("ParseLinkHeader = %+v", got)
	}
}

// pagedUsers serves total users, perPage a page, with Link and X-Total-Count
// as the server writes them, and records which pages were asked for.
func pagedUsers(t *testing.T, srv *fakeServer, total, perPage int) *[]int {
	asked := &[]int{}
	last := (total + perPage - 1) / perPage
	srv.on("GET", "/admin/users", reply{handler: func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		pp, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
		if pp != perPage {
			t.Errorf("per_page = %d, want %d", pp, perPage)
		}
		*asked = append(*asked, page)
		var users []string
		for i := (page - 1) * perPage; i < min(page*perPage, total); i++ {
			users = append(users, fmt.Sprintf(`{"id":"u%d","aud":"authenticated","email":"u%d@example.com"}`, i, i))
		}
		links := []string{}
		if page < last {
			links = append(links, fmt.Sprintf(`</admin/users?page=%d&per_page=%d>; rel="next"`, page+1, perPage))
		}
		links = append(links, fmt.Sprintf(`</admin/users?page=%d&per_page=%d>; rel="last"`, last, perPage))
		w.Header().Set("Link", strings.Join(links, ", "))
		w.Header().Set("X-Total-Count", strconv.Itoa(total))
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"users":[%s],"aud":"authenticated"}`, strings.Join(users, ","))
	}})
	return asked
}

func TestListAllUsersFollowsNextPastPageNine(t *testing.T) {
	srv := newFakeServer(t)
	asked := pagedUsers(t, srv, 23, 2) // 12 pages
	c := newAdminClient(t, srv)
	var ids []string
	err := c.Admin().ListAllUsers(context.Background(), ListUsersParams{PerPage: 2}, func(u User) error {
		ids = append(ids, u.ID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 23 || ids[0] != "u0" || ids[22] != "u22" {
		t.Fatalf("got %d users: %v", len(ids), ids)
	}
	want := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	if !reflect.DeepEqual(*asked, want) {
		t.Fatalf("pages asked = %v, want %v", *asked, want)
	}
}

func TestListAllUsersRawPassesTheServersObjectsThrough(t *testing.T) {
	srv := newFakeServer(t)
	asked := pagedUsers(t, srv, 23, 2)
	c := newAdminClient(t, srv)
	var kept []json.RawMessage // kept as given: pages share one read buffer, users must not
	err := c.Admin().ListAllUsersRaw(context.Background(), ListUsersParams{PerPage: 2}, func(u json.RawMessage) error {
		kept = append(kept, u)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range kept {
		got = append(got, string(u))
	}
	if got[0] != `{"id":"u0","aud":"authenticated","email":"u0@example.com"}` {
		t.Fatalf("first user overwritten: %s", got[0])
	}
	// Byte for byte as served, past page 9.
	if len(got) != 23 || got[22] != `{"id":"u22","aud":"authenticated","email":"u22@example.com"}` || len(*asked) != 12 {
		t.Fatalf("got %d users (last %s), pages %v", len(got), got[len(got)-1], *asked)
	}
}

func TestListAllUsersStopsOnCallbackError(t *testing.T) {
	srv := newFakeServer(t)
	asked := pagedUsers(t, srv, 10, 3)
	c := newAdminClient(t, srv)
	stop := errors.New("enough")
	n := 0
	err := c.Admin().ListAllUsers(context.Background(), ListUsersParams{PerPage: 3}, func(User) error {
		n++
		if n == 4 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 4 || len(*asked) != 2 {
		t.Fatalf("err=%v n=%d pages=%v", err, n, *asked)
	}
}

func TestUsersIterator(t *testing.T) {
	srv := newFakeServer(t)
	asked := pagedUsers(t, srv, 7, 2)
	c := newAdminClient(t, srv)
	var got []string
	for u, err := range c.Admin().Users(context.Background(), ListUsersParams{PerPage: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, u.ID)
		if len(got) == 3 {
			break
		}
	}
	if len(got) != 3 || len(*asked) != 2 {
		t.Fatalf("got %v after pages %v", got, *asked)
	}

	// An error is yielded once.
	srv2 := newFakeServer(t)
	serveStep(t, srv2, "admin_list_users_bad_page", 0)
	c2 := newAdminClient(t, srv2)
	var errs int
	for _, err := range c2.Admin().Users(context.Background(), ListUsersParams{}) {
		if err != nil {
			errs++
		}
	}
	if errs != 1 {
		t.Fatalf("%d errors yielded", errs)
	}
}

func TestListAllUsersRefusesBackwardsNext(t *testing.T) {
	srv := newFakeServer(t)
	srv.on("GET", "/admin/users", reply{status: 200,
		headers: map[string]string{"Link": `</admin/users?page=1&per_page=1>; rel="next"`},
		body:    []byte(`{"users":[{"id":"a"}],"aud":"authenticated"}`)})
	c := newAdminClient(t, srv)
	err := c.Admin().ListAllUsers(context.Background(), ListUsersParams{PerPage: 1}, func(User) error { return nil })
	if err == nil || srv.total() != 1 {
		t.Fatalf("err=%v requests=%d", err, srv.total())
	}
}

func TestAD06GetUserByID(t *testing.T) {
	srv := newFakeServer(t)
	st := serveStep(t, srv, "admin_get_user", 0)
	c := newAdminClient(t, srv)
	u, err := c.Admin().GetUserByID(context.Background(), "c611c53b-0433-44dd-a472-044df479499a")
	if err != nil {
		t.Fatal(err)
	}
	assertSent(t, srv, st)
	if u.ID != "c611c53b-0433-44dd-a472-044df479499a" {
		t.Fatalf("user = %+v", u)
	}
}

func TestAD07GetUserByIDInvalid(t *testing.T) {
	srv := newFakeServer(t)
	serveStep(t, srv, "admin_get_user_invalid_id", 0)
	serveStep(t, srv, "admin_get_user_not_found", 0)
	c := newAdminClient(t, srv)
	_, err := c.Admin().GetUserByID(context.Background(), "not-a-uuid")
	wantAPIError(t, err, 404, "validation_failed")
	_, err = c.Admin().GetUserByID(context.Background(), "6450d41f-eea0-4f56-8423-d64ecdf957b1")
	wantAPIError(t, err, 404, "user_not_found")
	if _, err := c.Admin().GetUserByID(context.Background(), ""); err == nil {
		t.Fatal("empty id accepted")
	}
}

func TestAD08UpdateUserByID(t *testing.T) {
	srv := newFakeServer(t)
	st := serveStep(t, srv, "admin_update_user", 0)
	c := newAdminClient(t, srv)
	u, err := c.Admin().UpdateUserByID(context.Background(), "c611c53b-0433-44dd-a472-044df479499a", AdminUserAttributes{
		UserMetadata: map[string]any{"b": 2}, AppMetadata: map[string]any{"roles": []string{"x"}}, BanDuration: "24h",
	})
	if err != nil {
		t.Fatal(err)
	}
	assertSent(t, srv, st)
	if u.UserMetadata["b"] != float64(2) || u.UserMetadata["a"] != float64(1) {
		t.Fatalf("metadata = %v", u.UserMetadata)
	}

	srv2 := newFakeServer(t)
	serveStep(t, srv2, "admin_update_user_bad_ban", 0)
	c2 := newAdminClient(t, srv2)
	_, err = c2.Admin().UpdateUserByID(context.Background(), "c611c53b-0433-44dd-a472-044df479499a", AdminUserAttributes{BanDuration: "forever"})
	wantAPIError(t, err, 400, "validation_failed")
}

func TestAD09UpdateUserByIDConfirmsEmail(t *testing.T) {
	srv := newFakeServer(t)
	before, _ := stepReply(t, "admin_confirm_email", 0, nil)
	srv.on("POST", "/admin/users", before)
	st := serveStep(t, srv, "admin_confirm_email", 2)
	c := newAdminClient(t, srv)
	u, err := c.Admin().CreateUser(context.Background(), AdminUserAttributes{Email: "rec-0e07790a2c@example.com", Password: "correct-horse-9", EmailConfirm: Bool(false)})
	if err != nil {
		t.Fatal(err)
	}
	if u.EmailConfirmedAt != "" {
		t.Fatalf("confirmed before: %q", u.EmailConfirmedAt)
	}
	u, err = c.Admin().UpdateUserByID(context.Background(), u.ID, AdminUserAttributes{EmailConfirm: Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	assertSent(t, srv, st)
	if u.EmailConfirmedAt == "" {
		t.Fatal("email_confirmed_at still empty")
	}
}

func TestAD10DeleteUser(t *testing.T) {
	srv := newFakeServer(t)
	st := serveStep(t, srv, "admin_delete_user", 0)
	c := newAdminClient(t, srv)
	if err := c.Admin().DeleteUser(context.Background(), "c611c53b-0433-44dd-a472-044df479499a", false); err != nil {
		t.Fatal(err)
	}
	assertSent(t, srv, st)

	srv2 := newFakeServer(t)
	st = serveStep(t, srv2, "admin_delete_user_soft", 0)
	c2 := newAdminClient(t, srv2)
	if err := c2.Admin().DeleteUser(context.Background(), "1359e7f3-7a60-4c6c-a651-2b5ef6677d4f", true); err != nil {
		t.Fatal(err)
	}
	assertSent(t, srv2, st)
}

func TestAD11DeleteUserInvalidID(t *testing.T) {
	srv := newFakeServer(t)
	serveStep(t, srv, "admin_delete_user", 1)
	c := newAdminClient(t, srv)
	err := c.Admin().DeleteUser(context.Background(), "c611c53b-0433-44dd-a472-044df479499a", false)
	wantAPIError(t, err, 404, "user_not_found")
	if err := c.Admin().DeleteUser(context.Background(), "", false); err == nil {
		t.Fatal("empty id accepted")
	}
}

func TestAD12GenerateLink(t *testing.T) {
	type call struct {
		idx int
		p   GenerateLinkParams
	}
	redirect := "http://127.0.0.1:3000/welcome"
	calls := []call{
		{0, GenerateLinkParams{Type: LinkSignup, Email: "rec-b9752e90a0@example.com", Password: "correct-horse-9", Data: map[string]any{"src": "link"}, RedirectTo: redirect}},
		{1, GenerateLinkParams{Type: LinkInvite, Email: "rec-16f58128ab@example.com", Data: map[string]any{"team": "x"}, RedirectTo: redirect}},
		{2, GenerateLinkParams{Type: LinkMagicLink, Email: "rec-74fac17936@example.com", RedirectTo: redirect}},
		{3, GenerateLinkParams{Type: LinkRecovery, Email: "rec-74fac17936@example.com", RedirectTo: redirect}},
		{5, GenerateLinkParams{Type: LinkEmailChangeNew, Email: "rec-74fac17936@example.com", NewEmail: "rec-d23e58b758@example.com", RedirectTo: redirect}},
	}
	for _, tc := range calls {
		t.Run(string(tc.p.Type), func(t *testing.T) {
			srv := newFakeServer(t)
			st := serveStep(t, srv, "admin_generate_link_types", tc.idx)
			c := newAdminClient(t, srv)
			res, err := c.Admin().GenerateLink(context.Background(), tc.p)
			if err != nil {
				t.Fatal(err)
			}
			assertSent(t, srv, st)
			var want map[string]any
			_ = json.Unmarshal(st.Response.Body, &want)
			p := res.Properties
			if p.ActionLink != want["action_link"] || p.EmailOTP != want["email_otp"] || p.HashedToken != want["hashed_token"] ||
				p.VerificationType != string(tc.p.Type) || p.RedirectTo != redirect {
				t.Fatalf("properties = %+v", p)
			}
			if p.ActionLink == "" || p.EmailOTP == "" || p.HashedToken == "" {
				t.Fatalf("empty properties %+v", p)
			}
			if res.User.ID != want["id"] || res.User.Email != want["email"] || res.User.ActionLink != "" {
				t.Fatalf("user = %+v", res.User)
			}
		})
	}

	t.Run("email_change_current", func(t *testing.T) {
		srv := newFakeServer(t)
		st := serveStep(t, srv, "admin_generate_link_types", 4)
		c := newAdminClient(t, srv)
		_, err := c.Admin().GenerateLink(context.Background(), GenerateLinkParams{Type: LinkEmailChangeCurrent, Email: "rec-74fac17936@example.com", NewEmail: "rec-8c8c2961b7@example.com", RedirectTo: redirect})
		assertSent(t, srv, st)
		wantAPIError(t, err, 400, "validation_failed")
	})

	t.Run("errors", func(t *testing.T) {
		srv := newFakeServer(t)
		serveStep(t, srv, "admin_generate_link_errors", 1)
		c := newAdminClient(t, srv)
		_, err := c.Admin().GenerateLink(context.Background(), GenerateLinkParams{Type: LinkSignup, Email: "rec-249f81eb1f@example.com"})
		wantAPIError(t, err, 400, "validation_failed")
		if _, err := c.Admin().GenerateLink(context.Background(), GenerateLinkParams{Email: "a@example.com"}); err == nil {
			t.Fatal("no type accepted")
		}
		if _, err := c.Admin().GenerateLink(context.Background(), GenerateLinkParams{Type: LinkMagicLink}); err == nil {
			t.Fatal("no email accepted")
		}
	})
}

func TestAD13InviteUserByEmail(t *testing.T) {
	srv := newFakeServer(t)
	st := serveStep(t, srv, "admin_invite", 0)
	c := newAdminClient(t, srv)
	u, err := c.Admin().InviteUserByEmail(context.Background(), "rec-ea3fb21d0f@example.com", InviteOptions{Data: map[string]any{"team": "x"}})
	if err != nil {
		t.Fatal(err)
	}
	assertSent(t, srv, st)
	if u.Email != "rec-ea3fb21d0f@example.com" || u.InvitedAt == "" || u.UserMetadata["team"] != "x" {
		t.Fatalf("user = %+v", u)
	}

	srv2 := newFakeServer(t)
	serveStep(t, srv2, "admin_invite_existing", 0)
	c2 := newAdminClient(t, srv2)
	_, err = c2.Admin().InviteUserByEmail(context.Background(), "rec-5cb6c01b46@example.com", InviteOptions{RedirectTo: "http://127.0.0.1:3000/x"})
	wantAPIError(t, err, 422, "email_exists")
	if q := srv2.calls("POST", "/invite")[0].Query["redirect_to"]; len(q) != 1 || q[0] != "http://127.0.0.1:3000/x" {
		t.Fatalf("redirect_to = %v", q)
	}
}

func TestAdminSignOut(t *testing.T) {
	srv := newFakeServer(t)
	first, _ := stepReply(t, "admin_signout", 0, nil)
	second, _ := stepReply(t, "admin_signout", 1, nil)
	srv.on("POST", "/logout", first, second)
	st := loadStep(t, "admin_signout", 0)
	c := newTestClient(t, srv.URL, nil) // no service-role key needed
	jwt := makeJWT(t, map[string]any{"sub": "u", "exp": testNow.Unix() + 3600, "session_id": "s"})
	if err := c.Admin().SignOut(context.Background(), jwt, ""); err != nil {
		t.Fatal(err)
	}
	got := assertSent(t, srv, st)
	if got.Header.Get("Authorization") != "Bearer "+jwt {
		t.Fatal("the user's JWT was not the bearer")
	}
	err := c.Admin().SignOut(context.Background(), jwt, SignOutGlobal)
	if !IsAuthSessionMissingError(err) || ErrorCode(err) != "session_not_found" {
		t.Fatalf("second sign-out: %v", err)
	}
	if err := c.Admin().SignOut(context.Background(), jwt, "everything"); err == nil {
		t.Fatal("bad scope accepted")
	}
	if err := c.Admin().SignOut(context.Background(), "", ""); err == nil {
		t.Fatal("empty jwt accepted")
	}
	if srv.total() != 2 {
		t.Fatalf("%d requests", srv.total())
	}
}

func TestAdminMFAFactors(t *testing.T) {
	srv := newFakeServer(t)
	stList := serveStep(t, srv, "mfa_admin_list_factors", 0)
	stPut := serveStep(t, srv, "mfa_admin_update_factor", 0)
	del0, _ := stepReply(t, "mfa_admin_delete_factor", 0, nil)
	del1, _ := stepReply(t, "mfa_admin_delete_factor", 1, nil)
	stDel := loadStep(t, "mfa_admin_delete_factor", 0)
	srv.on(stDel.Request.Method, stDel.Request.Path, del0, del1)
	c := newAdminClient(t, srv)
	ctx := context.Background()
	const uid, fid = "933d1d1e-36aa-4b60-afb4-b8c8c7173a8f", "d7b526a2-3382-46de-b634-470aa41e45cb"

	fs, err := c.Admin().MFA().ListFactors(ctx, uid)
	if err != nil {
		t.Fatal(err)
	}
	assertSent(t, srv, stList)
	if len(fs) != 2 || fs[0].FactorType != FactorTypePhone || fs[0].Status != FactorUnverified || fs[1].Status != FactorVerified {
		t.Fatalf("factors = %+v", fs)
	}
	f, err := c.Admin().MFA().UpdateFactor(ctx, uid, fid, "work phone")
	if err != nil {
		t.Fatal(err)
	}
	assertSent(t, srv, stPut)
	if f.FriendlyName != "work phone" {
		t.Fatalf("factor = %+v", f)
	}
	f, err = c.Admin().MFA().DeleteFactor(ctx, uid, fid)
	if err != nil {
		t.Fatal(err)
	}
	assertSent(t, srv, stDel)
	if f.ID != fid {
		t.Fatalf("deleted = %+v", f)
	}
	_, err = c.Admin().MFA().DeleteFactor(ctx, uid, fid)
	wantAPIError(t, err, 404, "mfa_factor_not_found")
}

func TestAdminOAuthClients(t *testing.T) {
	const name = "admin_oauth_clients"
	const id = "dbecff9f-6fc8-47b9-8a55-938fe64a94b3"
	srv := newFakeServer(t)
	var steps []step
	for i := range 7 {
		st := loadStep(t, name, i)
		rep, _ := stepReply(t, name, i, nil)
		srv.on(st.Request.Method, st.Request.Path, rep)
		steps = append(steps, st)
	}
	c := newAdminClient(t, srv)
	o := c.Admin().OAuth()
	ctx := context.Background()

	created, err := o.CreateClient(ctx, OAuthClientParams{ClientName: "cli-test", RedirectURIs: []string{"http://127.0.0.1:8080/cb"}})
	if err != nil {
		t.Fatal(err)
	}
	assertSent(t, srv, steps[0])
	if created.ClientID != id || created.ClientSecret == "" || created.ClientType != "confidential" || created.TokenEndpointAuthMethod != "client_secret_basic" {
		t.Fatalf("created = %+v", created)
	}

	list, err := o.ListClients(ctx, PageParams{})
	if err != nil {
		t.Fatal(err)
	}
	assertSent(t, srv, steps[1])
	if len(list.Clients) != 13 || list.Clients[0].ClientID != id || list.Clients[0].ClientSecret != "" || list.Total != 13 {
		t.Fatalf("list = %d clients, total %d", len(list.Clients), list.Total)
	}

	got, err := o.GetClient(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	assertSent(t, srv, steps[2])
	if got.ClientName != "cli-test" || got.RegistrationType != "manual" {
		t.Fatalf("get = %+v", got)
	}

	upd, err := o.UpdateClient(ctx, id, OAuthClientParams{ClientName: "cli-test-2", RedirectURIs: []string{"http://127.0.0.1:8080/cb", "http://localhost:8080/cb"}})
	if err != nil {
		t.Fatal(err)
	}
	assertSent(t, srv, steps[3])
	if upd.ClientName != "cli-test-2" || len(upd.RedirectURIs) != 2 {
		t.Fatalf("update = %+v", upd)
	}

	regen, err := o.RegenerateClientSecret(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	assertSent(t, srv, steps[4])
	if regen.ClientSecret == "" || regen.ClientSecret == created.ClientSecret {
		t.Fatalf("regenerated secret = %q", regen.ClientSecret)
	}

	if err := o.DeleteClient(ctx, id); err != nil {
		t.Fatal(err)
	}
	assertSent(t, srv, steps[5])

	_, err = o.GetClient(ctx, id)
	wantAPIError(t, err, 404, "oauth_client_not_found")
}

func TestAdminOAuthClientErrors(t *testing.T) {
	srv := newFakeServer(t)
	st := serveStep(t, srv, "admin_oauth_clients_errors", 0)
	c := newAdminClient(t, srv)
	_, err := c.Admin().OAuth().CreateClient(context.Background(), OAuthClientParams{ClientName: "x"})
	assertSent(t, srv, st)
	wantAPIError(t, err, 400, "validation_failed")

	srv2 := newFakeServer(t)
	srv2.on("GET", "/admin/oauth/clients", reply{status: 200,
		headers: map[string]string{"X-Total-Count": "250", "Link": `</admin/oauth/clients?page=11&per_page=10>; rel="next", </admin/oauth/clients?page=25&per_page=10>; rel="last"`},
		body:    []byte(`{"clients":[],"aud":"authenticated"}`)})
	c2 := newAdminClient(t, srv2)
	list, err := c2.Admin().OAuth().ListClients(context.Background(), PageParams{Page: 10, PerPage: 10})
	if err != nil {
		t.Fatal(err)
	}
	if list.Total != 250 || list.NextPage != 11 || list.LastPage != 25 {
		t.Fatalf("list = %+v", list)
	}
	q := srv2.calls("GET", "/admin/oauth/clients")[0].Query
	if q["page"][0] != "10" || q["per_page"][0] != "10" {
		t.Fatalf("query = %v", q)
	}
}

func TestAdminServiceKeyAsAPIKeyWhenNoAnonKey(t *testing.T) {
	srv := newFakeServer(t)
	srv.on("GET", "/admin/users/u1", reply{status: 200, body: []byte(`{"id":"u1"}`)})
	c := newTestClient(t, srv.URL, func(o *Options) { o.APIKey = ""; o.ServiceRoleKey = testServiceKey })
	if _, err := c.Admin().GetUserByID(context.Background(), "u1"); err != nil {
		t.Fatal(err)
	}
	h := srv.calls("GET", "/admin/users/u1")[0].Header
	if h.Get("apikey") != testServiceKey || h.Get("Authorization") != "Bearer "+testServiceKey {
		t.Fatalf("apikey=%q authorization=%q", h.Get("apikey"), h.Get("Authorization"))
	}
}

func TestAdminGetUserByEmail(t *testing.T) {
	srv := newFakeServer(t)
	srv.on("GET", "/admin/users", reply{handler: func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("filter") == "" {
			t.Errorf("no filter sent: %v", r.URL.Query())
		}
		switch r.URL.Query().Get("page") {
		case "1":
			w.Header().Set("Link", `</admin/users?page=2&per_page=100>; rel="next", </admin/users?page=2&per_page=100>; rel="last"`)
			fmt.Fprint(w, `{"users":[{"id":"a","email":"ann@example.com.au"}],"aud":"authenticated"}`)
		default:
			w.Header().Set("Link", `</admin/users?page=2&per_page=100>; rel="last"`)
			fmt.Fprint(w, `{"users":[{"id":"b","email":"Ann@Example.com"}],"aud":"authenticated"}`)
		}
	}})
	c := newAdminClient(t, srv)
	u, err := c.Admin().GetUserByEmail(context.Background(), "ann@example.com")
	if err != nil || u.ID != "b" {
		t.Fatalf("u=%+v err=%v", u, err)
	}
	_, err = c.Admin().GetUserByEmail(context.Background(), "nobody@example.com")
	wantAPIError(t, err, 404, "user_not_found")
}

func TestListAllUsersStopsWhenContextEnds(t *testing.T) {
	srv := newFakeServer(t)
	asked := pagedUsers(t, srv, 20, 2)
	c := newAdminClient(t, srv)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	err := c.Admin().ListAllUsers(ctx, ListUsersParams{PerPage: 2}, func(User) error {
		n++
		if n == 3 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || len(*asked) != 2 || n != 4 {
		t.Fatalf("err=%v pages=%v n=%d", err, *asked, n)
	}
}

// GetUserRaw passes the server's object on without copying it, but still
// refuses a body that is not JSON, even one that starts like an object.
func TestGetUserRawChecksTheJSON(t *testing.T) {
	srv := newFakeServer(t)
	srv.on("GET", "/admin/users/u1", reply{status: 200, body: []byte(" {\"id\":\"u1\",\"email\":\"a@b.c\"}\n")})
	srv.on("GET", "/admin/users/u2", reply{status: 200, body: []byte(`{"id":"u2",`)})
	c := newAdminClient(t, srv)
	u, err := c.Admin().GetUserRaw(context.Background(), "u1")
	if err != nil || string(u) != `{"id":"u1","email":"a@b.c"}` {
		t.Fatalf("got %q, %v", u, err)
	}
	u, err = c.Admin().GetUserRaw(context.Background(), "u2")
	var ue *UnknownError
	if !errors.As(err, &ue) || u != nil {
		t.Fatalf("a cut object: got %q, %v", u, err)
	}
}
