package auth

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestCF01_DefaultOptions(t *testing.T) {
	o := DefaultOptions()
	if o.URL != "http://localhost:9999" || o.StorageKey != "supabase.auth.token" || !o.AutoRefreshToken || !o.PersistSession ||
		o.FlowType != FlowImplicit || o.LockAcquireTimeout != 10*time.Second || o.ClientInfo == "" {
		t.Fatalf("DefaultOptions = %+v", o)
	}
	o.AutoRefreshToken = false
	before := runtime.NumGoroutine()
	c, err := NewClient(o)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if runtime.NumGoroutine() > before {
		t.Fatal("NewClient started a goroutine without auto-refresh")
	}
	if c.URL() != DefaultURL || c.StorageKey() != DefaultStorageKey || c.lockName != "lock:supabase.auth.token" {
		t.Fatalf("client uses %s %s %s", c.URL(), c.StorageKey(), c.lockName)
	}
	// The zero Options are usable too: non-boolean defaults are filled in.
	z, err := NewClient(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if z.URL() != DefaultURL || z.StorageKey() != DefaultStorageKey || z.opts.LockAcquireTimeout != DefaultLockAcquireTimeout || z.opts.ClientInfo != DefaultClientInfo {
		t.Fatalf("zero options: %+v", z.opts)
	}
	// Default headers on the wire.
	srv := newFakeServer(t)
	srv.on("POST", "/recover", reply{status: 200, body: []byte("{}")})
	c2 := newTestClient(t, srv.URL, nil)
	if err := c2.ResetPasswordForEmail(context.Background(), "a@example.com", ResetPasswordOptions{}); err != nil {
		t.Fatal(err)
	}
	h := srv.calls("POST", "/recover")[0].Header
	if h.Get("X-Supabase-Api-Version") != "2024-01-01" || h.Get("X-Client-Info") != DefaultClientInfo || h.Get("apikey") != testAnonKey {
		t.Fatalf("default headers = %v", h)
	}
	for _, bad := range []string{"localhost:9999", "ftp://x", "http://"} {
		if _, err := NewClient(Options{URL: bad}); err == nil {
			t.Errorf("URL %q accepted", bad)
		}
	}
	if _, err := NewClient(Options{FlowType: "hybrid"}); err == nil {
		t.Error("unknown flow type accepted")
	}
}

// countingStorage wraps MemoryStorage and counts calls, and the writes
// marked as a refresh's.
type countingStorage struct {
	*MemoryStorage
	sets, gets, refreshSets atomic.Int32
}

func (s *countingStorage) GetItem(ctx context.Context, k string) (string, bool, error) {
	s.gets.Add(1)
	return s.MemoryStorage.GetItem(ctx, k)
}

func (s *countingStorage) SetItem(ctx context.Context, k, v string) error {
	s.sets.Add(1)
	if IsRefreshWrite(ctx) {
		s.refreshSets.Add(1)
	}
	return s.MemoryStorage.SetItem(ctx, k, v)
}

func TestCF02_CustomStorageAdapter(t *testing.T) {
	srv := newFakeServer(t)
	rep, jwt := stepReply(t, "token_password_ok", 0, nil)
	srv.on("POST", "/token", rep)
	st := &countingStorage{MemoryStorage: NewMemoryStorage()}
	c := newTestClient(t, srv.URL, func(o *Options) { o.Storage = st; o.StorageKey = "sb-ref-auth-token" })
	if _, err := c.SignInWithPassword(context.Background(), PasswordCredentials{Email: "a@example.com", Password: "pw"}); err != nil {
		t.Fatal(err)
	}
	raw, ok, _ := st.MemoryStorage.GetItem(context.Background(), "sb-ref-auth-token")
	if !ok || !strings.Contains(raw, jwt) || !strings.Contains(raw, `"refresh_token":"trrddeu3qkam"`) || st.sets.Load() != 1 {
		t.Fatalf("session not persisted to the custom adapter as Session JSON: %q", raw)
	}
	s, err := c.GetSession(context.Background())
	if err != nil || s == nil || s.AccessToken != jwt || st.gets.Load() == 0 {
		t.Fatalf("GetSession did not read the custom adapter: %v %v", s, err)
	}
	// PersistSession=false ignores the adapter.
	st2 := &countingStorage{MemoryStorage: NewMemoryStorage()}
	c2 := newTestClient(t, srv.URL, func(o *Options) { o.Storage = st2; o.PersistSession = false })
	if _, err := c2.SignInWithPassword(context.Background(), PasswordCredentials{Email: "a@example.com", Password: "pw"}); err != nil {
		t.Fatal(err)
	}
	if st2.sets.Load() != 0 {
		t.Fatal("PersistSession=false wrote to the adapter")
	}
	if s, _ := c2.GetSession(context.Background()); s == nil {
		t.Fatal("PersistSession=false must keep the session in memory")
	}
}

type countingTransport struct {
	n atomic.Int32
}

func (t *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.n.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}

func TestCF03_CustomHTTPClient(t *testing.T) {
	srv := newFakeServer(t)
	rep, _ := stepReply(t, "token_password_ok", 0, nil)
	srv.on("POST", "/token", rep)
	user, _ := stepReply(t, "user_get_ok", 0, nil)
	srv.on("GET", "/user", user)
	tr := &countingTransport{}
	c := newTestClient(t, srv.URL, func(o *Options) { o.HTTPClient = &http.Client{Transport: tr} })
	if _, err := c.SignInWithPassword(context.Background(), PasswordCredentials{Email: "a@example.com", Password: "pw"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetUser(context.Background(), ""); err != nil {
		t.Fatal(err)
	}
	if tr.n.Load() != 2 || srv.total() != 2 {
		t.Fatalf("custom client saw %d of %d requests", tr.n.Load(), srv.total())
	}
}

func TestCF04_CustomLock(t *testing.T) {
	srv := newFakeServer(t)
	var mu sync.Mutex
	var calls []string
	inner := NewProcessLock()
	custom := func(ctx context.Context, name string, timeout time.Duration, fn func(context.Context) error) error {
		mu.Lock()
		calls = append(calls, fmt.Sprintf("%s/%s", name, timeout))
		mu.Unlock()
		return inner(ctx, name, timeout, fn)
	}
	c := newTestClient(t, srv.URL, func(o *Options) { o.Lock = custom; o.StorageKey = "k"; o.LockAcquireTimeout = 3 * time.Second })
	if _, err := c.GetSession(context.Background()); err != nil {
		t.Fatal(err)
	}
	_ = c.SignOut(context.Background(), SignOutLocal)
	c.autoRefreshTick(context.Background())
	mu.Lock()
	defer mu.Unlock()
	want := []string{"lock:k/3s", "lock:k/3s", "lock:k/0s"}
	if fmt.Sprint(calls) != fmt.Sprint(want) {
		t.Fatalf("lock calls = %v, want %v", calls, want)
	}
}

func TestCF05_DebugLogger(t *testing.T) {
	srv := newFakeServer(t)
	rep, jwt := stepReply(t, "token_password_ok", 0, nil)
	srv.on("POST", "/token", rep)
	var mu sync.Mutex
	var lines []string
	c := newTestClient(t, srv.URL, func(o *Options) {
		o.Debug = func(msg string, args ...any) {
			mu.Lock()
			defer mu.Unlock()
			lines = append(lines, msg+" "+fmt.Sprint(args...))
		}
	})
	if _, err := c.SignInWithPassword(context.Background(), PasswordCredentials{Email: "a@example.com", Password: "correct-horse-9"}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	all := strings.Join(lines, "\n")
	mustContain(t, all, "auth: request")
	mustContain(t, all, "auth: response")
	mustContain(t, all, "/token")
	mustContain(t, all, "a@example.com")
	for _, secret := range []string{"correct-horse-9", jwt, "trrddeu3qkam", testAnonKey} {
		if strings.Contains(all, secret) {
			t.Fatalf("debug output leaks %q:\n%s", secret, all)
		}
	}
}
