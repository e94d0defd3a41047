package auth

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Web3Credentials are signInWithWeb3's credentials (§6.9) as the real
// server takes them: the chain, the exact message that was signed, and its
// signature. The server has no nonce route (the spec's GET /web3/{address}
// does not exist): the client writes the message, nonce included, and the
// server checks the signature, the URI and the issue time.
type Web3Credentials struct {
	Chain string // "ethereum" or "solana"
	// Message is the SIWE (EIP-4361) or SIWS text, byte for byte as signed.
	Message string
	// Signature is "0x" + hex of r‖s‖v (65 bytes, EIP-191 personal_sign) on
	// Ethereum, base64 of the 64-byte ed25519 signature on Solana.
	Signature    string
	CaptchaToken string
}

// SignInWithWeb3 posts a signed message to /token?grant_type=web3 and saves
// the session. A server with web3 off answers 422 web3_provider_disabled.
func (c *Client) SignInWithWeb3(ctx context.Context, cr Web3Credentials) (*AuthResponse, error) {
	if cr.Chain != "ethereum" && cr.Chain != "solana" {
		return nil, errInvalidCredentials(fmt.Sprintf("unsupported web3 chain %q: use ethereum or solana", cr.Chain))
	}
	if cr.Message == "" || cr.Signature == "" {
		return nil, errInvalidCredentials("a web3 sign-in needs the signed message and its signature")
	}
	body := map[string]any{"chain": cr.Chain, "message": cr.Message, "signature": cr.Signature}
	if m := captcha(cr.CaptchaToken); m != nil {
		body["gotrue_meta_security"] = m
	}
	return c.signIn(ctx, "web3", body)
}

// Web3Message is a Sign-In with Ethereum (EIP-4361) or Sign-In with Solana
// message. The server accepts it when the URI is https (or on a localhost
// host), is the site URL or in the redirect allow list, Domain is the URI's
// host, and IssuedAt is within 10 minutes of its clock.
type Web3Message struct {
	Chain     string // "ethereum" or "solana": only the header line differs
	Domain    string // the URI's host[:port] when empty
	Address   string // EIP-55 hex on Ethereum, base58 public key on Solana
	Statement string // optional; one line
	URI       string
	// ChainID: a positive EIP-155 number on Ethereum ("1" when empty);
	// "solana:mainnet|devnet|testnet|localnet" or empty on Solana.
	ChainID        string
	Nonce          string // NewWeb3Nonce() when empty
	IssuedAt       time.Time
	ExpirationTime time.Time // omitted when zero
}

// String renders the message in the field order of EIP-4361, which the
// Solana variant shares. Missing defaults are filled in on m.
func (m *Web3Message) String() (string, error) {
	u, err := url.Parse(m.URI)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return "", fmt.Errorf("auth: web3 message URI %q is not an absolute URL", m.URI)
	}
	if m.Domain == "" {
		m.Domain = u.Host
	}
	if strings.ContainsAny(m.Statement, "\r\n") {
		return "", fmt.Errorf("auth: web3 statement must be one line")
	}
	var account string
	switch m.Chain {
	case "ethereum":
		account = "Ethereum"
		if m.ChainID == "" {
			m.ChainID = "1"
		}
	case "solana":
		account = "Solana"
	default:
		return "", fmt.Errorf("auth: unsupported web3 chain %q", m.Chain)
	}
	if m.Nonce == "" {
		m.Nonce = NewWeb3Nonce()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s wants you to sign in with your %s account:\n%s\n\n", m.Domain, account, m.Address)
	if m.Statement != "" {
		b.WriteString(m.Statement + "\n\n")
	} else {
		b.WriteString("\n") // EIP-4361: the statement and its blank line are both optional
	}
	fmt.Fprintf(&b, "URI: %s\nVersion: 1\n", m.URI)
	if m.ChainID != "" {
		fmt.Fprintf(&b, "Chain ID: %s\n", m.ChainID)
	}
	fmt.Fprintf(&b, "Nonce: %s\nIssued At: %s", m.Nonce, m.IssuedAt.UTC().Format(time.RFC3339))
	if !m.ExpirationTime.IsZero() {
		fmt.Fprintf(&b, "\nExpiration Time: %s", m.ExpirationTime.UTC().Format(time.RFC3339))
	}
	return b.String(), nil
}

// NewWeb3Nonce returns 16 random alphanumeric characters (EIP-4361 wants
// at least 8): 80 bits from crypto/rand in base32.
func NewWeb3Nonce() string { return rand.Text()[:16] }
