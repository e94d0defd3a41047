package emulator

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/authctl/authctl/internal/atomicfile"
)

// user is an account. Times are nil when unset.
type user struct {
	ID                     string         `json:"id"`
	Aud                    string         `json:"aud"`
	Role                   string         `json:"role"`
	Email                  string         `json:"email"`
	Phone                  string         `json:"phone"`
	PasswordHash           string         `json:"password_hash,omitempty"`
	EmailConfirmedAt       *time.Time     `json:"email_confirmed_at,omitempty"`
	InvitedAt              *time.Time     `json:"invited_at,omitempty"`
	PhoneConfirmedAt       *time.Time     `json:"phone_confirmed_at,omitempty"`
	ConfirmationSentAt     *time.Time     `json:"confirmation_sent_at,omitempty"`
	RecoverySentAt         *time.Time     `json:"recovery_sent_at,omitempty"`
	NewEmail               string         `json:"new_email,omitempty"`
	NewPhone               string         `json:"new_phone,omitempty"`
	EmailChangeSentAt      *time.Time     `json:"email_change_sent_at,omitempty"`
	PhoneChangeSentAt      *time.Time     `json:"phone_change_sent_at,omitempty"`
	ReauthenticationSentAt *time.Time     `json:"reauthentication_sent_at,omitempty"`
	LastSignInAt           *time.Time     `json:"last_sign_in_at,omitempty"`
	AppMetadata            map[string]any `json:"app_metadata"`
	UserMetadata           map[string]any `json:"user_metadata"`
	CreatedAt              time.Time      `json:"created_at"`
	UpdatedAt              time.Time      `json:"updated_at"`
	BannedUntil            *time.Time     `json:"banned_until,omitempty"`
	DeletedAt              *time.Time     `json:"deleted_at,omitempty"`
	IsAnonymous            bool           `json:"is_anonymous"`
	LastEmailSentAt        *time.Time     `json:"last_email_sent_at,omitempty"`
	LastSMSSentAt          *time.Time     `json:"last_sms_sent_at,omitempty"`

	// EmailChangeConfirmed counts the addresses that confirmed a secure
	// email change (the server's email_change_confirm_status).
	EmailChangeConfirmed int `json:"email_change_confirm_status,omitempty"`

	// confirmedAt mirrors the database's generated confirmed_at column: it
	// is only filled when the user is loaded, not within the request that
	// confirms the user.
	confirmedAt *time.Time
}

func (u *user) banned(now time.Time) bool {
	return u.BannedUntil != nil && u.BannedUntil.After(now)
}

// identity links a user to a provider.
type identity struct {
	ID           string         `json:"identity_id"`
	ProviderID   string         `json:"id"`
	UserID       string         `json:"user_id"`
	IdentityData map[string]any `json:"identity_data"`
	Provider     string         `json:"provider"`
	LastSignInAt *time.Time     `json:"last_sign_in_at,omitempty"`
	CreatedAt    time.Time      `json:"created_at"`
	UpdatedAt    time.Time      `json:"updated_at"`
	Email        string         `json:"email,omitempty"`
}

// amrEntry is one authentication method reference of a session.
type amrEntry struct {
	Method    string `json:"method"`
	Timestamp int64  `json:"timestamp"`
}

type session struct {
	ID            string     `json:"id"`
	UserID        string     `json:"user_id"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
	AAL           string     `json:"aal"`
	AMR           []amrEntry `json:"amr"`
	FactorID      string     `json:"factor_id,omitempty"`
	OAuthClientID string     `json:"oauth_client_id,omitempty"`
	Scope         string     `json:"scope,omitempty"`
}

type refreshToken struct {
	Token     string    `json:"token"`
	SessionID string    `json:"session_id"`
	UserID    string    `json:"user_id"`
	Parent    string    `json:"parent,omitempty"`
	Revoked   bool      `json:"revoked"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Seq       int64     `json:"seq"`
}

type factor struct {
	ID               string     `json:"id"`
	UserID           string     `json:"user_id"`
	FriendlyName     string     `json:"friendly_name,omitempty"`
	FactorType       string     `json:"factor_type"`
	Status           string     `json:"status"`
	Secret           string     `json:"secret,omitempty"`
	Phone            string     `json:"phone,omitempty"`
	CreatedAt        time.Time  `json:"created_at"`
	UpdatedAt        time.Time  `json:"updated_at"`
	LastChallengedAt *time.Time `json:"last_challenged_at,omitempty"`
	// The security key of a verified WebAuthn factor.
	WebAuthn *webauthn.Credential `json:"webauthn,omitempty"`
}

type challenge struct {
	ID         string     `json:"id"`
	FactorID   string     `json:"factor_id"`
	CreatedAt  time.Time  `json:"created_at"`
	VerifiedAt *time.Time `json:"verified_at,omitempty"`
	OTP        string     `json:"otp,omitempty"`
	// The ceremony a WebAuthn factor's challenge began.
	WebAuthn *webauthn.SessionData `json:"webauthn,omitempty"`
}

