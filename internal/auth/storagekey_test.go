package auth

import "testing"

func TestStorageKeyFor(t *testing.T) {
	for in, want := range map[string]string{
		"https://abcdefghijklmnop.supabase.co":         "sb-abcdefghijklmnop-auth-token",
		"https://abcdefghijklmnop.supabase.co/auth/v1": "sb-abcdefghijklmnop-auth-token",
		"http://127.0.0.1:54321":                       "sb-127-auth-token",
		"http://localhost:9999":                        "sb-localhost-auth-token",
		"::not a url":                                  DefaultStorageKey,
	} {
		if got := StorageKeyFor(in); got != want {
			t.Errorf("StorageKeyFor(%q) = %q, want %q", in, got, want)
		}
	}
}
