package emulator

import (
	"net"
	"net/http"
	"time"
)

// Rate limits as Supabase Auth applies them with its default settings, for
// Config.RateLimits (off by default, like local development's generous
// limits). Three kinds, each with the server's 429 body:
//
//   - per user, at most one email (or SMS) of a kind a minute
//     (SMTP_MAX_FREQUENCY, SMS_MAX_FREQUENCY), over_email_send_rate_limit /
//     over_sms_send_rate_limit "For security purposes, you can only request
//     this after N seconds.";
//   - per project, 30 emails and 30 SMS an hour (RATE_LIMIT_EMAIL_SENT,
//     RATE_LIMIT_SMS_SENT), counted only when confirmations are required,
//     as the server does;
//   - per client IP, token buckets per group of endpoints
//     (over_request_rate_limit "Request rate limit reached"): the server
//     applies them when it knows the client's address (its rate-limit
//     header, set on the Supabase platform); the emulator sees the address.
const (
	sendMaxFrequency = time.Minute
	sentPerHour      = 30
)

// requestLimit is one per-IP group: rate events per period, burst at once.
type requestLimit struct {
	rate   float64
	period time.Duration
	burst  float64
}

// requestLimits are the server's defaults (RATE_LIMIT_TOKEN_REFRESH 150 per
// 5 minutes, RATE_LIMIT_VERIFY, RATE_LIMIT_OTP, RATE_LIMIT_PASSKEY and the others 30 per 5
// minutes, anonymous sign-ins 30 an hour, MFA 15 a minute), each with the
// server's burst of 30.
var requestLimits = map[string]requestLimit{
	"token":           {150, 5 * time.Minute, 30},
	"web3":            {30, 5 * time.Minute, 30},
	"verify":          {30, 5 * time.Minute, 30},
	"otp":             {30, 5 * time.Minute, 30},
	"sso":             {30, 5 * time.Minute, 30},
	"anonymous":       {30, time.Hour, 30},
	"factorChallenge": {15, time.Minute, 30},
	"factorVerify":    {15, time.Minute, 30},
	"oauthRegister":   {10, 5 * time.Minute, 30},
	"passkey":         {30, 5 * time.Minute, 30},
}

// bucket is a token bucket: tokens refill continuously at rate/period.
type bucket struct {
	tokens float64
	last   time.Time
}

func (b *bucket) take(l requestLimit, now time.Time) bool {
	if b.last.IsZero() {
		b.tokens = l.burst
	} else {
		b.tokens += now.Sub(b.last).Seconds() * l.rate / l.period.Seconds()
		b.tokens = min(b.tokens, l.burst)
	}
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// limits holds the state of the rate limits (not persisted: like the
// server's, they start afresh with the process).
type limits struct {
	requests map[string]*bucket // group + "|" + client IP
	email    bucket
	sms      bucket
}

func newLimits() *limits { return &limits{requests: map[string]*bucket{}} }

// allowRequest applies the per-IP limit of group to r.
func (s *Server) allowRequest(r *http.Request, group string) error {
	if !s.cfg.RateLimits || s.cfg.NoRequestLimits {
		return nil
	}
	ip, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		ip = r.RemoteAddr
	}
	key := group + "|" + ip
	b := s.limits.requests[key]
	if b == nil {
		b = &bucket{}
		s.limits.requests[key] = b
	}
	if !b.take(requestLimits[group], s.now()) {
		return newErr(http.StatusTooManyRequests, "over_request_rate_limit", "Request rate limit reached")
	}
	return nil
}

// limited guards a handler with the per-IP limit of group.
func (s *Server) limited(group string, h func(http.ResponseWriter, *http.Request) error) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := s.allowRequest(r, group); err != nil {
			return err
		}
		return h(w, r)
	}
}

// tooSoon is the per-user frequency check of one kind of message, every
// being the project's setting for the kind (Config.EmailMaxFrequency or
// SMSMaxFrequency).
func (s *Server) tooSoon(sentAt *time.Time, code string, every time.Duration) error {
	if !s.cfg.RateLimits || sentAt == nil {
		return nil
	}
	left := sentAt.Add(every).Sub(s.now())
	if left <= 0 {
		return nil
	}
	return newErr(http.StatusTooManyRequests, code, "For security purposes, you can only request this after %d seconds.", int64(left/time.Second))
}

// sentAtField is the user field the server times messages of typ by.
func sentAtField(u *user, typ string) **time.Time {
	switch typ {
	case "signup", "invite", "sms":
		return &u.ConfirmationSentAt
	case "magiclink", "recovery":
		return &u.RecoverySentAt
	case "email_change_new", "email_change_current":
		return &u.EmailChangeSentAt
	case "phone_change":
		return &u.PhoneChangeSentAt
	case "reauthentication":
		return &u.ReauthenticationSentAt
	}
	return nil
}

// lastSent is when u was last sent a message of typ (nil: never, or a user
// about to be created).
func lastSent(u *user, typ string) *time.Time {
	if u == nil {
		return nil
	}
	if f := sentAtField(u, typ); f != nil {
		return *f
	}
	return nil
}

// mayEmail checks, before anything changes, that an email of typ may be
// sent to u (nil for a user about to be created).
func (s *Server) mayEmail(u *user, typ string) error {
	if err := s.tooSoon(lastSent(u, typ), "over_email_send_rate_limit", s.cfg.EmailMaxFrequency); err != nil {
		return err
	}
	if s.cfg.RateLimits && s.cfg.ConfirmEmail && !s.limits.email.take(hourly(s.cfg.EmailsPerHour), s.now()) {
		return newErr(http.StatusTooManyRequests, "over_email_send_rate_limit", "email rate limit exceeded")
	}
	return nil
}

// hourly is a project-wide quota of n emails or texts an hour.
func hourly(n int) requestLimit { return requestLimit{float64(n), time.Hour, float64(n)} }

// smsKinds names texts of a type as the server's provider errors do.
var smsKinds = map[string]string{"sms": "confirmation", "phone_change": "phone_change", "reauthentication": "reauthentication"}

// maySMS checks, before anything changes, that a code of typ may be texted
// to phone for u (nil for a user about to be created): the frequency limit,
// then (test numbers skip the provider) the hourly quota and the provider.
func (s *Server) maySMS(u *user, phone, typ string) error {
	if err := s.tooSoon(lastSent(u, typ), "over_sms_send_rate_limit", s.cfg.SMSMaxFrequency); err != nil {
		return err
	}
	if _, test := s.cfg.TestOTP[phone]; test {
		return nil
	}
	if s.cfg.RateLimits && s.cfg.ConfirmPhone && !s.limits.sms.take(hourly(s.cfg.SMSPerHour), s.now()) {
		return newErr(http.StatusTooManyRequests, "over_sms_send_rate_limit", "SMS rate limit exceeded")
	}
	if s.cfg.FailSMS {
		return unprocessable("sms_send_failed", "Error sending %s OTP to provider: %s", smsKinds[typ], smsFailure)
	}
	return nil
}

// smsFailure stands for the provider's own error text in sms_send_failed.
const smsFailure = "the emulator's SMS provider is set to fail (--fail-sms)"
