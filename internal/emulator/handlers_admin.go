package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

func (s *Server) handleAdminListUsers(w http.ResponseWriter, r *http.Request) error {
	ascending, err := sortAscending(r.URL.Query()["sort"])
	if err != nil {
		return err
	}
	filter := strings.ToLower(r.URL.Query().Get("filter"))
	all := s.st.sortedUsers()
	if ascending {
		slices.Reverse(all)
	}
	var users []*user
	for _, u := range all {
		if filter == "" || strings.Contains(strings.ToLower(u.Email), filter) || strings.Contains(u.Phone, filter) ||
			strings.Contains(strings.ToLower(fmt.Sprint(u.UserMetadata["full_name"])), filter) {
			users = append(users, u)
		}
	}
	start, end, err := paginate(w, r, len(users))
	if err != nil {
		return err
	}
	list := []obj{}
	for _, u := range users[start:end] {
		list = append(list, s.renderUser(u, false))
	}
	writeJSON(w, http.StatusOK, obj{{"users", list}, {"aud", "authenticated"}})
	return nil
}

// sortAscending reads sort=created_at [asc|desc] (the only sort field).
func sortAscending(values []string) (bool, error) {
	asc := false
	for _, v := range values {
		field, dir, _ := strings.Cut(v, " ")
		if field != "created_at" {
			return false, validation("Bad Sort Parameters: bad field for sort '%v'", field)
		}
		switch strings.ToUpper(dir) {
		case "ASC":
			asc = true
		case "", "DESC":
			asc = false
		default:
			return false, validation("Bad Sort Parameters: bad direction for sort '%v', only 'asc' and 'desc' allowed", dir)
		}
	}
	return asc, nil
}

// paginate reads page/per_page (defaults 1 and 50), sets the Link and
// X-Total-Count headers and returns the slice bounds of the page.
func paginate(w http.ResponseWriter, r *http.Request, n int) (int, int, error) {
	q := r.URL.Query()
	page, err := pageParam(q, "page", 1)
	if err != nil {
		return 0, 0, err
	}
	perPage, err := pageParam(q, "per_page", 50)
	if err != nil {
		return 0, 0, err
	}
	if perPage == 0 {
		return 0, 0, unhandled("Internal Server Error")
	}
	page = max(page, 1)
	total := uint64(n)
	start := min((page-1)*perPage, total)
	end := min(start+perPage, total)
	last := max((total+perPage-1)/perPage, 1)
	var links []string
	if page < last {
		links = append(links, pageLink(r, page+1)+`; rel="next"`)
	}
	links = append(links, pageLink(r, last)+`; rel="last"`)
	w.Header().Set("Link", strings.Join(links, ", "))
	w.Header().Set("X-Total-Count", strconv.FormatUint(total, 10))
	return int(start), int(end), nil
}

func pageParam(q url.Values, name string, def uint64) (uint64, error) {
	v := q.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return 0, validation("Bad Pagination Parameters: %v", err)
	}
	return n, nil
}

func pageLink(r *http.Request, page uint64) string {
	q := r.URL.Query()
	q.Set("page", strconv.FormatUint(page, 10))
	return "<" + r.URL.Path + "?" + q.Encode() + ">"
}

type adminUserParams struct {
	ID           string         `json:"id"`
	Email        *string        `json:"email"`
	Phone        *string        `json:"phone"`
	Password     *string        `json:"password"`
	PasswordHash string         `json:"password_hash"`
	EmailConfirm bool           `json:"email_confirm"`
	PhoneConfirm bool           `json:"phone_confirm"`
	UserMetadata map[string]any `json:"user_metadata"`
	AppMetadata  map[string]any `json:"app_metadata"`
	BanDuration  string         `json:"ban_duration"`
	Role         string         `json:"role"`
}

