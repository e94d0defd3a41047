package auth

import (
	"context"
	"time"
)

// AuditEntry is one entry of the server's audit log. Payload holds what the
// server recorded (action, actor_id, actor_username, log_type, traits, …) as
// it is: the set of fields grows with the server.
type AuditEntry struct {
	ID        string         `json:"id"`
	Payload   map[string]any `json:"payload"`
	CreatedAt time.Time      `json:"created_at"`
	IPAddress string         `json:"ip_address"`
}

// Field returns a string field of the payload ("" when absent).
func (e *AuditEntry) Field(name string) string {
	s, _ := e.Payload[name].(string)
	return s
}

// AuditListParams selects a page of the audit log. Query is the server's one
// filter, "SCOPE:TEXT" with SCOPE author (actor_username or actor_name),
// action or type (log_type): a case-insensitive substring match.
type AuditListParams struct {
	Page, PerPage int
	Query         string
}

// AuditPage is one page of the audit log, newest entry first.
type AuditPage struct {
	Entries  []AuditEntry
	Total    int // X-Total-Count
	NextPage int // 0 on the last page
	LastPage int
}

// ListAudit returns one page of the audit log: GET /admin/audit. The server
// keeps entries only when it is configured to (self-hosted:
// GOTRUE_AUDIT_LOG_DISABLE_POSTGRES unset or false).
func (a *AdminAPI) ListAudit(ctx context.Context, p AuditListParams) (*AuditPage, error) {
	q := pageQuery(p.Page, p.PerPage)
	if p.Query != "" {
		q.Set("query", p.Query)
	}
	var out AuditPage
	resp, err := a.do(ctx, Request{Method: "GET", Path: "/admin/audit", Query: q, MaxResponseBytes: adminListMaxBytes}, &out.Entries)
	if err != nil {
		return nil, err
	}
	if out.Entries == nil {
		out.Entries = []AuditEntry{}
	}
	out.Total = totalCount(resp.Header)
	out.NextPage, out.LastPage = LinkPages(resp.Header)
	return &out, nil
}
