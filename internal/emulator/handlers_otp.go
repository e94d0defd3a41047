package emulator

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

type otpParams struct {
	Email      string         `json:"email"`
	Phone      string         `json:"phone"`
	CreateUser *bool          `json:"create_user"`
	Data       map[string]any `json:"data"`
	Channel    string         `json:"channel"`
	RedirectTo string         `json:"redirect_to"`

	CodeChallenge       string `json:"code_challenge"`
	CodeChallengeMethod string `json:"code_challenge_method"`
}

// pkceFlow stores the flow state of an emailed link requested with a
// code_challenge, so that following the link ends with ?code=.
func (s *Server) pkceFlow(p otpParams, u *user, typ string) error {
	if p.CodeChallenge == "" {
		return nil
	}
	m := strings.ToLower(p.CodeChallengeMethod)
	if m != "s256" && m != "plain" {
		return validation("Invalid code_challenge_method")
	}
	fs := &flowState{ID: newID(), CodeChallenge: p.CodeChallenge, CodeChallengeMethod: m, ProviderType: typ,
		AuthenticationMethod: typ, RedirectTo: p.RedirectTo, CreatedAt: s.now()}
	s.st.FlowStates[fs.ID] = fs
	for _, t := range s.st.OneTimeTokens {
		if t.UserID == u.ID && t.Type == typ {
			t.FlowStateID = fs.ID
		}
	}
	return nil
}

// handleOTP: POST /otp sends a magic link / email OTP or an SMS code,
// creating the user unless create_user is false.
func (s *Server) handleOTP(w http.ResponseWriter, r *http.Request) error {
	var p otpParams
	if err := decode(r, &p); err != nil {
		return err
	}
	if p.RedirectTo == "" {
		p.RedirectTo = r.URL.Query().Get("redirect_to")
	}
	create := p.CreateUser == nil || *p.CreateUser
	// With create_user false the server looks the user up first and
	// answers otp_disabled for an address or number it cannot validate.
	if !create && !validContact(p.Email, p.Phone) {
		return unprocessable("otp_disabled", "Signups not allowed for otp")
	}
	switch {
	case p.Email != "":
		return s.emailOTP(w, r, p, create)
	case p.Phone != "":
		if s.cfg.DisablePhone {
			return badRequest("phone_provider_disabled", "Unsupported phone provider")
		}
		phone, err := validatePhone(p.Phone)
		if err != nil {
			return err
		}
		u := s.st.userByPhone(phone)
		if err := s.otpSignup(u == nil, create); err != nil {
			return err
		}
		if err := s.maySMS(u, phone, "sms"); err != nil {
			return err
		}
		if u == nil {
			u = s.createUser(newUserParams{Phone: phone, Data: p.Data, MirrorIdentity: true})
		}
		s.sendSMS(r, u, phone, "sms")
		id := "test-otp"
		if _, ok := s.cfg.TestOTP[phone]; !ok {
			id = "emulator-" + randomToken(12)
		}
		writeJSON(w, http.StatusOK, obj{{"message_id", id}})
		return nil
	}
	return validation("One of email or phone must be set")
}

// validContact reports whether the email (or, without one, the phone)
// passes the server's validation.
func validContact(email, phone string) bool {
	var err error
	if email != "" {
		_, err = validateEmail(email)
	} else if phone != "" {
		_, err = validatePhone(phone)
	}
	return err == nil
}

func (s *Server) emailOTP(w http.ResponseWriter, r *http.Request, p otpParams, create bool) error {
	if s.cfg.DisableEmail {
		return unprocessable("email_provider_disabled", "Email logins are disabled")
	}
	email, err := validateEmail(p.Email)
	if err != nil {
		return err
	}
	u := s.st.userByEmail(email)
	if err := s.otpSignup(u == nil, create); err != nil {
		return err
	}
	// A new user gets a magic link, confirmed at once under autoconfirm,
	// else a confirmation email.
	typ := "magiclink"
	if u == nil && s.cfg.ConfirmEmail {
		typ = "signup"
	}
	if err := s.mayEmail(u, typ); err != nil {
		return err
	}
	if u == nil {
		u = s.createUser(newUserParams{Email: email, Data: p.Data, MirrorIdentity: true})
		if !s.cfg.ConfirmEmail {
			confirmEmail(u, s.now())
		}
	}
	s.sendEmail(r, u, email, typ, p.RedirectTo)
	if err := s.pkceFlow(p, u, typ); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, obj{})
	return nil
}

