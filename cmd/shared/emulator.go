package shared

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"time"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
)

// emulatorProbeTimeout bounds IsEmulator's question: a hint is not worth
// a wait.
const emulatorProbeTimeout = 2 * time.Second

// IsEmulator reports whether the target is an `authctl emulator`: a server
// on this machine that lists the messages to `to` at /emulator/messages
// (loopback callers need no key there). No Supabase server has that route:
// `supabase start`'s 127.0.0.1:54321 answers 404 and keeps its mail in
// Mailpit. Anything else (another host, an error, no answer in time) is a
// no; the emulator's API answers themselves carry no mark, so that real
// clients cannot tell it from the server.
func IsEmulator(ctx context.Context, f *cmdutil.Factory, c *auth.Client, to string) bool {
	if t, err := f.Target(); err != nil || !t.OnThisMachine() {
		return false
	}
	ctx, cancel := context.WithTimeout(ctx, emulatorProbeTimeout)
	defer cancel()
	var msgs []json.RawMessage
	_, err := c.Do(ctx, auth.Request{Method: http.MethodGet, Path: "/emulator/messages", Query: url.Values{"to": {to}}}, &msgs)
	return err == nil
}
