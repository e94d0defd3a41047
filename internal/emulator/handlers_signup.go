package emulator

import (
	"maps"
	"net/http"

	"golang.org/x/crypto/bcrypt"
)

type signupParams struct {
	Email               string         `json:"email"`
	Phone               string         `json:"phone"`
	Password            string         `json:"password"`
	Data                map[string]any `json:"data"`
	Channel             string         `json:"channel"`
	CodeChallenge       string         `json:"code_challenge"`
	CodeChallengeMethod string         `json:"code_challenge_method"`
}

// handleSignup: email or phone sign-up (autoconfirmed, so a session comes
// back), or an anonymous sign-in when neither is given.
func (s *Server) handleSignup(w http.ResponseWriter, r *http.Request) error {
	var p signupParams
	if err := decode(r, &p); err != nil {
		return err
	}
	if p.Email == "" && p.Phone == "" {
		return s.signInAnonymously(w, p.Data)
	}
	if err := s.signupAllowed(); err != nil {
		return err
	}
	if p.Password == "" {
		return validation("Signup requires a valid password")
	}
	// The password is judged before the address, as on the server.
	if err := s.checkPasswordStrength(p.Password); err != nil {
		return err
	}
	var err error
	if p.Email != "" {
		if s.cfg.DisableEmail {
			return badRequest("email_provider_disabled", "Email signups are disabled")
		}
		if p.Email, err = validateEmail(p.Email); err != nil {
			return err
		}
	} else if s.cfg.DisablePhone {
		return badRequest("phone_provider_disabled", "Phone signups are disabled")
	} else if p.Phone, err = validatePhone(p.Phone); err != nil {
		return err
	}
	if s.needsConfirmation(p) {
		return s.signupUnconfirmed(w, r, p)
	}
	hash, err := s.hashPassword(p.Password)
	if err != nil {
		return err
	}
	if (p.Email != "" && s.st.userByEmail(p.Email) != nil) || (p.Phone != "" && s.st.userByPhone(p.Phone) != nil) {
		return unprocessable("user_already_exists", "User already registered")
	}
	u := s.createUser(newUserParams{Email: p.Email, Phone: p.Phone, PasswordHash: hash, Data: p.Data, MirrorIdentity: true})
	s.audit(u, "user_signedup", providerTraits(u))
	now := s.now()
	if p.Email != "" {
		confirmEmail(u, now)
	} else {
		confirmPhone(u, now)
	}
	resp, err := s.signIn(u, "password")
	if err != nil {
		return err
	}
	// The server builds the new identity's data and the user's metadata as
	// one map, which confirming the address then changes: its answer shows
	// the identity with the metadata (email_verified true) although the
	// stored identity keeps false, as GET /user shows.
	ids := s.identitiesJSON(u)
	ids[0] = ids[0].set("identity_data", maps.Clone(u.UserMetadata))
	writeJSON(w, http.StatusOK, resp.set("user", s.userJSON(u).set("identities", ids)))
	return nil
}

// needsConfirmation reports whether a sign-up waits for its emailed or
// texted code (autoconfirm off).
func (s *Server) needsConfirmation(p signupParams) bool {
	if p.Email != "" {
		return s.cfg.ConfirmEmail
	}
	return s.cfg.ConfirmPhone
}

// signupUnconfirmed answers a sign-up that must be confirmed: the user
// without a session, after sending the code. A pending user gets the code
// again; a confirmed one is refused, or, when neither email nor SMS
// autoconfirm is on, answered with a made-up user so that sign-up does not
// tell who has an account.
func (s *Server) signupUnconfirmed(w http.ResponseWriter, r *http.Request, p signupParams) error {
	typ, channel := "signup", "email"
	u := s.st.userByEmail(p.Email)
	if p.Email == "" {
		typ, channel = "sms", "phone"
		u = s.st.userByPhone(p.Phone)
	}
	if u != nil && ((p.Email != "" && u.EmailConfirmedAt != nil) || (p.Email == "" && u.PhoneConfirmedAt != nil)) {
		if !s.cfg.ConfirmEmail || !s.cfg.ConfirmPhone {
			return unprocessable("user_already_exists", "User already registered")
		}
		writeJSON(w, http.StatusOK, s.obfuscatedUser(p, channel))
		return nil
	}
	var err error
	if p.Email != "" {
		err = s.mayEmail(u, typ)
	} else {
		err = s.maySMS(u, p.Phone, typ)
	}
	if err != nil {
		return err
	}
	if u == nil {
		hash, err := s.hashPassword(p.Password)
		if err != nil {
			return err
		}
		u = s.createUser(newUserParams{Email: p.Email, Phone: p.Phone, PasswordHash: hash, Data: p.Data, MirrorIdentity: true})
		s.audit(u, "user_confirmation_requested", providerTraits(u))
	}
	if p.Email != "" {
		s.sendEmail(r, u, p.Email, typ, "")
	} else {
		s.sendSMS(r, u, p.Phone, typ)
	}
	writeJSON(w, http.StatusOK, s.userJSON(u))
	return nil
}

// obfuscatedUser is the server's stand-in for an existing user.
func (s *Server) obfuscatedUser(p signupParams, channel string) obj {
	now := fmtTime(s.now())
	data := p.Data
	if data == nil {
		data = map[string]any{}
	}
	return obj{{"id", newID()}, {"aud", "authenticated"}, {"role", ""}, {"email", p.Email}, {"phone", p.Phone},
		{"confirmation_sent_at", now}, {"app_metadata", obj{{"provider", channel}, {"providers", []string{channel}}}},
		{"user_metadata", data}, {"identities", []any{}}, {"created_at", now}, {"updated_at", now}, {"is_anonymous", false}}
}

func (s *Server) signInAnonymously(w http.ResponseWriter, data map[string]any) error {
	if s.cfg.DisableAnonymous {
		return unprocessable("anonymous_provider_disabled", "Anonymous sign-ins are disabled")
	}
	// An anonymous sign-in is a sign-up too (the server's SignupAnonymously).
	if err := s.signupAllowed(); err != nil {
		return err
	}
	u := s.createUser(newUserParams{Data: data, Anonymous: true})
	resp, err := s.signIn(u, "anonymous")
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

// hashPassword hashes with bcrypt outside the store lock.
func (s *Server) hashPassword(pw string) (string, error) {
	var h []byte
	var err error
	s.unlocked(func() { h, err = bcrypt.GenerateFromPassword([]byte(pw), s.cfg.PasswordCost) })
	if err != nil {
		return "", internal("Error hashing password")
	}
	return string(h), nil
}

// passwordMatches verifies a password outside the store lock.
func (s *Server) passwordMatches(hash, pw string) bool {
	var ok bool
	s.unlocked(func() { ok = checkPassword(hash, pw) })
	return ok
}

// signupAllowed is the server's refusal of every new user while sign-ups
// are off (GOTRUE_DISABLE_SIGNUP, config.toml enable_signup = false).
func (s *Server) signupAllowed() error {
	if s.cfg.DisableSignup {
		return unprocessable("signup_disabled", "Signups not allowed for this instance")
	}
	return nil
}
