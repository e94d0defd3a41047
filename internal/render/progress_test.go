package render

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func newTestProgress(buf *bytes.Buffer, tty bool, total int) (*Progress, *fakeClock) {
	clk := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	p := NewProgress(buf, tty, total, "Importing")
	p.now = clk.now
	p.start = clk.now()
	return p, clk
}

func TestProgressSilentWhenNotTTY(t *testing.T) {
	var buf bytes.Buffer
	p, clk := newTestProgress(&buf, false, 10)
	for range 10 {
		clk.add(time.Second)
		p.Add(1)
	}
	p.Done()
	if buf.Len() != 0 {
		t.Errorf("wrote %q off a terminal", buf.String())
	}
	if p.Count() != 10 {
		t.Errorf("Count = %d", p.Count())
	}
}

func TestProgressThrottlesRedraws(t *testing.T) {
	var buf bytes.Buffer
	p, clk := newTestProgress(&buf, true, 1000)
	for range 500 {
		p.Add(1) // same instant: only the first may draw
	}
	if n := strings.Count(buf.String(), "\r"); n != 1 {
		t.Fatalf("%d redraws within one instant, want 1", n)
	}
	clk.add(50 * time.Millisecond)
	p.Add(1)
	if n := strings.Count(buf.String(), "\r"); n != 1 {
		t.Fatalf("redrew after 50ms")
	}
	clk.add(50 * time.Millisecond)
	p.Add(1)
	if n := strings.Count(buf.String(), "\r"); n != 2 {
		t.Fatalf("%d redraws, want 2 after 100ms", n)
	}
}

func TestProgressLine(t *testing.T) {
	var buf bytes.Buffer
	p, clk := newTestProgress(&buf, true, 1000)
	clk.add(10 * time.Second)
	p.Add(250) // 25/s, 750 left → 30s
	want := "\rImporting 250/1000 (25%) 25.0/s ETA 30s"
	if buf.String() != want {
		t.Fatalf("got %q, want %q", buf.String(), want)
	}
	buf.Reset()
	clk.add(30 * time.Second)
	p.Add(750)
	p.Done()
	p.Done()
	p.Add(1) // after Done: counted, not drawn
	got := buf.String()
	if !strings.HasPrefix(got, "\rImporting 1000/1000 (100%) 25.0/s") || !strings.HasSuffix(got, "\n") ||
		strings.Count(got, "\n") != 1 || strings.Contains(got, "ETA") {
		t.Errorf("final line %q", got)
	}
}

func TestProgressPadsShorterLine(t *testing.T) {
	var buf bytes.Buffer
	p, clk := newTestProgress(&buf, true, 0)
	clk.add(time.Second)
	p.Add(1000) // "Importing 1000 1000.0/s"
	buf.Reset()
	clk.add(999 * time.Second)
	p.Add(0) // "Importing 1000 1.0/s": 3 cells shorter
	if got := buf.String(); got != "\rImporting 1000 1.0/s   " {
		t.Errorf("got %q", got)
	}
}

func TestProgressConcurrentAdd(t *testing.T) {
	var buf bytes.Buffer
	p := NewProgress(&buf, true, 4000, "")
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 500 {
				p.Add(1)
			}
		})
	}
	wg.Wait()
	p.Done()
	if p.Count() != 4000 || !strings.Contains(buf.String(), "4000/4000 (100%)") {
		t.Errorf("count %d, output %q", p.Count(), buf.String())
	}
}

func TestShortDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		45 * time.Second:               "45s",
		3*time.Minute + 5*time.Second:  "3m05s",
		time.Hour + 2*time.Minute + 29: "1h02m",
	} {
		if got := shortDuration(d); got != want {
			t.Errorf("%v: got %q, want %q", d, got, want)
		}
	}
}
