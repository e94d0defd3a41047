package emulator

import (
	"net/http"
	"slices"
	"time"
)

// auditEntry is one line of the audit log (GET /admin/audit).
type auditEntry struct {
	ID        string         `json:"id"`
	Payload   map[string]any `json:"payload"`
	CreatedAt time.Time      `json:"created_at"`
}

// auditLogTypes maps actions to the server's log types.
var auditLogTypes = map[string]string{
	"login": "account", "logout": "account", "user_signedup": "team", "user_invited": "team",
	"user_deleted": "team", "token_refreshed": "token", "token_revoked": "token", "user_modified": "user",
	"user_recovery_requested": "user", "user_updated_password": "user", "identity_linked": "user",
	"identity_unlinked": "user", "factor_in_progress": "factor", "factor_unenrolled": "factor",
	"passkey_created": "user", "passkey_updated": "user", "passkey_deleted": "user",
}

// audit records action by actor (nil: the service role).
func (s *Server) audit(actor *user, action string, traits map[string]any) {
	p := map[string]any{"action": action, "actor_id": "00000000-0000-0000-0000-000000000000",
		"actor_username": "service_role", "actor_via_sso": false, "log_type": auditLogTypes[action]}
	if actor != nil {
		p["actor_id"] = actor.ID
		p["actor_username"] = actor.Email
		if actor.Email == "" {
			p["actor_username"] = actor.Phone
		}
	}
	if traits != nil {
		p["traits"] = traits
	}
	s.st.Audit = append(s.st.Audit, &auditEntry{ID: newID(), Payload: p, CreatedAt: s.now()})
}

func providerTraits(u *user) map[string]any {
	p, _ := u.AppMetadata["provider"].(string)
	if p == "" {
		if u.IsAnonymous {
			p = "anonymous"
		} else {
			return nil
		}
	}
	return map[string]any{"provider": p}
}

func (s *Server) handleAdminAudit(w http.ResponseWriter, r *http.Request) error {
	entries, err := filterAudit(slices.Clone(s.st.Audit), r.URL.Query().Get("query"))
	if err != nil {
		return err
	}
	slices.Reverse(entries) // newest first
	start, end, err := paginate(w, r, len(entries))
	if err != nil {
		return err
	}
	out := []obj{}
	for _, e := range entries[start:end] {
		out = append(out, obj{{"id", e.ID}, {"payload", e.Payload}, {"created_at", fmtTime(e.CreatedAt)}, {"ip_address", ""}})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
