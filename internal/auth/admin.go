package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strings"
)

// AdminAPI is the spec's admin namespace (§7): user management with the
// service-role key. Get it with Client.Admin(). Every method except SignOut
// needs Options.ServiceRoleKey and fails with ErrServiceRoleKeyMissing, before
// any request, when it is empty. Admin calls never read or change the stored
// session.
type AdminAPI struct{ c *Client }

// Admin returns the admin namespace of c.
func (c *Client) Admin() *AdminAPI { return &AdminAPI{c: c} }

// ErrServiceRoleKeyMissing is returned by admin methods when the client has no
// Options.ServiceRoleKey: nothing was sent. Test with errors.Is.
var ErrServiceRoleKeyMissing = &AuthError{
	Name:    NameAuthError,
	Message: "admin operations need the service-role key (SUPABASE_SERVICE_ROLE_KEY or SUPABASE_SECRET_KEY); none is configured",
}

// adminListMaxBytes bounds one page of an admin list: a page of 1000 users
// with identities is well over the default cap, and still bounded.
const adminListMaxBytes = 64 << 20

// do sends an admin request with the service-role key as the bearer token.
func (a *AdminAPI) do(ctx context.Context, req Request, out any) (*Response, error) {
	if a.c.opts.ServiceRoleKey == "" {
		return nil, ErrServiceRoleKeyMissing
	}
	req.Token = a.c.opts.ServiceRoleKey
	if a.c.opts.APIKey == "" {
		// A CI job may configure only the service-role key; an API gateway
		// (hosted Supabase) still wants an apikey header, and the service-role
		// key is one.
		req.Header = http.Header{"Apikey": {a.c.opts.ServiceRoleKey}}
	}
	return a.c.Do(ctx, req, out)
}

func userPath(id string) string { return "/admin/users/" + url.PathEscape(id) }

func requireID(what, id string) error {
	if id == "" {
		return errInvalidCredentials("You must provide " + what)
	}
	return nil
}

// CreateUser creates a user (§7.1): POST /admin/users. No email is sent;
// EmailConfirm/PhoneConfirm decide whether the address counts as confirmed.
func (a *AdminAPI) CreateUser(ctx context.Context, attrs AdminUserAttributes) (*User, error) {
	var u User
	if _, err := a.do(ctx, Request{Method: "POST", Path: "/admin/users", Body: attrs}, &u); err != nil {
		return nil, err
	}
	return &u, nil
}

// ListUsers returns one page of users (§7.2): GET /admin/users with page,
// per_page, filter and sort. The page numbers of the Link header are read
// as URLs, so pages past 9 work.
func (a *AdminAPI) ListUsers(ctx context.Context, p ListUsersParams) (*UserList, error) {
	page, err := listUserPage[User](ctx, a, p, nil)
	if err != nil {
		return nil, err
	}
	return &UserList{Users: page.Users, Aud: page.Aud, Total: page.total, NextPage: page.next, LastPage: page.last}, nil
}

// ListAllUsers calls fn for every user, fetching page after page as the Link
// header's rel="next" says (starting at p.Page, default 1), so only one page
// is held in memory at a time. It stops at the last page, at the first error
// of the server or of fn (returned as is), or when ctx ends. A server that
// points rel="next" backwards or at the same page is an error rather than a
// loop. Users created or deleted meanwhile may shift pages: this is offset
// pagination, as the server offers it.
func (a *AdminAPI) ListAllUsers(ctx context.Context, p ListUsersParams, fn func(User) error) error {
	return eachUser(ctx, a, p, fn)
}

// ListAllUsersRaw is ListAllUsers handing over each user as the server sent
// it: every field, none decoded. Listing and exporting as JSON pass users
// through this way, at the CPU cost of splitting the page, not of decoding
// and re-encoding thousands of objects.
func (a *AdminAPI) ListAllUsersRaw(ctx context.Context, p ListUsersParams, fn func(json.RawMessage) error) error {
	return eachUser(ctx, a, p, fn)
}

// userPage is one page of GET /admin/users, its users decoded as T: User for
// callers that read fields, json.RawMessage for callers that pass them on.
type userPage[T any] struct {
	Users             []T    `json:"users"`
	Aud               string `json:"aud"`
	total, next, last int
}

