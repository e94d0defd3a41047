package auth

import (
	"cmp"
	"context"
)

// OTPCredentials are signInWithOtp's credentials (§6.5): Email or Phone.
type OTPCredentials struct {
	Email, Phone    string
	EmailRedirectTo string
	// ShouldCreateUser: nil means true (the spec default); point at false to
	// refuse unknown addresses.
	ShouldCreateUser *bool
	Data             map[string]any
	CaptchaToken     string
	// Channel for phones: "sms" (default) or "whatsapp".
	Channel string
}

// SignInWithOTP sends a magic link / OTP by email or an OTP by SMS (§6.5). It
// never returns a session: VerifyOTP completes the sign-in. The message id
// is returned when the SMS provider gives one.
func (c *Client) SignInWithOTP(ctx context.Context, cr OTPCredentials) (messageID string, err error) {
	create := true
	if cr.ShouldCreateUser != nil {
		create = *cr.ShouldCreateUser
	}
	body := map[string]any{"create_user": create}
	if cr.Data != nil {
		body["data"] = cr.Data
	}
	if m := captcha(cr.CaptchaToken); m != nil {
		body["gotrue_meta_security"] = m
	}
	switch {
	case cr.Email != "":
		body["email"] = cr.Email
		ch, method, err := c.pkceChallenge(ctx, false)
		if err != nil {
			return "", err
		}
		if ch != "" {
			body["code_challenge"], body["code_challenge_method"] = ch, method
		}
	case cr.Phone != "":
		body["phone"] = cr.Phone
		body["channel"] = cmp.Or(cr.Channel, "sms")
	default:
		return "", errInvalidCredentials("You must provide either an email or phone number.")
	}
	var out struct {
		MessageID string `json:"message_id"`
	}
	if _, err := c.Do(ctx, Request{Method: "POST", Path: "/otp", Query: redirectQuery(cr.EmailRedirectTo), Body: body}, &out); err != nil {
		return "", err
	}
	return out.MessageID, nil
}

// VerifyOTPParams are verifyOtp's params (§6.6): Email or Phone with Token,
// or TokenHash alone; Type always.
type VerifyOTPParams struct {
	Email, Phone string
	Token        string
	TokenHash    string
	Type         OTPType
	RedirectTo   string
	CaptchaToken string
}

// VerifyOTP verifies an OTP or token hash (§6.6). A returned session is saved
// and SIGNED_IN emitted; for types recovery and invite PASSWORD_RECOVERY is
// emitted as well.
func (c *Client) VerifyOTP(ctx context.Context, p VerifyOTPParams) (*AuthResponse, error) {
	if p.Type == "" {
		return nil, errInvalidCredentials("You must provide the OTP type")
	}
	body := map[string]any{"type": p.Type}
	switch {
	case p.TokenHash != "":
		body["token_hash"] = p.TokenHash
	case p.Email != "":
		body["email"], body["token"] = p.Email, p.Token
	case p.Phone != "":
		body["phone"], body["token"] = p.Phone, p.Token
	default:
		return nil, errInvalidCredentials("You must provide an email, a phone number or a token hash")
	}
	if m := captcha(p.CaptchaToken); m != nil {
		body["gotrue_meta_security"] = m
	}
	resp, err := c.Do(ctx, Request{Method: "POST", Path: "/verify", Query: redirectQuery(p.RedirectTo), Body: body}, nil)
	if err != nil {
		return nil, err
	}
	ar, err := c.authResponseFrom(resp.Body)
	if err != nil {
		return nil, err
	}
	if ar.Session != nil {
		if err := c.adoptSession(ctx, ar.Session, EventSignedIn); err != nil {
			return nil, err
		}
		if p.Type == OTPRecovery || p.Type == OTPInvite {
			c.events.emit(EventPasswordRecovery, ar.Session)
		}
	}
	return ar, nil
}

// ResendParams are resend's params (§6.17). Type is signup or email_change
// with Email, sms or phone_change with Phone.
type ResendParams struct {
	Type            OTPType
	Email, Phone    string
	EmailRedirectTo string
	CaptchaToken    string
}

// Resend sends the confirmation or OTP message again (§6.17). Neither Email
// nor Phone → *InvalidCredentialsError.
func (c *Client) Resend(ctx context.Context, p ResendParams) (messageID string, err error) {
	body := map[string]any{"type": p.Type}
	switch {
	case p.Email != "":
		body["email"] = p.Email
	case p.Phone != "":
		body["phone"] = p.Phone
	default:
		return "", errInvalidCredentials("You must provide either an email or phone number and a type")
	}
	if m := captcha(p.CaptchaToken); m != nil {
		body["gotrue_meta_security"] = m
	}
	var out struct {
		MessageID string `json:"message_id"`
	}
	if _, err := c.Do(ctx, Request{Method: "POST", Path: "/resend", Query: redirectQuery(p.EmailRedirectTo), Body: body}, &out); err != nil {
		return "", err
	}
	return out.MessageID, nil
}