func (s *Server) handleAdminCreateUser(w http.ResponseWriter, r *http.Request) error {
	var p adminUserParams
	if err := decode(r, &p); err != nil {
		return err
	}
	var email, phone string
	var err error
	if p.Email != nil {
		email = *p.Email
	}
	if p.Phone != nil {
		phone = *p.Phone
	}
	// In the server's order: something to create, then the email checked
	// and looked up before the phone.
	if email == "" && phone == "" {
		return validation("Cannot create a user without either an email or phone")
	}
	if email != "" {
		if email, err = validateEmail(email); err != nil {
			return err
		}
	}
	if err := s.adminContactTaken(email, ""); err != nil {
		return err
	}
	if phone != "" {
		if phone, err = validatePhone(phone); err != nil {
			return err
		}
	}
	if err := s.adminContactTaken("", phone); err != nil {
		return err
	}
	hash := p.PasswordHash
	if hash != "" && !validHash(hash) {
		return internal("Error creating user")
	}
	if p.Password != nil && hash == "" {
		if err := s.checkPasswordStrength(*p.Password); err != nil {
			return err
		}
		if hash, err = s.hashPassword(*p.Password); err != nil {
			return err
		}
	}
	// again: the lock was released while hashing
	if err := s.adminContactTaken(email, phone); err != nil {
		return err
	}
	if p.ID != "" {
		id, err := uuid.Parse(p.ID)
		if err != nil {
			return validation("id must be a UUID")
		}
		if p.ID = id.String(); s.st.Users[p.ID] != nil {
			return unprocessable("user_already_exists", "User already exists")
		}
	}
	var ban *time.Time
	if p.BanDuration != "" {
		if ban, err = s.banUntil(p.BanDuration); err != nil {
			return err
		}
	}
	u := s.createUser(newUserParams{ID: p.ID, Email: email, Phone: phone, PasswordHash: hash, Data: p.UserMetadata, AppMetadata: p.AppMetadata})
	if id := s.identityOf(u, "phone"); id != nil {
		id.IdentityData["phone"] = phone
	}
	now := s.now()
	if p.EmailConfirm && email != "" {
		confirmEmail(u, now)
	}
	if p.PhoneConfirm && phone != "" {
		confirmPhone(u, now)
	}
	if p.Role != "" {
		u.Role = p.Role
	}
	u.BannedUntil = ban
	writeJSON(w, http.StatusOK, s.userJSON(u))
	return nil
}

// adminContactTaken refuses an email or phone another user has, with the
// admin create's messages.
func (s *Server) adminContactTaken(email, phone string) error {
	if email != "" && s.st.userByEmail(email) != nil {
		return unprocessable("email_exists", "A user with this email address has already been registered")
	}
	if phone != "" && s.st.userByPhone(phone) != nil {
		return unprocessable("phone_exists", "Phone number already registered by another user")
	}
	return nil
}

// banUntil parses ban_duration ("none" lifts a ban).
func (s *Server) banUntil(d string) (*time.Time, error) {
	if d == "none" {
		return nil, nil
	}
	dur, err := time.ParseDuration(d)
	if err != nil {
		return nil, validation("invalid format for ban duration: %v", err)
	}
	return ptr(s.now().Add(dur)), nil
}

// pathUser loads the user named by the {id} path segment.
func (s *Server) pathUser(r *http.Request) (*user, error) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		return nil, notFound("validation_failed", "user_id must be an UUID")
	}
	u := s.st.loadUser(id.String())
	if u == nil {
		return nil, notFound("user_not_found", "User not found")
	}
	return u, nil
}

func (s *Server) handleAdminGetUser(w http.ResponseWriter, r *http.Request) error {
	u, err := s.pathUser(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.userJSON(u))
	return nil
}

