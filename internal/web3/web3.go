// Package web3 signs Sign-In with Ethereum / Solana messages with a key
// read from a file, for `authctl login web3`. The cryptography is the
// libraries': secp256k1 from decred's dcrd (the curve, signing and public
// key recovery), Keccak-256 from golang.org/x/crypto/sha3, ed25519 from the
// standard library, base58 from mr-tron/base58. Nothing here prints or logs
// a key.
package web3

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	secpecdsa "github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"github.com/mr-tron/base58"
	"golang.org/x/crypto/sha3"
)

// Signer is a wallet key: its address and a signature over a message in the
// encoding the server expects for its chain.
type Signer interface {
	Chain() string
	Address() string
	Sign(message []byte) (string, error)
}

// LoadKey reads the key file of chain (see LoadEthereumKey and
// LoadSolanaKey for the formats).
func LoadKey(chain, path string) (Signer, error) {
	switch chain {
	case "ethereum":
		return LoadEthereumKey(path)
	case "solana":
		return LoadSolanaKey(path)
	}
	return nil, fmt.Errorf("unsupported chain %q: use ethereum or solana", chain)
}

// Ethereum is a secp256k1 account key.
type Ethereum struct{ key *secp256k1.PrivateKey }

// LoadEthereumKey reads a file holding a secp256k1 private key as 64
// hexadecimal characters, with or without 0x, surrounding whitespace
// ignored (what `cast wallet new` and most wallets' "export private key"
// print).
func LoadEthereumKey(path string) (*Ethereum, error) {
	raw, err := readKeyFile(path)
	if err != nil {
		return nil, err
	}
	s := strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(string(raw)), "0x"), "0X")
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 32 {
		// Never quote the content: it is a secret.
		return nil, fmt.Errorf("%s: an Ethereum key file holds 64 hexadecimal characters (optionally 0x-prefixed)", path)
	}
	var k secp256k1.ModNScalar
	if overflow := k.SetByteSlice(b); overflow || k.IsZero() {
		return nil, fmt.Errorf("%s: not a valid secp256k1 private key", path)
	}
	return &Ethereum{key: secp256k1.NewPrivateKey(&k)}, nil
}

// Chain implements Signer.
func (e *Ethereum) Chain() string { return "ethereum" }

// Address is the EIP-55 mixed-case address of the key.
func (e *Ethereum) Address() string { return EthereumAddress(e.key.PubKey()) }

// Sign signs EIP-191 personal_sign style and returns "0x" + hex of r‖s‖v
// with v = 27 or 28, as wallets do.
func (e *Ethereum) Sign(message []byte) (string, error) {
	compact := secpecdsa.SignCompact(e.key, PersonalMessageHash(message), false)
	// SignCompact puts the recovery byte (27 + id for uncompressed keys)
	// first; Ethereum puts it last.
	sig := append(append([]byte(nil), compact[1:]...), compact[0])
	return "0x" + hex.EncodeToString(sig), nil
}

// PersonalMessageHash is EIP-191 version 0x45: Keccak-256 of
// "\x19Ethereum Signed Message:\n" + decimal length + message.
func PersonalMessageHash(message []byte) []byte {
	h := sha3.NewLegacyKeccak256()
	h.Write([]byte("\x19Ethereum Signed Message:\n" + strconv.Itoa(len(message))))
	h.Write(message)
	return h.Sum(nil)
}

// EthereumAddress is the last 20 bytes of the Keccak-256 of the
// uncompressed public key (without its 0x04 prefix), EIP-55 checksummed.
func EthereumAddress(pub *secp256k1.PublicKey) string {
	h := sha3.NewLegacyKeccak256()
	h.Write(pub.SerializeUncompressed()[1:])
	return checksum(hex.EncodeToString(h.Sum(nil)[12:]))
}

// checksum applies EIP-55: a hex letter is upper case when the matching
// nibble of the Keccak-256 of the lower-case address is 8 or more.
func checksum(lowerHex string) string {
	h := sha3.NewLegacyKeccak256()
	h.Write([]byte(lowerHex))
	sum := hex.EncodeToString(h.Sum(nil))
	out := []byte(lowerHex)
	for i, c := range out {
		if c >= 'a' && c <= 'f' && sum[i] >= '8' {
			out[i] = c - 'a' + 'A'
		}
	}
	return "0x" + string(out)
}

// Solana is an ed25519 account key.
type Solana struct{ key ed25519.PrivateKey }

// LoadSolanaKey reads a Solana CLI keypair file (`solana-keygen new
// -o id.json`): a JSON array of 64 numbers, the 32-byte seed then the
// 32-byte public key. The public key must match the seed.
func LoadSolanaKey(path string) (*Solana, error) {
	raw, err := readKeyFile(path)
	if err != nil {
		return nil, err
	}
	var nums []int
	if json.Unmarshal(raw, &nums) != nil || len(nums) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("%s: a Solana keypair file is a JSON array of 64 numbers (solana-keygen's format)", path)
	}
	b := make([]byte, len(nums))
	for i, n := range nums {
		if n < 0 || n > 255 {
			return nil, fmt.Errorf("%s: keypair numbers must be bytes (0-255)", path)
		}
		b[i] = byte(n)
	}
	key := ed25519.NewKeyFromSeed(b[:ed25519.SeedSize])
	if !bytes.Equal(key.Public().(ed25519.PublicKey), b[ed25519.SeedSize:]) {
		return nil, fmt.Errorf("%s: the public key half does not match the secret half", path)
	}
	return &Solana{key: key}, nil
}

// Chain implements Signer.
func (s *Solana) Chain() string { return "solana" }

// Address is the base58 public key.
func (s *Solana) Address() string { return base58.Encode(s.key.Public().(ed25519.PublicKey)) }

// Sign signs the message bytes themselves (what wallets' signMessage does)
// and returns standard base64, which the server requires.
func (s *Solana) Sign(message []byte) (string, error) {
	return base64.StdEncoding.EncodeToString(ed25519.Sign(s.key, message)), nil
}

// readKeyFile refuses files anyone else may read, like ssh does: a wallet
// key leaked from a shared machine cannot be revoked.
func readKeyFile(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("%s: key file permissions %04o are too open: chmod 600 %s", path, st.Mode().Perm(), path)
	}
	return os.ReadFile(path)
}
