package bulk

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/authctl/authctl/internal/auth"
)

// CSVColumns are the columns `admin users export --format csv` writes, in
// order. The importer reads any subset in any order (by header name) plus
// password, password_hash, email_confirm, phone_confirm and ban_duration.
// not_kept names what the user had that CSV cannot hold (see notKept).
var CSVColumns = []string{"id", "email", "phone", "email_confirmed_at", "phone_confirmed_at",
	"created_at", "last_sign_in_at", "banned_until", "role", "user_metadata", "app_metadata", "not_kept"}

// csvImportColumns are the columns the importer understands; any other is
// an error rather than silently dropped data.
var csvImportColumns = map[string]bool{
	"id": true, "email": true, "phone": true, "password": true, "password_hash": true,
	"email_confirm": true, "phone_confirm": true, "email_confirmed_at": true, "phone_confirmed_at": true,
	"ban_duration": true, "banned_until": true, "role": true, "user_metadata": true, "app_metadata": true,
	// Written by export, meaningless on create: accepted and ignored.
	"created_at": true, "last_sign_in_at": true,
	// Not created, reported: what the source had that the import cannot create.
	"not_kept": true,
}

// ReadCSV reads a CSV file whose first record names the columns.
func ReadCSV(r io.Reader, now time.Time, fn RowFunc) error {
	lim := newRecordLimit(r, errRecordTooLong)
	cr := csv.NewReader(lim)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading the CSV header: %w", err)
	}
	cols := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if !csvImportColumns[h] {
			return &LineError{Line: 1, Err: fmt.Errorf("unknown column %q", h)}
		}
		if _, dup := cols[h]; dup {
			return &LineError{Line: 1, Err: fmt.Errorf("column %q appears twice", h)}
		}
		cols[h] = i
	}
	if _, ok := cols["email"]; !ok {
		if _, ok := cols["phone"]; !ok {
			return &LineError{Line: 1, Err: errors.New("the header needs an email or a phone column")}
		}
	}
	for {
		lim.startAt(cr.InputOffset())
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		var row Row
		line := 0
		if err == nil {
			line, _ = cr.FieldPos(0)
			row, err = parseCSVRecord(rec, cols, now)
		} else if pe := (*csv.ParseError)(nil); errors.As(err, &pe) {
			line = pe.StartLine
			if !errors.Is(pe.Err, csv.ErrFieldCount) {
				// A broken quote leaves the reader unsure where records
				// start: everything after it would be guesswork.
				return &LineError{Line: line, Err: pe.Err}
			}
			err = pe.Err
		} else {
			return err
		}
		row.Line = line
		if err != nil {
			err = &LineError{Line: line, Err: err}
		}
		if err := fn(row, err); err != nil {
			return err
		}
	}
}

func parseCSVRecord(rec []string, cols map[string]int, now time.Time) (Row, error) {
	get := func(name string) string {
		if i, ok := cols[name]; ok {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	a := auth.AdminUserAttributes{
		ID: get("id"), Email: get("email"), Phone: get("phone"),
		Password: get("password"), PasswordHash: get("password_hash"),
		BanDuration: get("ban_duration"), Role: get("role"),
	}
	var err error
	if a.EmailConfirm, err = csvBool(get("email_confirm"), "email_confirm"); err != nil {
		return Row{}, err
	}
	if a.PhoneConfirm, err = csvBool(get("phone_confirm"), "phone_confirm"); err != nil {
		return Row{}, err
	}
	if a.UserMetadata, err = csvObject(get("user_metadata"), "user_metadata"); err != nil {
		return Row{}, err
	}
	if a.AppMetadata, err = csvObject(get("app_metadata"), "app_metadata"); err != nil {
		return Row{}, err
	}
	if err := applyExported(&a, get("email_confirmed_at"), get("phone_confirmed_at"), get("banned_until"), now); err != nil {
		return Row{}, err
	}
	row := Row{Attrs: a, Lost: parseNotKept(get("not_kept"))}
	return row, finish(&row)
}

func csvBool(s, col string) (*bool, error) {
	if s == "" {
		return nil, nil
	}
	b, err := strconv.ParseBool(strings.ToLower(s))
	if err != nil {
		return nil, fmt.Errorf("invalid %s %q: want true or false", col, s)
	}
	return &b, nil
}

func csvObject(s, col string) (map[string]any, error) {
	if s == "" {
		return nil, nil
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil || m == nil {
		return nil, fmt.Errorf("invalid %s: want a JSON object", col)
	}
	return m, nil
}

// errRecordTooLong ends a CSV import whose record does not end: without a
// bound, `import /dev/zero --format csv` grew without limit.
var errRecordTooLong = fmt.Errorf("a record is longer than %d MiB: is this CSV?", maxLineBytes>>20)
