package bulk

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"sync"

	"github.com/authctl/authctl/internal/auth"
)

// Report writes the failed rows of an import as JSON Lines: the line of the
// input, who the row was, and why it failed. Passwords and hashes are never
// written: the report is meant to be read, attached to tickets, and fixed
// against the original file.
type Report struct {
	path string
	mu   sync.Mutex
	f    *os.File
	w    *bufio.Writer
	n    int
}

type reportLine struct {
	Line   int    `json:"line"`
	ID     string `json:"id,omitempty"`
	Email  string `json:"email,omitempty"`
	Phone  string `json:"phone,omitempty"`
	Error  string `json:"error"`
	Code   string `json:"code,omitempty"`
	Status int    `json:"status,omitempty"`
}

// NewReport prepares a report at path. The file is created on the first
// failure only, and an old report there is removed first, so the file that
// exists after a run describes that run.
func NewReport(path string) (*Report, error) {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	return &Report{path: path}, nil
}

// Add writes one failed row.
func (r *Report) Add(row Row, rowErr error) error {
	rl := reportLine{Line: row.Line, ID: row.Attrs.ID, Email: row.Attrs.Email, Phone: row.Attrs.Phone, Error: rowErr.Error()}
	var le *LineError
	if errors.As(rowErr, &le) {
		rl.Error = le.Err.Error()
	}
	var ae auth.Error
	if errors.As(rowErr, &ae) {
		rl.Code, rl.Status = ae.Base().Code, ae.Base().Status
	}
	b, err := json.Marshal(rl)
	if err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.f == nil {
		if r.f, err = os.OpenFile(r.path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600); err != nil {
			return err
		}
		r.w = bufio.NewWriter(r.f)
	}
	r.n++
	_, err = r.w.Write(append(b, '\n'))
	return err
}

// Count is the number of rows written.
func (r *Report) Count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n
}

// Path is where the report is (or would be) written.
func (r *Report) Path() string { return r.path }

// Close flushes the report.
func (r *Report) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.f == nil {
		return nil
	}
	return errors.Join(r.w.Flush(), r.f.Close())
}
