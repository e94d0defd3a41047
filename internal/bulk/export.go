package bulk

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/render"
)

// Lister is what the exporter needs of auth.AdminAPI.
type Lister interface {
	ListAllUsersRaw(context.Context, auth.ListUsersParams, func(json.RawMessage) error) error
	GetUserRaw(ctx context.Context, id string) (json.RawMessage, error)
}

// Exporter writes every user as it arrives, page by page.
type Exporter struct {
	Admin   Lister
	Format  string // "jsonl" (default) or "csv"
	PerPage int    // default 500
	Filter  string // the server's filter: users whose email or name contains it
	// Concurrency is how many users' details are fetched at once (default 8).
	Concurrency int
	// OnUser is called after each user is written (progress); may be nil.
	OnUser func()
	// NotKept, filled by a CSV export, is what its users had that CSV
	// cannot hold.
	NotKept NotKept
}

// NotKept counts per kind (the keys of Losses) the users whose data a CSV
// export could only name, and remembers the first few of them.
type NotKept struct {
	Losses Losses
	Users  map[string][]string // up to maxNamedUsers per kind: email, else phone, else id
}

const maxNamedUsers = 3

func (k *NotKept) add(who string, lost Unrestorable) {
	if k.Losses == nil {
		k.Losses, k.Users = Losses{}, map[string][]string{}
	}
	one := Losses{}
	one.add(lost)
	for kind := range one {
		k.Losses[kind]++
		if len(k.Users[kind]) < maxNamedUsers {
			k.Users[kind] = append(k.Users[kind], who)
		}
	}
}

// Export writes all users to w and returns how many. Output is buffered
// and flushed at the end of every page, so memory holds one page and the
// reader of a pipe sees users as pages arrive.
//
// The listing leaves out each user's identities and factors (the server
// does not load them there), so every user is fetched again, several at
// once, before its page is written.
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
	page := make([]json.RawMessage, 0, perPage)
	writePage := func() error {
		if err := e.details(ctx, page); err != nil {
			return err
		}
		for _, u := range page {
			if err := write(u); err != nil {
				return err
			}
			n++
			if e.OnUser != nil {
				e.OnUser()
			}
		}
		page = page[:0]
		return flush()
	}
	// Oldest first: users created while the export runs land at the end
	// instead of shifting every later page by one.
	err = e.Admin.ListAllUsersRaw(ctx, auth.ListUsersParams{PerPage: perPage, Sort: "created_at asc", Filter: e.Filter}, func(u json.RawMessage) error {
		page = append(page, u)
		if len(page) == perPage {
			return writePage()
		}
		return nil
	})
	if err == nil && len(page) > 0 {
		err = writePage()
	}
	if ferr := flush(); err == nil {
		err = ferr
	}
	return n, err
}

// details replaces each listed user of page by the full user. A user
// deleted since the listing keeps its listed object: it existed when the
// page was read.
func (e *Exporter) details(ctx context.Context, page []json.RawMessage) error {
	workers := e.Concurrency
	if workers <= 0 {
		workers = 8
	}
	retry := newRetrier(Retry{})
	sem := make(chan struct{}, workers)
	errs := make([]error, len(page))
	// Every id first: a listing with a user without one is refused before
	// any fetch starts, so none is left running when it is.
	ids := make([]string, len(page))
	for i, listed := range page {
		if ids[i] = userID(listed); ids[i] == "" {
			return fmt.Errorf("a user of the listing has no id: %.100s", listed)
		}
	}
	var wg sync.WaitGroup
	for i, id := range ids {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			var full json.RawMessage
			err := retry.do(ctx, func() (err error) {
				full, err = e.Admin.GetUserRaw(ctx, id)
				return err
			})
			var ae auth.Error
			switch {
			case err == nil:
				page[i] = full
			case errors.As(err, &ae) && ae.Base().Status == http.StatusNotFound:
			default:
				errs[i] = fmt.Errorf("fetching user %s: %w", id, err)
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// userID is a listed user's id. The server writes "id" first, so it is
// read from the front, without decoding the whole user as reflection does
// (a few per cent of an export's CPU); any other shape is decoded.
func userID(listed json.RawMessage) string {
	if rest, ok := bytes.CutPrefix(listed, []byte(`{"id":"`)); ok {
		if end := bytes.IndexByte(rest, '"'); end > 0 && bytes.IndexByte(rest[:end], '\\') < 0 {
			return string(rest[:end])
		}
	}
	var u struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(listed, &u) != nil {
		return ""
	}
	return u.ID
}

// encoder writes each user as the format wants it. JSON Lines carry the
// server's object as it came, every field (identities, factors, whatever a
// newer server adds) and no re-encoding; CSV decodes the columns it has and
// names the rest in its not_kept column.
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
			var all map[string]json.RawMessage
			if err := errors.Join(json.Unmarshal(raw, &u), json.Unmarshal(raw, &all)); err != nil {
				return fmt.Errorf("decoding a user from the server: %w", err)
			}
			lost := unrestorableOf(all)
			e.NotKept.add(cmp.Or(u.Email, u.Phone, u.ID), lost)
			return cw.Write(csvRecord(u, lost))
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
func csvRecord(u auth.User, lost Unrestorable) []string {
	return []string{u.ID, u.Email, u.Phone, u.EmailConfirmedAt, u.PhoneConfirmedAt,
		u.CreatedAt, u.LastSignInAt, u.BannedUntil, u.Role, jsonOrEmpty(u.UserMetadata), jsonOrEmpty(map[string]any(u.AppMetadata)),
		lost.notKept()}
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

// Messages says, one line per kind, how many users had what the CSV could
// only name, and who the first of them are.
func (k NotKept) Messages() []string {
	out := []string{}
	for _, kind := range slices.Sorted(maps.Keys(k.Losses)) {
		n := k.Losses[kind]
		who := strings.Join(k.Users[kind], ", ")
		if n > len(k.Users[kind]) {
			who += fmt.Sprintf(" and %d more", n-len(k.Users[kind]))
		}
		what, name, _ := strings.Cut(kind, ":")
		switch what {
		case "factor":
			what = "a verified " + strings.ToUpper(name) + " factor"
		case "provider":
			what = "a " + name + " identity"
		default:
			what = name
		}
		out = append(out, fmt.Sprintf("%s had %s: %s", plural(n, "user"), what, who))
	}
	return out
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
