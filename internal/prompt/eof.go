package prompt

import (
	"errors"
	"io"
)

// eofReader notices end of input during an accessible prompt: huh's line
// reader then returns the default (or "") with no error, and a closed input
// (Ctrl-D) must not be mistaken for an answer.
type eofReader struct {
	r   io.Reader
	n   int
	eof bool
}

func (e *eofReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	e.n += n
	if errors.Is(err, io.EOF) {
		e.eof = true
	}
	return n, err
}

// gaveUp reports that input ended before a full answer line was read.
func (e *eofReader) gaveUp() bool { return e.eof && e.n == 0 }

// fdReader keeps the file descriptor visible: huh reads accessible
// passwords with echo off, which needs the terminal's descriptor.
type fdReader struct {
	*eofReader
	fd uintptr
}

func (f fdReader) Fd() uintptr { return f.fd }

type promptReader interface {
	io.Reader
	gaveUp() bool
}

// reader wraps h.in for one accessible prompt.
func (h *Huh) reader(needFd bool) promptReader {
	e := &eofReader{r: h.in}
	if f, ok := h.in.(interface{ Fd() uintptr }); ok && needFd {
		return fdReader{eofReader: e, fd: f.Fd()}
	}
	return e
}
