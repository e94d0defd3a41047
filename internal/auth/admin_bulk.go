package auth

import "context"

// CreateUserID is CreateUser for bulk imports: the same request, but only
// the new user's id is decoded from the answer. An import creates thousands
// of users and needs none of the objects; decoding each one whole (metadata
// maps, identities) is garbage the importer pays for in throughput.
func (a *AdminAPI) CreateUserID(ctx context.Context, attrs AdminUserAttributes) (string, error) {
	var out struct {
		ID string `json:"id"`
	}
	if _, err := a.do(ctx, Request{Method: "POST", Path: "/admin/users", Body: attrs}, &out); err != nil {
		return "", err
	}
	return out.ID, nil
}
