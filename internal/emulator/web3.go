package emulator

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"github.com/mr-tron/base58"
	"golang.org/x/crypto/sha3"
)

// web3MaxAge is how far Issued At may be from the server's clock, either
// way (the server's default maximum validity duration).
const web3MaxAge = 10 * time.Minute

// web3Grant is POST /token?grant_type=web3 {chain, message, signature}:
// Sign-In with Ethereum (EIP-4361, EIP-191 personal_sign over secp256k1)
// or with Solana (ed25519 over the message bytes). It follows the real
// server's checks and answers in their order, with one deliberate
// difference: a URI on localhost (any port) is allowed without an allow
// list, as the emulator allows loopback redirects.
func (s *Server) web3Grant(r *http.Request) (obj, error) {
	if !s.cfg.Web3 {
		return nil, unprocessable("web3_provider_disabled", "Web3 provider is disabled")
	}
	var p struct{ Chain, Message, Signature string }
	if err := decode(r, &p); err != nil {
		return nil, err
	}
	var (
		name   string // "Ethereum" or "Solana", as the server's messages say
		verify func(m *web3Message) bool
	)
	switch p.Chain {
	case "ethereum":
		name = "Ethereum"
		if len(strings.TrimPrefix(p.Signature, "0x")) != 130 {
			return nil, validation("signature must be 65 bytes long, encoded as a 130 character-long hexadecimal string")
		}
		verify = func(m *web3Message) bool { return verifyEthereum(m, p.Signature) }
	case "solana":
		name = "Solana"
		if len(p.Signature) != 86 && len(p.Signature) != 88 {
			return nil, validation("signature must be 64 bytes encoded as base64 with or without padding")
		}
		sig, err := decodeAnyBase64(p.Signature)
		if err != nil {
			return nil, validation("signature does not contain valid base64 characters")
		}
		verify = func(m *web3Message) bool { return verifySolana(m, sig) }
	default:
		return nil, badRequest("web3_unsupported_chain", "Unsupported chain")
	}
	if len(p.Message) < 64 {
		return nil, validation("message is too short")
	}
	if len(p.Message) > 20*1024 {
		return nil, validation("message must not exceed 20KB")
	}
	m, err := parseWeb3Message(p.Chain, p.Message)
	if err != nil {
		return nil, validation("%s", err.Error())
	}
	if !verify(m) {
		return nil, invalidGrant("Signature does not match address in message")
	}
	if err := s.checkWeb3Message(m, name); err != nil {
		return nil, err
	}
	u, err := s.web3User(p.Chain, m)
	if err != nil {
		return nil, err
	}
	return s.signIn(u, "web3")
}

func invalidGrant(msg string) *apiError { return oauthErr(http.StatusBadRequest, "invalid_grant", msg) }

// checkWeb3Message applies the server's URI, domain and time rules.
func (s *Server) checkWeb3Message(m *web3Message, name string) error {
	local := m.URI.Hostname() == "localhost"
	if m.URI.Scheme != "https" && !local {
		return invalidGrant("Signed " + name + " message is using URI which does not use HTTPS")
	}
	if !local && !strings.HasPrefix(m.URI.String(), strings.TrimRight(s.cfg.SiteURL, "/")) {
		return invalidGrant("Signed " + name + " message is using URI which is not allowed on this server, message was signed for another app")
	}
	if !local && m.URI.Host != m.Domain {
		return invalidGrant("Signed " + name + " message is using a Domain that does not match the one in URI which is not allowed on this server")
	}
	now := s.now()
	if !m.NotBefore.IsZero() && now.Before(m.NotBefore) {
		return invalidGrant("Signed " + name + " message becomes valid in the future")
	}
	if !m.Expires.IsZero() && now.After(m.Expires) {
		return invalidGrant("Signed " + name + " message is expired")
	}
	if now.After(m.IssuedAt.Add(web3MaxAge)) {
		return invalidGrant(name + " message was issued too long ago")
	}
	if now.Before(m.IssuedAt.Add(-web3MaxAge)) {
		return invalidGrant(name + " message was issued too far in the future")
	}
	return nil
}