func (s *Server) handleMagicLink(w http.ResponseWriter, r *http.Request) error {
	var p otpParams
	if err := decode(r, &p); err != nil {
		return err
	}
	if p.Email == "" {
		return unprocessable("validation_failed", "Password recovery requires an email")
	}
	return s.emailOTP(w, r, p, true)
}

func (s *Server) handleRecover(w http.ResponseWriter, r *http.Request) error {
	var p otpParams
	if err := decode(r, &p); err != nil {
		return err
	}
	if p.Email == "" {
		return validation("Password recovery requires an email")
	}
	email, err := validateEmail(p.Email)
	if err != nil {
		return err
	}
	if u := s.st.userByEmail(email); u != nil {
		if err := s.mayEmail(u, "recovery"); err != nil {
			return err
		}
		s.sendEmail(r, u, email, "recovery", p.RedirectTo)
		if err := s.pkceFlow(p, u, "recovery"); err != nil {
			return err
		}
	}
	writeJSON(w, http.StatusOK, obj{})
	return nil
}

func (s *Server) handleResend(w http.ResponseWriter, r *http.Request) error {
	var p struct {
		Type       string `json:"type"`
		Email      string `json:"email"`
		Phone      string `json:"phone"`
		RedirectTo string `json:"redirect_to"`
	}
	if err := decode(r, &p); err != nil {
		return err
	}
	switch p.Type {
	case "signup", "email_change":
		if p.Email == "" {
			return validation("Type provided requires an email address")
		}
	case "sms", "phone_change":
		if p.Phone == "" {
			return validation("Type provided requires a phone number")
		}
	default:
		return validation("Missing one of these types: signup, email_change, sms, phone_change")
	}
	var err error
	switch {
	case p.Email != "" && p.Phone != "":
		return validation("Only an email address or phone number should be provided.")
	case p.Email != "":
		if s.cfg.DisableEmail {
			return badRequest("email_provider_disabled", "Email logins are disabled")
		}
		p.Email, err = validateEmail(p.Email)
	case p.Phone != "":
		if s.cfg.DisablePhone {
			return badRequest("phone_provider_disabled", "Phone logins are disabled")
		}
		p.Phone, err = validatePhone(p.Phone)
	default:
		return validation("Missing email address or phone number")
	}
	if err != nil {
		return err
	}
	switch p.Type {
	case "signup":
		if u := s.st.userByEmail(p.Email); u != nil && u.EmailConfirmedAt == nil {
			if err = s.mayEmail(u, "signup"); err == nil {
				s.sendEmail(r, u, u.Email, "signup", p.RedirectTo)
			}
		}
	case "email_change":
		if u := s.st.userByEmail(p.Email); u != nil && u.NewEmail != "" {
			if err = s.mayEmail(u, "email_change_new"); err == nil {
				s.sendEmail(r, u, u.NewEmail, "email_change_new", p.RedirectTo)
			}
		}
	case "sms":
		if u := s.st.userByPhone(p.Phone); u != nil && u.PhoneConfirmedAt == nil {
			if err = s.maySMS(u, p.Phone, "sms"); err == nil {
				s.sendSMS(r, u, p.Phone, "sms")
			}
		}
	case "phone_change":
		for _, u := range s.st.Users {
			if u.NewPhone == p.Phone {
				if err = s.maySMS(u, p.Phone, "phone_change"); err == nil {
					s.sendSMS(r, u, p.Phone, "phone_change")
				}
			}
		}
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, obj{})
	return nil
}