// flowState is a pending PKCE flow (sign-up, OTP, OAuth).
type flowState struct {
	ID                   string    `json:"id"`
	UserID               string    `json:"user_id,omitempty"`
	AuthCode             string    `json:"auth_code"`
	CodeChallenge        string    `json:"code_challenge"`
	CodeChallengeMethod  string    `json:"code_challenge_method"`
	ProviderType         string    `json:"provider_type"`
	AuthenticationMethod string    `json:"authentication_method"`
	RedirectTo           string    `json:"redirect_to,omitempty"`
	CreatedAt            time.Time `json:"created_at"`
	// Used is set once the code has been exchanged.
	Used bool `json:"used,omitempty"`

	// OAuth sign-ins through the mock identity provider.
	Provider     string `json:"provider,omitempty"`
	Scopes       string `json:"scopes,omitempty"`
	ProviderCode string `json:"provider_code,omitempty"` // what the mock provider hands to /callback
	IdentityName string `json:"identity_name,omitempty"`
	IdentityMail string `json:"identity_mail,omitempty"`
	LinkUserID   string `json:"link_user_id,omitempty"` // manual identity linking
	// SAMLRequestID is the AuthnRequest sent to the built-in SAML IdP,
	// the one its assertion must answer.
	SAMLRequestID string `json:"saml_request_id,omitempty"`
}

// oneTimeToken is an emailed / texted OTP or link token.
type oneTimeToken struct {
	UserID    string    `json:"user_id"`
	Type      string    `json:"type"` // signup, invite, magiclink, recovery, email_change_new, sms, phone_change, reauthentication
	Recipient string    `json:"recipient"`
	OTP       string    `json:"otp"`
	TokenHash string    `json:"token_hash"`
	CreatedAt time.Time `json:"created_at"`
	// FlowStateID makes the emailed link finish with a PKCE code.
	FlowStateID string `json:"flow_state_id,omitempty"`
}

// message is an email or SMS the server would have sent.
type message struct {
	To         string    `json:"to"`
	Type       string    `json:"type"`
	OTP        string    `json:"otp"`
	TokenHash  string    `json:"token_hash"`
	ActionLink string    `json:"action_link"`
	CreatedAt  time.Time `json:"created_at"`
}

// store is the whole state of the emulator, persisted as one JSON document.
type store struct {
	Users         map[string]*user               `json:"users"`
	Identities    map[string]*identity           `json:"identities"`
	Sessions      map[string]*session            `json:"sessions"`
	RefreshTokens map[string]*refreshToken       `json:"refresh_tokens"`
	Factors       map[string]*factor             `json:"factors"`
	Challenges    map[string]*challenge          `json:"challenges"`
	FlowStates    map[string]*flowState          `json:"flow_states"`
	OneTimeTokens []*oneTimeToken                `json:"one_time_tokens"`
	Messages      []*message                     `json:"messages"`
	OAuthClients  map[string]*oauthClient        `json:"oauth_clients"`
	OAuthAuthz    map[string]*oauthAuthorization `json:"oauth_authorizations"`
	OAuthGrants   map[string]*oauthGrant         `json:"oauth_grants"`
	Audit         []*auditEntry                  `json:"audit_log"`
	SSOProviders  map[string]*ssoProvider        `json:"sso_providers"`
	Passkeys      map[string]*passkey            `json:"passkeys"`
	// PasskeyChallenges are the passkey ceremonies begun and not finished.
	PasskeyChallenges map[string]*passkeyChallenge `json:"passkey_challenges"`
	SigningKey        *jose.JSONWebKey             `json:"signing_key,omitempty"`
	RefreshCounter    int64                        `json:"refresh_counter"`

	idx *index // not persisted: rebuilt on load
}

func newStore() *store {
	return &store{
		Users:             map[string]*user{},
		Identities:        map[string]*identity{},
		Sessions:          map[string]*session{},
		RefreshTokens:     map[string]*refreshToken{},
		Factors:           map[string]*factor{},
		Challenges:        map[string]*challenge{},
		FlowStates:        map[string]*flowState{},
		OAuthClients:      map[string]*oauthClient{},
		OAuthAuthz:        map[string]*oauthAuthorization{},
		OAuthGrants:       map[string]*oauthGrant{},
		SSOProviders:      map[string]*ssoProvider{},
		Passkeys:          map[string]*passkey{},
		PasskeyChallenges: map[string]*passkeyChallenge{},
		idx:               newIndex(),
	}
}

// nonNil replaces a nil map with an empty one.
func nonNil[M ~map[K]V, K comparable, V any](m *M) {
	if *m == nil {
		*m = M{}
	}
}

// loadUser returns the user with id, refreshing its derived confirmed_at.
func (s *store) loadUser(id string) *user {
	u := s.Users[id]
	if u != nil {
		u.confirmedAt = earliest(u.EmailConfirmedAt, u.PhoneConfirmedAt)
		s.idx.touched[id] = true // the request may change its email or phone
	}
	return u
}

