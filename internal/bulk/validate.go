package bulk

import (
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
)

// Validation is the outcome of reading a whole file before importing it.
type Validation struct {
	Rows       int          // valid rows
	Errors     []*LineError // the first MaxShown invalid rows
	ErrorCount int          // every invalid row
	Losses     Losses       // what valid rows had that cannot be imported
}

// maxShownErrors bounds what Validate keeps: a file with a million broken
// rows reports the first ones and the count, not a million messages.
const maxShownErrors = 50

// Validate reads every row through read and checks each on its own and
// against the others: two rows for the same user (same id, email or phone)
// would otherwise be merged silently by the idempotent import. It keeps 16
// bytes per identity, not the rows.
func Validate(read func(RowFunc) error) (*Validation, error) {
	v := &Validation{Losses: Losses{}}
	seen := map[uuid.UUID]int{}
	err := read(func(row Row, err error) error {
		if err == nil {
			err = checkUnique(seen, row)
		}
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
		v.Rows++
		v.Losses.add(row.Lost)
		return nil
	})
	return v, err
}

func checkUnique(seen map[uuid.UUID]int, row Row) error {
	keys := []string{"id:" + row.Attrs.ID}
	if row.Attrs.Email != "" {
		keys = append(keys, "email:"+strings.ToLower(row.Attrs.Email))
	}
	if row.Attrs.Phone != "" {
		keys = append(keys, "phone:"+digits(row.Attrs.Phone))
	}
	for _, k := range keys {
		h := uuid.NewSHA1(uuid.Nil, []byte(k))
		if first, dup := seen[h]; dup {
			what, _, _ := strings.Cut(k, ":")
			return &LineError{Line: row.Line, Err: fmt.Errorf("same %s as line %d", what, first)}
		}
	}
	for _, k := range keys {
		seen[uuid.NewSHA1(uuid.Nil, []byte(k))] = row.Line
	}
	return nil
}