type verifyParams struct {
	Type       string `json:"type"`
	Token      string `json:"token"`
	TokenHash  string `json:"token_hash"`
	Email      string `json:"email"`
	Phone      string `json:"phone"`
	RedirectTo string `json:"redirect_to"`
}

// ottTypes maps a verify type to the stored token types it accepts.
var ottTypes = map[string][]string{
	"signup":       {"signup", "invite", "magiclink"},
	"invite":       {"invite", "signup"},
	"magiclink":    {"magiclink", "signup", "invite"},
	"email":        {"magiclink", "signup", "invite", "email_change_new"},
	"recovery":     {"recovery", "magiclink"},
	"email_change": {"email_change_new", "email_change_current"},
	"sms":          {"sms"},
	"phone_change": {"phone_change"},
}

// verify consumes a token and returns the user it signs in, and the PKCE
// flow state the token belongs to, if any.
func (s *Server) verify(p verifyParams) (*user, string, error) {
	kinds, ok := ottTypes[p.Type]
	if !ok {
		return nil, "", validation("Invalid email verification type")
	}
	if p.Token == "" && p.TokenHash == "" {
		return nil, "", validation("Verify requires either a token or a token hash")
	}
	accepts := func(t *oneTimeToken) bool {
		for _, k := range kinds {
			if t.Type == k {
				return true
			}
		}
		return false
	}
	var t *oneTimeToken
	expired := forbidden("otp_expired", "Token has expired or is invalid")
	switch {
	case p.TokenHash != "":
		expired = forbidden("otp_expired", "Email link is invalid or has expired")
		t = s.findOTT(func(t *oneTimeToken) bool { return t.TokenHash == p.TokenHash && accepts(t) })
	case p.Phone != "" && p.Email == "":
		phone, err := validatePhone(p.Phone)
		if err != nil {
			return nil, "", err
		}
		if code, ok := s.cfg.TestOTP[phone]; ok && p.Type == "sms" {
			if code != p.Token {
				return nil, "", expired
			}
			if u := s.st.userByPhone(phone); u != nil {
				confirmPhone(u, s.now())
				return u, "", nil
			}
			return nil, "", expired
		}
		t = s.findOTT(func(t *oneTimeToken) bool { return t.Recipient == phone && t.OTP == p.Token && accepts(t) })
	case p.Email == "" || p.Phone != "":
		return nil, "", validation("Only an email address or phone number should be provided on verify")
	default:
		// The server answers 422 here, unlike everywhere else.
		email, err := validateEmail(p.Email)
		if err != nil {
			return nil, "", unprocessable("validation_failed", "Invalid email format")
		}
		t = s.findOTT(func(t *oneTimeToken) bool { return t.Recipient == email && t.OTP == p.Token && accepts(t) })
	}
	if t == nil {
		return nil, "", expired
	}
	u := s.st.loadUser(t.UserID)
	if u == nil {
		return nil, "", expired
	}
	// As the real server: a banned user's valid link signs nobody in.
	if u.banned(s.now()) {
		return nil, "", forbidden("user_banned", "User is banned")
	}
	s.st.deleteOTTs(func(x *oneTimeToken) bool { return x == t })
	now := s.now()
	switch t.Type {
	case "email_change_new", "email_change_current":
		if s.cfg.SecureEmailChange && u.EmailChangeConfirmed == 0 && s.hasOTT(u.ID, "email_change_new", "email_change_current") {
			u.EmailChangeConfirmed = 1
			return u, "", errConfirmOther
		}
		u.EmailChangeConfirmed = 0
		s.st.deleteOTTs(func(x *oneTimeToken) bool {
			return x.UserID == u.ID && (x.Type == "email_change_new" || x.Type == "email_change_current")
		})
		u.Email, u.NewEmail, u.EmailChangeSentAt = u.NewEmail, "", nil
		// The email identity now has the confirmed address, verified (a
		// user without one, e.g. anonymous or phone-only, gets one).
		if id := s.identityOf(u, "email"); id != nil {
			id.Email = u.Email
			id.IdentityData["email"], id.IdentityData["email_verified"] = u.Email, true
		} else {
			s.addIdentity(u, "email", u.ID, map[string]any{"email_verified": true})
		}
		confirmEmail(u, now)
	case "sms":
		confirmPhone(u, now)
	case "phone_change":
		s.confirmPhoneChange(u)
	case "signup", "invite":
		confirmEmail(u, now)
		s.markEmailIdentitiesVerified(u)
	default:
		// recovery and magic links confirm the user, not an identity
		confirmEmail(u, now)
	}
	return u, t.FlowStateID, nil
}

