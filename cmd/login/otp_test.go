package login

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/cmdutil/cmdutiltest"
)

// otpServer answers /otp with {} and /verify with a session, recording the
// bodies it received by path.
type otpServer struct {
	mu     sync.Mutex
	bodies map[string]string
}

func (s *otpServer) handler(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.bodies[r.URL.Path] = string(b)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if r.URL.Path == "/verify" {
		_ = json.NewEncoder(w).Encode(cmdutiltest.Session(cmdutiltest.Now.Add(time.Hour), "rt-1"))
		return
	}
	_, _ = io.WriteString(w, "{}")
}

func newOTP(t *testing.T) (*cmdutiltest.Harness, *otpServer, *OTPOptions) {
	srv := &otpServer{bodies: map[string]string{}}
	h := cmdutiltest.New(t, srv.handler)
	return h, srv, &OTPOptions{F: h.F, Client: h.F.Client, Contact: shared.Contact{Channel: shared.Channel{Value: "sms"}}}
}

func TestOTPWithoutTerminalSendsAndSaysHowToFinish(t *testing.T) {
	h, srv, opts := newOTP(t)
	opts.Email = "me@example.com"
	if err := runOTP(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if _, ok := srv.bodies["/verify"]; ok || !strings.Contains(srv.bodies["/otp"], `"email":"me@example.com"`) {
		t.Fatalf("requests: %v", srv.bodies)
	}
	if !strings.Contains(h.Stdout.String(), "authctl login otp --email me@example.com --code-stdin") {
		t.Errorf("stdout %q", h.Stdout)
	}
	if h.Stored(t) != nil {
		t.Error("a session was stored without a code")
	}
}

func TestOTPWithCodeVerifiesWithoutSending(t *testing.T) {
	h, srv, opts := newOTP(t)
	opts.Phone, opts.Code, opts.NoCreateUser = "+15555550100", "123456", true
	if err := runOTP(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if _, sent := srv.bodies["/otp"]; sent {
		t.Error("a new code was sent, which would invalidate the one given")
	}
	if v := srv.bodies["/verify"]; !strings.Contains(v, `"type":"sms"`) || !strings.Contains(v, `"token":"123456"`) {
		t.Errorf("verify body %s", v)
	}
	if h.Stored(t) == nil {
		t.Error("no session stored")
	}
}

func TestOTPFlowPKCEUsesThePKCEClient(t *testing.T) {
	h, srv, opts := newOTP(t)
	opts.PKCEClient = h.F.PKCEClient
	opts.Email, opts.Flow = "me@example.com", shared.Flow{Value: "pkce"}
	if err := runOTP(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(srv.bodies["/otp"], `"code_challenge_method":"s256"`) {
		t.Errorf("otp body %s", srv.bodies["/otp"])
	}
	opts.Flow.Value = "implicit-please"
	if err := runOTP(context.Background(), opts); cmdutil.ExitCode(err) != cmdutil.ExitUsage {
		t.Errorf("bad --flow: %v", err)
	}
}

func TestIDTokenChecksBeforeSending(t *testing.T) {
	h := cmdutiltest.New(t, nil) // any request fails the test
	enc := base64.RawURLEncoding.EncodeToString
	jwt := func(claims string) string {
		return enc([]byte(`{"alg":"RS256"}`)) + "." + enc([]byte(claims)) + "." + enc([]byte("s"))
	}
	for _, tc := range []struct{ token, want string }{
		{"garbage", "not a JWT"},
		{jwt(`{"at_hash":"x"}`), "--access-token"},
		{jwt(`{"nonce":"x"}`), "--nonce"},
	} {
		h.Stdin.Reset()
		h.Stdin.WriteString(tc.token + "\n")
		err := runIDToken(context.Background(), &IDTokenOptions{F: h.F, Client: h.F.Client, Provider: "google", TokenStdin: true})
		if cmdutil.ExitCode(err) != cmdutil.ExitUsage || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), tc.token) {
			t.Errorf("%s: err %v", tc.want, err)
		}
	}
}
