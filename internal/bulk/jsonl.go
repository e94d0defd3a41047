package bulk

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/authctl/authctl/internal/auth"
)

// maxLineBytes bounds one JSON Lines row: a user with large metadata fits,
// a file that is not JSON Lines at all does not take the memory with it.
const maxLineBytes = 4 << 20

// RowFunc receives each row in file order: either a valid row, or err, a
// *LineError saying why the row at that line is invalid. Returning an error
// stops the reader, which returns it.
type RowFunc func(row Row, err error) error

// jsonUser is a row of JSON Lines: the fields of POST /admin/users, plus the
// fields `admin users export` writes, so an export imports as it is.
type jsonUser struct {
	auth.AdminUserAttributes
	EmailConfirmedAt string `json:"email_confirmed_at"`
	PhoneConfirmedAt string `json:"phone_confirmed_at"`
	BannedUntil      string `json:"banned_until"`
}

// ReadJSONL reads one JSON object per line; blank lines are skipped. now
// turns an exported banned_until into the ban_duration left.
func ReadJSONL(r io.Reader, now time.Time, fn RowFunc) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLineBytes)
	for line := 1; sc.Scan(); line++ {
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		row, err := parseJSONLine(b, now)
		row.Line = line
		if err != nil {
			err = &LineError{Line: line, Err: err}
		}
		if err := fn(row, err); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return fmt.Errorf("a line is longer than %d MiB: is this JSON Lines?", maxLineBytes>>20)
		}
		return err
	}
	return nil
}

func parseJSONLine(b []byte, now time.Time) (Row, error) {
	var u jsonUser
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&u); err != nil {
		return Row{}, fmt.Errorf("not a JSON object: %v", err)
	}
	if dec.More() {
		return Row{}, errors.New("more than one JSON value on the line")
	}
	// What the line has beyond the fields above: an export's identities,
	// factors and whatever else the import cannot create.
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		return Row{}, fmt.Errorf("not a JSON object: %v", err)
	}
	row := Row{Attrs: u.AdminUserAttributes, Lost: unrestorableOf(all)}
	if err := applyExported(&row.Attrs, u.EmailConfirmedAt, u.PhoneConfirmedAt, u.BannedUntil, now); err != nil {
		return Row{}, err
	}
	return row, finish(&row)
}

// applyExported maps the read-only fields of an exported user to what
// creating the user again needs: confirmation timestamps become the confirm
// flags, a ban still running becomes the duration left, and the provider
// bookkeeping the server keeps in app_metadata is dropped (the server
// writes its own).
func applyExported(a *auth.AdminUserAttributes, emailConfirmed, phoneConfirmed, bannedUntil string, now time.Time) error {
	if emailConfirmed != "" && a.EmailConfirm == nil {
		a.EmailConfirm = auth.Bool(true)
	}
	if phoneConfirmed != "" && a.PhoneConfirm == nil {
		a.PhoneConfirm = auth.Bool(true)
	}
	if bannedUntil != "" && a.BanDuration == "" {
		t, err := time.Parse(time.RFC3339Nano, bannedUntil)
		if err != nil {
			return fmt.Errorf("invalid banned_until %q: want an RFC 3339 time", bannedUntil)
		}
		if left := t.Sub(now); left > 0 {
			a.BanDuration = left.Round(time.Second).String()
		}
	}
	if a.BanDuration != "" && a.BanDuration != "none" {
		if _, err := time.ParseDuration(a.BanDuration); err != nil {
			return fmt.Errorf("invalid ban_duration %q: want a duration such as 24h", a.BanDuration)
		}
	}
	delete(a.AppMetadata, "provider")
	delete(a.AppMetadata, "providers")
	if len(a.AppMetadata) == 0 {
		a.AppMetadata = nil
	}
	if a.Role != "" && strings.TrimSpace(a.Role) != a.Role {
		return fmt.Errorf("invalid role %q", a.Role)
	}
	return nil
}