func (s *Server) handleAdminUpdateUser(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.pathUser(r); err != nil {
		return err
	}
	var p adminUserParams
	if err := decode(r, &p); err != nil {
		return err
	}
	// Validate everything before changing anything, in the server's order:
	// email, phone, ban, then the password. An empty email or phone leaves it
	// alone; any other is validated, even the user's own.
	var email, phone string
	var err error
	if p.Email != nil && *p.Email != "" {
		if email, err = validateEmail(*p.Email); err != nil {
			return err
		}
	}
	if p.Phone != nil && *p.Phone != "" {
		if phone, err = validatePhone(*p.Phone); err != nil {
			return err
		}
	}
	var ban *time.Time
	if p.BanDuration != "" {
		if ban, err = s.banUntil(p.BanDuration); err != nil {
			return err
		}
	}
	// The server reads no password_hash on update (only on create): the
	// password stays as it was.
	var hash string
	if p.Password != nil {
		if err := s.checkPasswordStrength(*p.Password); err != nil {
			return err
		}
		if hash, err = s.hashPassword(*p.Password); err != nil {
			return err
		}
	}
	u, err := s.pathUser(r) // reload: the lock was released while hashing
	if err != nil {
		return err
	}
	// The server does not look first: the database's unique indexes refuse.
	if email != "" {
		if other := s.st.userByEmail(email); other != nil && other.ID != u.ID {
			return uniqueViolation("Error updating user", "users_email_partial_key", "email", email)
		}
	} else {
		email = u.Email
	}
	if phone != "" {
		if other := s.st.userByPhone(phone); other != nil && other.ID != u.ID {
			return uniqueViolation("Error updating user", "users_phone_key", "phone", phone)
		}
	} else {
		phone = u.Phone
	}
	if p.BanDuration != "" {
		u.BannedUntil = ban
	}
	now := s.now()
	// The answer shows the identities as they were before this update, and
	// the ones it creates, as the server (which loaded them with the user)
	// does.
	shown := s.identitiesJSON(u)
	u.Email, u.Phone = email, phone
	if p.Email != nil && *p.Email != "" {
		shown = s.setAdminIdentity(u, "email", shown, obj{{"email", email}, {"email_verified", p.EmailConfirm}})
	}
	if p.Phone != nil && *p.Phone != "" {
		shown = s.setAdminIdentity(u, "phone", shown, obj{{"phone", phone}, {"phone_verified", p.PhoneConfirm}})
	}
	if hash != "" {
		u.PasswordHash = hash
	}
	if p.EmailConfirm {
		confirmEmail(u, now)
	}
	if p.PhoneConfirm {
		confirmPhone(u, now)
	}
	if p.UserMetadata != nil {
		mergeMetadata(u.UserMetadata, p.UserMetadata)
	}
	if p.AppMetadata != nil {
		maps.Copy(u.AppMetadata, p.AppMetadata)
	}
	if p.Role != "" {
		u.Role = p.Role
	}
	u.UpdatedAt = now
	writeJSON(w, http.StatusOK, s.renderUser(u, true).set("identities", shown))
	return nil
}

// setAdminIdentity gives the user's identity of provider the values of an
// admin update (its address and whether it is verified: the update's
// email_confirm or phone_confirm, false when left out, even for an identity
// verified before), creating it if the user has none; a created identity is
// added to shown. Like the server, it leaves app_metadata.providers alone.
func (s *Server) setAdminIdentity(u *user, provider string, shown []obj, values obj) []obj {
	id := s.identityOf(u, provider)
	created := id == nil
	if created {
		id = s.addIdentity(u, provider, u.ID, nil)
	}
	for _, v := range values {
		id.IdentityData[v.K] = v.V
	}
	if provider == "email" {
		id.Email = u.Email
	}
	id.UpdatedAt = s.now()
	if created {
		shown = append(shown, identityJSON(id))
	}
	return shown
}

func (s *Server) handleAdminDeleteUser(w http.ResponseWriter, r *http.Request) error {
	u, err := s.pathUser(r)
	if err != nil {
		return err
	}
	var p struct {
		ShouldSoftDelete bool `json:"should_soft_delete"`
	}
	if err := decodeOptional(r, &p); err != nil {
		return err
	}
	s.audit(nil, "user_deleted", map[string]any{"user_email": u.Email, "user_id": u.ID, "user_phone": u.Phone})
	if !p.ShouldSoftDelete {
		s.st.deleteUser(u.ID)
		writeJSON(w, http.StatusOK, obj{})
		return nil
	}
	s.softDelete(u)
	writeJSON(w, http.StatusOK, obj{})
	return nil
}

// softDelete keeps the row but obfuscates what identifies the user, like
// the server, so the address can be registered again.
func (s *Server) softDelete(u *user) {
	now := s.now()
	u.DeletedAt = &now
	u.Email, u.NewEmail = obfuscate(u.Email), obfuscate(u.Email)
	u.Phone, u.NewPhone = obfuscate(u.Phone)[:15], obfuscate(u.Phone)[:15]
	u.PasswordHash, u.LastSignInAt = "", nil
	u.AppMetadata, u.UserMetadata = map[string]any{}, map[string]any{}
	for _, id := range s.st.identitiesOf(u.ID) {
		id.ProviderID = obfuscate(id.ProviderID)
		id.IdentityData, id.Email = nil, ""
	}
	s.st.deleteSessions(func(x *session) bool { return x.UserID == u.ID })
}

func obfuscate(v string) string {
	sum := sha256.Sum256([]byte(v + newID()))
	return hex.EncodeToString(sum[:])
}
