package cmdutil

import (
	"strings"
	"testing"
)

func TestEndpoints(t *testing.T) {
	cases := []struct{ in, auth, project string }{
		{"https://abcd.supabase.co", "https://abcd.supabase.co/auth/v1", "https://abcd.supabase.co"},
		{"http://127.0.0.1:54321", "http://127.0.0.1:54321/auth/v1", "http://127.0.0.1:54321"},
		{"http://localhost:9999", "http://localhost:9999/auth/v1", "http://localhost:9999"},
		{"https://abcd.supabase.co/auth/v1/", "https://abcd.supabase.co/auth/v1", "https://abcd.supabase.co"},
		{"http://127.0.0.1:9998/", "http://127.0.0.1:9998", "http://127.0.0.1:9998"},
		{"https://auth.example.com/gotrue", "https://auth.example.com/gotrue", "https://auth.example.com"},
	}
	for _, c := range cases {
		auth, project, err := Endpoints(c.in)
		if err != nil || auth != c.auth || project != c.project {
			t.Errorf("Endpoints(%q) = %q, %q, %v; want %q, %q", c.in, auth, project, err, c.auth, c.project)
		}
	}
	for _, bad := range []string{"", "localhost:9999", "ftp://x", "https://user:secret@x.supabase.co"} {
		_, _, err := Endpoints(bad)
		if err == nil {
			t.Errorf("Endpoints(%q) accepted", bad)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("error quotes the credentials: %v", err)
		}
	}
}
