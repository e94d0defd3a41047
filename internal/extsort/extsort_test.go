package extsort

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
)

// The sorted output is the input in bytes.Compare order, duplicates kept,
// whether it fits in memory, in runs merged at once, or in runs merged in
// several passes (a fan-in smaller than the number of runs).
func TestSortsLikeSlicesSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var in [][]byte
	for i := range 5000 {
		rec := make([]byte, rng.IntN(40))
		for j := range rec {
			rec[j] = byte(rng.IntN(4)) // few distinct bytes: many equal records and prefixes
		}
		in = append(in, rec)
		if i%7 == 0 {
			in = append(in, slices.Clone(rec))
		}
	}
	want := slices.Clone(in)
	slices.SortFunc(want, bytes.Compare)
	for _, tc := range []struct {
		name            string
		runBytes, fanIn int
	}{
		{"in memory", 0, 0},
		{"one merge", 16 << 10, 0},
		{"several passes", 1 << 10, 3},
		{"a run per record", 1, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			s := &Sorter{RunBytes: tc.runBytes, FanIn: tc.fanIn, Dir: dir}
			for _, rec := range in {
				if err := s.Add(rec); err != nil {
					t.Fatal(err)
				}
			}
			var got [][]byte
			if err := s.Sort(func(rec []byte) error {
				got = append(got, slices.Clone(rec))
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if !slices.EqualFunc(got, want, bytes.Equal) {
				t.Fatalf("%d records out of %d, or out of order", len(got), len(want))
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			// The temporary file is gone, here at once (Linux).
			if left, _ := os.ReadDir(dir); len(left) != 0 {
				t.Fatalf("left behind: %v", left)
			}
		})
	}
}

func TestSortStopsAtTheCallbacksError(t *testing.T) {
	s := &Sorter{RunBytes: 64, Dir: t.TempDir()}
	defer s.Close()
	for i := range 100 {
		if err := s.Add(fmt.Appendf(nil, "%03d", i)); err != nil {
			t.Fatal(err)
		}
	}
	stop := errors.New("stop")
	n := 0
	err := s.Sort(func(rec []byte) error {
		if n++; n == 10 {
			return stop
		}
		return nil
	})
	if err != stop || n != 10 {
		t.Fatalf("%v after %d records", err, n)
	}
}
