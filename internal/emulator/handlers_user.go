package emulator

import (
	"net/http"
)

func (s *Server) handleGetUser(w http.ResponseWriter, r *http.Request) error {
	p, err := s.requireUser(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.userJSON(p.user))
	return nil
}

type updateUserParams struct {
	Email    string         `json:"email"`
	Phone    string         `json:"phone"`
	Password *string        `json:"password"`
	Nonce    string         `json:"nonce"`
	Data     map[string]any `json:"data"`
	Channel  string         `json:"channel"`
}

// handleUpdateUser: PUT /user, in the real server's order of checks.
// Reauthentication for password changes is off (the nonce is accepted and
// ignored). A new email needs confirming, except for an anonymous user when
// email autoconfirm is on; a new phone is confirmed at once when SMS
// autoconfirm is on.
func (s *Server) handleUpdateUser(w http.ResponseWriter, r *http.Request) error {
	pr, err := s.requireUser(r)
	if err != nil {
		return err
	}
	var p updateUserParams
	if err := decode(r, &p); err != nil {
		return err
	}
	if p.Email != "" {
		if p.Email, err = validateEmail(p.Email); err != nil {
			return err
		}
	}
	if p.Phone != "" {
		if p.Phone, err = validatePhone(p.Phone); err != nil {
			return err
		}
	}
	if p.Password != nil {
		if err := s.checkPasswordStrength(*p.Password); err != nil {
			return err
		}
	}
	u := pr.user
	newPassword := p.Password != nil && *p.Password != ""
	changesEmail := p.Email != "" && p.Email != u.Email
	changesPhone := p.Phone != "" && p.Phone != u.Phone
	if s.hasVerifiedFactor(u.ID) && (pr.session == nil || pr.session.AAL != "aal2") && (newPassword || changesEmail || changesPhone) {
		return newErr(http.StatusUnauthorized, "insufficient_aal", "AAL2 session is required to update email or password when MFA is enabled.")
	}
	if u.IsAnonymous && newPassword && p.Email == "" && p.Phone == "" {
		return unprocessable("validation_failed", "Updating password of an anonymous user without an email or phone is not allowed")
	}
	if changesEmail {
		if other := s.st.userByEmail(p.Email); other != nil && other.ID != u.ID {
			return unprocessable("email_exists", "A user with this email address has already been registered")
		}
	}
	if changesPhone {
		if other := s.st.userByPhone(p.Phone); other != nil && other.ID != u.ID {
			return unprocessable("phone_exists", "A user with this phone number has already been registered")
		}
	}
	var hash string
	if p.Password != nil {
		uid, old := u.ID, u.PasswordHash
		if newPassword && old != "" && s.passwordMatches(old, *p.Password) {
			return unprocessable("same_password", "New password should be different from the old password.")
		}
		if hash, err = s.hashPassword(*p.Password); err != nil {
			return err
		}
		if u = s.st.loadUser(uid); u == nil {
			return forbidden("user_not_found", "User from sub claim in JWT does not exist")
		}
	}
	directEmail := u.IsAnonymous && !s.cfg.ConfirmEmail
	if changesEmail && !directEmail {
		if err := s.mayEmail(u, "email_change_new"); err != nil {
			return err
		}
	}
	if changesPhone && s.cfg.ConfirmPhone {
		if err := s.maySMS(u, p.Phone, "phone_change"); err != nil {
			return err
		}
	}
	now := s.now()
	if hash != "" {
		s.changePassword(u, hash, pr.session)
	}
	if p.Data != nil {
		mergeMetadata(u.UserMetadata, p.Data)
	}
	if changesEmail {
		if directEmail {
			u.Email = p.Email
			u.IsAnonymous = false
			confirmEmail(u, now)
			s.addIdentity(u, "email", u.ID, map[string]any{"email_verified": true})
		} else {
			s.sendEmailChange(r, u, p.Email)
		}
	}
	if changesPhone {
		u.NewPhone = p.Phone
		if s.cfg.ConfirmPhone {
			s.sendSMS(r, u, p.Phone, "phone_change")
		} else {
			s.confirmPhoneChange(u)
		}
	}
	u.UpdatedAt = now
	writeJSON(w, http.StatusOK, s.userJSON(u))
	return nil
}

