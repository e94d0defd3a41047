package emulator

import "strings"

// index finds users by email and phone, and a user's identities and
// factors, without scanning the store: a request costs the same with 100
// or 100,000 users (bench/emulator_test.go).
//
// Entries are hints checked on every lookup (the user must still have that
// email, the identity must still exist and belong to that user), so a stale
// entry is harmless and deletions need no bookkeeping. What must not happen
// is a missing entry: every user a request reads goes through loadUser,
// which marks it, and the handler wrapper re-indexes the marked users when
// the request ends (reindexTouched), whatever the handler changed.
type index struct {
	email      map[string]map[string]bool // lower-case email -> user ids
	phone      map[string]map[string]bool // phone -> user ids
	identities map[string]map[string]bool // user id -> identity ids
	factors    map[string]map[string]bool // user id -> factor ids
	touched    map[string]bool            // users read by the current request
}

func newIndex() *index {
	return &index{email: map[string]map[string]bool{}, phone: map[string]map[string]bool{},
		identities: map[string]map[string]bool{}, factors: map[string]map[string]bool{}, touched: map[string]bool{}}
}

func addTo(m map[string]map[string]bool, key, id string) {
	if key == "" {
		return
	}
	set := m[key]
	if set == nil {
		set = map[string]bool{}
		m[key] = set
	}
	set[id] = true
}

// rebuild indexes everything (after loading a data file).
func (s *store) rebuild() {
	s.idx = newIndex()
	for _, u := range s.Users {
		s.indexUser(u)
	}
	for _, i := range s.Identities {
		addTo(s.idx.identities, i.UserID, i.ID)
	}
	for _, f := range s.Factors {
		addTo(s.idx.factors, f.UserID, f.ID)
	}
}

func (s *store) indexUser(u *user) {
	addTo(s.idx.email, strings.ToLower(u.Email), u.ID)
	addTo(s.idx.phone, u.Phone, u.ID)
}

// reindexTouched indexes the users the request read, under their current
// email and phone.
func (s *store) reindexTouched() {
	for id := range s.idx.touched {
		if u := s.Users[id]; u != nil {
			s.indexUser(u)
		}
	}
	clear(s.idx.touched)
}

// putUser stores a new user.
func (s *store) putUser(u *user) {
	s.Users[u.ID] = u
	s.indexUser(u)
	s.idx.touched[u.ID] = true
}

// putIdentity stores a new identity.
func (s *store) putIdentity(i *identity) {
	s.Identities[i.ID] = i
	addTo(s.idx.identities, i.UserID, i.ID)
}

// putFactor stores a new factor.
func (s *store) putFactor(f *factor) {
	s.Factors[f.ID] = f
	addTo(s.idx.factors, f.UserID, f.ID)
}

// candidates are the users indexed under key, dropping stale entries.
func (s *store) candidates(m map[string]map[string]bool, key string, still func(*user) bool) []*user {
	var out []*user
	for id := range m[key] {
		if u := s.Users[id]; u != nil && still(u) {
			out = append(out, u)
		} else {
			delete(m[key], id)
		}
	}
	if len(m[key]) == 0 {
		delete(m, key)
	}
	return out
}