func earliest(a, b *time.Time) *time.Time {
	switch {
	case a == nil:
		return b
	case b == nil || a.Before(*b):
		return a
	default:
		return b
	}
}

func (s *store) userByEmail(email string) *user {
	email = strings.ToLower(email)
	for _, u := range s.candidates(s.idx.email, email, func(u *user) bool { return strings.EqualFold(u.Email, email) }) {
		if !u.IsAnonymous {
			return s.loadUser(u.ID)
		}
	}
	return nil
}

func (s *store) userByPhone(phone string) *user {
	for _, u := range s.candidates(s.idx.phone, phone, func(u *user) bool { return u.Phone == phone }) {
		return s.loadUser(u.ID)
	}
	return nil
}

// sortedUsers lists users by creation time, newest first like the server.
func (s *store) sortedUsers() []*user {
	out := make([]*user, 0, len(s.Users))
	for id := range s.Users {
		out = append(out, s.loadUser(id))
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].ID < out[j].ID
		}
		return out[i].CreatedAt.After(out[j].CreatedAt)
	})
	return out
}

func (s *store) identitiesOf(userID string) []*identity {
	var out []*identity
	for id := range s.idx.identities[userID] {
		if i := s.Identities[id]; i != nil && i.UserID == userID {
			out = append(out, i)
		} else {
			delete(s.idx.identities[userID], id)
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].CreatedAt.Before(out[b].CreatedAt) })
	return out
}

func (s *store) factorsOf(userID string) []*factor {
	var out []*factor
	for id := range s.idx.factors[userID] {
		if f := s.Factors[id]; f != nil && f.UserID == userID {
			out = append(out, f)
		} else {
			delete(s.idx.factors[userID], id)
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].CreatedAt.Before(out[b].CreatedAt) })
	return out
}

// deleteSessions removes sessions matching keep==false and their refresh tokens.
func (s *store) deleteSessions(match func(*session) bool) {
	for id, sess := range s.Sessions {
		if match(sess) {
			delete(s.Sessions, id)
		}
	}
	for tok, rt := range s.RefreshTokens {
		if _, ok := s.Sessions[rt.SessionID]; !ok {
			delete(s.RefreshTokens, tok)
		}
	}
}

// deleteUser removes a user and everything that hangs off it.
func (s *store) deleteUser(id string) {
	delete(s.Users, id)
	for _, i := range s.identitiesOf(id) {
		delete(s.Identities, i.ID)
	}
	for _, f := range s.factorsOf(id) {
		delete(s.Factors, f.ID)
		for c, ch := range s.Challenges {
			if ch.FactorID == f.ID {
				delete(s.Challenges, c)
			}
		}
	}
	for k, g := range s.OAuthGrants {
		if g.UserID == id {
			delete(s.OAuthGrants, k)
		}
	}
	for k, p := range s.Passkeys {
		if p.UserID == id {
			delete(s.Passkeys, k)
		}
	}
	for k, c := range s.PasskeyChallenges {
		if c.UserID == id {
			delete(s.PasskeyChallenges, k)
		}
	}
	s.deleteSessions(func(x *session) bool { return x.UserID == id })
	s.deleteOTTs(func(t *oneTimeToken) bool { return t.UserID == id })
}

func (s *store) deleteOTTs(match func(*oneTimeToken) bool) {
	kept := s.OneTimeTokens[:0]
	for _, t := range s.OneTimeTokens {
		if !match(t) {
			kept = append(kept, t)
		}
	}
	s.OneTimeTokens = kept
}

// loadStore reads a persisted store; a missing file is an empty store.
func loadStore(path string) (*store, error) {
	st := newStore()
	if path == "" {
		return st, nil
	}
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return st, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, st); err != nil {
		return nil, fmt.Errorf("emulator: reading %s: %w", path, err)
	}
	// json.Unmarshal keeps newStore's empty maps for keys the file lacks
	// (files from older emulators), but sets a map to nil for an explicit
	// null (a hand-edited file); the handlers write into every map.
	nonNil(&st.Users)
	nonNil(&st.Identities)
	nonNil(&st.Sessions)
	nonNil(&st.RefreshTokens)
	nonNil(&st.Factors)
	nonNil(&st.Challenges)
	nonNil(&st.FlowStates)
	nonNil(&st.OAuthClients)
	nonNil(&st.OAuthAuthz)
	nonNil(&st.OAuthGrants)
	nonNil(&st.SSOProviders)
	nonNil(&st.Passkeys)
	nonNil(&st.PasskeyChallenges)
	st.rebuild()
	return st, nil
}

// save writes the store with atomicfile.Write: a crash leaves the old state
// or the new, never a mix.
func (s *store) save(path string) error {
	b, err := json.MarshalIndent(s, "", " ")
	if err != nil {
		return err
	}
	return atomicfile.Write(path, b, 0o600, 0o700)
}
