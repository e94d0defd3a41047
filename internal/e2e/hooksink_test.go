package e2e

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// hookSink receives what a real server under test sends: its Send SMS and
// Send Email HTTP hooks (GOTRUE_HOOK_SEND_SMS_URI = .../sms,
// GOTRUE_HOOK_SEND_EMAIL_URI = .../email) point here, so a test reads the
// code or link a person would have received, as it reads the emulator's
// outbox on the emulator. Requests must carry a valid Standard Webhooks
// signature made with the shared secret.
type hookSink struct {
	key []byte // the secret's bytes (after "v1,whsec_")

	mu   sync.Mutex
	sent map[string][]sentMessage // by recipient: phone without "+", or email
}

// sentMessage is one SMS or email as a test reads it.
type sentMessage struct {
	OTP       string // the code
	TokenHash string // an email link's token (what /verify takes), with its flow prefix
}

// newHookSink takes the secret in the server's format, "v1,whsec_BASE64".
func newHookSink(secret string) (*hookSink, error) {
	b64, ok := strings.CutPrefix(secret, "v1,whsec_")
	if !ok {
		return nil, fmt.Errorf("the hook secret must look like v1,whsec_BASE64 (the server's GOTRUE_HOOK_*_SECRETS format)")
	}
	key, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, fmt.Errorf("the hook secret: %v", err)
	}
	return &hookSink{key: key, sent: map[string][]sentMessage{}}, nil
}

// hookPayload is the part of the Send SMS / Send Email hook input the
// tests read.
type hookPayload struct {
	User struct {
		Email string `json:"email"`
	} `json:"user"`
	SMS struct {
		OTP   string `json:"otp"`
		Phone string `json:"phone"`
	} `json:"sms"`
	EmailData struct {
		Token     string `json:"token"`
		TokenHash string `json:"token_hash"`
	} `json:"email_data"`
}

func (s *hookSink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if err := s.verify(r.Header, body); err != nil {
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	var p hookPayload
	if err := json.Unmarshal(body, &p); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var to string
	var m sentMessage
	switch r.URL.Path {
	case "/sms":
		to, m = strings.TrimPrefix(p.SMS.Phone, "+"), sentMessage{OTP: p.SMS.OTP}
	case "/email":
		to, m = strings.ToLower(p.User.Email), sentMessage{OTP: p.EmailData.Token, TokenHash: p.EmailData.TokenHash}
	default:
		http.NotFound(w, r)
		return
	}
	s.mu.Lock()
	s.sent[to] = append(s.sent[to], m)
	s.mu.Unlock()
	writeJSONBody(w, http.StatusOK, struct{}{})
}

// verify checks the Standard Webhooks signature: base64 HMAC-SHA256 of
// "id.timestamp.body", one of the space-separated "v1,SIG" values, and a
// timestamp within five minutes.
func (s *hookSink) verify(h http.Header, body []byte) error {
	id, ts := h.Get("webhook-id"), h.Get("webhook-timestamp")
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || id == "" {
		return fmt.Errorf("missing webhook-id or webhook-timestamp")
	}
	if d := time.Since(time.Unix(sec, 0)); d > 5*time.Minute || d < -5*time.Minute {
		return fmt.Errorf("webhook-timestamp is %v away", d)
	}
	mac := hmac.New(sha256.New, s.key)
	fmt.Fprintf(mac, "%s.%s.%s", id, ts, body)
	want := mac.Sum(nil)
	for _, sig := range strings.Fields(h.Get("webhook-signature")) { // the server joins several with ", "
		if b64, ok := strings.CutPrefix(strings.TrimSuffix(sig, ","), "v1,"); ok {
			if got, err := base64.StdEncoding.DecodeString(b64); err == nil && hmac.Equal(got, want) {
				return nil
			}
		}
	}
	return fmt.Errorf("no valid webhook-signature")
}

// last returns the last message sent to a recipient.
func (s *hookSink) last(to string) (sentMessage, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ms := s.sent[to]
	if len(ms) == 0 {
		return sentMessage{}, false
	}
	return ms[len(ms)-1], true
}
