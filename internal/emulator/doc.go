// Package emulator is an in-memory, Supabase-Auth-compatible (GoTrue) HTTP
// server for local development and end-to-end tests: `authctl emulator`.
//
// It follows the wire format of Supabase Auth v2.196 (status codes, legacy
// and 2024-01-01 error bodies, X-Sb-Error-Code, Link and X-Total-Count),
// signs access tokens with HS256 (or ES256 with Config.Asymmetric, published
// in /.well-known/jwks.json), rotates refresh tokens with the server's
// reuse rules, and hashes passwords with bcrypt (imported bcrypt, argon2
// and Firebase scrypt hashes are verified too). The defaults mirror
// `supabase start`: email and SMS autoconfirm, anonymous sign-ins, no rate
// limits, DefaultJWTSecret, test OTP 123456 for +15555550100..102.
//
// Nothing is ever sent. Every email or SMS the server would have sent is
// kept and can be read with one emulator-only endpoint:
//
//	GET /emulator/messages[?to=ADDRESS]   (Authorization: Bearer <service_role key>)
//
// answers a JSON list, oldest first, of
//
//	{"to":"…","type":"signup|invite|magiclink|recovery|email_change_new|sms|phone_change|reauthentication",
//	 "otp":"123456","token_hash":"…","action_link":"http://…/verify?token=…","created_at":"…"}
//
// Paths are served at the root and also under /auth/v1 (a project URL).
// The package imports no other internal package of authctl.
package emulator
