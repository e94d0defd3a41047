// Command record captures transcripts from a real Supabase Auth server for
// the emulator's replay test (TestRecordedTranscripts), in the format of
// shared/gotrue-transcripts: JWTs in bodies become <jwt> with their claims
// in jwt_claims, keys become <anon>, <service_role> and <user_jwt>, and only
// the headers the replay compares are kept.
//
//	. /tmp/ref-9990.env   # a server started by reference-server/up.sh
//	go run ./internal/emulator/testdata/record -set default -out internal/emulator/testdata/transcripts
//
// -set names the scenarios to record and must match the server's
// configuration (scenarios.go says which GOTRUE_* settings each set needs).
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/pquerna/otp/totp"
)

// transcript is one recorded scenario.
type transcript struct {
	Scenario    string `json:"scenario"`
	Description string `json:"description"`
	// Emulator lists the `authctl emulator` flags that configure the
	// emulator like the recorded server; ServerSettings are the GOTRUE_*
	// values that differed from reference-server/auth.env.
	Emulator       []string          `json:"emulator,omitempty"`
	ServerSettings map[string]string `json:"server_settings,omitempty"`
	Steps          []recordedStep    `json:"steps"`
}

type recordedStep struct {
	Note    string `json:"note,omitempty"`
	Request struct {
		Method  string            `json:"method"`
		Path    string            `json:"path"`
		Query   map[string]string `json:"query"`
		Headers map[string]string `json:"headers"`
		Body    any               `json:"body"`
	} `json:"request"`
	Response struct {
		Status  int               `json:"status"`
		Headers map[string]string `json:"headers"`
		Body    any               `json:"body"`
	} `json:"response"`
	// JWTClaims are the claims of the access token in the body.
	JWTClaims map[string]map[string]any `json:"jwt_claims,omitempty"`
}

// keptHeaders are the response headers the replay compares.
var keptHeaders = []string{"Content-Type", "Link", "X-Total-Count", "X-Sb-Error-Code", "Location", "Retry-After", "X-Supabase-Api-Version"}

var jwtInJSON = regexp.MustCompile(`"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+"`)

// recorder runs one scenario against the server.
type recorder struct {
	base, anon, service string
	vars                map[string]string // $name -> value
	jwt                 string            // latest access token answered
}

func main() {
	set := flag.String("set", "default", "scenario set to record (default, confirm)")
	out := flag.String("out", "internal/emulator/testdata/transcripts", "directory for the transcripts")
	flag.Parse()
	base := strings.TrimSuffix(os.Getenv("AUTHCTL_E2E_URL"), "/")
	anon, service := os.Getenv("AUTHCTL_E2E_ANON_KEY"), os.Getenv("AUTHCTL_E2E_SERVICE_ROLE_KEY")
	sc, ok := sets[*set]
	if base == "" || anon == "" || service == "" || !ok {
		fmt.Fprintln(os.Stderr, "record: source a reference server's env file and name a known -set")
		os.Exit(2)
	}
	for _, s := range sc.scenarios {
		rec := &recorder{base: base, anon: anon, service: service, vars: freshVars()}
		tr := transcript{Scenario: s.name, Description: s.description, Emulator: sc.emulator, ServerSettings: sc.settings}
		for _, st := range s.steps {
			rs, err := rec.run(st)
			if err != nil {
				fmt.Fprintf(os.Stderr, "record: %s: %v\n", s.name, err)
				os.Exit(1)
			}
			if !st.hidden {
				tr.Steps = append(tr.Steps, rs)
			}
		}
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false) // keep <anon>, <jwt> readable
		enc.SetIndent("", " ")
		_ = enc.Encode(tr)
		if err := os.WriteFile(filepath.Join(*out, s.name+".json"), b.Bytes(), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "record:", err)
			os.Exit(1)
		}
		fmt.Println("recorded", s.name)
	}
}

// freshVars are the values no earlier run has used.
func freshVars() map[string]string {
	n := time.Now().UnixNano()
	return map[string]string{
		"email":  fmt.Sprintf("rec-%d@example.com", n),
		"email2": fmt.Sprintf("rec2-%d@example.com", n),
		"phone":  fmt.Sprintf("1555%011d", n%100000000000),
		"phone2": fmt.Sprintf("1556%011d", n%100000000000),
		"phone3": fmt.Sprintf("1557%011d", n%100000000000),
	}
}

