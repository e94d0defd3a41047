package emulator

import (
	"net/http"
	"net/url"
	"time"

	"github.com/google/uuid"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

const challengeExpiry = 5 * time.Minute

// mfaUser authenticates a user that may manage factors (not anonymous).
func (s *Server) mfaUser(r *http.Request) (*principal, error) {
	p, err := s.requireUser(r)
	if err != nil {
		return nil, err
	}
	if p.user.IsAnonymous {
		return nil, forbidden("no_authorization", "Anonymous user not allowed to perform these actions")
	}
	if p.session == nil {
		return nil, internal("A valid session and a registered user are required to enroll a factor")
	}
	return p, nil
}

func (s *Server) handleEnroll(w http.ResponseWriter, r *http.Request) error {
	p, err := s.mfaUser(r)
	if err != nil {
		return err
	}
	var params struct {
		FactorType   string `json:"factor_type"`
		FriendlyName string `json:"friendly_name"`
		Issuer       string `json:"issuer"`
		Phone        string `json:"phone"`
	}
	if err := decode(r, &params); err != nil {
		return err
	}
	switch params.FactorType {
	case "totp", "phone", "webauthn":
		if err := s.mfaDisabled(params.FactorType, "enroll"); err != nil {
			return err
		}
	default:
		return validation("factor_type needs to be totp, phone, or webauthn")
	}
	var phone string
	if params.FactorType == "phone" {
		if params.Phone == "" {
			return validation("Phone number required to enroll Phone factor")
		}
		if phone, err = validatePhone(params.Phone); err != nil {
			return err
		}
	}
	verified := 0
	for _, f := range s.st.factorsOf(p.user.ID) {
		if f.FriendlyName == params.FriendlyName {
			return unprocessable("mfa_factor_name_conflict", "A factor with the friendly name %q for this user already exists", params.FriendlyName)
		}
		if f.Status == "verified" {
			verified++
		}
		if phone != "" && f.Phone == phone && f.Status == "verified" {
			return unprocessable("phone_factor_already_exists", "A verified phone factor already exists, unenroll the existing factor to continue")
		}
	}
	if verified > 0 && p.session.AAL != "aal2" {
		return forbidden("insufficient_aal", "AAL2 required to enroll a new factor")
	}
	now := s.now()
	f := &factor{ID: newID(), UserID: p.user.ID, FriendlyName: params.FriendlyName, FactorType: params.FactorType,
		Status: "unverified", Phone: phone, CreatedAt: now, UpdatedAt: now}
	resp := obj{{"id", f.ID}, {"type", f.FactorType}, {"friendly_name", f.FriendlyName}}
	switch f.FactorType {
	case "webauthn": // the key is registered by the first challenge
	case "phone":
		resp = resp.add("phone", phone)
	default:
		issuer := params.Issuer
		if issuer == "" {
			if u, err := url.Parse(s.cfg.SiteURL); err == nil {
				issuer = u.Host
			}
		}
		account := p.user.Email
		if account == "" {
			account = p.user.Phone // pquerna/otp needs an account name
		}
		key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account})
		if err != nil {
			return internal("Error generating QR Code")
		}
		qrCode, err := qrSVG(key.String())
		if err != nil {
			return internal("Error generating QR Code")
		}
		f.Secret = key.Secret()
		resp = resp.add("totp", obj{{"qr_code", qrCode}, {"secret", key.Secret()}, {"uri", key.String()}})
	}
	s.st.putFactor(f)
	writeJSON(w, http.StatusOK, resp)
	return nil
}

// userFactor finds one of the caller's factors by the {id} path segment.
func (s *Server) userFactor(r *http.Request, userID string) (*factor, error) {
	if _, err := uuid.Parse(r.PathValue("id")); err != nil {
		return nil, notFound("validation_failed", "factor_id must be an UUID")
	}
	f := s.st.Factors[r.PathValue("id")]
	if f == nil || f.UserID != userID {
		return nil, notFound("mfa_factor_not_found", "Factor not found")
	}
	return f, nil
}

