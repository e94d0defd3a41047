package bulk

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Unrestorable is what a row's source had that POST /admin/users cannot
// create: the import still creates the user, and says what was left behind
// instead of dropping it silently.
type Unrestorable struct {
	Factors         []string // types of verified MFA factors (totp, phone, webauthn)
	Providers       []string // identity providers other than email and phone (github, google, sso:…)
	UnverifiedEmail bool     // a Firebase user whose email was never verified
	// Fields are the source's other fields that the import cannot set
	// (new_email of a pending change, is_anonymous, a newer server's
	// field, a misspelt column), by name.
	Fields []string
}

// restorable are the fields of an exported or hand-made user that the
// import turns into what POST /admin/users receives (see jsonUser).
var restorable = map[string]bool{
	"id": true, "email": true, "phone": true, "password": true, "password_hash": true,
	"email_confirm": true, "phone_confirm": true, "user_metadata": true, "app_metadata": true,
	"ban_duration": true, "role": true, "nonce": true,
	"email_confirmed_at": true, "phone_confirmed_at": true, "banned_until": true,
}

// serverWritten are the fields the server keeps for itself: the new user
// gets its own, and losing the old values changes nothing for the user.
// identities and factors are judged one by one in unrestorableOf.
var serverWritten = map[string]bool{
	"aud": true, "confirmed_at": true, "created_at": true, "updated_at": true, "last_sign_in_at": true,
	"invited_at": true, "confirmation_sent_at": true, "recovery_sent_at": true, "email_change_sent_at": true,
	"phone_change_sent_at": true, "reauthentication_sent_at": true, "is_sso_user": true,
	"identities": true, "factors": true,
}

// unrestorableOf says what the user object u (an export's line, the
// server's full user) has that the import cannot create: identities other
// than email and phone, verified factors (an unverified one never worked),
// and any other field with a value.
func unrestorableOf(u map[string]json.RawMessage) Unrestorable {
	var lost Unrestorable
	var ids []struct {
		Provider string `json:"provider"`
	}
	var factors []struct {
		FactorType string `json:"factor_type"`
		Status     string `json:"status"`
	}
	// A malformed list is not a user's data to report: it is skipped like
	// the other server bookkeeping.
	_ = json.Unmarshal(u["identities"], &ids)
	_ = json.Unmarshal(u["factors"], &factors)
	for _, id := range ids {
		if id.Provider != "email" && id.Provider != "phone" && id.Provider != "" {
			lost.Providers = append(lost.Providers, id.Provider)
		}
	}
	for _, f := range factors {
		if f.Status == "verified" {
			lost.Factors = append(lost.Factors, f.FactorType)
		}
	}
	for k, v := range u {
		if !restorable[k] && !serverWritten[k] && !isZeroJSON(v) {
			lost.Fields = append(lost.Fields, k)
		}
	}
	slices.Sort(lost.Fields)
	return lost
}

// isZeroJSON: null, false, 0, "", [] and {} carry nothing to lose.
func isZeroJSON(v json.RawMessage) bool {
	var x any
	if json.Unmarshal(v, &x) != nil {
		return false
	}
	switch x := x.(type) {
	case nil:
		return true
	case bool:
		return !x
	case float64:
		return x == 0
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

// Losses counts, over a whole file, the users who had each unrestorable
// thing: "factor:totp", "provider:github", "unverified_email".
type Losses map[string]int

func (l Losses) add(u Unrestorable) {
	for _, f := range uniq(u.Factors) {
		l["factor:"+f]++
	}
	for _, p := range uniq(u.Providers) {
		l["provider:"+p]++
	}
	if u.UnverifiedEmail {
		l["unverified_email"]++
	}
	for _, f := range uniq(u.Fields) {
		l["field:"+f]++
	}
}

func uniq(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return slices.Compact(s)
}

// Messages says, one sentence per kind, what the losses mean for the users
// and what to do. confirmed: --confirm-emails was given.
func (l Losses) Messages(confirmed bool) []string {
	out := []string{}
	for _, k := range slices.Sorted(maps.Keys(l)) {
		users := plural(l[k], "user")
		kind, name, _ := strings.Cut(k, ":")
		switch kind {
		case "factor":
			out = append(out, fmt.Sprintf("%s had a verified %s factor: the admin API cannot create factors, so they must enrol again (authctl mfa enroll --type %s)",
				users, strings.ToUpper(name), name))
		case "provider":
			out = append(out, fmt.Sprintf("%s had a %s identity: they become email or phone users until they sign in with %s, which links it again",
				users, name, name))
		case "field":
			out = append(out, fmt.Sprintf("%s had %s, which the admin API cannot set: it is not restored", users, name))
		case "unverified_email":
			if confirmed {
				out = append(out, fmt.Sprintf("%s had an unverified email, marked confirmed (--confirm-emails), as Firebase let them sign in", users))
			} else {
				out = append(out, fmt.Sprintf("%s had an unverified email: where the project requires confirmation they cannot sign in with their password until they confirm it (Firebase let them); --confirm-emails marks them confirmed", users))
			}
		}
	}
	return out
}

// notKept is u as the not_kept cell of a CSV export, which has no room for
// identities, factors or extra fields but names them, so that the import
// of the CSV reports them as the import of JSON Lines does:
// space-separated identity:PROVIDER, factor:TYPE and field names.
func (u Unrestorable) notKept() string {
	var out []string
	for _, p := range uniq(u.Providers) {
		out = append(out, "identity:"+p)
	}
	for _, f := range uniq(u.Factors) {
		out = append(out, "factor:"+f)
	}
	return strings.Join(append(out, uniq(u.Fields)...), " ")
}

// parseNotKept reads a not_kept cell back.
func parseNotKept(s string) Unrestorable {
	var u Unrestorable
	for _, tok := range strings.Fields(s) {
		kind, name, _ := strings.Cut(tok, ":")
		switch {
		case kind == "identity" && name != "":
			u.Providers = append(u.Providers, name)
		case kind == "factor" && name != "":
			u.Factors = append(u.Factors, name)
		default:
			u.Fields = append(u.Fields, tok)
		}
	}
	return u
}
