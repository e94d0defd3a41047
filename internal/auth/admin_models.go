package auth

// AdminUserAttributes are the attributes of admin.createUser and
// admin.updateUserById (spec §7.1, §7.4). Empty fields are not sent; the
// booleans are pointers because "false" is a meaningful value
// (email_confirm: false creates an unconfirmed user).
type AdminUserAttributes struct {
	// ID chooses the new user's id (create only), so imports keep user ids.
	ID       string `json:"id,omitempty"`
	Email    string `json:"email,omitempty"`
	Phone    string `json:"phone,omitempty"`
	Password string `json:"password,omitempty"`
	// PasswordHash is an existing bcrypt (or argon2/scrypt, as the server
	// supports) hash, for imports: the user signs in with the original
	// password. Mutually exclusive with Password.
	PasswordHash string `json:"password_hash,omitempty"`
	// EmailConfirm and PhoneConfirm mark the address as confirmed.
	EmailConfirm *bool `json:"email_confirm,omitempty"`
	PhoneConfirm *bool `json:"phone_confirm,omitempty"`
	// UserMetadata is merged into user_metadata, AppMetadata into
	// app_metadata.
	UserMetadata map[string]any `json:"user_metadata,omitempty"`
	AppMetadata  map[string]any `json:"app_metadata,omitempty"`
	// BanDuration is a Go duration ("24h", "876000h") or "none" to lift a ban.
	BanDuration string `json:"ban_duration,omitempty"`
	// Role sets the user's Postgres role claim (default "authenticated").
	Role string `json:"role,omitempty"`
	// Nonce is a reauthentication nonce, when the server requires one.
	Nonce string `json:"nonce,omitempty"`
}

// Bool returns a pointer to b, for AdminUserAttributes.EmailConfirm and
// PhoneConfirm.
func Bool(b bool) *bool { return &b }

// ListUsersParams are admin.listUsers' parameters (§7.2). Zero values are not
// sent, so the server's defaults apply (page 1, 50 per page, newest first).
type ListUsersParams struct {
	// Page is 1-based.
	Page int
	// PerPage is the page size.
	PerPage int
	// Filter matches part of the email (or name) on the server.
	Filter string
	// Sort is "created_at asc" or "created_at desc" (the only field the
	// server accepts).
	Sort string
}

// UserList is one page of admin.listUsers. Total, NextPage and LastPage come
// from the X-Total-Count and Link headers; NextPage is 0 on the last page and
// LastPage 0 when the server sent no rel="last".
type UserList struct {
	Users    []User `json:"users"`
	Aud      string `json:"aud"`
	Total    int    `json:"total"`
	NextPage int    `json:"next_page,omitempty"`
	LastPage int    `json:"last_page,omitempty"`
}

// InviteOptions are admin.inviteUserByEmail's options (§7.6).
type InviteOptions struct {
	// Data becomes the invited user's user_metadata.
	Data map[string]any
	// RedirectTo is where the invitation link leads after verification.
	RedirectTo string
}

// GenerateLinkType is the type of link admin.generateLink creates (§7.7).
type GenerateLinkType string

const (
	LinkSignup             GenerateLinkType = "signup"
	LinkInvite             GenerateLinkType = "invite"
	LinkMagicLink          GenerateLinkType = "magiclink"
	LinkRecovery           GenerateLinkType = "recovery"
	LinkEmailChangeCurrent GenerateLinkType = "email_change_current"
	LinkEmailChangeNew     GenerateLinkType = "email_change_new"
)

// GenerateLinkParams are admin.generateLink's parameters. Password is needed
// for signup, NewEmail for the email change types; Data applies to signup,
// invite and magiclink.
type GenerateLinkParams struct {
	Type       GenerateLinkType
	Email      string
	Password   string
	NewEmail   string
	Data       map[string]any
	RedirectTo string
}

// LinkProperties are the link fields of admin.generateLink's answer (§7.7).
// EmailOTP and HashedToken let tests complete a sign-in without mail:
// VerifyOTP with the OTP and the email, or with the token hash.
type LinkProperties struct {
	ActionLink       string `json:"action_link"`
	EmailOTP         string `json:"email_otp"`
	HashedToken      string `json:"hashed_token"`
	RedirectTo       string `json:"redirect_to"`
	VerificationType string `json:"verification_type"`
}

// GenerateLinkResponse is admin.generateLink's result: the link properties
// and the user they belong to (the server sends both in one object).
type GenerateLinkResponse struct {
	Properties LinkProperties `json:"properties"`
	User       User           `json:"user"`
}

// OAuthClient is a client of the project's OAuth 2.1 server, as the admin
// registry returns it. ClientSecret is only present in the answers of create
// and regenerate-secret, once.
type OAuthClient struct {
	ClientID                string   `json:"client_id"`
	ClientSecret            string   `json:"client_secret,omitempty"`
	ClientType              string   `json:"client_type,omitempty"`
	ClientName              string   `json:"client_name,omitempty"`
	ClientURI               string   `json:"client_uri,omitempty"`
	LogoURI                 string   `json:"logo_uri,omitempty"`
	RedirectURIs            []string `json:"redirect_uris"`
	TokenEndpointAuthMethod string   `json:"token_endpoint_auth_method,omitempty"`
	GrantTypes              []string `json:"grant_types,omitempty"`
	ResponseTypes           []string `json:"response_types,omitempty"`
	Scope                   string   `json:"scope,omitempty"`
	RegistrationType        string   `json:"registration_type,omitempty"`
	CreatedAt               string   `json:"created_at,omitempty"`
	UpdatedAt               string   `json:"updated_at,omitempty"`
}

// OAuthClientParams create or update an OAuth client. Empty fields are not
// sent: on update they keep their current value. RedirectURIs is required on
// create. TokenEndpointAuthMethod "none" makes a public client (PKCE only);
// the default is a confidential client_secret_basic client.
type OAuthClientParams struct {
	ClientName              string   `json:"client_name,omitempty"`
	ClientURI               string   `json:"client_uri,omitempty"`
	LogoURI                 string   `json:"logo_uri,omitempty"`
	RedirectURIs            []string `json:"redirect_uris,omitempty"`
	GrantTypes              []string `json:"grant_types,omitempty"`
	ResponseTypes           []string `json:"response_types,omitempty"`
	Scope                   string   `json:"scope,omitempty"`
	TokenEndpointAuthMethod string   `json:"token_endpoint_auth_method,omitempty"`
}

// PageParams are the pagination parameters of admin lists other than users.
type PageParams struct {
	Page    int
	PerPage int
}

// OAuthClientList is one page of the OAuth client registry. Total, NextPage
// and LastPage are filled when the server sends X-Total-Count and Link.
type OAuthClientList struct {
	Clients  []OAuthClient `json:"clients"`
	Aud      string        `json:"aud,omitempty"`
	Total    int           `json:"total"`
	NextPage int           `json:"next_page,omitempty"`
	LastPage int           `json:"last_page,omitempty"`
}
