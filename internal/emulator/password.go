package emulator

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"
	"golang.org/x/crypto/scrypt"
)

// Imported password hashes: bcrypt ($2a$/$2b$/$2y$), argon2i/argon2id in
// the PHC string format and Firebase's modified scrypt ($fbscrypt$).
var (
	argon2Format = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^\$(argon2id|argon2i)\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([^$]+)\$([^$]+)$`)
	})
	fbscryptFormat = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^\$fbscrypt\$v=1,n=(\d+),r=(\d+),p=(\d+)(?:,ss=([^,$]*))?(?:,sk=([^,$]*))?\$([^$]+)\$([^$]+)$`)
	})
)

var errBadHash = errors.New("emulator: unsupported password hash")

// validHash reports whether an imported password_hash can be verified.
func validHash(h string) bool {
	switch {
	case strings.HasPrefix(h, "$2a$"), strings.HasPrefix(h, "$2b$"), strings.HasPrefix(h, "$2y$"):
		_, err := bcrypt.Cost([]byte(h))
		return err == nil
	case strings.HasPrefix(h, "$argon2"):
		_, err := parseArgon2(h)
		return err == nil
	case strings.HasPrefix(h, "$fbscrypt$"):
		_, err := parseFBScrypt(h)
		return err == nil
	}
	return false
}

// checkPassword compares a password with a stored hash of any supported kind.
func checkPassword(hash, password string) bool {
	switch {
	case hash == "":
		return false
	case strings.HasPrefix(hash, "$argon2"):
		p, err := parseArgon2(hash)
		return err == nil && p.matches(password)
	case strings.HasPrefix(hash, "$fbscrypt$"):
		p, err := parseFBScrypt(hash)
		return err == nil && p.matches(password)
	default:
		return bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil
	}
}

type argon2Params struct {
	id            bool
	mem, time     uint32
	threads       uint8
	salt, rawHash []byte
}

func parseArgon2(h string) (*argon2Params, error) {
	m := argon2Format().FindStringSubmatch(h)
	if m == nil {
		return nil, errBadHash
	}
	mem, err1 := strconv.ParseUint(m[2], 10, 32)
	t, err2 := strconv.ParseUint(m[3], 10, 32)
	p, err3 := strconv.ParseUint(m[4], 10, 8)
	salt, err4 := base64.RawStdEncoding.DecodeString(m[5])
	raw, err5 := base64.RawStdEncoding.DecodeString(m[6])
	if err := errors.Join(err1, err2, err3, err4, err5); err != nil || p == 0 || t == 0 || len(raw) == 0 {
		return nil, errBadHash
	}
	return &argon2Params{id: m[1] == "argon2id", mem: uint32(mem), time: uint32(t), threads: uint8(p), salt: salt, rawHash: raw}, nil
}

func (a *argon2Params) matches(password string) bool {
	var key []byte
	if a.id {
		key = argon2.IDKey([]byte(password), a.salt, a.time, a.mem, a.threads, uint32(len(a.rawHash)))
	} else {
		key = argon2.Key([]byte(password), a.salt, a.time, a.mem, a.threads, uint32(len(a.rawHash)))
	}
	return subtle.ConstantTimeCompare(key, a.rawHash) == 1
}

type fbscryptParams struct {
	logN                              uint
	r, p                              int
	saltSep, signerKey, salt, rawHash []byte
}

func parseFBScrypt(h string) (*fbscryptParams, error) {
	m := fbscryptFormat().FindStringSubmatch(h)
	if m == nil {
		return nil, errBadHash
	}
	n, err1 := strconv.ParseUint(m[1], 10, 6)
	r, err2 := strconv.Atoi(m[2])
	p, err3 := strconv.Atoi(m[3])
	ss, err4 := base64.StdEncoding.DecodeString(m[4])
	sk, err5 := base64.StdEncoding.DecodeString(m[5])
	salt, err6 := base64.StdEncoding.DecodeString(m[6])
	raw, err7 := base64.StdEncoding.DecodeString(m[7])
	if err := errors.Join(err1, err2, err3, err4, err5, err6, err7); err != nil || n == 0 || r <= 0 || p <= 0 {
		return nil, errBadHash
	}
	return &fbscryptParams{logN: uint(n), r: r, p: p, saltSep: ss, signerKey: sk, salt: salt, rawHash: raw}, nil
}

// matches derives an AES-256 key with scrypt(password, salt+separator) and
// encrypts the signer key with it in CTR mode (zero IV), as Firebase does.
func (f *fbscryptParams) matches(password string) bool {
	salt := append(append([]byte{}, f.salt...), f.saltSep...)
	key, err := scrypt.Key([]byte(password), salt, 1<<f.logN, f.r, f.p, 32)
	if err != nil {
		return false
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return false
	}
	out := make([]byte, len(f.signerKey))
	cipher.NewCTR(block, make([]byte, aes.BlockSize)).XORKeyStream(out, f.signerKey)
	return subtle.ConstantTimeCompare(out, f.rawHash) == 1
}
