package emulator

import (
	"strings"
)

// auditQueryColumns are the payload fields each scope of GET /admin/audit's
// query=SCOPE:TEXT searches, as the real server has them.
var auditQueryColumns = map[string][]string{
	"author": {"actor_username", "actor_name"},
	"action": {"action"},
	"type":   {"log_type"},
}

// filterAudit keeps the entries the query parameter selects: a
// case-insensitive substring of any of the scope's fields (the server's
// ILIKE '%TEXT%'). An unknown scope, or one without ':', is a 400.
func filterAudit(entries []*auditEntry, query string) ([]*auditEntry, error) {
	if query == "" {
		return entries, nil
	}
	scope, text, ok := strings.Cut(query, ":")
	cols, known := auditQueryColumns[scope]
	if !ok || !known {
		return nil, validation("Invalid query scope: %s", query)
	}
	if text == "" {
		return entries, nil
	}
	text = strings.ToLower(text)
	var out []*auditEntry
	for _, e := range entries {
		for _, c := range cols {
			if v, _ := e.Payload[c].(string); strings.Contains(strings.ToLower(v), text) {
				out = append(out, e)
				break
			}
		}
	}
	return out, nil
}
