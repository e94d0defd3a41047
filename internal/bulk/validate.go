package bulk

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/authctl/authctl/internal/extsort"
)

// Validation is the outcome of reading a whole file before importing it.
type Validation struct {
	Rows       int          // valid rows
	Errors     []*LineError // the first MaxShown invalid rows, in line order
	ErrorCount int          // every invalid row
	// Losses is what the rows valid on their own had that cannot be
	// imported; it includes duplicates, which matters not: a file with
	// any invalid row is not imported.
	Losses Losses
}

// maxShownErrors bounds what Validate keeps: a file with a million broken
// rows reports the first ones and the count, not a million messages.
const maxShownErrors = 50

// Validate reads every row through read and checks each on its own and
// against the others: two rows for the same user (same id, email or phone)
// would otherwise be merged silently by the idempotent import. Memory stays
// flat whatever the number of rows: the identities are compared by sorting
// them (exactly, whole) through a temporary file, not held in a map.
func Validate(read func(RowFunc) error) (*Validation, error) {
	return validate(read, func() *extsort.Sorter { return &extsort.Sorter{} })
}

// identity kinds, in the order a row that repeats several is reported by:
// an email is what people recognise, a derived id repeats it anyway.
const (
	kindEmail byte = iota
	kindPhone
	kindID
)

var kindNames = [...]string{kindEmail: "email", kindPhone: "phone", kindID: "id"}

func validate(read func(RowFunc) error, newSorter func() *extsort.Sorter) (*Validation, error) {
	v := &Validation{Losses: Losses{}}
	ids := newSorter()
	defer ids.Close()
	ownValid := 0
	var rec []byte
	err := read(func(row Row, err error) error {
		if err != nil {
			le := &LineError{}
			if !errors.As(err, &le) {
				le = &LineError{Line: row.Line, Err: err}
			}
			v.ErrorCount++
			if len(v.Errors) < maxShownErrors {
				v.Errors = append(v.Errors, le)
			}
			return nil
		}
		ownValid++
		v.Losses.add(row.Lost)
		for kind, key := range identities(row) {
			rec = identityRecord(rec[:0], kind, key, row.Line)
			if err := ids.Add(rec); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return v, err
	}
	dups, err := duplicates(ids, newSorter)
	if err != nil {
		return v, err
	}
	v.Rows = ownValid - dups.lines
	v.ErrorCount += dups.lines
	v.Errors = append(v.Errors, dups.shown...)
	slices.SortFunc(v.Errors, func(a, b *LineError) int { return a.Line - b.Line })
	v.Errors = v.Errors[:min(len(v.Errors), maxShownErrors)]
	return v, nil
}

// identities are the normalised keys that name the user of a valid row:
// its id (parsed and lower-cased by finish), its email in lower case, its
// phone's digits.
func identities(row Row) func(yield func(byte, string) bool) {
	return func(yield func(byte, string) bool) {
		a := row.Attrs
		if a.Email != "" && !yield(kindEmail, strings.ToLower(a.Email)) {
			return
		}
		if a.Phone != "" && !yield(kindPhone, digits(a.Phone)) {
			return
		}
		yield(kindID, a.ID)
	}
}

// identityRecord sorts by kind, then key (length first, so that no key is
// a prefix of another and equal keys are adjacent whatever their bytes),
// then line: each identity's rows come together, the first line first.
func identityRecord(b []byte, kind byte, key string, line int) []byte {
	b = append(b, kind)
	b = binary.BigEndian.AppendUint32(b, uint32(len(key)))
	b = append(b, key...)
	return binary.BigEndian.AppendUint64(b, uint64(line))
}

// dupReport is the rows that repeat an earlier row's identity.
type dupReport struct {
	lines int          // how many
	shown []*LineError // the first maxShownErrors, in line order
}

// duplicates reads the sorted identities: in a run of equal ones, every
// row after the first is a duplicate of the first. A row can repeat
// several identities; sorting the findings by line counts it once and
// reports it in file order.
func duplicates(ids *extsort.Sorter, newSorter func() *extsort.Sorter) (dupReport, error) {
	found := newSorter()
	defer found.Close()
	var (
		group []byte // kind and key of the current run of equal identities
		first uint64 // the line that has it first
		rec   []byte
	)
	err := ids.Sort(func(id []byte) error {
		key, line := id[:len(id)-8], binary.BigEndian.Uint64(id[len(id)-8:])
		if group != nil && bytes.Equal(key, group) {
			// line, then kind: a row's findings come together, the kind
			// reported first first.
			rec = binary.BigEndian.AppendUint64(rec[:0], line)
			rec = append(rec, key[0])
			rec = binary.BigEndian.AppendUint64(rec, first)
			return found.Add(rec)
		}
		group, first = append(group[:0], key...), line
		return nil
	})
	if err != nil {
		return dupReport{}, err
	}
	var (
		r    dupReport
		last uint64
	)
	err = found.Sort(func(f []byte) error {
		line := binary.BigEndian.Uint64(f)
		if r.lines > 0 && line == last {
			return nil
		}
		last = line
		r.lines++
		if len(r.shown) < maxShownErrors {
			first := binary.BigEndian.Uint64(f[9:])
			r.shown = append(r.shown, &LineError{Line: int(line), Err: fmt.Errorf("same %s as line %d", kindNames[f[8]], first)})
		}
		return nil
	})
	return r, err
}