// sendEmailChange records newEmail as pending and mails its code; with
// secure email change the current address gets one too, and both must be
// verified.
func (s *Server) sendEmailChange(r *http.Request, u *user, newEmail string) {
	u.NewEmail = newEmail
	u.EmailChangeConfirmed = 0
	if s.cfg.SecureEmailChange && u.Email != "" {
		s.sendEmail(r, u, u.Email, "email_change_current", "")
	}
	s.sendEmail(r, u, newEmail, "email_change_new", "")
}

// changePassword stores a new password hash. Like the server, it revokes
// what the old password may have let someone else start: every pending
// confirmation, recovery, change and reauthentication token, and every
// other session.
func (s *Server) changePassword(u *user, hash string, current *session) {
	u.PasswordHash = hash
	u.ConfirmationSentAt, u.RecoverySentAt, u.EmailChangeSentAt, u.PhoneChangeSentAt, u.ReauthenticationSentAt = nil, nil, nil, nil, nil
	s.st.deleteOTTs(func(t *oneTimeToken) bool { return t.UserID == u.ID })
	s.st.deleteSessions(func(x *session) bool { return x.UserID == u.ID && (current == nil || x.ID != current.ID) })
}

// confirmPhoneChange makes u.NewPhone the user's phone, with a verified
// phone identity.
func (s *Server) confirmPhoneChange(u *user) {
	u.Phone, u.NewPhone, u.PhoneChangeSentAt = u.NewPhone, "", nil
	now := s.now()
	u.PhoneConfirmedAt = &now
	u.IsAnonymous = false
	if id := s.identityOf(u, "phone"); id != nil {
		id.IdentityData["phone"], id.IdentityData["phone_verified"], id.UpdatedAt = u.Phone, true, now
	} else {
		s.addIdentity(u, "phone", u.ID, map[string]any{"phone": u.Phone, "phone_verified": true})
	}
	u.UpdatedAt = now
}

// hasVerifiedFactor reports whether the user has MFA on.
func (s *Server) hasVerifiedFactor(userID string) bool {
	for _, f := range s.st.factorsOf(userID) {
		if f.Status == "verified" {
			return true
		}
	}
	return false
}

// mergeMetadata merges src into dst; null values remove keys.
func mergeMetadata(dst, src map[string]any) {
	for k, v := range src {
		if v == nil {
			delete(dst, k)
		} else {
			dst[k] = v
		}
	}
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) error {
	scope := r.URL.Query().Get("scope")
	if scope == "" {
		scope = "global"
	}
	if scope != "global" && scope != "local" && scope != "others" {
		return validation("Unsupported logout scope %q", scope)
	}
	p, err := s.requireUser(r)
	if err != nil {
		return err
	}
	s.audit(p.user, "logout", nil)
	if p.session != nil {
		cur := p.session.ID
		s.st.deleteSessions(func(x *session) bool {
			switch scope {
			case "local":
				return x.ID == cur
			case "others":
				return x.UserID == p.user.ID && x.ID != cur
			}
			return x.UserID == p.user.ID
		})
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) handleReauthenticate(w http.ResponseWriter, r *http.Request) error {
	p, err := s.requireUser(r)
	if err != nil {
		return err
	}
	u := p.user
	switch {
	case u.Email != "":
		if err := s.mayEmail(u, "reauthentication"); err != nil {
			return err
		}
		s.sendEmail(r, u, u.Email, "reauthentication", "")
	case u.Phone != "":
		if err := s.maySMS(u, u.Phone, "reauthentication"); err != nil {
			return err
		}
		s.sendSMS(r, u, u.Phone, "reauthentication")
	default:
		return validation("Reauthentication requires the user to have an email or a phone number")
	}
	writeJSON(w, http.StatusOK, obj{})
	return nil
}
