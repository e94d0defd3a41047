package bulk

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/google/uuid"

	"github.com/authctl/authctl/internal/auth"
)

// Row is one user to import: the attributes POST /admin/users receives and
// the line of the input file they came from, for error messages and the
// report.
type Row struct {
	Line  int
	Attrs auth.AdminUserAttributes
	// Lost is what the source had that the import cannot create.
	Lost Unrestorable
}

// LineError is a row that failed validation.
type LineError struct {
	Line int
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }
func (e *LineError) Unwrap() error { return e.Err }

// maxHashLen is the width of the server's encrypted_password column
// (varchar(255)); a longer hash fails there with a bare "Database error".
const maxHashLen = 255

// idNamespace makes derived user ids particular to authctl imports, so they
// cannot collide with UUIDv5s another tool derives from the same strings.
var idNamespace = uuid.MustParse("8f2d6c51-3f0e-4b8e-9a55-6a1f2f1e0b7d")

// DeriveID is the id an imported user gets when the row names none: a
// UUIDv5 of the row's identity (Firebase uid, else email, else phone). It
// depends on who the row is, not on where it sits in the file, so a rerun
// of the same (or a reordered, or a partly edited) file asks the server for
// the same ids, and a user created by an interrupted run is recognised as
// ours instead of being created twice or reported as a conflict.
func DeriveID(kind, identity string) string {
	return uuid.NewSHA1(idNamespace, []byte(kind+":"+identity)).String()
}

// finish checks what every reader's rows must satisfy and fills the id.
func finish(r *Row) error {
	a := &r.Attrs
	a.Email = strings.TrimSpace(a.Email)
	a.Phone = strings.TrimSpace(a.Phone)
	switch {
	case a.Email == "" && a.Phone == "":
		return errors.New("a user needs an email or a phone")
	case a.Email != "" && !plausibleEmail(a.Email):
		return fmt.Errorf("invalid email %q", a.Email)
	case a.Phone != "" && !plausiblePhone(a.Phone):
		return fmt.Errorf("invalid phone %q: want international digits, such as +15551234567", a.Phone)
	case a.Password != "" && a.PasswordHash != "":
		return errors.New("give either password or password_hash, not both")
	case len(a.PasswordHash) > maxHashLen:
		return fmt.Errorf("password_hash is %d characters: the server stores at most %d", len(a.PasswordHash), maxHashLen)
	}
	if a.ID != "" {
		id, err := uuid.Parse(a.ID)
		if err != nil {
			return fmt.Errorf("invalid id %q: want a UUID", a.ID)
		}
		a.ID = id.String()
		return nil
	}
	if a.Email != "" {
		a.ID = DeriveID("email", strings.ToLower(a.Email))
	} else {
		a.ID = DeriveID("phone", digits(a.Phone))
	}
	return nil
}

// plausibleEmail rejects what the server would reject for certain; the
// server has the last word on the rest.
func plausibleEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	return at > 0 && at < len(s)-1 && !strings.ContainsAny(s, " \t\r\n<>,;")
}

func plausiblePhone(s string) bool {
	d := digits(s)
	return len(d) >= 6 && len(d) <= 15 && strings.Trim(s, "+0123456789 -().") == ""
}

func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// recordLimit fails a read with tooLong once the current record, which
// started at byte start of the input, would be longer than maxLineBytes:
// reads are cut there, so a decoder's read-ahead cannot take more.
type recordLimit struct {
	r       io.Reader
	read    int64 // bytes read so far
	end     int64 // reads stop here
	tooLong error
}

func newRecordLimit(r io.Reader, tooLong error) *recordLimit {
	l := &recordLimit{r: r, tooLong: tooLong}
	l.startAt(0)
	return l
}

// startAt says that the next record starts at byte off of the input.
func (l *recordLimit) startAt(off int64) { l.end = off + maxLineBytes + 1 }

func (l *recordLimit) Read(p []byte) (int, error) {
	left := l.end - l.read
	if left <= 0 {
		return 0, l.tooLong
	}
	if int64(len(p)) > left {
		p = p[:left]
	}
	n, err := l.r.Read(p)
	l.read += int64(n)
	return n, err
}
