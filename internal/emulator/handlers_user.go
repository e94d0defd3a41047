package emulator

import (
	"net/http"
	"strings"
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

// handleUpdateUser: PUT /user. Reauthentication for password changes is off
// (the nonce is accepted and ignored), email changes need the new address
// confirmed, except for anonymous users who get the address directly.
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
	var hash string
	if p.Password != nil {
		if err := checkPasswordStrength(*p.Password); err != nil {
			return err
		}
		uid, old := pr.user.ID, pr.user.PasswordHash
		if old != "" && s.passwordMatches(old, *p.Password) {
			return unprocessable("same_password", "New password should be different from the old password.")
		}
		if hash, err = s.hashPassword(*p.Password); err != nil {
			return err
		}
		if pr.user = s.st.loadUser(uid); pr.user == nil {
			return forbidden("user_not_found", "User from sub claim in JWT does not exist")
		}
	}
	u, now := pr.user, s.now()
	// Refuse before changing anything.
	if p.Email != "" && !strings.EqualFold(p.Email, u.Email) {
		if other := s.st.userByEmail(p.Email); other != nil && other.ID != u.ID {
			return unprocessable("email_exists", "A user with this email address has already been registered")
		}
	}
	if p.Phone != "" && p.Phone != u.Phone {
		if other := s.st.userByPhone(p.Phone); other != nil && other.ID != u.ID {
			return unprocessable("phone_exists", "A user with this phone number has already been registered")
		}
	}
	if p.Data != nil {
		mergeMetadata(u.UserMetadata, p.Data)
	}
	if hash != "" {
		u.PasswordHash = hash
		if pr.session != nil {
			keep := pr.session.ID
			s.st.deleteSessions(func(x *session) bool { return x.UserID == u.ID && x.ID != keep })
		}
	}
	if p.Email != "" && !strings.EqualFold(p.Email, u.Email) {
		if u.IsAnonymous || u.Email == "" {
			u.Email = p.Email
			u.IsAnonymous = false
			confirmEmail(u, now)
			s.addIdentity(u, "email", u.ID, map[string]any{"email_verified": true})
		} else {
			u.NewEmail = p.Email
			u.EmailChangeSentAt = &now
			s.sendEmail(r, u, p.Email, "email_change_new", "")
		}
	}
	if p.Phone != "" && p.Phone != u.Phone {
		if u.Phone == "" || u.IsAnonymous {
			u.Phone = p.Phone
			u.IsAnonymous = false
			confirmPhone(u, now)
			s.addIdentity(u, "phone", u.ID, nil)
		} else {
			u.NewPhone = p.Phone
			u.PhoneChangeSentAt = &now
			s.sendSMS(r, u, p.Phone, "phone_change")
		}
	}
	u.UpdatedAt = now
	writeJSON(w, http.StatusOK, s.userJSON(u))
	return nil
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
	u, now := p.user, s.now()
	switch {
	case u.Email != "":
		s.sendEmail(r, u, u.Email, "reauthentication", "")
	case u.Phone != "":
		s.sendSMS(r, u, u.Phone, "reauthentication")
	default:
		return unprocessable("validation_failed", "Reauthentication requires the user to have an email or a phone number")
	}
	u.ReauthenticationSentAt = &now
	writeJSON(w, http.StatusOK, obj{})
	return nil
}
