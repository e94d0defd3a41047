package bulk

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/render"
)

// Lister is what the exporter needs of auth.AdminAPI.
type Lister interface {
	ListAllUsersRaw(context.Context, auth.ListUsersParams, func(json.RawMessage) error) error
}

// Exporter writes every user as it arrives, page by page.
type Exporter struct {
	Admin   Lister
	Format  string // "jsonl" (default) or "csv"
	PerPage int    // default 500
	// OnUser is called after each user is written (progress); may be nil.
	OnUser func()
}

// Export writes all users to w and returns how many. Output is buffered
// and flushed at the end of every page, so memory holds one page and the
// reader of a pipe sees users as pages arrive.
func (e *Exporter) Export(ctx context.Context, w io.Writer) (int, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	write, flush, err := e.encoder(bw)
	if err != nil {
		return 0, err
	}
	perPage := e.PerPage
	if perPage <= 0 {
		perPage = 500
	}
	n := 0
	// Oldest first: users created while the export runs land at the end
	// instead of shifting every later page by one.
	err = e.Admin.ListAllUsersRaw(ctx, auth.ListUsersParams{PerPage: perPage, Sort: "created_at asc"}, func(u json.RawMessage) error {
		if err := write(u); err != nil {
			return err
		}
		n++
		if e.OnUser != nil {
			e.OnUser()
		}
		if n%perPage == 0 {
			return flush()
		}
		return nil
	})
	if ferr := flush(); err == nil {
		err = ferr
	}
	return n, err
}

// encoder writes each user as the format wants it. JSON Lines carry the
// server's object as it came, every field (identities, factors, whatever a
// newer server adds) and no re-encoding; CSV decodes the columns it has.
func (e *Exporter) encoder(bw *bufio.Writer) (write func(json.RawMessage) error, flush func() error, err error) {
	switch e.Format {
	case "", "jsonl":
		return func(u json.RawMessage) error { return render.JSONLine(bw, u) }, bw.Flush, nil
	case "csv":
		cw := csv.NewWriter(bw)
		if err := cw.Write(CSVColumns); err != nil {
			return nil, nil, err
		}
		write = func(raw json.RawMessage) error {
			var u auth.User
			if err := json.Unmarshal(raw, &u); err != nil {
				return fmt.Errorf("decoding a user from the server: %w", err)
			}
			return cw.Write(csvRecord(u))
		}
		flush = func() error {
			cw.Flush()
			if err := cw.Error(); err != nil {
				return err
			}
			return bw.Flush()
		}
		return write, flush, nil
	}
	return nil, nil, fmt.Errorf("unknown format %q: want jsonl or csv", e.Format)
}

// csvRecord is u in the order of CSVColumns; metadata as JSON.
func csvRecord(u auth.User) []string {
	return []string{u.ID, u.Email, u.Phone, u.EmailConfirmedAt, u.PhoneConfirmedAt,
		u.CreatedAt, u.LastSignInAt, u.BannedUntil, u.Role, jsonOrEmpty(u.UserMetadata), jsonOrEmpty(map[string]any(u.AppMetadata))}
}

func jsonOrEmpty(m map[string]any) string {
	if len(m) == 0 {
		return ""
	}
	b, err := json.Marshal(m)
	if err != nil {
		return ""
	}
	return string(b)
}