// listUserPage reads the page into buf when given (see Request.Into).
func listUserPage[T any](ctx context.Context, a *AdminAPI, p ListUsersParams, buf *bytes.Buffer) (*userPage[T], error) {
	q := pageQuery(p.Page, p.PerPage)
	if p.Filter != "" {
		q.Set("filter", p.Filter)
	}
	if p.Sort != "" {
		q.Set("sort", p.Sort)
	}
	var out userPage[T]
	resp, err := a.do(ctx, Request{Method: "GET", Path: "/admin/users", Query: q, MaxResponseBytes: adminListMaxBytes, Into: buf}, &out)
	if err != nil {
		return nil, err
	}
	if out.Users == nil {
		out.Users = []T{}
	}
	out.total = totalCount(resp.Header)
	out.next, out.last = LinkPages(resp.Header)
	return &out, nil
}

func eachUser[T any](ctx context.Context, a *AdminAPI, p ListUsersParams, fn func(T) error) error {
	if p.Page <= 0 {
		p.Page = 1
	}
	// Every page is read into the same buffer: decoding copies the users
	// out, and a fresh buffer grown to a page's size each time was most of
	// a listing's garbage.
	var buf bytes.Buffer
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		page, err := listUserPage[T](ctx, a, p, &buf)
		if err != nil {
			return err
		}
		for _, u := range page.Users {
			if err := fn(u); err != nil {
				return err
			}
		}
		if page.next == 0 || len(page.Users) == 0 {
			return nil
		}
		if page.next <= p.Page {
			return fmt.Errorf("auth: listing users: the server's next page (%d) does not follow page %d", page.next, p.Page)
		}
		p.Page = page.next
	}
}

// errStopIteration ends ListAllUsers when a range loop over Users breaks.
var errStopIteration = errors.New("auth: iteration stopped")

// Users is ListAllUsers as a range-over-func iterator:
//
//	for u, err := range client.Admin().Users(ctx, auth.ListUsersParams{PerPage: 500}) {
//		if err != nil { return err }
//		...
//	}
//
// An error is yielded once, with a zero User, and ends the iteration.
func (a *AdminAPI) Users(ctx context.Context, p ListUsersParams) iter.Seq2[User, error] {
	return func(yield func(User, error) bool) {
		err := a.ListAllUsers(ctx, p, func(u User) error {
			if !yield(u, nil) {
				return errStopIteration
			}
			return nil
		})
		if err != nil && !errors.Is(err, errStopIteration) {
			yield(User{}, err)
		}
	}
}

// GetUserByEmail finds the user whose email is email (case-insensitive). The
// server has no lookup by email: this lists users with the email as filter
// and pages until an exact match, so a shared prefix never returns the wrong
// user. No such user → *APIError with Status 404 and Code "user_not_found",
// as GetUserByID answers for an unknown id.
func (a *AdminAPI) GetUserByEmail(ctx context.Context, email string) (*User, error) {
	if email == "" {
		return nil, errInvalidCredentials("You must provide an email")
	}
	// The server stores emails lower-cased and its filter is case-sensitive.
	var found *User
	err := a.ListAllUsers(ctx, ListUsersParams{Filter: strings.ToLower(email), PerPage: 100}, func(u User) error {
		if strings.EqualFold(u.Email, email) {
			found = &u
			return errStopIteration
		}
		return nil
	})
	if err != nil && !errors.Is(err, errStopIteration) {
		return nil, err
	}
	if found == nil {
		return nil, &APIError{AuthError{Name: NameAPIError, Status: http.StatusNotFound, Code: "user_not_found", Message: "User not found"}}
	}
	return found, nil
}

// GetUserByID fetches a user (§7.3): GET /admin/users/{id}.
func (a *AdminAPI) GetUserByID(ctx context.Context, id string) (*User, error) {
	if err := requireID("a user id", id); err != nil {
		return nil, err
	}
	var u User
	if _, err := a.do(ctx, Request{Method: "GET", Path: userPath(id)}, &u); err != nil {
		return nil, err
	}
	return &u, nil
}

// GetUserRaw is GetUserByID handing over the user as the server sent it:
// every field, identities and factors included, which the listing of
// GET /admin/users leaves out.
func (a *AdminAPI) GetUserRaw(ctx context.Context, id string) (json.RawMessage, error) {
	if err := requireID("a user id", id); err != nil {
		return nil, err
	}
	var u json.RawMessage
	if _, err := a.do(ctx, Request{Method: "GET", Path: userPath(id)}, &u); err != nil {
		return nil, err
	}
	return u, nil
}

// UpdateUserByID changes a user (§7.4): PUT /admin/users/{id}. Metadata maps
// are merged by the server; BanDuration "none" lifts a ban.
func (a *AdminAPI) UpdateUserByID(ctx context.Context, id string, attrs AdminUserAttributes) (*User, error) {
	if err := requireID("a user id", id); err != nil {
		return nil, err
	}
	var u User
	if _, err := a.do(ctx, Request{Method: "PUT", Path: userPath(id), Body: attrs}, &u); err != nil {
		return nil, err
	}
	return &u, nil
}

