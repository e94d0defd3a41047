package apikey

import (
	"encoding/base64"
	"strings"
	"testing"
)

func jwt(payload string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + enc([]byte(payload)) + ".c2ln"
}

func TestDescribe(t *testing.T) {
	for _, tc := range []struct {
		key  string
		want Info
		text string
	}{
		{"", Info{}, "not set"},
		{jwt(`{"iss":"supabase","ref":"abcd","role":"anon"}`), Info{Format: "jwt", Role: "anon", Ref: "abcd"}, `a JWT with role "anon" for project "abcd"`},
		{jwt(`{"role":"service_role"}`), Info{Format: "jwt", Role: "service_role"}, `a JWT with role "service_role"`},
		{jwt(`{"iss":"x"}`), Info{Format: "jwt"}, "a JWT without a role claim"},
		{"sb_publishable_abc", Info{Format: "publishable", Role: "anon"}, "a publishable key (sb_publishable_…)"},
		{"sb_secret_abc", Info{Format: "secret", Role: "service_role"}, "a secret key (sb_secret_…)"},
		{"garbage", Info{Format: "unknown"}, "not a JWT"},
		{jwt(`{"role":"anon"}`)[:20], Info{Format: "unknown"}, "not a JWT"},
	} {
		got := Describe(tc.key)
		if got != tc.want || !strings.HasPrefix(got.String(), tc.text) {
			t.Errorf("Describe(%.24q) = %+v %q; want %+v %q", tc.key, got, got.String(), tc.want, tc.text)
		}
		if tc.key != "" && strings.Contains(got.String(), tc.key) {
			t.Errorf("the description quotes the key")
		}
	}
}
