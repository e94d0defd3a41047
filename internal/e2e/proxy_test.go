package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// proxy sits between authctl and the server under test. It counts requests
// by grant type and can shorten the lifetime of the sessions the server
// hands out, so a test gets an "expiring" session from any server — the
// emulator or a real one — without waiting and without touching storage.
type proxy struct {
	URL string

	mu       sync.Mutex
	counts   map[string]int
	shortTTL atomic.Int64 // seconds; 0 leaves answers alone
	hold     atomic.Pointer[refreshHold]
}

// refreshHold keeps refresh requests from the server until released: a
// server slow to refresh.
type refreshHold struct {
	arrived chan struct{} // closed when the first refresh is held
	once    sync.Once
	release chan struct{}
}

// holdRefreshes holds every refresh request from now until the hold is
// released (or the client gives up on it).
func (p *proxy) holdRefreshes() *refreshHold {
	h := &refreshHold{arrived: make(chan struct{}), release: make(chan struct{})}
	p.hold.Store(h)
	return h
}

func newProxy(t *testing.T) *proxy {
	t.Helper()
	up, err := url.Parse(strings.TrimSuffix(target.URL, "/"))
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{counts: map[string]int{}}
	rp := httputil.NewSingleHostReverseProxy(up)
	rp.ModifyResponse = p.rewrite
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.counts[r.URL.Path+"?grant_type="+r.URL.Query().Get("grant_type")]++
		p.mu.Unlock()
		if h := p.hold.Load(); h != nil && r.URL.Query().Get("grant_type") == "refresh_token" {
			h.once.Do(func() { close(h.arrived) })
			select {
			case <-h.release:
			case <-r.Context().Done():
				return
			}
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	// Keep the target's form: a bare GoTrue URL has a path ("/").
	p.URL = srv.URL + strings.TrimPrefix(target.URL, up.Scheme+"://"+up.Host)
	return p
}

// count returns how many requests hit path with the grant type (use "" for
// requests without one).
func (p *proxy) count(pathSuffix, grant string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for k, v := range p.counts {
		path, g, _ := strings.Cut(k, "?grant_type=")
		if strings.HasSuffix(path, pathSuffix) && g == grant {
			n += v
		}
	}
	return n
}

// rewrite shortens expires_in/expires_at of session answers while shortTTL is set.
func (p *proxy) rewrite(resp *http.Response) error {
	ttl := p.shortTTL.Load()
	if ttl == 0 || resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "json") {
		return nil
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	var m map[string]any
	if json.Unmarshal(body, &m) == nil && m["access_token"] != nil {
		m["expires_in"] = ttl
		m["expires_at"] = time.Now().Unix() + ttl
		body, _ = json.Marshal(m)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
	return nil
}