// DeleteUser deletes a user (§7.5): DELETE /admin/users/{id}. With soft the
// server keeps an anonymised row (should_soft_delete); the user can no longer
// sign in either way. The server answers an empty object, so there is no
// user to return.
func (a *AdminAPI) DeleteUser(ctx context.Context, id string, soft bool) error {
	if err := requireID("a user id", id); err != nil {
		return err
	}
	req := Request{Method: "DELETE", Path: userPath(id)}
	if soft {
		req.Body = map[string]bool{"should_soft_delete": true}
	}
	_, err := a.do(ctx, req, nil)
	return err
}

// InviteUserByEmail creates a user and sends an invitation email (§7.6):
// POST /invite. Invitations count against the server's hourly email quota.
func (a *AdminAPI) InviteUserByEmail(ctx context.Context, email string, opts InviteOptions) (*User, error) {
	if email == "" {
		return nil, errInvalidCredentials("You must provide an email")
	}
	body := map[string]any{"email": email}
	if opts.Data != nil {
		body["data"] = opts.Data
	}
	var u User
	if _, err := a.do(ctx, Request{Method: "POST", Path: "/invite", Query: redirectQuery(opts.RedirectTo), Body: body}, &u); err != nil {
		return nil, err
	}
	return &u, nil
}

// GenerateLink creates an email action link without sending mail (§7.7):
// POST /admin/generate_link. The answer's OTP and token hash complete the
// flow through VerifyOTP, which is how tests sign users in without a mailbox.
func (a *AdminAPI) GenerateLink(ctx context.Context, p GenerateLinkParams) (*GenerateLinkResponse, error) {
	switch p.Type {
	case LinkSignup, LinkInvite, LinkMagicLink, LinkRecovery, LinkEmailChangeCurrent, LinkEmailChangeNew:
	case "":
		return nil, errInvalidCredentials("You must provide a link type")
	default:
		// The server's list may grow: let it judge unknown types.
	}
	if p.Email == "" {
		return nil, errInvalidCredentials("You must provide an email")
	}
	body := map[string]any{"type": string(p.Type), "email": p.Email}
	if p.Password != "" {
		body["password"] = p.Password
	}
	if p.NewEmail != "" {
		body["new_email"] = p.NewEmail
	}
	if p.Data != nil {
		body["data"] = p.Data
	}
	if p.RedirectTo != "" {
		body["redirect_to"] = p.RedirectTo
	}
	resp, err := a.do(ctx, Request{Method: "POST", Path: "/admin/generate_link", Body: body}, nil)
	if err != nil {
		return nil, err
	}
	var out GenerateLinkResponse
	if err := json.Unmarshal(resp.Body, &out.Properties); err != nil {
		return nil, unexpectedAnswer(resp.StatusCode, err)
	}
	if err := json.Unmarshal(resp.Body, &out.User); err != nil {
		return nil, unexpectedAnswer(resp.StatusCode, err)
	}
	// The link fields belong to Properties, not to the user.
	out.User.ActionLink = ""
	return &out, nil
}

// SignOut ends the sessions of the user whose access token jwt is (§7.8):
// POST /logout?scope=… with jwt as the bearer token, as the real server has no
// admin sign-out route. scope "" means SignOutGlobal. The service-role key is
// not needed. A token whose session is already gone fails with
// *SessionMissingError (session_not_found).
func (a *AdminAPI) SignOut(ctx context.Context, jwt string, scope SignOutScope) error {
	if jwt == "" {
		return errInvalidCredentials("You must provide the user's access token")
	}
	if scope == "" {
		scope = SignOutGlobal
	}
	if scope != SignOutGlobal && scope != SignOutLocal && scope != SignOutOthers {
		return fmt.Errorf("auth: invalid sign-out scope %q: want global, local or others", scope)
	}
	_, err := a.c.Do(ctx, Request{Method: "POST", Path: "/logout", Query: url.Values{"scope": {string(scope)}}, Token: jwt}, nil)
	return err
}

// unexpectedAnswer is the *UnknownError of a success body that does not
// decode.
func unexpectedAnswer(status int, err error) error {
	return &UnknownError{
		AuthError: AuthError{Name: NameUnknownError, Status: status, Message: "unexpected answer from the server: " + err.Error()},
		Err:       err,
	}
}