// web3User finds the user of the wallet (identity "web3:<chain>:<address>")
// or creates one without email or phone, as the server does.
func (s *Server) web3User(chain string, m *web3Message) (*user, error) {
	providerID := "web3:" + chain + ":" + m.Address
	for _, i := range s.st.Identities {
		if i.Provider == "web3" && i.ProviderID == providerID {
			if u := s.st.loadUser(i.UserID); u != nil {
				now := s.now()
				i.LastSignInAt, i.UpdatedAt = &now, now
				return u, nil
			}
		}
	}
	if err := s.signupAllowed(); err != nil {
		return nil, err
	}
	var statement any
	if m.Statement != "" || chain == "solana" {
		statement = m.Statement // the server keeps Solana's as "" and Ethereum's as null
	}
	data := map[string]any{"custom_claims": map[string]any{"address": m.Address, "chain": chain,
		"network": m.ChainID, "domain": m.Domain, "statement": statement}}
	u := s.createUser(newUserParams{})
	u.AppMetadata = map[string]any{"provider": "web3", "providers": []any{"web3"}}
	id := s.addIdentity(u, "web3", providerID, data)
	for k, v := range id.IdentityData {
		u.UserMetadata[k] = v
	}
	return u, nil
}

// web3Message is a parsed SIWE or SIWS message.
type web3Message struct {
	Raw, Domain, Address, Statement, ChainID string
	URI                                      *url.URL
	IssuedAt, Expires, NotBefore             time.Time
}

// web3Patterns are compiled on first use: package init runs on every authctl
// start, and only the emulator's web3 route needs them.
var web3Patterns = sync.OnceValue(func() (p struct{ domain, ethAddress, solAddress, solanaNetworks *regexp.Regexp }) {
	p.domain = regexp.MustCompile(`^(localhost|([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,})(:[0-9]{1,5})?$`)
	p.ethAddress = regexp.MustCompile(`^0x[0-9a-fA-F]{40}$`)
	p.solAddress = regexp.MustCompile(`^[a-zA-Z0-9]{32,44}$`)
	p.solanaNetworks = regexp.MustCompile(`^solana:(main|dev|test|local)net$`)
	return p
})