// errConfirmOther: one address of a secure email change is confirmed, the
// other one still has to be.
var errConfirmOther = errors.New("the other address of the email change has to confirm too")

const confirmOtherMsg = "Confirmation link accepted. Please proceed to confirm link sent to the other email"

// hasOTT reports whether the user has an outstanding token of one of types.
func (s *Server) hasOTT(userID string, types ...string) bool {
	return s.findOTT(func(t *oneTimeToken) bool { return t.UserID == userID && slices.Contains(types, t.Type) }) != nil
}

func (s *Server) handleVerifyPost(w http.ResponseWriter, r *http.Request) error {
	var p verifyParams
	if err := decode(r, &p); err != nil {
		return err
	}
	u, _, err := s.verify(p)
	if err == nil {
		u = s.st.loadUser(u.ID) // the server answers the user as stored: confirmed_at filled
	}
	if errors.Is(err, errConfirmOther) {
		writeJSON(w, http.StatusOK, obj{{"code", "200"}, {"msg", confirmOtherMsg}})
		return nil
	}
	if err != nil {
		return err
	}
	resp, err := s.signIn(u, "otp")
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

// handleVerifyGet is the emailed link: 303 to redirect_to with the session
// (or the error) in the fragment.
func (s *Server) handleVerifyGet(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	p := verifyParams{Type: q.Get("type"), TokenHash: q.Get("token"), RedirectTo: q.Get("redirect_to")}
	target := s.redirectTarget(p.RedirectTo)
	u, flowID, err := s.verify(p)
	if fs := s.st.FlowStates[flowID]; err == nil && fs != nil {
		fs.UserID, fs.AuthCode = u.ID, newID()
		http.Redirect(w, r, withParam(s.redirectTarget(fs.RedirectTo), "code", fs.AuthCode), http.StatusSeeOther)
		return nil
	}
	frag := url.Values{}
	if errors.Is(err, errConfirmOther) {
		frag.Set("message", confirmOtherMsg)
	} else if err != nil {
		ae, _ := err.(*apiError)
		frag.Set("error", "access_denied")
		frag.Set("error_code", ae.Code)
		frag.Set("error_description", ae.Msg)
	} else {
		now := s.now()
		u.LastSignInAt = &now
		sess, rt := s.newSession(u, "otp")
		tok, exp, err := s.accessToken(u, sess)
		if err != nil {
			return err
		}
		frag.Set("access_token", tok)
		frag.Set("expires_at", strconv.FormatInt(exp, 10))
		frag.Set("expires_in", strconv.FormatInt(int64(s.cfg.JWTExp.Seconds()), 10))
		frag.Set("refresh_token", rt.Token)
		frag.Set("sb", "")
		frag.Set("token_type", "bearer")
		frag.Set("type", p.Type)
	}
	http.Redirect(w, r, target+"#"+frag.Encode(), http.StatusSeeOther)
	return nil
}

// otpSignup refuses a one-time code for an address without a user as the
// server does: without create_user the code is refused (otp_disabled);
// with it the server signs the address up, which sign-ups off refuse.
func (s *Server) otpSignup(newUser, create bool) error {
	switch {
	case !newUser:
		return nil
	case !create:
		return unprocessable("otp_disabled", "Signups not allowed for otp")
	}
	return s.signupAllowed()
}
