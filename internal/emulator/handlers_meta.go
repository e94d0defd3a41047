package emulator

import (
	"net/http"
	"slices"
)

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, obj{{"version", ""}, {"name", "GoTrue"},
		{"description", "GoTrue is a user registration and authentication API"}})
	return nil
}

// settingsProviders is the provider list of /settings, in the server's order.
var settingsProviders = []string{"apple", "azure", "bitbucket", "discord", "facebook", "snapchat", "figma", "fly",
	"github", "gitlab", "google", "keycloak", "kakao", "linkedin", "linkedin_oidc", "notion", "spotify", "slack",
	"slack_oidc", "workos", "twitch", "twitter"}

func (s *Server) providerEnabled(p string) bool { return slices.Contains(s.cfg.Providers, p) }

func (s *Server) handleSettings(w http.ResponseWriter, r *http.Request) error {
	ext := obj{{"anonymous_users", !s.cfg.DisableAnonymous}}
	for _, p := range settingsProviders {
		ext = ext.add(p, s.providerEnabled(p))
	}
	ext = ext.add("email", !s.cfg.DisableEmail).add("phone", !s.cfg.DisablePhone).add("zoom", s.providerEnabled("zoom"))
	writeJSON(w, http.StatusOK, obj{
		{"external", ext}, {"disable_signup", s.cfg.DisableSignup},
		{"mailer_autoconfirm", !s.cfg.ConfirmEmail}, {"phone_autoconfirm", !s.cfg.ConfirmPhone}, {"sms_provider", "twilio"},
		{"saml_enabled", false}, {"saml_private_key_next_configured", true}, {"passkeys_enabled", s.cfg.Passkeys},
	})
	return nil
}

func (s *Server) handleJWKS(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, s.keys.jwks())
	return nil
}

// fixed answers a constant body (features the emulator reports as off or empty).
func fixed(status int, body any) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		writeJSON(w, status, body)
		return nil
	}
}

// fail answers a constant error.
func fail(e *apiError) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error { return e }
}

// manualLinking guards the identity linking routes: with manual linking
// off they answer 404 to any signed-in user.
func (s *Server) manualLinking(h func(http.ResponseWriter, *http.Request) error) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		if !s.cfg.DisableManualLinking {
			return h(w, r)
		}
		if _, err := s.requireUser(r); err != nil {
			return err
		}
		return notFound("manual_linking_disabled", "Manual linking is disabled")
	}
}

// adminOnly guards a handler with the service-role check.
func (s *Server) adminOnly(h func(http.ResponseWriter, *http.Request) error) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := s.requireAdmin(r); err != nil {
			return err
		}
		return h(w, r)
	}
}

// oauthServerMetadata answers both discovery documents.
func (s *Server) handleDiscovery(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, obj{
		{"issuer", ""}, {"authorization_endpoint", "/oauth/authorize"}, {"token_endpoint", "/oauth/token"},
		{"jwks_uri", "/.well-known/jwks.json"}, {"userinfo_endpoint", "/oauth/userinfo"},
		{"registration_endpoint", "/oauth/clients/register"},
		{"scopes_supported", []string{"openid", "profile", "email", "phone", "offline_access"}},
		{"response_types_supported", []string{"code"}}, {"response_modes_supported", []string{"query"}},
		{"grant_types_supported", []string{"authorization_code", "refresh_token"}},
		{"subject_types_supported", []string{"public"}},
		{"id_token_signing_alg_values_supported", []string{"RS256", "HS256", "ES256"}},
		{"token_endpoint_auth_methods_supported", []string{"client_secret_basic", "client_secret_post", "none"}},
		{"claims_supported", []string{"sub", "aud", "iss", "exp", "iat", "auth_time", "nonce", "email", "email_verified",
			"phone_number", "phone_number_verified", "name", "picture", "preferred_username", "updated_at"}},
		{"code_challenge_methods_supported", []string{"S256", "plain"}},
	})
	return nil
}
