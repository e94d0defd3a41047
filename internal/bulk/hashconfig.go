package bulk

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// HashConfig is a Firebase project's password hash parameters, as the
// console shows them (Authentication → Users → ⋮ → Password hash
// parameters). Every user of the project shares them; each user has their
// own salt.
type HashConfig struct {
	SignerKey     []byte // base64_signer_key
	SaltSeparator []byte // base64_salt_separator
	Rounds        int    // rounds: scrypt's r
	MemCost       int    // mem_cost: log2 of scrypt's N
}

// ParseHashConfig reads the console's block
//
//	hash_config {
//	  algorithm: SCRYPT,
//	  base64_signer_key: jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==,
//	  base64_salt_separator: Bw==,
//	  rounds: 8,
//	  mem_cost: 14,
//	}
//
// or the same keys as a JSON object (camelCase spellings such as signerKey
// and memoryCost are accepted too).
func ParseHashConfig(b []byte) (*HashConfig, error) {
	kv := map[string]string{}
	var obj map[string]any
	if err := json.Unmarshal(b, &obj); err == nil {
		for k, v := range obj {
			kv[normKey(k)] = strings.TrimSpace(fmt.Sprint(v))
		}
	} else {
		for _, line := range strings.Split(string(b), "\n") {
			line = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(line), ","))
			k, v, ok := strings.Cut(line, ":")
			if !ok {
				continue // "hash_config {", "}"
			}
			kv[normKey(k)] = strings.Trim(strings.TrimSpace(v), `"'`)
		}
	}
	if alg, ok := kv["algorithm"]; ok && !strings.EqualFold(alg, "SCRYPT") {
		return nil, fmt.Errorf("hash config: algorithm %s: only Firebase's SCRYPT is supported", alg)
	}
	var c HashConfig
	var errs []error
	field := func(name string) string {
		v := kv[name]
		if v == "" {
			errs = append(errs, fmt.Errorf("hash config: %s is missing", name))
		}
		return v
	}
	var err error
	if c.SignerKey, err = decodeB64(field("base64_signer_key")); err != nil {
		errs = append(errs, fmt.Errorf("hash config: base64_signer_key: %v", err))
	}
	// An empty separator is legitimate; only a missing key would be a mistake,
	// and Firebase always shows it.
	if c.SaltSeparator, err = decodeB64(kv["base64_salt_separator"]); err != nil {
		errs = append(errs, fmt.Errorf("hash config: base64_salt_separator: %v", err))
	}
	if c.Rounds, err = strconv.Atoi(field("rounds")); err != nil || c.Rounds < 1 || c.Rounds > 64 {
		errs = append(errs, errors.New("hash config: rounds must be a whole number from 1 to 64"))
	}
	if c.MemCost, err = strconv.Atoi(field("mem_cost")); err != nil || c.MemCost < 1 || c.MemCost > 20 {
		errs = append(errs, errors.New("hash config: mem_cost must be a whole number from 1 to 20"))
	}
	if len(c.SignerKey) == 0 && len(errs) == 0 {
		errs = append(errs, errors.New("hash config: base64_signer_key is empty"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return &c, nil
}

// normKey maps the spellings of the console, the CLI flags and the Admin
// SDKs to the console's.
func normKey(k string) string {
	k = strings.ToLower(strings.Trim(strings.TrimSpace(k), `"'`))
	switch strings.NewReplacer("_", "", "-", "").Replace(k) {
	case "base64signerkey", "signerkey", "hashkey", "key":
		return "base64_signer_key"
	case "base64saltseparator", "saltseparator":
		return "base64_salt_separator"
	case "memcost", "memorycost":
		return "mem_cost"
	}
	return k
}

// FBScrypt formats a Firebase user's password hash and salt (both base64,
// as auth:export writes them) for the server:
//
//	$fbscrypt$v=1,n=<mem_cost>,r=<rounds>,p=1,ss=<separator>,sk=<signer key>$<salt>$<hash>
//
// Firebase's variant always uses p=1. The server derives scrypt(password,
// salt+separator, 2^n, r, p, 32), encrypts the signer key with it (AES-256-
// CTR, zero IV) and compares the result with the hash.
func (c *HashConfig) FBScrypt(saltB64, hashB64 string) (string, error) {
	salt, err := decodeB64(saltB64)
	if err != nil || len(salt) == 0 {
		return "", errors.New("salt is not base64")
	}
	hash, err := decodeB64(hashB64)
	if err != nil || len(hash) == 0 {
		return "", errors.New("passwordHash is not base64")
	}
	enc := base64.StdEncoding.EncodeToString
	return fmt.Sprintf("$fbscrypt$v=1,n=%d,r=%d,p=1,ss=%s,sk=%s$%s$%s",
		c.MemCost, c.Rounds, enc(c.SaltSeparator), enc(c.SignerKey), enc(salt), enc(hash)), nil
}

// decodeB64 accepts standard and URL-safe base64, padded or not: the
// console shows the first, some exporters and the Identity Toolkit API the
// second.
func decodeB64(s string) ([]byte, error) {
	s = strings.TrimRight(strings.NewReplacer("-", "+", "_", "/").Replace(strings.TrimSpace(s)), "=")
	return base64.RawStdEncoding.DecodeString(s)
}
