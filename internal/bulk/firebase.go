package bulk

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// firebaseUser is one user of `firebase auth:export --format=json`.
type firebaseUser struct {
	LocalID          string `json:"localId"`
	Email            string `json:"email"`
	EmailVerified    bool   `json:"emailVerified"`
	PasswordHash     string `json:"passwordHash"`
	Salt             string `json:"salt"`
	DisplayName      string `json:"displayName"`
	PhotoURL         string `json:"photoUrl"`
	PhoneNumber      string `json:"phoneNumber"`
	Disabled         bool   `json:"disabled"`
	CustomAttributes string `json:"customAttributes"` // a JSON object, as a string
}

// firebaseBan is how long a disabled Firebase user stays banned: a century,
// the server's idea of "until lifted".
const firebaseBan = "876000h"

// errValueTooLong ends a Firebase import at a value that does not end
// within maxLineBytes, as CSV records and JSON Lines rows are bounded: the
// decoder holds a whole value in memory.
var errValueTooLong = fmt.Errorf("longer than %d MiB: is this the JSON of firebase auth:export?", maxLineBytes>>20)

// ReadFirebase reads the {"users":[…]} document of `firebase auth:export`,
// one user at a time. hc is the project's hash configuration; it may be nil
// only when no user has a password. A user's line is where its object
// starts. A document that is not JSON at all, or a value longer than
// maxLineBytes, stops the reader.
func ReadFirebase(r io.Reader, hc *HashConfig, fn RowFunc) error {
	lim := newRecordLimit(r, errValueTooLong)
	lt := &lineTracker{r: lim}
	dec := json.NewDecoder(lt)
	dec.UseNumber()
	if err := expectDelim(dec, lt, '{'); err != nil {
		return err
	}
	for dec.More() {
		lim.startAt(dec.InputOffset())
		tok, err := dec.Token()
		if err != nil {
			return syntaxAt(lt, dec, err)
		}
		if key, _ := tok.(string); key != "users" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return syntaxAt(lt, dec, err)
			}
			continue
		}
		if err := expectDelim(dec, lt, '['); err != nil {
			return err
		}
		for user := 1; dec.More(); user++ {
			lim.startAt(dec.InputOffset())
			line := lt.lineOfNextValue(dec.InputOffset())
			var fu firebaseUser
			if err := dec.Decode(&fu); err != nil {
				var te *json.UnmarshalTypeError
				switch {
				case errors.Is(err, errValueTooLong):
					return &LineError{Line: line, Err: fmt.Errorf("user %d of the users array is %w", user, err)}
				case !errors.As(err, &te):
					return invalidJSON(line, err)
				}
				// The value was consumed whole: report it and go on.
				if err := fn(Row{Line: line}, &LineError{Line: line, Err: fmt.Errorf("field %s: want %s", te.Field, te.Type)}); err != nil {
					return err
				}
				continue
			}
			row, err := firebaseRow(fu, hc)
			row.Line = line
			if err != nil {
				err = &LineError{Line: line, Err: err}
			}
			if err := fn(row, err); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil { // ']'
			return syntaxAt(lt, dec, err)
		}
	}
	return nil
}

func firebaseRow(fu firebaseUser, hc *HashConfig) (Row, error) {
	if fu.LocalID == "" {
		return Row{}, errors.New("localId is missing")
	}
	var row Row
	a := &row.Attrs
	a.ID = DeriveID("firebase", fu.LocalID)
	a.Email, a.Phone = fu.Email, fu.PhoneNumber
	if fu.Email != "" {
		a.EmailConfirm = &fu.EmailVerified
		row.Lost.UnverifiedEmail = !fu.EmailVerified
	}
	if fu.PhoneNumber != "" {
		// Firebase only stores phone numbers it verified by SMS.
		a.PhoneConfirm = &[]bool{true}[0]
	}
	if fu.Disabled {
		a.BanDuration = firebaseBan
	}
	// app_metadata.firebase_uid keeps the mapping to the old id, for the
	// application's own tables that reference Firebase uids.
	a.AppMetadata = map[string]any{"firebase_uid": fu.LocalID}
	if fu.CustomAttributes != "" {
		var claims map[string]any
		if err := json.Unmarshal([]byte(fu.CustomAttributes), &claims); err != nil || claims == nil {
			return Row{}, errors.New("customAttributes is not a JSON object")
		}
		for k, v := range claims {
			a.AppMetadata[k] = v
		}
	}
	if fu.DisplayName != "" || fu.PhotoURL != "" {
		a.UserMetadata = map[string]any{}
		if fu.DisplayName != "" {
			a.UserMetadata["full_name"] = fu.DisplayName
		}
		if fu.PhotoURL != "" {
			a.UserMetadata["avatar_url"] = fu.PhotoURL
		}
	}
	if fu.PasswordHash != "" {
		if hc == nil {
			return Row{}, errors.New("the user has a password: give the project's --hash-config")
		}
		h, err := hc.FBScrypt(fu.Salt, fu.PasswordHash)
		if err != nil {
			return Row{}, err
		}
		a.PasswordHash = h
	}
	// The id is derived from localId already; finish keeps it.
	return row, finish(&row)
}

func expectDelim(dec *json.Decoder, lt *lineTracker, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return syntaxAt(lt, dec, err)
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return &LineError{Line: lt.lineAt(dec.InputOffset()), Err: fmt.Errorf("want %q: is this the JSON of firebase auth:export?", string(want))}
	}
	return nil
}

// syntaxAt names the line of a JSON error that stops the reader: where
// the decoder stood, which is the start of the value it could not read (the
// offsets of json.SyntaxError are not reliably absolute for a Decoder).
func syntaxAt(lt *lineTracker, dec *json.Decoder, err error) error {
	return invalidJSON(lt.lineOfNextValue(dec.InputOffset()), err)
}

func invalidJSON(line int, err error) error {
	if errors.Is(err, errValueTooLong) {
		return &LineError{Line: line, Err: fmt.Errorf("a value is %w", err)}
	}
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return &LineError{Line: line, Err: fmt.Errorf("invalid JSON: %v", err)}
}

// lineTracker turns the decoder's byte offsets into line numbers while
// keeping only the bytes read ahead of the last offset asked about, so a
// large export is not held in memory. Offsets must not go backwards
// (earlier ones answer with the current line).
type lineTracker struct {
	r       io.Reader
	pending []byte // bytes read but not yet counted, starting at base
	base    int64
	line    int // line of the byte at base, 1-based after the first count
}

func (t *lineTracker) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	t.pending = append(t.pending, p[:n]...)
	return n, err
}

// lineAt is the line of the byte at offset off.
func (t *lineTracker) lineAt(off int64) int {
	if t.line == 0 {
		t.line = 1
	}
	if k := off - t.base; k > 0 {
		k = min(k, int64(len(t.pending)))
		t.line += strings.Count(string(t.pending[:k]), "\n")
		t.pending = t.pending[k:]
		t.base += k
	}
	return t.line
}

// lineOfNextValue is the line where the value after off starts: the
// decoder's offset sits before the separating comma and white space.
func (t *lineTracker) lineOfNextValue(off int64) int {
	line := t.lineAt(off)
	for _, c := range t.pending {
		switch c {
		case '\n':
			line++
		case ' ', '\t', '\r', ',':
		default:
			return line
		}
	}
	return line
}
