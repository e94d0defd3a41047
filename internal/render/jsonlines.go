package render

import (
	"bytes"
	"io"
	"sync"

	"github.com/itchyny/gojq"
)

// JSONLine writes v as one compact JSON document on its own line (JSON
// Lines), for streams such as `admin users export` and `watch`.
func JSONLine(w io.Writer, v any) error {
	b, err := marshal(v)
	if err != nil {
		return err
	}
	// b may be the caller's json.RawMessage: append to a copy, never into
	// its spare capacity.
	_, err = w.Write(append(b[:len(b):len(b)], '\n'))
	return err
}

// LineWriter writes a stream of values as JSON Lines, each optionally
// filtered by a jq expression compiled once for the whole stream. It is safe
// for concurrent use; each value's output is written with one Write call so
// lines from concurrent writers never interleave.
type LineWriter struct {
	mu   sync.Mutex
	w    io.Writer
	o    JSONOptions
	code *gojq.Code
}

// NewLineWriter prepares a JSON Lines stream. Pretty is ignored: one document
// per line is the point of the format. A bad o.JQ is reported here, before
// any output, as a *JQError.
func NewLineWriter(w io.Writer, o JSONOptions) (*LineWriter, error) {
	o.Pretty = false
	lw := &LineWriter{w: w, o: o}
	if o.JQ != "" {
		code, err := compileJQ(o.JQ)
		if err != nil {
			return nil, err
		}
		lw.code = code
	}
	return lw, nil
}

// Write writes v (or the jq results over v), one line per document.
func (lw *LineWriter) Write(v any) error {
	var buf bytes.Buffer
	if lw.code == nil {
		b, err := marshal(v)
		if err != nil {
			return err
		}
		writeDoc(&buf, b, lw.o)
	} else if err := runJQ(&buf, lw.o.JQ, lw.code, lw.o, v); err != nil {
		return err
	}
	lw.mu.Lock()
	defer lw.mu.Unlock()
	_, err := lw.w.Write(buf.Bytes())
	return err
}
