package emulator

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
)

func compareHeaders(rec map[string]string, got http.Header, r *runner) []string {
	var out []string
	for _, h := range []string{"Content-Type", "X-Sb-Error-Code", "X-Supabase-Api-Version", "Link", "X-Total-Count", "Location"} {
		want, has := rec[h]
		g := got.Get(h)
		switch {
		case has != (g != ""):
			out = append(out, fmt.Sprintf("header %s = %q, want %q", h, g, want))
		case !has:
		case h == "Link":
			if linkRels(want) != linkRels(g) {
				out = append(out, fmt.Sprintf("Link rels %q, want %q", g, want))
			}
		case h == "Location" && isExternal(want):
			// The emulator's mock identity provider lives at its own path:
			// only the parameters it is sent are compared.
			if p := urlShape(r.sub(want)); !strings.HasSuffix(urlShape(g), p[strings.Index(p, "?"):]) {
				out = append(out, fmt.Sprintf("Location shape %s, want %s", urlShape(g), p))
			}
		case h == "Location":
			if p := urlShape(r.sub(want)); p != urlShape(g) {
				out = append(out, fmt.Sprintf("Location shape %s, want %s", urlShape(g), p))
			}
		case h == "X-Total-Count":
		default:
			if g != want {
				out = append(out, fmt.Sprintf("header %s = %q, want %q", h, g, want))
			}
		}
	}
	return out
}

var relPattern = regexp.MustCompile(`rel="(\w+)"`)

func linkRels(h string) string {
	var rels []string
	for _, m := range relPattern.FindAllStringSubmatch(h, -1) {
		rels = append(rels, m[1])
	}
	return strings.Join(rels, ",")
}

// isExternal reports a URL to another host than the server or a loopback app.
func isExternal(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && u.Hostname() != "" && u.Hostname() != "127.0.0.1" && u.Hostname() != "localhost"
}

// urlShape is a URL's path with the sorted names of its query and
// fragment parameters (host and values vary).
func urlShape(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return s
	}
	names := func(raw string) string {
		q, _ := url.ParseQuery(raw)
		var ks []string
		for k := range q {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		return strings.Join(ks, ",")
	}
	return u.Path + "?" + names(u.RawQuery) + "#" + names(u.Fragment)
}

// waitTime is the timing-dependent part of the frequency limits' message.
var waitTime = regexp.MustCompile(`after \d+ seconds`)

// providerError is the SMS provider's part of sms_send_failed messages.
var providerError = regexp.MustCompile(`(OTP to provider: ).*`)

// exactFields are compared by value (error codes and messages).
var exactFields = map[string]bool{"code": true, "error_code": true, "msg": true, "message": true, "error": true, "error_description": true}

// compareBody compares the shape of a response with the recorded one:
// objects must have the same keys (custom metadata keys aside), values the
// same JSON types, recursively; the top-level error fields are compared by
// value. An array must be empty exactly when the recorded one is, and each
// of its elements must match the shape of some recorded element (listings
// hold different users and counts). Plain-text bodies are compared only
// for the router's 404.
func compareBody(path string, rec, got any, r *runner) []string {
	switch x := rec.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: %s, want object", path, jsonType(got))}
		}
		if isMetadata(path) {
			x, g = standardKeys(x), standardKeys(g)
		}
		var out []string
		for k := range x {
			if _, ok := g[k]; !ok {
				out = append(out, fmt.Sprintf("%s.%s missing", path, k))
			}
		}
		for k := range g {
			if _, ok := x[k]; !ok {
				out = append(out, fmt.Sprintf("%s.%s unexpected", path, k))
			}
		}
		for k, v := range x {
			if gv, ok := g[k]; ok {
				// Whether an address is verified is the server's to say:
				// compared by value in the metadata and identity data.
				if verifiedFlags[k] && isMetadata(path) {
					if fmt.Sprint(v) != fmt.Sprint(gv) {
						out = append(out, fmt.Sprintf("%s.%s = %v, want %v", path, k, gv, v))
					}
					continue
				}
				if exactFields[k] && path == "body" {
					if ws, ok := v.(string); ok {
						v = r.sub(ws)
						// How long to wait depends on the timing of the run.
						v, gv = waitTime.ReplaceAllString(v.(string), "after N seconds"), waitTime.ReplaceAllString(fmt.Sprint(gv), "after N seconds")
						// The SMS provider's own error text is the machine's.
						v, gv = providerError.ReplaceAllString(v.(string), "$1…"), providerError.ReplaceAllString(fmt.Sprint(gv), "$1…")
					}
					if fmt.Sprint(v) != fmt.Sprint(gv) {
						out = append(out, fmt.Sprintf("%s.%s = %v, want %v", path, k, gv, v))
					}
					continue
				}
				out = append(out, compareBody(path+"."+k, v, gv, r)...)
			}
		}
		return out
	case []any:
		g, ok := got.([]any)
		if !ok {
			return []string{fmt.Sprintf("%s: %s, want array", path, jsonType(got))}
		}
		if (len(x) == 0) != (len(g) == 0) {
			return []string{fmt.Sprintf("%s: %d elements, want %d", path, len(g), len(x))}
		}
		for i, gv := range g {
			var best []string
			for _, xv := range x {
				p := compareBody(fmt.Sprintf("%s[%d]", path, i), xv, gv, r)
				if len(p) == 0 {
					best = nil
					break
				}
				if best == nil || len(p) < len(best) {
					best = p
				}
			}
			if best != nil {
				return best
			}
		}
		return nil
	case string:
		if path == "body" {
			if g, ok := got.(string); !ok || (strings.HasPrefix(x, "404") && g != x) {
				return []string{fmt.Sprintf("body %.80q, want %.80q", fmt.Sprint(got), x)}
			}
			return nil
		}
	}
	if jsonType(rec) != jsonType(got) {
		return []string{fmt.Sprintf("%s: %s, want %s", path, jsonType(got), jsonType(rec))}
	}
	return nil
}