func (s *Server) handleChallenge(w http.ResponseWriter, r *http.Request) error {
	p, err := s.mfaUser(r)
	if err != nil {
		return err
	}
	f, err := s.userFactor(r, p.user.ID)
	if err != nil {
		return err
	}
	if err := s.mfaDisabled(f.FactorType, "verify"); err != nil {
		return err
	}
	var params struct {
		Channel string `json:"channel"`
	}
	if err := decodeOptional(r, &params); err != nil {
		return err
	}
	now := s.now()
	c := &challenge{ID: newID(), FactorID: f.ID, CreatedAt: now}
	if f.FactorType == "phone" {
		if params.Channel != "" && params.Channel != "sms" && params.Channel != "whatsapp" {
			return validation("Invalid channel: must be sms or whatsapp")
		}
		if err := s.tooSoon(f.LastChallengedAt, "over_sms_send_rate_limit", s.cfg.SMSMaxFrequency); err != nil {
			return err
		}
		if s.cfg.FailSMS {
			return internal("error sending message") // MFA codes never use test OTPs
		}
		// Test OTPs do not apply to MFA: the code is always random and
		// can be read from /emulator/messages.
		c.OTP = randomDigits(otpLength)
		s.st.Messages = append(s.st.Messages, &message{To: f.Phone, Type: "mfa_challenge", OTP: c.OTP, CreatedAt: now})
	}
	resp := obj{{"id", c.ID}, {"type", f.FactorType}, {"expires_at", now.Add(challengeExpiry).Unix()}}
	if f.FactorType == "webauthn" {
		ceremony, err := s.beginWebAuthnChallenge(p.user, f, c)
		if err != nil {
			return err
		}
		resp = resp.add("webauthn", ceremony)
	}
	// saving last_challenged_at moves updated_at too, as on the server
	f.LastChallengedAt, f.UpdatedAt = &now, now
	s.st.Challenges[c.ID] = c
	writeJSON(w, http.StatusOK, resp)
	return nil
}

