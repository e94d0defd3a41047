// Package emulator is an in-memory, Supabase-Auth-compatible (GoTrue) HTTP
// server for local development and end-to-end tests: `authctl emulator`.
//
// It follows the wire format of Supabase Auth v2.196 as recorded in
// gotrue-transcripts (status codes, legacy and 2024-01-01 error bodies,
// X-Sb-Error-Code, Link and X-Total-Count, field order), signs access
// tokens with HS256 (or ES256 with Config.Asymmetric, published in
// /.well-known/jwks.json; the API keys are always HS256 like `supabase
// start`'s), rotates refresh tokens with the server's reuse rules (parent of
// the active token → the active token; other revoked tokens within 10 s →
// a new child; later → refresh_token_already_used and the session's tokens
// revoked), and hashes passwords with bcrypt. Imported password_hash values
// may be bcrypt ($2a$/$2b$/$2y$), argon2i/argon2id (PHC strings) or
// Firebase scrypt ($fbscrypt$).
//
// Defaults mirror `supabase start`: email and SMS autoconfirm, anonymous
// sign-ins, TOTP and phone MFA, manual identity linking, the OAuth 2.1
// server, no rate limits, DefaultJWTSecret, test OTP 123456 for
// 15555550100..102, site URL http://127.0.0.1:3000. redirect_to is judged as
// the server judges it (redirect.go): back to the site, to a loopback IP
// literal on any port, or matching Config.URIAllowList, else the site URL
// is used. Package projectconfig reads a project's supabase/config.toml
// onto a Config.
//
// Paths are served at the root and also under /auth/v1 (a project URL).
//
// # Endpoints
//
//	GET  /health  /settings  /.well-known/jwks.json  /.well-known/openid-configuration  /.well-known/oauth-authorization-server
//	POST /signup (email, phone, or anonymous when neither)   POST /token?grant_type=password|refresh_token|pkce|id_token|web3
//	GET|PUT /user   POST /logout?scope=global|local|others   GET /reauthenticate
//	POST /otp  /magiclink  /recover  /resend   POST|GET /verify
//	POST /factors   POST /factors/{id}/challenge   POST /factors/{id}/verify   DELETE /factors/{id}
//	GET /authorize   GET|POST /callback   GET /user/identities/authorize   DELETE /user/identities/{id}   POST /sso
//	GET|POST /admin/users   GET|PUT|DELETE /admin/users/{id}   POST /invite   POST /admin/generate_link   GET /admin/audit
//	GET /admin/users/{id}/factors   PUT|DELETE /admin/users/{id}/factors/{factor_id}
//	GET /admin/users/{id}/passkeys   DELETE /admin/users/{id}/passkeys/{passkey_id}
//	POST /passkeys/registration/options|verify   POST /passkeys/authentication/options|verify
//	GET /passkeys   PATCH|DELETE /passkeys/{passkey_id}
//	GET|POST /admin/sso/providers   GET|PUT|DELETE /admin/sso/providers/{id}   GET /admin/custom-providers
//	GET|POST /admin/oauth/clients   GET|PUT|DELETE /admin/oauth/clients/{client_id}   POST …/{client_id}/regenerate_secret
//	POST /oauth/clients/register   GET /oauth/authorize   GET /oauth/authorizations/{id}   POST /oauth/authorizations/{id}/consent
//	POST /oauth/token   GET /oauth/userinfo   GET|DELETE /user/oauth/grants
//
// SCIM answers as disabled, like the recorded server; so do passkeys unless
// Config.Passkeys (passkeys.go: WebAuthn ceremonies verified by go-webauthn
// for the relying party of Config.WebAuthnRPID and WebAuthnOrigins), WebAuthn
// MFA factors unless Config.MFAWebAuthnEnroll/Verify (mfa_webauthn.go, the same relying
// party) and web3 unless Config.Web3 (web3.go: SIWE and SIWS signatures
// verified).
//
// # Messages
//
// Nothing is ever sent. Every email or SMS the server would have sent is
// kept and can be read with two emulator-only endpoints:
//
//	GET /emulator/messages[?to=ADDRESS]   (the service_role key, or none from this machine)
//	GET /emulator/inbox[?to=ADDRESS]      (a page for a person, this machine only)
//
// The key is not needed from a loopback peer that names a loopback Host and
// is not a cross-origin script (inbox.go says why). /emulator/messages
// answers a JSON list, oldest first, of
//
//	{"to":"…","type":"signup|invite|magiclink|recovery|email_change_new|sms|phone_change|reauthentication|mfa_challenge",
//	 "otp":"123456","token_hash":"…","action_link":"http://…/verify?token=…","created_at":"…"}
//
// (token_hash and action_link are empty for SMS). Phone MFA challenges
// ignore the test OTPs, like the real server: read their code here.
//
// # Mock identity provider
//
// OAuth providers (Config.Providers) and SSO providers (registered with
// POST /admin/sso/providers {"type":"saml","metadata_url":"https://…","domains":["corp.test"]},
// validated as the server does: the XML of metadata_xml is parsed for its
// EntityID, a metadata_url is not fetched and stands for the EntityID; until
// one is, /sso answers "SAML 2.0 is disabled") sign in through a mock
// provider served by the emulator itself: /authorize, /sso and
// /user/identities/authorize lead to /emulator/idp/authorize, a small HTML
// page with an email field and a sign-in button, which continues to
// /callback and then to redirect_to, with ?code= for PKCE flows (exchange
// it at /token?grant_type=pkce) or the session in the fragment otherwise.
// Without a browser, add emulator_auto=1 (and optionally
// login_hint=EMAIL) to the /authorize query, or "emulator_auto":true and
// "login_hint" to the /sso body: the page is skipped and the redirects can
// be followed by any HTTP client. The identity's email defaults to
// <provider>-user@example.com (SSO: user@<first domain>); an existing user
// with that email gets the identity linked.
//
// POST /emulator/idp/id_token {"provider":"google","email":"…","nonce":"…"}
// returns {"id_token":"…"} from the mock provider, accepted by
// /token?grant_type=id_token (the token's nonce claim is the SHA-256 hex of
// the given nonce). With "link_identity":true in that grant and a user's
// access token as bearer, the token's identity is linked to that user
// (linkIdentity with an ID token).
//
// # Persistence
//
// With Config.DataFile the state is loaded by New and written by Serve
// every 2 s while it changes and when its context ends (temporary file,
// fsync, rename, directory fsync: internal/atomicfile). With Config.Asymmetric the ES256 key is kept there too, so
// tokens survive a restart.
//
// Browser apps on any origin may call the emulator (CORS). GET /admin/users
// takes page, per_page, filter (email, phone or full name) and
// sort=created_at asc|desc.
//
// The package shares no Auth logic with the client: it imports no internal
// package of authctl but leaf utilities that know nothing of Auth
// (internal/atomicfile), so a protocol bug on one side cannot hide the same
// bug on the other.
package emulator