// compareClaims decodes the access tokens the transcript has claims for
// (in the body or the Location fragment) and compares their claim set and
// types, and the values of role, aal, is_anonymous and the amr methods.
func compareClaims(want map[string]map[string]any, got any, hdr http.Header) []string {
	var out []string
	for where, wc := range want {
		var tok string
		switch where {
		case "response.body.access_token":
			if m, ok := got.(map[string]any); ok {
				tok, _ = m["access_token"].(string)
			}
		case "response.headers.Location":
			if u, err := url.Parse(hdr.Get("Location")); err == nil {
				f, _ := url.ParseQuery(u.Fragment)
				tok = f.Get("access_token")
			}
		default:
			continue // tokens the emulator does not issue in the same place
		}
		parts := strings.Split(tok, ".")
		if len(parts) != 3 {
			out = append(out, where+": no JWT")
			continue
		}
		payload, err := base64.RawURLEncoding.DecodeString(parts[1])
		var gc map[string]any
		if err != nil || json.Unmarshal(payload, &gc) != nil {
			out = append(out, where+": undecodable JWT")
			continue
		}
		out = append(out, compareBody("claims", wc, gc, nil)...)
		for _, k := range []string{"role", "aal", "is_anonymous"} {
			if fmt.Sprint(wc[k]) != fmt.Sprint(gc[k]) {
				out = append(out, fmt.Sprintf("claim %s = %v, want %v", k, gc[k], wc[k]))
			}
		}
		if amrMethods(wc["amr"]) != amrMethods(gc["amr"]) {
			out = append(out, fmt.Sprintf("amr %s, want %s", amrMethods(gc["amr"]), amrMethods(wc["amr"])))
		}
	}
	return out
}

func amrMethods(v any) string {
	list, _ := v.([]any)
	var ms []string
	for _, e := range list {
		if m, ok := e.(map[string]any); ok {
			ms = append(ms, fmt.Sprint(m["method"]))
		}
	}
	// The order follows the timestamps (newest first), which the test's
	// clock does not reproduce to the second: compare the methods only.
	sort.Strings(ms)
	return strings.Join(ms, ",")
}

// Custom metadata keys are user data (and the recorder's users carry keys
// set by other scenarios): only the server's own keys are compared.
func isMetadata(path string) bool {
	return strings.HasSuffix(path, "_metadata") || strings.HasSuffix(path, ".identity_data")
}

var verifiedFlags = map[string]bool{"email_verified": true, "phone_verified": true}

var serverMetadataKeys = map[string]bool{"provider": true, "providers": true, "email": true, "email_verified": true,
	"phone_verified": true, "sub": true, "phone": true}

func standardKeys(m map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		if serverMetadataKeys[k] {
			out[k] = v
		}
	}
	return out
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}
