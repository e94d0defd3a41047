package users

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil/cmdutiltest"
)

// --all writes each page before asking for the next, so memory holds one
// page whatever the number of users; page numbers past 9 are followed.
func TestListAllStreamsPageByPage(t *testing.T) {
	const pages = 12
	var h *cmdutiltest.Harness
	h = cmdutiltest.New(t, func(w http.ResponseWriter, r *http.Request) {
		var page int
		fmt.Sscan(r.URL.Query().Get("page"), &page)
		if page > 1 && !strings.Contains(h.Stdout.String(), fmt.Sprintf("user-%02d@", page-1)) {
			t.Errorf("page %d requested before page %d was written", page, page-1)
		}
		if page < pages {
			w.Header().Set("Link", fmt.Sprintf(`</admin/users?page=%d&per_page=1>; rel="next", </admin/users?page=%d&per_page=1>; rel="last"`, page+1, pages))
		}
		w.Header().Set("Content-Type", "application/json")
		u := auth.User{ID: fmt.Sprintf("id-%02d", page), Email: fmt.Sprintf("user-%02d@example.com", page)}
		_ = json.NewEncoder(w).Encode(map[string]any{"users": []auth.User{u}, "aud": "authenticated"})
	})
	h.F.Flags.JSON = true
	if err := runList(context.Background(), &ListOptions{F: h.F, Page: 1, PerPage: 1, All: true}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(h.Stdout.String()), "\n")
	if len(lines) != pages || !strings.Contains(lines[pages-1], "user-12@") {
		t.Errorf("%d JSON lines, want %d ending with user-12:\n%s", len(lines), pages, h.Stdout.String())
	}
}
