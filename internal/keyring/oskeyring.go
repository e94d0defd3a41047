package keyring

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	gokeyring "github.com/zalando/go-keyring"
)

// chunkSize keeps each keyring item under the smallest platform limit: go-keyring
// refuses values over 2560 bytes on Windows and about 3 KB on macOS, and a
// session JSON with its user object exceeds both.
const chunkSize = 2048

// manifestPrefix marks the item that says how many chunks hold the value.
// It is written last, so a reader never sees a value whose chunks are not
// all written yet.
const manifestPrefix = "authctl-chunks:"

// provider is the part of go-keyring used here; tests substitute a blocking
// one to exercise the timeout.
type provider interface {
	Get(service, user string) (string, error)
	Set(service, user, password string) error
	Delete(service, user string) error
}

type goKeyring struct{}

// Each call first makes sure it will not start a D-Bus daemon (sessionbus.go).
func (goKeyring) Get(s, u string) (string, error) {
	if err := sessionBusCheck(); err != nil {
		return "", err
	}
	return gokeyring.Get(s, u)
}

func (goKeyring) Set(s, u, p string) error {
	if err := sessionBusCheck(); err != nil {
		return err
	}
	return gokeyring.Set(s, u, p)
}

func (goKeyring) Delete(s, u string) error {
	if err := sessionBusCheck(); err != nil {
		return err
	}
	return gokeyring.Delete(s, u)
}

// OSStorage stores items in the OS keyring (Secret Service, macOS
// Keychain, Windows Credential Manager) under one service. Values larger than
// one item allows are split into numbered chunks. Every call is bounded by a
// timeout: a locked or absent Secret Service can block a D-Bus call for
// minutes.
type OSStorage struct {
	service string
	timeout time.Duration
	p       provider
}

// NewOS returns the OS keyring backend.
func NewOS(service string, timeout time.Duration) *OSStorage {
	return &OSStorage{service: service, timeout: timeout, p: goKeyring{}}
}

// ErrTimeout reports a keyring call that did not answer in time.
var ErrTimeout = errors.New("the OS keyring did not answer in time")

// call runs f with the timeout; a call that times out is abandoned (its
// goroutine ends when the keyring finally answers).
func (k *OSStorage) call(ctx context.Context, f func() error) error {
	done := make(chan error, 1)
	go func() { done <- f() }()
	t := time.NewTimer(k.timeout)
	defer t.Stop()
	select {
	case err := <-done:
		return err
	case <-t.C:
		return fmt.Errorf("%w (%s)", ErrTimeout, k.timeout)
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (k *OSStorage) get(ctx context.Context, user string) (string, bool, error) {
	var v string
	err := k.call(ctx, func() (err error) { v, err = k.p.Get(k.service, user); return err })
	if errors.Is(err, gokeyring.ErrNotFound) {
		return "", false, nil
	}
	return v, err == nil, err
}

func (k *OSStorage) set(ctx context.Context, user, value string) error {
	return k.call(ctx, func() error { return k.p.Set(k.service, user, value) })
}

func (k *OSStorage) del(ctx context.Context, user string) error {
	err := k.call(ctx, func() error { return k.p.Delete(k.service, user) })
	if errors.Is(err, gokeyring.ErrNotFound) {
		return nil
	}
	return err
}

func chunkName(key string, i int) string { return key + "-" + strconv.Itoa(i) }

// altGen is the second generation of chunk names. Overwriting a chunked
// value writes its chunks under the other generation than the stored one, so
// the old chunks stay intact until the new manifest replaces the old: a write
// cut short (Ctrl-C, a keyring timeout, a crash) leaves the old value whole
// instead of new chunks read under the old manifest.
const altGen = "b"

// genChunkName is chunk i of generation gen ("" is the original naming).
func genChunkName(key, gen string, i int) string {
	if gen == "" {
		return chunkName(key, i)
	}
	return key + "-" + gen + "-" + strconv.Itoa(i)
}

// GetItem reads key, joining its chunks when it was split.
func (k *OSStorage) GetItem(ctx context.Context, key string) (string, bool, error) {
	head, ok, err := k.get(ctx, key)
	if err != nil || !ok {
		return "", false, err
	}
	n, gen, isManifest := parseManifest(head)
	if !isManifest {
		return head, true, nil
	}
	var b strings.Builder
	for i := range n {
		part, ok, err := k.get(ctx, genChunkName(key, gen, i))
		if err != nil {
			return "", false, err
		}
		if !ok {
			return "", false, fmt.Errorf("keyring item %s is missing chunk %d of %d", key, i, n)
		}
		b.WriteString(part)
	}
	return b.String(), true, nil
}

// SetItem stores value under key, in chunks when it is large: chunks first
// (under the generation the stored value does not use), the manifest last,
// then the old value's chunks are deleted.
func (k *OSStorage) SetItem(ctx context.Context, key, value string) error {
	oldChunks, oldGen := k.chunkCount(ctx, key)
	if len(value) <= chunkSize && !strings.HasPrefix(value, manifestPrefix) {
		if err := k.set(ctx, key, value); err != nil {
			return err
		}
		return k.deleteChunks(ctx, key, oldGen, 0, oldChunks)
	}
	gen := ""
	if oldChunks > 0 && oldGen == "" {
		gen = altGen
	}
	n := 0
	for start := 0; start < len(value); start += chunkSize {
		if err := k.set(ctx, genChunkName(key, gen, n), value[start:min(start+chunkSize, len(value))]); err != nil {
			return err
		}
		n++
	}
	manifest := manifestPrefix + strconv.Itoa(n)
	if gen != "" {
		manifest += ":" + gen
	}
	if err := k.set(ctx, key, manifest); err != nil {
		return err
	}
	return k.deleteChunks(ctx, key, oldGen, 0, oldChunks)
}

// RemoveItem deletes key and its chunks.
func (k *OSStorage) RemoveItem(ctx context.Context, key string) error {
	n, gen := k.chunkCount(ctx, key)
	if err := k.del(ctx, key); err != nil {
		return err
	}
	return k.deleteChunks(ctx, key, gen, 0, n)
}

func (k *OSStorage) chunkCount(ctx context.Context, key string) (int, string) {
	head, ok, err := k.get(ctx, key)
	if err != nil || !ok {
		return 0, ""
	}
	n, gen, _ := parseManifest(head)
	return n, gen
}

func (k *OSStorage) deleteChunks(ctx context.Context, key, gen string, from, to int) error {
	for i := from; i < to; i++ {
		if err := k.del(ctx, genChunkName(key, gen, i)); err != nil {
			return err
		}
	}
	return nil
}

// parseManifest reads "authctl-chunks:N" (chunks key-0…) or
// "authctl-chunks:N:b" (chunks key-b-0…).
func parseManifest(v string) (int, string, bool) {
	rest, ok := strings.CutPrefix(v, manifestPrefix)
	if !ok {
		return 0, "", false
	}
	count, gen, _ := strings.Cut(rest, ":")
	n, err := strconv.Atoi(count)
	if err != nil || n < 0 || (gen != "" && gen != altGen) {
		return 0, "", false
	}
	return n, gen, true
}
