package emulator

import "net/http"

func (s *Server) routes() {
	h := s.handle
	h("GET /health", s.handleHealth)
	h("GET /settings", s.handleSettings)
	h("GET /.well-known/jwks.json", s.handleJWKS)
	h("GET /.well-known/openid-configuration", s.handleDiscovery)
	h("GET /.well-known/oauth-authorization-server", s.handleDiscovery)

	h("POST /signup", s.handleSignup)
	h("POST /token", s.handleToken)
	h("GET /user", s.handleGetUser)
	h("PUT /user", s.handleUpdateUser)
	h("POST /logout", s.handleLogout)
	h("GET /reauthenticate", s.handleReauthenticate)
	h("POST /otp", s.handleOTP)
	h("POST /magiclink", s.handleMagicLink)
	h("POST /recover", s.handleRecover)
	h("POST /resend", s.handleResend)
	h("POST /verify", s.handleVerifyPost)
	h("GET /verify", s.handleVerifyGet)

	h("GET /admin/users", s.adminOnly(s.handleAdminListUsers))
	h("POST /admin/users", s.adminOnly(s.handleAdminCreateUser))
	h("GET /admin/users/{id}", s.adminOnly(s.handleAdminGetUser))
	h("PUT /admin/users/{id}", s.adminOnly(s.handleAdminUpdateUser))
	h("DELETE /admin/users/{id}", s.adminOnly(s.handleAdminDeleteUser))
	h("POST /invite", s.adminOnly(s.handleInvite))
	h("POST /admin/generate_link", s.adminOnly(s.handleGenerateLink))
	h("GET /emulator/messages", s.adminOnly(s.handleMessages))

	h("POST /factors", s.handleEnroll)
	h("POST /factors/{id}/challenge", s.handleChallenge)
	h("POST /factors/{id}/verify", s.handleVerifyFactor)
	h("DELETE /factors/{id}", s.handleUnenroll)
	h("GET /admin/users/{id}/factors", s.adminOnly(s.handleAdminListFactors))
	h("PUT /admin/users/{id}/factors/{factor_id}", s.adminOnly(s.handleAdminUpdateFactor))
	h("DELETE /admin/users/{id}/factors/{factor_id}", s.adminOnly(s.handleAdminDeleteFactor))

	h("GET /authorize", s.handleAuthorize)
	h("GET /callback", s.handleCallback)
	h("POST /callback", s.handleCallback)
	h("GET /emulator/idp/authorize", s.handleIdPAuthorize)
	h("POST /emulator/idp/authorize", s.handleIdPSubmit)
	h("GET /user/identities/authorize", s.handleLinkIdentity)
	h("DELETE /user/identities/{id}", s.handleUnlinkIdentity)

	h("GET /admin/users/{id}/passkeys", s.adminOnly(fixed(http.StatusOK, []any{})))
	h("GET /admin/sso/providers", s.adminOnly(fixed(http.StatusOK, obj{{"items", []any{}}})))
	h("GET /admin/custom-providers", s.adminOnly(fixed(http.StatusOK, obj{{"providers", []any{}}})))
	passkeysOff := fail(notFound("passkey_disabled", "Passkeys are disabled"))
	h("GET /passkeys", passkeysOff)
	h("POST /passkeys/authentication/options", passkeysOff)
	h("POST /passkeys/registration/options", passkeysOff)
	h("GET /scim/v2/", fail(notFound("feature_disabled", "SCIM server is disabled")))
	h("POST /sso", fail(notFound("saml_provider_disabled", "SAML 2.0 is disabled")))
}