func (s *Server) handleVerifyFactor(w http.ResponseWriter, r *http.Request) error {
	p, err := s.mfaUser(r)
	if err != nil {
		return err
	}
	f, err := s.userFactor(r, p.user.ID)
	if err != nil {
		return err
	}
	var params struct {
		ChallengeID string          `json:"challenge_id"`
		Code        string          `json:"code"`
		WebAuthn    *webAuthnParams `json:"webauthn"`
	}
	if err := decode(r, &params); err != nil {
		return err
	}
	if f.FactorType == "webauthn" && !s.cfg.MFAWebAuthnVerify {
		// The server's verify names the wrong switch in its code.
		return unprocessable("mfa_webauthn_enroll_not_enabled", "MFA verification is disabled for WebAuthn")
	}
	if err := s.mfaDisabled(f.FactorType, "verify"); err != nil {
		return err
	}
	if f.FactorType == "webauthn" {
		if err := params.WebAuthn.check(); err != nil {
			return err
		}
	}
	c := s.st.Challenges[params.ChallengeID]
	if c == nil || c.FactorID != f.ID {
		return unprocessable("mfa_factor_not_found", "MFA factor with the provided challenge ID not found")
	}
	now := s.now()
	if now.After(c.CreatedAt.Add(challengeExpiry)) {
		delete(s.st.Challenges, c.ID)
		return unprocessable("mfa_challenge_expired", "MFA challenge %s has expired, verify against another challenge or create a new challenge.", c.ID)
	}
	method := "totp"
	switch f.FactorType {
	case "webauthn":
		method = "mfa/webauthn"
		if err := s.finishWebAuthnChallenge(p.user, f, c, params.WebAuthn); err != nil {
			return err
		}
	case "phone":
		method = "mfa/phone"
		if params.Code != c.OTP {
			return unprocessable("mfa_verification_failed", "Invalid MFA Phone code entered")
		}
	default:
		ok, _ := totp.ValidateCustom(params.Code, f.Secret, now, totp.ValidateOpts{Period: 30, Skew: 1, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if !ok {
			return unprocessable("mfa_verification_failed", "Invalid TOTP code entered")
		}
	}
	delete(s.st.Challenges, c.ID)
	f.Status = "verified"
	// Every verification drops the user's unverified factors of its kind.
	for id, o := range s.st.Factors {
		if o.UserID == f.UserID && o.FactorType == f.FactorType && o.Status != "verified" {
			delete(s.st.Factors, id)
		}
	}
	f.UpdatedAt = now
	sess := p.session
	sess.AAL, sess.FactorID, sess.UpdatedAt = "aal2", f.ID, now
	sess.AMR = append(sess.AMR, amrEntry{Method: method, Timestamp: now.Unix()})
	// As the server's verify does, the user's other sessions below aal2 end:
	// wherever the password alone was enough, the factor is now needed.
	s.st.deleteSessions(func(x *session) bool { return x.UserID == f.UserID && x.AAL != "aal2" })
	// The step-up starts a new refresh token in the same session.
	if old := s.activeRefreshToken(sess.ID); old != nil {
		old.Revoked, old.UpdatedAt = true, now
	}
	resp, err := s.tokenResponse(p.user, sess, s.newRefreshToken(sess, ""))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

func (s *Server) handleUnenroll(w http.ResponseWriter, r *http.Request) error {
	p, err := s.mfaUser(r)
	if err != nil {
		return err
	}
	f, err := s.userFactor(r, p.user.ID)
	if err != nil {
		return err
	}
	if f.Status == "verified" && p.session.AAL != "aal2" {
		return unprocessable("insufficient_aal", "AAL2 required to unenroll verified factor")
	}
	s.deleteFactor(f)
	writeJSON(w, http.StatusOK, obj{{"id", f.ID}})
	return nil
}

// deleteFactor removes a factor; sessions it raised to aal2 fall back to aal1.
func (s *Server) deleteFactor(f *factor) {
	delete(s.st.Factors, f.ID)
	for id, c := range s.st.Challenges {
		if c.FactorID == f.ID {
			delete(s.st.Challenges, id)
		}
	}
	for _, sess := range s.st.Sessions {
		if sess.FactorID == f.ID {
			sess.AAL, sess.FactorID = "aal1", ""
		}
	}
}

// adminFactor finds the {factor_id} factor of the {id} user.
func (s *Server) adminFactor(r *http.Request) (*factor, error) {
	u, err := s.pathUser(r)
	if err != nil {
		return nil, err
	}
	if _, err := uuid.Parse(r.PathValue("factor_id")); err != nil {
		return nil, notFound("mfa_factor_not_found", "Factor not found")
	}
	f := s.st.Factors[r.PathValue("factor_id")]
	if f == nil || f.UserID != u.ID {
		return nil, notFound("mfa_factor_not_found", "Factor not found")
	}
	return f, nil
}

func (s *Server) handleAdminListFactors(w http.ResponseWriter, r *http.Request) error {
	u, err := s.pathUser(r)
	if err != nil {
		return err
	}
	out := []obj{}
	for _, f := range s.st.factorsOf(u.ID) {
		out = append(out, factorJSON(f))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) handleAdminUpdateFactor(w http.ResponseWriter, r *http.Request) error {
	f, err := s.adminFactor(r)
	if err != nil {
		return err
	}
	var params struct {
		FriendlyName string `json:"friendly_name"`
	}
	if err := decode(r, &params); err != nil {
		return err
	}
	if params.FriendlyName != "" {
		f.FriendlyName = params.FriendlyName
		f.UpdatedAt = s.now()
	}
	writeJSON(w, http.StatusOK, factorJSON(f))
	return nil
}

func (s *Server) handleAdminDeleteFactor(w http.ResponseWriter, r *http.Request) error {
	f, err := s.adminFactor(r)
	if err != nil {
		return err
	}
	s.deleteFactor(f)
	writeJSON(w, http.StatusOK, factorJSON(f))
	return nil
}

// mfaDisabled is the server's answer to enrolling ("enroll") or
// challenging and verifying ("verify") a factor of a kind whose step the
// project turned off (MFA_TOTP_ENROLL_ENABLED=false and the like).
func (s *Server) mfaDisabled(factorType, step string) error {
	off := map[string]bool{
		"totp enroll": s.cfg.DisableTOTPEnroll, "totp verify": s.cfg.DisableTOTPVerify,
		"phone enroll": s.cfg.DisablePhoneEnroll, "phone verify": s.cfg.DisablePhoneVerify,
		"webauthn enroll": !s.cfg.MFAWebAuthnEnroll, "webauthn verify": !s.cfg.MFAWebAuthnVerify,
	}
	if !off[factorType+" "+step] {
		return nil
	}
	kind := map[string]string{"totp": "TOTP", "phone": "Phone", "webauthn": "WebAuthn"}[factorType]
	if step == "enroll" {
		return unprocessable("mfa_"+factorType+"_enroll_not_enabled", "MFA enroll is disabled for %s", kind)
	}
	return unprocessable("mfa_"+factorType+"_verify_not_enabled", "MFA verification is disabled for %s", kind)
}
