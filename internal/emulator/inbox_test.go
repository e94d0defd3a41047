package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// serve runs one request through the server's handler, as if it came from
// req.RemoteAddr (httptest.NewRequest: 192.0.2.1, another machine).
func serve(s *Server, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	return rec
}

// fromHere makes req come from this machine, to Host host.
func fromHere(req *http.Request, host string) *http.Request {
	req.RemoteAddr = "127.0.0.1:50000"
	req.Host = host
	return req
}

func TestLoopbackOnly(t *testing.T) {
	for _, c := range []struct {
		name   string
		remote string
		host   string
		header map[string]string
		want   bool
	}{
		{"curl on this machine", "127.0.0.1:1", "127.0.0.1:9999", nil, true},
		{"localhost", "[::1]:1", "localhost:9999", nil, true},
		{"ipv6 literal", "[::1]:1", "[::1]:9999", nil, true},
		{"typed in the address bar", "127.0.0.1:1", "127.0.0.1:9999", map[string]string{"Sec-Fetch-Site": "none", "Sec-Fetch-Mode": "navigate"}, true},
		{"the page's own poll", "127.0.0.1:1", "127.0.0.1:9999", map[string]string{"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "cors"}, true},
		{"a link on another site", "127.0.0.1:1", "127.0.0.1:9999", map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"}, true},
		{"a frame on another site", "127.0.0.1:1", "127.0.0.1:9999", map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "iframe"}, false},
		{"another machine", "192.0.2.7:1", "127.0.0.1:9999", nil, false},
		{"another machine naming us", "192.0.2.7:1", "192.0.2.1:9999", nil, false},
		{"DNS rebinding", "127.0.0.1:1", "evil.example:9999", nil, false},
		{"a script on another site", "127.0.0.1:1", "127.0.0.1:9999", map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "cors"}, false},
		{"a script on another localhost port", "127.0.0.1:1", "127.0.0.1:9999", map[string]string{"Sec-Fetch-Site": "same-site", "Sec-Fetch-Mode": "no-cors"}, false},
		{"an old browser's cross-origin fetch", "127.0.0.1:1", "127.0.0.1:9999", map[string]string{"Origin": "http://localhost:3000"}, false},
		{"same origin", "127.0.0.1:1", "127.0.0.1:9999", map[string]string{"Origin": "http://127.0.0.1:9999"}, true},
	} {
		req := httptest.NewRequest("GET", "/emulator/inbox", nil)
		req.RemoteAddr, req.Host = c.remote, c.host
		for k, v := range c.header {
			req.Header.Set(k, v)
		}
		if got := loopbackOnly(req); got != c.want {
			t.Errorf("%s: loopbackOnly = %v, want %v", c.name, got, c.want)
		}
	}
}

// The message list needs no key from this machine, and the service-role key
// from any other; a cross-origin script is refused even though the API
// answers CORS.
func TestMessagesWithoutKeyFromThisMachineOnly(t *testing.T) {
	srv, _ := newTestServer(t, nil)
	srv.st.Messages = append(srv.st.Messages, &message{To: "a@example.com", Type: "magiclink", OTP: "123456", CreatedAt: time.Now()})
	rec := serve(srv, fromHere(httptest.NewRequest("GET", "/auth/v1/emulator/messages?to=A@example.com", nil), "localhost:9999"))
	var msgs []message
	if err := json.Unmarshal(rec.Body.Bytes(), &msgs); rec.Code != 200 || err != nil || len(msgs) != 1 || msgs[0].OTP != "123456" {
		t.Fatalf("from this machine: %d %s", rec.Code, rec.Body)
	}
	req := fromHere(httptest.NewRequest("GET", "/emulator/messages", nil), "127.0.0.1:9999")
	req.Header.Set("Origin", "http://localhost:3000")
	if rec := serve(srv, req); rec.Code != http.StatusUnauthorized && rec.Code != http.StatusForbidden {
		t.Fatalf("a script on another origin: %d %s", rec.Code, rec.Body)
	}
	if rec := serve(srv, httptest.NewRequest("GET", "/emulator/messages", nil)); rec.Code != http.StatusUnauthorized {
		t.Fatalf("another machine without a key: %d %s", rec.Code, rec.Body)
	}
	req = httptest.NewRequest("GET", "/emulator/messages", nil)
	req.Header.Set("Authorization", "Bearer "+srv.ServiceRoleKey())
	if rec := serve(srv, req); rec.Code != 200 {
		t.Fatalf("another machine with the service-role key: %d %s", rec.Code, rec.Body)
	}
}

// What users typed reaches the page escaped: an address and a redirect URL
// with quotes and markup, sent through the API as a client would.
func TestInboxEscapesWhatUsersTyped(t *testing.T) {
	srv, ts := newTestServer(t, nil)
	redirect := `http://127.0.0.1:3000/cb?x="><script>alert(1)</script>&y='<b>`
	call(t, "POST", ts.URL+"/otp", "", map[string]any{"email": "inbox@example.com", "redirect_to": redirect,
		"data": map[string]any{"name": "<script>alert(2)</script>"}}, nil)
	srv.st.Messages = append(srv.st.Messages, &message{To: `"<img src=x onerror=alert(3)>"@example.com`, Type: "signup",
		OTP: "<b>654321</b>", ActionLink: `javascript:alert(4)`, CreatedAt: time.Now()})

	resp, err := http.Get(ts.URL + "/emulator/inbox")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	page := string(b)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("inbox: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, bad := range []string{"<script>alert", "<img", "<b>", `href="javascript:`, `x="><`} {
		if strings.Contains(page, bad) {
			t.Errorf("the page contains %q unescaped:\n%s", bad, page)
		}
	}
	otp := srv.st.Messages[0].OTP
	for _, want := range []string{"inbox@example.com", `<td class="code">` + otp + `</td>`, "&lt;b&gt;654321&lt;/b&gt;",
		`href="http://127.0.0.1:`, "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;", `data-count="2"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q:\n%s", want, page)
		}
	}
	// Newest first.
	if strings.Index(page, "654321") > strings.Index(page, otp) {
		t.Error("the newest message is not first")
	}
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'nonce-", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || !strings.Contains(page, `<script nonce="`) {
		t.Errorf("inline script not bound to the CSP nonce: %q", csp)
	}
}

func TestInboxRefusesOtherMachinesAndRebinding(t *testing.T) {
	srv, _ := newTestServer(t, nil)
	srv.st.Messages = append(srv.st.Messages, &message{To: "a@example.com", Type: "magiclink", OTP: "123456", CreatedAt: time.Now()})
	for name, req := range map[string]*http.Request{
		"another machine": httptest.NewRequest("GET", "/emulator/inbox", nil),
		"DNS rebinding":   fromHere(httptest.NewRequest("GET", "/emulator/inbox", nil), "rebind.example:9999"),
	} {
		rec := serve(srv, req)
		if rec.Code != http.StatusForbidden || strings.Contains(rec.Body.String(), "123456") {
			t.Errorf("%s: %d %s", name, rec.Code, rec.Body)
		}
	}
	rec := serve(srv, fromHere(httptest.NewRequest("GET", "/emulator/inbox", nil), "localhost:9999"))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "123456") {
		t.Fatalf("from this machine: %d %s", rec.Code, rec.Body)
	}
}

func TestInboxEmpty(t *testing.T) {
	srv, _ := newTestServer(t, nil)
	rec := serve(srv, fromHere(httptest.NewRequest("GET", "/emulator/inbox?to=x@example.com", nil), "127.0.0.1:9999"))
	if body := rec.Body.String(); rec.Code != 200 || !strings.Contains(body, `id="empty"`) || !strings.Contains(body, "<b>x@example.com</b>") {
		t.Fatalf("empty inbox: %d %s", rec.Code, body)
	}
}