var varPattern = regexp.MustCompile(`\$[a-z_0-9]+`)

// expand replaces each $name by its value.
func (r *recorder) expand(s string) string {
	return varPattern.ReplaceAllStringFunc(s, func(m string) string {
		if v, ok := r.vars[m[1:]]; ok {
			return v
		}
		return m
	})
}

func (r *recorder) run(st step) (recordedStep, error) {
	if st.totp != "" {
		code, err := totp.GenerateCode(r.vars[st.totp], time.Now())
		if err != nil {
			return recordedStep{}, err
		}
		r.vars["totp"] = code
	}
	path := r.expand(st.path)
	body := r.expand(st.body)
	headers := map[string]string{"apikey": "<anon>"}
	auth := map[string]string{"anon": "<anon>", "service": "<service_role>", "user": "<user_jwt>"}[st.auth]
	if auth != "" {
		headers["Authorization"] = "Bearer " + auth
	}
	if body != "" {
		headers["Content-Type"] = "application/json"
	}
	headers["X-Supabase-Api-Version"] = "2024-01-01"
	u, err := url.Parse(r.base + path)
	if err != nil {
		return recordedStep{}, err
	}
	req, err := http.NewRequest(st.method, u.String(), strings.NewReader(body))
	if err != nil {
		return recordedStep{}, err
	}
	for k, v := range headers {
		v = strings.NewReplacer("<anon>", r.anon, "<service_role>", r.service, "<user_jwt>", r.jwt).Replace(v)
		req.Header.Set(k, v)
	}
	client := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		return recordedStep{}, err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var got any
	if len(raw) > 0 && json.Unmarshal(raw, &got) != nil {
		got = string(raw)
	}
	rs := recordedStep{Note: st.note}
	if m, ok := got.(map[string]any); ok {
		if tok, ok := m["access_token"].(string); ok {
			r.jwt = tok
			rs.JWTClaims = map[string]map[string]any{"response.body.access_token": claims(tok)}
		}
		for name, field := range st.save {
			r.vars[name] = lookup(m, field)
		}
	}
	q := map[string]string{}
	for k := range u.Query() {
		q[k] = u.Query().Get(k)
	}
	var reqBody any
	if body != "" {
		reqBody = json.RawMessage(body)
	}
	kept := map[string]string{}
	for _, h := range keptHeaders {
		if v := resp.Header.Get(h); v != "" {
			kept[h] = v
		}
	}
	rs.Request.Method, rs.Request.Path, rs.Request.Query, rs.Request.Headers, rs.Request.Body = st.method, u.Path, q, headers, reqBody
	// The body stays as the server wrote it (its field order), JWTs aside.
	var respBody any = json.RawMessage(jwtInJSON.ReplaceAll(raw, []byte(`"<jwt>"`)))
	if _, text := got.(string); text || len(raw) == 0 {
		respBody = got
	}
	rs.Response.Status, rs.Response.Headers, rs.Response.Body = resp.StatusCode, kept, respBody
	if st.status != 0 && resp.StatusCode != st.status {
		return rs, fmt.Errorf("%s %s: status %d, want %d: %s", st.method, path, resp.StatusCode, st.status, raw)
	}
	return rs, nil
}

// lookup reads a dotted path of fields and array indexes ("user.id",
// "users.0.id").
func lookup(m map[string]any, path string) string {
	var v any = m
	for _, k := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[k]
		case []any:
			i, err := strconv.Atoi(k)
			if err != nil || i >= len(x) {
				return ""
			}
			v = x[i]
		}
	}
	s, _ := v.(string)
	return s
}

func claims(tok string) map[string]any {
	parts := strings.Split(tok, ".")
	var c map[string]any
	if len(parts) == 3 {
		b, _ := base64.RawURLEncoding.DecodeString(parts[1])
		_ = json.NewDecoder(bytes.NewReader(b)).Decode(&c)
	}
	return c
}
