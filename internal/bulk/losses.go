package bulk

import (
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
		n := l[k]
		users := fmt.Sprintf("%d users", n)
		if n == 1 {
			users = "1 user"
		}
		kind, name, _ := strings.Cut(k, ":")
		switch kind {
		case "factor":
			out = append(out, fmt.Sprintf("%s had a verified %s factor: the admin API cannot create factors, so they must enrol again (authctl mfa enroll --type %s)",
				users, strings.ToUpper(name), name))
		case "provider":
			out = append(out, fmt.Sprintf("%s had a %s identity: they become email or phone users until they sign in with %s, which links it again",
				users, name, name))
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
