package bench

import (
	"context"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/emulator"
)

// bulkServer is an emulator on loopback for the bulk benchmarks.
type bulkServer struct {
	URL, AnonKey, ServiceKey string
}

func startBulkServer(tb testing.TB) *bulkServer {
	tb.Helper()
	cfg := emulator.DefaultConfig()
	cfg.PasswordCost = 4
	cfg.Logf = func(string, ...any) {}
	emu, err := emulator.New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	tb.Cleanup(cancel)
	go func() { _ = emu.Serve(ctx, l) }()
	return &bulkServer{URL: "http://" + l.Addr().String(), AnonKey: emu.AnonKey(), ServiceKey: emu.ServiceRoleKey()}
}

// httpClient keeps one idle connection per worker, as `admin users import`
// does, for the importer and the plain loop alike.
func httpClient(workers int) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = workers
	return &http.Client{Transport: t, Timeout: 30 * time.Second}
}

func (s *bulkServer) admin(tb testing.TB, hc *http.Client) *auth.AdminAPI {
	c, err := auth.NewClient(auth.Options{URL: s.URL, APIKey: s.AnonKey, ServiceRoleKey: s.ServiceKey, HTTPClient: hc})
	if err != nil {
		tb.Fatal(err)
	}
	return c.Admin()
}
