package shared

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authctl/authctl/internal/cmdutil/cmdutiltest"
)

// The settings are asked once and remembered for settingsMaxAge: within it
// no request, after it a fresh one.
func TestServerProvidersCachedBriefly(t *testing.T) {
	var asked atomic.Int32
	h := cmdutiltest.New(t, func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"external":{"github":true,"gitlab":false,"email":true}}`))
	})
	now := cmdutiltest.Now
	h.F.Now = func() time.Time { return now }
	for i, step := range []struct {
		after time.Duration
		asks  int32
	}{{0, 1}, {settingsMaxAge - time.Second, 1}, {settingsMaxAge, 2}} {
		now = cmdutiltest.Now.Add(step.after)
		ext, err := ServerProviders(context.Background(), h.F)
		if err != nil {
			t.Fatal(err)
		}
		if got := EnabledProviders(ext); len(got) != 1 || got[0] != "github" {
			t.Errorf("step %d: enabled %v, want [github]", i, got)
		}
		if n := asked.Load(); n != step.asks {
			t.Errorf("step %d (+%s): %d requests, want %d", i, step.after, n, step.asks)
		}
	}
}
