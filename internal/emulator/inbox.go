package emulator

import (
	"crypto/rand"
	"encoding/hex"
	"html/template"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/authctl/authctl/internal/loopbackhost"
)

// loopbackOnly reports whether r may read the messages without a key.
//
// The inbox is what Inbucket or Mailpit are to `supabase start`: a page that
// shows a person the codes and links the emulator would have sent. A browser
// cannot send the service-role key, so the page (and the message list it
// polls) is served without one, to this machine only. The rule, and why:
//
//   - the peer is a loopback address: never another machine, even when the
//     emulator listens on 0.0.0.0 (--host);
//   - the Host header names a loopback host: a web page that rebinds its own
//     DNS name to 127.0.0.1 (DNS rebinding) is refused;
//   - no cross-origin script may read it: the emulator answers CORS for its
//     API, so a request a script on another origin sends (Origin header, or
//     Sec-Fetch-Site other than same-origin/none, unless it is a top-level
//     navigation whose answer the other page cannot read) is refused.
//
// Any local process can read the inbox, as with Mailpit on its loopback port.
func loopbackOnly(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil || !loopbackhost.Is(host) {
		return false
	}
	name := r.Host
	if h, _, err := net.SplitHostPort(name); err == nil {
		name = h
	}
	if !loopbackhost.Is(strings.Trim(name, "[]")) {
		return false
	}
	if o := r.Header.Get("Origin"); o != "" && o != "http://"+r.Host && o != "https://"+r.Host {
		return false
	}
	switch r.Header.Get("Sec-Fetch-Site") {
	case "", "none", "same-origin":
		return true
	}
	// A link followed from another site opens a page the other site cannot
	// read; a frame or a fetch from there is refused.
	return r.Header.Get("Sec-Fetch-Mode") == "navigate" && r.Header.Get("Sec-Fetch-Dest") == "document"
}

// adminOrLoopback lets a request in with the service-role key, or without
// one when it passes the inbox's loopback rule.
func (s *Server) adminOrLoopback(h func(http.ResponseWriter, *http.Request) error) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := s.requireAdmin(r); err != nil && !loopbackOnly(r) {
			return err
		}
		return h(w, r)
	}
}

// messagesTo lists the messages sent to "to" (all when empty), oldest first.
// A phone number matches however it is written ("+1 555-555-0100").
func (s *Server) messagesTo(to string) []*message {
	if p, err := validatePhone(to); err == nil {
		to = p
	}
	out := []*message{}
	for _, m := range s.st.Messages {
		if to == "" || strings.EqualFold(m.To, to) {
			out = append(out, m)
		}
	}
	return out
}

// inboxRefresh is how often the page asks whether new messages arrived.
const inboxRefreshMillis = 1000

var inboxPage = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("inbox").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Inbox ({{len .Messages}}) · authctl emulator</title>
<style nonce="{{.Nonce}}">
body{font:15px/1.4 system-ui,sans-serif;margin:1.5em auto;max-width:64em;padding:0 1em;color:#222;background:#fff}
h1{font-size:1.3em;margin:0 0 .2em}p.note{color:#666;margin:.2em 0 1em}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.45em .6em;border-bottom:1px solid #ddd;vertical-align:top}
th{font-size:.8em;text-transform:uppercase;color:#666}
.code{font:600 1.35em ui-monospace,monospace;letter-spacing:.08em;user-select:all}
td{white-space:nowrap}td.link{white-space:normal;width:100%}.link a{word-break:break-all;font-size:.85em}.none{color:#999}
#status{color:#a40;font-weight:600}
@media(prefers-color-scheme:dark){body{background:#111;color:#ddd}th,td{border-color:#333}a{color:#8ab4f8}}
</style></head>
<body data-count="{{len .Messages}}">
<h1>authctl emulator inbox</h1>
<p class="note">Every email and SMS this emulator would have sent{{if .To}} to <b>{{.To}}</b>{{end}}, newest first. Nothing leaves this machine.
Also in a terminal: <code>authctl emulator messages --follow</code>. <span id="status"></span></p>
{{if .Messages}}<table id="messages">
<thead><tr><th>When (UTC)</th><th>To</th><th>Kind</th><th>Code</th><th>Link</th></tr></thead>
<tbody>{{range .Messages}}
<tr class="message"><td>{{.CreatedAt.Format "2006-01-02 15:04:05"}}</td><td class="to">{{.To}}</td><td class="kind">{{.Type}}</td>
<td class="code">{{.OTP}}</td><td class="link">{{if .ActionLink}}<a href="{{.ActionLink}}" rel="noreferrer">{{.ActionLink}}</a>{{else}}<span class="none">—</span>{{end}}</td></tr>{{end}}
</tbody></table>
{{else}}<p id="empty">No messages yet. Sign up, or ask for a code (<code>authctl login otp --email you@example.com</code>), and it appears here.</p>
{{end}}<script nonce="{{.Nonce}}">
(function(){
  var shown = document.body.dataset.count, status = document.getElementById("status");
  setInterval(function(){
    fetch("messages" + location.search, {cache: "no-store"}).then(function(r){
      if (!r.ok) throw new Error(r.status);
      return r.json();
    }).then(function(list){
      status.textContent = "";
      if (String(list.length) !== shown) location.reload();
    }).catch(function(){ status.textContent = "The emulator is not answering: this list is not being updated."; });
  }, {{.RefreshMillis}});
})();
</script>
</body></html>
`))
})

// handleInbox: GET /emulator/inbox[?to=ADDRESS], the messages as a page for
// a person, newest first, served to this machine only (loopbackOnly).
func (s *Server) handleInbox(w http.ResponseWriter, r *http.Request) error {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	if !loopbackOnly(r) {
		h.Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		_, err := w.Write([]byte("The authctl emulator's inbox is shown to this machine only: open it at\n" +
			"http://127.0.0.1:PORT/emulator/inbox from a browser on the machine that runs the emulator,\n" +
			"or read the messages with `authctl emulator messages` and the service-role key.\n"))
		return err
	}
	nonce := newNonce()
	// Nothing but the page's own inline style and script, and fetches to
	// itself; no frames (a page that frames the inbox could trick a click).
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'nonce-"+nonce+"'; script-src 'nonce-"+nonce+
		"'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Type", "text/html; charset=utf-8")
	to := r.URL.Query().Get("to")
	msgs := slices.Clone(s.messagesTo(to))
	slices.Reverse(msgs)
	return inboxPage().Execute(w, map[string]any{"Messages": msgs, "To": to, "Nonce": nonce,
		"RefreshMillis": inboxRefreshMillis})
}

// newNonce is a fresh CSP nonce for one page.
func newNonce() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
