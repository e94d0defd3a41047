package emulator

import "testing"

// With the default secret the API keys are the well-known ones that
// `supabase start` prints, so existing local setups keep working.
func TestDefaultAPIKeys(t *testing.T) {
	s, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	const anon = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0"
	const service = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU"
	if s.AnonKey() != anon {
		t.Errorf("AnonKey() = %s", s.AnonKey())
	}
	if s.ServiceRoleKey() != service {
		t.Errorf("ServiceRoleKey() = %s", s.ServiceRoleKey())
	}
}
