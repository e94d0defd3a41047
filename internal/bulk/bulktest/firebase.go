// Package bulktest builds Firebase Auth fixtures for the tests of the bulk
// import: a project's hash parameters and users whose password hashes are
// computed here, independently of the code under test, the way Firebase
// computes them.
package bulktest

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"

	"golang.org/x/crypto/scrypt"
)

// Project is a Firebase project's password hash parameters.
type Project struct {
	SignerKey, SaltSeparator []byte
	Rounds, MemCost          int
}

// TestProject has cheap parameters (N=2^8 instead of Firebase's usual 2^14)
// so thousands of hashes stay fast; the algorithm is the same.
var TestProject = Project{
	SignerKey:     []byte("authctl-test-signer-key-0123456789abcdef-0123456789abcdef-0123456"),
	SaltSeparator: []byte{0x07},
	Rounds:        8,
	MemCost:       8,
}

// Hash is Firebase's modified scrypt: the key derived by scrypt from the
// password and salt||separator (N=2^mem_cost, r=rounds, p=1, 32 bytes)
// encrypts the project's signer key with AES-256 in CTR mode from a zero
// counter; the ciphertext is the stored hash.
func (p Project) Hash(password string, salt []byte) []byte {
	key, err := scrypt.Key([]byte(password), append(append([]byte{}, salt...), p.SaltSeparator...), 1<<p.MemCost, p.Rounds, 1, 32)
	if err != nil {
		panic(err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		panic(err)
	}
	out := make([]byte, len(p.SignerKey))
	cipher.NewCTR(block, make([]byte, aes.BlockSize)).XORKeyStream(out, p.SignerKey)
	return out
}

// Config is the project's parameters as the Firebase console shows them.
func (p Project) Config() string {
	enc := base64.StdEncoding.EncodeToString
	return fmt.Sprintf("hash_config {\n  algorithm: SCRYPT,\n  base64_signer_key: %s,\n  base64_salt_separator: %s,\n  rounds: %d,\n  mem_cost: %d,\n}\n",
		enc(p.SignerKey), enc(p.SaltSeparator), p.Rounds, p.MemCost)
}

// User is a Firebase user to put in a fixture, with its clear password.
type User struct {
	LocalID, Email, Phone, Password, DisplayName, PhotoURL string
	EmailVerified, Disabled                                bool
	Claims                                                 map[string]any
}

// Export is the JSON of `firebase auth:export --format=json` for users,
// hashed under p (users without a password get no hash).
func (p Project) Export(users []User) []byte {
	type fu struct {
		LocalID          string `json:"localId"`
		Email            string `json:"email,omitempty"`
		EmailVerified    bool   `json:"emailVerified"`
		PasswordHash     string `json:"passwordHash,omitempty"`
		Salt             string `json:"salt,omitempty"`
		DisplayName      string `json:"displayName,omitempty"`
		PhotoURL         string `json:"photoUrl,omitempty"`
		PhoneNumber      string `json:"phoneNumber,omitempty"`
		Disabled         bool   `json:"disabled"`
		CustomAttributes string `json:"customAttributes,omitempty"`
		CreatedAt        string `json:"createdAt"`
	}
	out := struct {
		Users []fu `json:"users"`
	}{Users: []fu{}}
	for i, u := range users {
		f := fu{LocalID: u.LocalID, Email: u.Email, EmailVerified: u.EmailVerified, DisplayName: u.DisplayName,
			PhotoURL: u.PhotoURL, PhoneNumber: u.Phone, Disabled: u.Disabled, CreatedAt: "1700000000000"}
		if u.Password != "" {
			// Firebase salts are 12 random bytes; a longer one would push
			// the $fbscrypt$ string past the server's 255 characters.
			sum := sha256.Sum256([]byte(fmt.Sprintf("salt-%d-%s", i, u.LocalID)))
			salt := sum[:12]
			f.Salt = base64.StdEncoding.EncodeToString(salt)
			f.PasswordHash = base64.StdEncoding.EncodeToString(p.Hash(u.Password, salt))
		}
		if u.Claims != nil {
			b, _ := json.Marshal(u.Claims)
			f.CustomAttributes = string(b)
		}
		out.Users = append(out.Users, f)
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		panic(err)
	}
	return b
}
