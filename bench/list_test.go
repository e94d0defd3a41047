package bench

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authctl/authctl/internal/auth"
)

// The listing CPU target (issue 21): against a fast server (an emulator
// holding 10,000 users, in a process of its own), `admin users list --all
// --json` and `admin users export` use at most 1.1× the CPU of a raw pager:
// the plainest Go program that pages GET /admin/users and writes each user
// as a line. Both run as processes, stdout to /dev/null, and their CPU is
// what the kernel accounted them (user + system); pairs alternate which goes
// first, and the figure is the median of the per-pair ratios.
//
//	go test -run '^$' -bench ListCPU -benchtime 10x ./bench/

// rawPagerEnv carries "URL anonKey serviceKey perPage mode sort" to the
// child; mode "details" also fetches each user by id, 8 at a time, as export
// must (the server's listing leaves out identities and factors).
const rawPagerEnv = "AUTHCTL_BENCH_RAW_PAGER"

// rawPager is the baseline: net/http, one page in memory, users split out
// as json.RawMessage and written as they came, next page from the Link
// header.
func rawPager(v string) int {
	f := strings.Fields(v)
	base, anon, key, perPage, details := f[0], f[1], f[2], f[3], f[4] == "details"
	sort := strings.Join(f[5:], " ")
	// One idle connection per fetching worker, as authctl keeps (net/http's
	// default of 2 would open, and leave in TIME_WAIT, a connection for most
	// of the 8 concurrent fetches: system time the raw side must not pay).
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 8
	client := &http.Client{Transport: t}
	get := func(path string) (*http.Response, []byte, error) {
		req, err := http.NewRequest("GET", base+path, nil)
		if err != nil {
			return nil, nil, err
		}
		req.Header.Set("apikey", anon)
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := client.Do(req)
		if err != nil {
			return nil, nil, err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		return resp, body, err
	}
	out := bufio.NewWriterSize(os.Stdout, 64<<10)
	defer out.Flush()
	for page := 1; page > 0; {
		q := url.Values{"page": {strconv.Itoa(page)}, "per_page": {perPage}}
		if sort != "" {
			q.Set("sort", sort)
		}
		resp, body, err := get("/admin/users?" + q.Encode())
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		var p struct{ Users []json.RawMessage }
		if err := json.Unmarshal(body, &p); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		if details && !fetchEach(p.Users, get) {
			return 1
		}
		for _, u := range p.Users {
			out.Write(u)
			out.WriteByte('\n')
		}
		page, _ = auth.LinkPages(resp.Header)
	}
	return 0
}

// fetchEach replaces each listed user by GET /admin/users/{id}, 8 at a time.
func fetchEach(users []json.RawMessage, get func(string) (*http.Response, []byte, error)) bool {
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	var failed atomic.Bool
	for i, u := range users {
		var id struct{ ID string }
		if json.Unmarshal(u, &id) != nil {
			return false
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			if _, body, err := get("/admin/users/" + id.ID); err != nil {
				fmt.Fprintln(os.Stderr, err)
				failed.Store(true)
			} else {
				users[i] = body
			}
		})
	}
	wg.Wait()
	return !failed.Load()
}

// cpuOf runs cmd with stdout to /dev/null and returns the CPU it used.
func cpuOf(b *testing.B, cmd *exec.Cmd) time.Duration {
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer devnull.Close()
	cmd.Stdout = devnull
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		b.Fatalf("%v: %v\n%s", cmd.Args, err, stderr.String())
	}
	return cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}

func BenchmarkListCPU(b *testing.B) {
	const users = 10_000
	authctl, _ := build(b)
	exe, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	srv := startBulkServer(b)
	seed(b, srv, users)
	env := append(os.Environ(), "SUPABASE_URL="+srv.URL+"/", "SUPABASE_ANON_KEY="+srv.AnonKey,
		"SUPABASE_SERVICE_ROLE_KEY="+srv.ServiceKey, "AUTHCTL_STORAGE=file", "AUTHCTL_CONFIG_DIR="+b.TempDir(), "NO_COLOR=1")
	cases := []struct {
		name string
		args []string
		mode string // "details": the baseline fetches each user too, as export does
		sort string // what the command asks the server for
	}{
		{"list-all-json", []string{"admin", "users", "list", "--all", "--json", "--per-page", "500"}, "list", ""},
		{"export-jsonl", []string{"admin", "users", "export", "--format", "jsonl"}, "details", "created_at asc"},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var ratios []float64
			var cli, raw time.Duration
			i := 0
			for b.Loop() {
				runCLI := func() time.Duration {
					cmd := exec.Command(authctl, c.args...)
					cmd.Env = env
					return cpuOf(b, cmd)
				}
				runRaw := func() time.Duration {
					cmd := exec.Command(exe)
					cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s %s %s 500 %s %s", rawPagerEnv, srv.URL, srv.AnonKey, srv.ServiceKey, c.mode, c.sort))
					return cpuOf(b, cmd)
				}
				var a, r time.Duration
				if i%2 == 0 {
					a, r = runCLI(), runRaw()
				} else {
					r, a = runRaw(), runCLI()
				}
				i++
				cli += a
				raw += r
				ratios = append(ratios, float64(a)/float64(r))
			}
			slices.Sort(ratios)
			b.ReportMetric(float64(cli.Milliseconds())/float64(i), "authctl-cpu-ms")
			b.ReportMetric(float64(raw.Milliseconds())/float64(i), "raw-pager-cpu-ms")
			b.ReportMetric(ratios[len(ratios)/2], "x-raw-pager")
		})
	}
}
