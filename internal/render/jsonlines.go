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
	return writeLine(w, b)
}

// writeLine writes b and a newline. Into a buffer (a bufio.Writer, as
// listings use) they go as they are; otherwise as one Write of a copy, so
// the line reaches the file whole. b may be the caller's json.RawMessage:
// never append into its spare capacity. Not copying matters when listing:
// a copy of every user was as much garbage as the pages themselves.
func writeLine(w io.Writer, b []byte) error {
	if bw, ok := w.(interface {
		io.Writer
		io.ByteWriter
	}); ok {
		if _, err := bw.Write(b); err != nil {
			return err
		}
		return bw.WriteByte('\n')
	}
	_, err := w.Write(append(b[:len(b):len(b)], '\n'))
	return err
}

// LineWriter writes a stream of values as JSON Lines, each optionally
// filtered by a jq expression compiled once for the whole stream. It is safe
// for concurrent use: lines from concurrent writers never interleave.
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
	if lw.code == nil && !lw.o.Color {
		// The common case of listings: no per-document buffer to fill, copy
		// and drop.
		b, err := marshal(v)
		if err != nil {
			return err
		}
		lw.mu.Lock()
		defer lw.mu.Unlock()
		return writeLine(lw.w, b)
	}
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