// parseWeb3Message reads the EIP-4361 layout: header, address, a blank
// line, an optional statement and its blank line, then "Key: value" lines.
// Errors carry the server's siwe:/siws: prefix.
func parseWeb3Message(chain, raw string) (*web3Message, error) {
	pat := web3Patterns()
	prefix, account, addr, badAddr := "siwe: ", "Ethereum", pat.ethAddress, "a valid Ethereum address"
	if chain == "solana" {
		prefix, account, addr, badAddr = "siws: ", "Solana", pat.solAddress, "in base58 format"
	}
	fail := func(format string, args ...any) error { return errors.New(prefix + fmt.Sprintf(format, args...)) }
	lines := strings.Split(raw, "\n")
	if len(lines) < 6 {
		return nil, fail("message needs at least 6 lines")
	}
	suffix := " wants you to sign in with your " + account + " account:"
	domain, ok := strings.CutSuffix(lines[0], suffix)
	if !ok {
		return nil, fail("message first line does not end in %q", suffix)
	}
	m := &web3Message{Raw: raw, Domain: strings.TrimSpace(domain), Address: strings.TrimSpace(lines[1])}
	if !pat.domain.MatchString(m.Domain) {
		return nil, fail("domain in first line of message is not valid")
	}
	if !addr.MatchString(m.Address) {
		return nil, fail("wallet address is not %s", badAddr)
	}
	if lines[2] != "" {
		return nil, fail("third line must be empty")
	}
	rest := lines[3:]
	if lines[3] != "" && lines[4] == "" {
		m.Statement, rest = lines[3], lines[5:]
	}
	version := ""
	for i, line := range rest {
		line = strings.TrimSpace(line)
		if line == "" || line == "Resources:" || strings.HasPrefix(line, "- ") {
			continue
		}
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fail("encountered unparsable line at index %d", len(lines)-len(rest)+i)
		}
		value = strings.TrimSpace(value)
		var err error
		switch key {
		case "URI":
			if m.URI, err = url.ParseRequestURI(value); err != nil {
				return nil, fail("URI is not valid")
			}
		case "Version":
			version = value
		case "Chain ID":
			if n, e := strconv.Atoi(value); chain == "ethereum" && (e != nil || n <= 0) ||
				chain == "solana" && value != "" && !pat.solanaNetworks.MatchString(value) {
				return nil, fail("Chain ID is not valid")
			}
			m.ChainID = value
		case "Issued At":
			err = parseWeb3Time(value, &m.IssuedAt)
		case "Expiration Time":
			err = parseWeb3Time(value, &m.Expires)
		case "Not Before":
			err = parseWeb3Time(value, &m.NotBefore)
		}
		if err != nil {
			return nil, fail("%s is not a valid ISO8601 timestamp", key)
		}
	}
	switch {
	case version != "1":
		return nil, fail("Version value is not supported, expected 1 got %q", version)
	case m.IssuedAt.IsZero():
		return nil, fail("Issued At is not specified")
	case m.URI == nil:
		return nil, fail("URI is not specified")
	case !m.Expires.IsZero() && m.IssuedAt.After(m.Expires):
		return nil, fail("Issued At is after Expiration Time")
	case !m.Expires.IsZero() && !m.NotBefore.IsZero() && m.NotBefore.After(m.Expires):
		return nil, fail("Not Before is after Expiration Time")
	}
	return m, nil
}

func parseWeb3Time(v string, into *time.Time) error {
	t, err := time.Parse(time.RFC3339Nano, v)
	*into = t
	return err
}

// verifyEthereum recovers the signer of an EIP-191 personal_sign signature
// (hex r‖s‖v, v 0/1 or 27/28) and compares its address with the message's.
func verifyEthereum(m *web3Message, sigHex string) bool {
	sig, err := hex.DecodeString(strings.TrimPrefix(sigHex, "0x"))
	if err != nil || len(sig) != 65 {
		return false
	}
	v := sig[64]
	if v >= 27 {
		v -= 27
	}
	if v > 1 {
		return false
	}
	h := sha3.NewLegacyKeccak256()
	h.Write([]byte("\x19Ethereum Signed Message:\n" + strconv.Itoa(len(m.Raw)) + m.Raw))
	// The library's compact form: recovery byte (27 + id) first.
	pub, _, err := ecdsa.RecoverCompact(append([]byte{27 + v}, sig[:64]...), h.Sum(nil))
	if err != nil {
		return false
	}
	a := sha3.NewLegacyKeccak256()
	a.Write(pub.SerializeUncompressed()[1:])
	return strings.EqualFold("0x"+hex.EncodeToString(a.Sum(nil)[12:]), m.Address)
}

// verifySolana checks an ed25519 signature of the message bytes by the
// base58 public key in the message.
func verifySolana(m *web3Message, sig []byte) bool {
	pub, err := base58.Decode(m.Address)
	if err != nil || len(pub) != ed25519.PublicKeySize || len(sig) != ed25519.SignatureSize {
		return false
	}
	return ed25519.Verify(pub, []byte(m.Raw), sig)
}

// decodeAnyBase64 accepts standard or URL-safe base64, padded or not.
func decodeAnyBase64(s string) ([]byte, error) {
	s = strings.NewReplacer("+", "-", "/", "_").Replace(strings.TrimRight(s, "="))
	return base64.RawURLEncoding.DecodeString(s)
}
