package emulator

import "maps"

// userJSON renders a user in the server's field order.
func (s *Server) userJSON(u *user) obj { return s.renderUser(u, true) }

// renderUser renders a user; lists leave identities out (null) and factors
// out (absent), like the server which does not load them there.
func (s *Server) renderUser(u *user, full bool) obj {
	o := obj{{"id", u.ID}, {"aud", u.Aud}, {"role", u.Role}, {"email", u.Email}}
	o = o.addTime("email_confirmed_at", u.EmailConfirmedAt)
	o = o.addTime("invited_at", u.InvitedAt)
	o = o.add("phone", u.Phone)
	o = o.addTime("phone_confirmed_at", u.PhoneConfirmedAt)
	o = o.addTime("confirmation_sent_at", u.ConfirmationSentAt)
	o = o.addTime("confirmed_at", u.confirmedAt)
	o = o.addTime("recovery_sent_at", u.RecoverySentAt)
	o = o.addStr("new_email", u.NewEmail)
	o = o.addStr("new_phone", u.NewPhone)
	o = o.addTime("email_change_sent_at", u.EmailChangeSentAt)
	o = o.addTime("phone_change_sent_at", u.PhoneChangeSentAt)
	o = o.addTime("reauthentication_sent_at", u.ReauthenticationSentAt)
	o = o.addTime("last_sign_in_at", u.LastSignInAt)
	o = o.add("app_metadata", orEmpty(u.AppMetadata))
	o = o.add("user_metadata", orEmpty(u.UserMetadata))
	if fs := s.st.factorsOf(u.ID); full && len(fs) > 0 {
		list := make([]obj, 0, len(fs))
		for _, f := range fs {
			list = append(list, factorJSON(f))
		}
		o = o.add("factors", list)
	}
	if full {
		o = o.add("identities", s.identitiesJSON(u))
	} else {
		o = o.add("identities", nil)
	}
	o = o.add("created_at", fmtTime(u.CreatedAt)).add("updated_at", fmtTime(u.UpdatedAt))
	o = o.addTime("banned_until", u.BannedUntil)
	o = o.addTime("deleted_at", u.DeletedAt)
	return o.add("is_anonymous", u.IsAnonymous)
}

func orEmpty(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

// identitiesJSON renders the user's identities as they are now (a later
// change to an identity does not change what this returned).
func (s *Server) identitiesJSON(u *user) []obj {
	ids := []obj{}
	for _, i := range s.st.identitiesOf(u.ID) {
		ids = append(ids, identityJSON(i))
	}
	return ids
}

func identityJSON(i *identity) obj {
	o := obj{{"identity_id", i.ID}, {"id", i.ProviderID}, {"user_id", i.UserID}}
	if i.IdentityData != nil {
		o = o.add("identity_data", maps.Clone(i.IdentityData))
	}
	o = o.add("provider", i.Provider)
	o = o.addTime("last_sign_in_at", i.LastSignInAt)
	o = o.add("created_at", fmtTime(i.CreatedAt)).add("updated_at", fmtTime(i.UpdatedAt))
	return o.addStr("email", i.Email)
}

func factorJSON(f *factor) obj {
	o := obj{{"id", f.ID}, {"created_at", fmtTime(f.CreatedAt)}, {"updated_at", fmtTime(f.UpdatedAt)}, {"status", f.Status}}
	o = o.addStr("friendly_name", f.FriendlyName)
	o = o.add("factor_type", f.FactorType).add("phone", f.Phone)
	var lc any
	if f.LastChallengedAt != nil {
		lc = fmtTime(*f.LastChallengedAt)
	}
	o = o.add("last_challenged_at", lc)
	// After a successful WebAuthn verify the server also shows
	// last_webauthn_challenge_data: its go-webauthn (v0.16) session and
	// parsed response, kept "for customer verification". The emulator
	// leaves it out on purpose: the server omits it too (omitempty) until
	// the first verify and for other factor kinds, so clients handle its
	// absence, and supabase-js (auth-js's Factor type and code) never reads
	// it; copying another library version's internals byte for byte would
	// only look like fidelity.
	if aaguid := webAuthnAAGUID(f); aaguid != nil {
		o = o.add("web_authn_aaguid", aaguid)
	}
	return o
}
