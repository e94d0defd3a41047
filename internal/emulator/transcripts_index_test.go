package emulator

import (
	"encoding/json"
	"regexp"
	"sort"
)

// recordedIndex maps recorded user ids and identity ids to emails across
// all transcripts, to rebuild the users a scenario assumes exist.
type recordedIndex struct {
	idsByLocal map[string][]string         // email local part -> user ids
	creators   map[string]creator          // email local part -> request that created it
	factors    map[string][]recordedFactor // email local part -> factors of the user
	clients    map[string]map[string]any   // OAuth client id -> its registration
	localByID  map[string]string           // user id -> email local part
	identities map[string][]string         // user id -> identity ids
}

var localPart = regexp.MustCompile(`rec-[0-9a-f]{10}`)

func newRecordedIndex(trs []*transcript) *recordedIndex {
	idx := &recordedIndex{idsByLocal: map[string][]string{}, localByID: map[string]string{}, identities: map[string][]string{}, creators: map[string]creator{}, factors: map[string][]recordedFactor{}, clients: map[string]map[string]any{}}
	factorOwner := map[string]string{} // factor id -> owner's user id or local part
	factorSeen := map[string]recordedFactor{}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			id, _ := x["id"].(string)
			email, _ := x["email"].(string)
			if _, isUser := x["aud"]; isUser && id != "" {
				if lp := localPart.FindString(email); lp != "" {
					idx.idsByLocal[lp] = appendNew(idx.idsByLocal[lp], id)
					idx.localByID[id] = lp
				}
			}
			if fs, ok := x["factors"].([]any); ok && id != "" {
				for _, f := range fs {
					if fm, ok := f.(map[string]any); ok {
						fid, _ := fm["id"].(string)
						factorOwner[fid] = id
						name, _ := fm["friendly_name"].(string)
						ftype, _ := fm["factor_type"].(string)
						phone, _ := fm["phone"].(string)
						factorSeen[fid] = recordedFactor{id: fid, typ: ftype, name: name, phone: phone}
					}
				}
			}
			if totp, ok := x["totp"].(map[string]any); ok && id != "" {
				uri, _ := totp["uri"].(string)
				name, _ := x["friendly_name"].(string)
				if lp := localPart.FindString(uri); lp != "" {
					factorOwner[id] = lp
					if _, seen := factorSeen[id]; !seen {
						factorSeen[id] = recordedFactor{id: id, typ: "totp", name: name}
					}
				}
			}
			if cid, ok := x["client_id"].(string); ok && x["registration_type"] != nil {
				idx.clients[cid] = x
			}
			if iid, ok := x["identity_id"].(string); ok {
				uid, _ := x["user_id"].(string)
				idx.identities[uid] = appendNew(idx.identities[uid], iid)
			}
			for _, c := range x {
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	for _, tr := range trs {
		for _, st := range tr.Steps {
			walk(st.Response.Body)
			q := st.Request
			if q.Method == "POST" && (q.Path == "/signup" || q.Path == "/admin/users") && st.Response.Status == 200 {
				var b struct {
					Email string `json:"email"`
				}
				if json.Unmarshal(q.Body, &b) == nil {
					if lp := localPart.FindString(b.Email); lp != "" {
						idx.creators[lp] = creator{q.Path, q.Body}
					}
				}
			}
		}
	}
	ids := make([]string, 0, len(factorSeen))
	for id := range factorSeen {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, fid := range ids {
		owner := factorOwner[fid]
		if lp := idx.localByID[owner]; lp != "" {
			owner = lp
		}
		idx.factors[owner] = append(idx.factors[owner], factorSeen[fid])
		idx.localByID[fid] = owner
	}
	return idx
}

// recordedFactor is an MFA factor some recorded user had.
type recordedFactor struct {
	id, typ, name, phone string
}

// creator is a recorded request that created a user.
type creator struct {
	path string
	body json.RawMessage
}

func appendNew(list []string, v string) []string {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}
