package emulator

import (
	"maps"
	"time"
)

// newUserParams describes a user to create.
type newUserParams struct {
	ID           string // empty: a new random id
	Email, Phone string
	PasswordHash string
	// Data seeds user_metadata (sign-up `data`, admin `user_metadata`).
	Data map[string]any
	// AppMetadata is merged over the provider fields.
	AppMetadata map[string]any
	// MirrorIdentity copies the identity data into user_metadata (sign-ups).
	MirrorIdentity bool
	Anonymous      bool
}

// createUser stores a new user with its email or phone identity.
func (s *Server) createUser(p newUserParams) *user {
	now := s.now()
	if p.ID == "" {
		p.ID = newID()
	}
	u := &user{
		ID: p.ID, Aud: "authenticated", Role: "authenticated",
		Email: p.Email, Phone: p.Phone, PasswordHash: p.PasswordHash,
		AppMetadata: map[string]any{}, UserMetadata: map[string]any{},
		CreatedAt: now, UpdatedAt: now, IsAnonymous: p.Anonymous,
	}
	maps.Copy(u.UserMetadata, p.Data)
	s.st.putUser(u)
	// One identity for each of the email and the phone (the admin API can
	// give both; the first names app_metadata.provider), as the server
	// creates them.
	var providers []any
	for _, provider := range []string{"email", "phone"} {
		if (provider == "email" && p.Email == "") || (provider == "phone" && p.Phone == "") {
			continue
		}
		providers = append(providers, provider)
		data := map[string]any{}
		if p.MirrorIdentity {
			maps.Copy(data, p.Data)
		}
		id := s.addIdentity(u, provider, u.ID, data)
		if p.MirrorIdentity {
			maps.Copy(u.UserMetadata, id.IdentityData)
		}
	}
	if len(providers) > 0 {
		u.AppMetadata["provider"] = providers[0]
		u.AppMetadata["providers"] = providers
	}
	maps.Copy(u.AppMetadata, p.AppMetadata)
	return u
}

// addIdentity links a provider identity; data gets the standard claims.
func (s *Server) addIdentity(u *user, provider, providerID string, data map[string]any) *identity {
	now := s.now()
	if data == nil {
		data = map[string]any{}
	}
	data["sub"] = providerID
	if _, ok := data["email_verified"]; !ok {
		data["email_verified"] = false
	}
	if _, ok := data["phone_verified"]; !ok {
		data["phone_verified"] = false
	}
	id := &identity{ID: newID(), ProviderID: providerID, UserID: u.ID, Provider: provider,
		IdentityData: data, LastSignInAt: &now, CreatedAt: now, UpdatedAt: now}
	if u.Email != "" && provider != "phone" {
		data["email"] = u.Email
		id.Email = u.Email
	}
	s.st.putIdentity(id)
	return id
}

func (s *Server) identityOf(u *user, provider string) *identity {
	for _, i := range s.st.identitiesOf(u.ID) {
		if i.Provider == provider {
			return i
		}
	}
	return nil
}

// confirmEmail marks the email verified.
func confirmEmail(u *user, now time.Time) {
	if u.EmailConfirmedAt == nil {
		u.EmailConfirmedAt = &now
	}
	if u.UserMetadata == nil {
		u.UserMetadata = map[string]any{}
	}
	u.UserMetadata["email_verified"] = true
	u.UpdatedAt = now
}

// markEmailIdentitiesVerified sets email_verified in the identity data of
// every identity with the user's address, as the server does when a sign-up
// or invitation is confirmed (other confirmations change only
// user_metadata).
func (s *Server) markEmailIdentitiesVerified(u *user) {
	for _, id := range s.st.identitiesOf(u.ID) {
		if u.Email != "" && id.Email == u.Email {
			id.IdentityData["email_verified"] = true
		}
	}
}

// confirmPhone marks the phone verified.
func confirmPhone(u *user, now time.Time) {
	if u.PhoneConfirmedAt == nil {
		u.PhoneConfirmedAt = &now
	}
	u.UpdatedAt = now
}

// addProvider records provider in app_metadata.providers.
func addProvider(u *user, provider string) {
	list, _ := u.AppMetadata["providers"].([]any)
	for _, p := range list {
		if p == provider {
			return
		}
	}
	if _, ok := u.AppMetadata["provider"]; !ok {
		u.AppMetadata["provider"] = provider
	}
	u.AppMetadata["providers"] = append(list, provider)
}
