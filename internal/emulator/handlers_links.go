package emulator

import (
	"net/http"
)

func (s *Server) handleInvite(w http.ResponseWriter, r *http.Request) error {
	var p struct {
		Email      string         `json:"email"`
		Data       map[string]any `json:"data"`
		RedirectTo string         `json:"redirect_to"`
	}
	if err := decode(r, &p); err != nil {
		return err
	}
	u, err := s.invite(p.Email, p.Data)
	if err != nil {
		return err
	}
	s.sendEmail(r, u, u.Email, "invite", p.RedirectTo)
	writeJSON(w, http.StatusOK, s.userJSON(u))
	return nil
}

// invite creates (or re-invites) an unconfirmed user.
func (s *Server) invite(email string, data map[string]any) (*user, error) {
	email, err := validateEmail(email)
	if err != nil {
		return nil, err
	}
	u := s.st.userByEmail(email)
	if u != nil && u.EmailConfirmedAt != nil {
		return nil, unprocessable("email_exists", "A user with this email address has already been registered")
	}
	if u == nil {
		u = s.createUser(newUserParams{Email: email, Data: data})
	}
	s.audit(nil, "user_invited", map[string]any{"user_email": u.Email, "user_id": u.ID})
	now := s.now()
	u.InvitedAt, u.ConfirmationSentAt = &now, &now
	return u, nil
}

type generateLinkParams struct {
	Type       string         `json:"type"`
	Email      string         `json:"email"`
	NewEmail   string         `json:"new_email"`
	Password   string         `json:"password"`
	Data       map[string]any `json:"data"`
	RedirectTo string         `json:"redirect_to"`
}

// handleGenerateLink: the admin API that returns the email a user would
// get (action link, OTP, hashed token) instead of sending it.
func (s *Server) handleGenerateLink(w http.ResponseWriter, r *http.Request) error {
	var p generateLinkParams
	if err := decode(r, &p); err != nil {
		return err
	}
	switch p.Type {
	case "signup", "invite", "magiclink", "recovery", "email_change_current", "email_change_new":
	default:
		return validation("Invalid email action link type requested: %s", p.Type)
	}
	email, err := validateEmail(p.Email)
	if err != nil {
		return err
	}
	u := s.st.userByEmail(email)
	now := s.now()
	typ, to := p.Type, email
	switch p.Type {
	case "signup":
		if p.Password == "" {
			return validation("Signup requires a valid password")
		}
		if err := s.checkPasswordStrength(p.Password); err != nil {
			return err
		}
		if u != nil && u.EmailConfirmedAt != nil {
			return unprocessable("email_exists", "A user with this email address has already been registered")
		}
		if u == nil {
			hash, err := s.hashPassword(p.Password)
			if err != nil {
				return err
			}
			// The lock was released while hashing: look again.
			if u = s.st.userByEmail(email); u == nil {
				u = s.createUser(newUserParams{Email: email, PasswordHash: hash, Data: p.Data})
			}
		}
		u.ConfirmationSentAt = &now
	case "invite":
		if u, err = s.invite(email, p.Data); err != nil {
			return err
		}
	case "magiclink", "recovery":
		if u == nil {
			if p.Type == "recovery" {
				return notFound("user_not_found", "User with this email not found")
			}
			u = s.createUser(newUserParams{Email: email, Data: p.Data})
			u.ConfirmationSentAt = &now
			typ = "signup"
		} else {
			u.RecoverySentAt = &now
		}
	case "email_change_current", "email_change_new":
		// The server looks the user up first, then the setting, then the
		// new address.
		if u == nil {
			return notFound("user_not_found", "User with this email not found")
		}
		if p.Type == "email_change_current" && !s.cfg.SecureEmailChange {
			return validation("Enable secure email change to generate link for current email")
		}
		if to, err = validateEmail(p.NewEmail); err != nil {
			return err
		}
		if other := s.st.userByEmail(to); other != nil {
			return unprocessable("email_exists", "A user with this email address has already been registered")
		}
	}
	u.UpdatedAt = now
	if typ == "email_change_current" || typ == "email_change_new" {
		// Only the token asked for: the other side of a secure change
		// needs its own link.
		u.NewEmail, u.EmailChangeConfirmed = to, 0
		if typ == "email_change_current" {
			to = u.Email
		}
	}
	m := s.sendEmail(r, u, to, typ, p.RedirectTo)
	body := s.userJSON(u).
		add("action_link", m.ActionLink).add("email_otp", m.OTP).add("hashed_token", m.TokenHash).
		add("verification_type", typ).add("redirect_to", s.redirectTarget(p.RedirectTo))
	writeJSON(w, http.StatusOK, body)
	return nil
}
