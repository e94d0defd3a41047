// Package extsort sorts more records than memory should hold: records are
// gathered into runs of bounded size, each run is sorted and written to a
// temporary file, and the runs are merged as they are read back. Memory is
// bounded by the run size and the merge's fan-in, whatever the number of
// records.
package extsort

import (
	"bufio"
	"bytes"
	"container/heap"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
)

// Defaults of a zero Sorter: a few MiB whatever the input.
const (
	defaultRunBytes = 4 << 20
	defaultFanIn    = 64
	readBufBytes    = 16 << 10
)

// Sorter sorts byte records in bytes.Compare order. The zero value is
// ready; Close releases its temporary file.
type Sorter struct {
	RunBytes int    // records (and their bookkeeping) held in memory before a run is written
	FanIn    int    // runs merged at once; more runs are merged in several passes
	Dir      string // where the temporary file goes ("" is os.TempDir)

	buf   []byte // the current run's records, back to back
	spans []span // where each record of the current run is in buf

	file     *os.File
	w        *bufio.Writer
	size     int64 // bytes written to file
	runs     []run
	unlinked bool // the file was removed while open (not possible on every system)
}

type span struct{ off, end int }

// run is a sorted sequence of records in the temporary file, each a
// uvarint length and the bytes.
type run struct{ off, size int64 }

// spanBytes is what the bookkeeping of one record costs in memory.
const spanBytes = 16

// Add copies rec into the sorter.
func (s *Sorter) Add(rec []byte) error {
	s.spans = append(s.spans, span{len(s.buf), len(s.buf) + len(rec)})
	s.buf = append(s.buf, rec...)
	if len(s.buf)+spanBytes*len(s.spans) >= cmp(s.RunBytes, defaultRunBytes) {
		return s.flush()
	}
	return nil
}

// Sort calls fn with every record added, in order; rec is valid during the
// call only. An error of fn stops it and is returned. Sort is called once.
func (s *Sorter) Sort(fn func(rec []byte) error) error {
	if s.file == nil { // everything fitted in memory
		s.sortRun()
		for _, sp := range s.spans {
			if err := fn(s.buf[sp.off:sp.end]); err != nil {
				return err
			}
		}
		return nil
	}
	if err := s.flush(); err != nil {
		return err
	}
	s.buf, s.spans = nil, nil
	fanIn := max(cmp(s.FanIn, defaultFanIn), 2)
	for len(s.runs) > fanIn {
		// Merge the oldest runs into one at the end of the file, until
		// one merge can read all of them at once.
		start := s.size
		if err := s.merge(s.runs[:fanIn], s.writeRecord); err != nil {
			return err
		}
		if err := s.w.Flush(); err != nil {
			return err
		}
		s.runs = append(s.runs[fanIn:], run{start, s.size - start})
	}
	return s.merge(s.runs, fn)
}

// Close removes the temporary file.
func (s *Sorter) Close() error {
	if s.file == nil {
		return nil
	}
	err := s.file.Close()
	if !s.unlinked {
		err = errors.Join(err, os.Remove(s.file.Name()))
	}
	s.file = nil
	return err
}

func cmp(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}

func (s *Sorter) sortRun() {
	slices.SortFunc(s.spans, func(a, b span) int { return bytes.Compare(s.buf[a.off:a.end], s.buf[b.off:b.end]) })
}

// flush writes the current run, sorted, to the temporary file.
func (s *Sorter) flush() error {
	if s.file == nil {
		f, err := os.CreateTemp(s.Dir, "authctl-sort-*")
		if err != nil {
			return fmt.Errorf("a temporary file for sorting: %w", err)
		}
		s.file, s.w = f, bufio.NewWriterSize(f, readBufBytes)
		// Removed at once where the system allows it: nothing is left
		// behind even when the process is killed.
		s.unlinked = os.Remove(f.Name()) == nil
	}
	s.sortRun()
	start := s.size
	for _, sp := range s.spans {
		if err := s.writeRecord(s.buf[sp.off:sp.end]); err != nil {
			return err
		}
	}
	if err := s.w.Flush(); err != nil {
		return err
	}
	s.runs = append(s.runs, run{start, s.size - start})
	s.buf, s.spans = s.buf[:0], s.spans[:0]
	return nil
}

func (s *Sorter) writeRecord(rec []byte) error {
	var n [binary.MaxVarintLen64]byte
	k := binary.PutUvarint(n[:], uint64(len(rec)))
	if _, err := s.w.Write(n[:k]); err != nil {
		return err
	}
	_, err := s.w.Write(rec)
	s.size += int64(k + len(rec))
	return err
}

// merge calls fn with the records of runs in order.
func (s *Sorter) merge(runs []run, fn func([]byte) error) error {
	h := make(cursors, 0, len(runs))
	for _, r := range runs {
		c := &cursor{r: bufio.NewReaderSize(io.NewSectionReader(s.file, r.off, r.size), readBufBytes)}
		ok, err := c.next()
		if err != nil {
			return err
		}
		if ok {
			h = append(h, c)
		}
	}
	heap.Init(&h)
	for len(h) > 0 {
		c := h[0]
		if err := fn(c.rec); err != nil {
			return err
		}
		ok, err := c.next()
		switch {
		case err != nil:
			return err
		case ok:
			heap.Fix(&h, 0)
		default:
			heap.Pop(&h)
		}
	}
	return nil
}

// cursor is the next record of a run.
type cursor struct {
	r   *bufio.Reader
	rec []byte
}

func (c *cursor) next() (bool, error) {
	n, err := binary.ReadUvarint(c.r)
	if err == io.EOF {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("reading back a sort run: %w", err)
	}
	c.rec = slices.Grow(c.rec[:0], int(n))[:n]
	if _, err := io.ReadFull(c.r, c.rec); err != nil {
		return false, fmt.Errorf("reading back a sort run: %w", err)
	}
	return true, nil
}

// cursors is a min-heap of runs by their next record.
type cursors []*cursor

func (h cursors) Len() int           { return len(h) }
func (h cursors) Less(i, j int) bool { return bytes.Compare(h[i].rec, h[j].rec) < 0 }
func (h cursors) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *cursors) Push(x any)        { *h = append(*h, x.(*cursor)) }
func (h *cursors) Pop() any {
	old := *h
	c := old[len(old)-1]
	*h = old[:len(old)-1]
	return c
}
