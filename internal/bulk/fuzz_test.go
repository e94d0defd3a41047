package bulk

import (
	"bytes"
	"errors"
	"testing"

	"github.com/authctl/authctl/internal/bulk/bulktest"
)

// checkRows is what every reader promises whatever its input: it returns,
// each row is either valid (with an id, an email or a phone, line ≥ 1) or a
// *LineError naming a line ≥ 1, and lines never go backwards.
func checkRows(t *testing.T, read func(RowFunc) error) {
	last := 0
	err := read(func(r Row, err error) error {
		line := r.Line
		if err != nil {
			var le *LineError
			if !errors.As(err, &le) {
				t.Fatalf("row error %T %v", err, err)
			}
			line = le.Line
		} else if r.Attrs.ID == "" || (r.Attrs.Email == "" && r.Attrs.Phone == "") {
			t.Fatalf("valid row without id or address: %+v", r)
		}
		if line < 1 || line < last {
			t.Fatalf("line %d after %d", line, last)
		}
		last = line
		return nil
	})
	var le *LineError
	if err != nil && errors.As(err, &le) && le.Line < 1 {
		t.Fatalf("error at line %d", le.Line)
	}
}

func FuzzReadJSONL(f *testing.F) {
	f.Add([]byte(lines(3)))
	f.Fuzz(func(t *testing.T, b []byte) {
		checkRows(t, func(fn RowFunc) error { return ReadJSONL(bytes.NewReader(b), testNow, fn) })
	})
}

func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("email,phone,user_metadata\na@example.com,,\"{}\"\n,+15551234567,\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		checkRows(t, func(fn RowFunc) error { return ReadCSV(bytes.NewReader(b), testNow, fn) })
	})
}

func FuzzReadFirebase(f *testing.F) {
	p := bulktest.TestProject
	f.Add(p.Export([]bulktest.User{{LocalID: "a", Email: "a@example.com", Password: "pw"}, {LocalID: "b", Phone: "+15551234567"}}))
	hc, err := ParseHashConfig([]byte(p.Config()))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		checkRows(t, func(fn RowFunc) error { return ReadFirebase(bytes.NewReader(b), hc, fn) })
	})
}
