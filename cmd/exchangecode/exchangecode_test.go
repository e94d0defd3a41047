package exchangecode

import "testing"

func TestCodeOf(t *testing.T) {
	for in, want := range map[string]string{
		"abc":                                   "abc",
		" abc\n":                                "abc",
		"http://127.0.0.1:3000/cb?code=xyz&a=b": "xyz",
	} {
		if got, err := codeOf(in); err != nil || got != want {
			t.Errorf("codeOf(%q) = %q, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "http://127.0.0.1:3000/cb?error=denied"} {
		if _, err := codeOf(bad); err == nil {
			t.Errorf("codeOf(%q) accepted", bad)
		}
	}
}
