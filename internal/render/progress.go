package render

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// redrawInterval caps redraws at 10 per second: a bulk import completes
// thousands of requests a second and must not spend its time painting.
const redrawInterval = 100 * time.Millisecond

// Progress reports a bulk job's advance on one terminal line, redrawn in
// place with "\r": count/total, percentage, rate and time left. It writes
// nothing at all when the stream is not a terminal, so CI logs and pipes
// stay clean (commands print their own summary). Add is safe for concurrent
// use by the workers of a job.
//
// It is a few dozen lines of our own rather than a progress-bar library:
// the job needs one line, no bar styles or byte counting, and a library
// would bring dependencies and terminal-width queries for nothing.
type Progress struct {
	w     io.Writer
	tty   bool
	total int
	label string
	now   func() time.Time // replaced by tests

	mu       sync.Mutex
	count    int
	start    time.Time
	lastDraw time.Time
	lastLen  int
	done     bool
}

// NewProgress starts a reporter for total items (0 or less when unknown)
// written to w, typically stderr.
func NewProgress(w io.Writer, isTTY bool, total int, label string) *Progress {
	p := &Progress{w: w, tty: isTTY, total: total, label: label, now: time.Now}
	p.start = p.now()
	return p
}

// Add records n more items done and redraws if the last redraw is old enough.
func (p *Progress) Add(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.count += n
	if !p.tty || p.done {
		return
	}
	if now := p.now(); p.lastDraw.IsZero() || now.Sub(p.lastDraw) >= redrawInterval {
		p.draw(now)
	}
}

// Count returns the number of items added so far.
func (p *Progress) Count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.count
}

// Done draws the final state and ends the line. Calling it again does nothing.
func (p *Progress) Done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done {
		return
	}
	p.done = true
	if !p.tty {
		return
	}
	p.draw(p.now())
	fmt.Fprint(p.w, "\n")
}

// draw repaints the line; p.mu is held. Padding with spaces (rather than an
// erase-line escape) clears the rest of a longer previous line on any
// terminal, old Windows consoles included.
func (p *Progress) draw(now time.Time) {
	p.lastDraw = now
	line := p.line(now)
	width := len([]rune(line))
	pad := max(p.lastLen-width, 0)
	p.lastLen = width
	fmt.Fprintf(p.w, "\r%s%s", line, strings.Repeat(" ", pad))
}

func (p *Progress) line(now time.Time) string {
	var b strings.Builder
	if p.label != "" {
		b.WriteString(p.label)
		b.WriteString(" ")
	}
	if p.total > 0 {
		pct := min(p.count*100/p.total, 100)
		fmt.Fprintf(&b, "%d/%d (%d%%)", p.count, p.total, pct)
	} else {
		fmt.Fprintf(&b, "%d", p.count)
	}
	elapsed := now.Sub(p.start)
	if elapsed <= 0 || p.count == 0 {
		return b.String()
	}
	rate := float64(p.count) / elapsed.Seconds()
	fmt.Fprintf(&b, " %.1f/s", rate)
	if p.total > 0 && p.count < p.total {
		left := time.Duration(float64(p.total-p.count) / rate * float64(time.Second))
		fmt.Fprintf(&b, " ETA %s", shortDuration(left))
	}
	return b.String()
}

// shortDuration formats d to the second, in at most two units: 45s, 3m05s, 1h02m.
func shortDuration(d time.Duration) string {
	d = d.Round(time.Second)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d/time.Minute), int(d%time.Minute/time.Second))
	default:
		return fmt.Sprintf("%dh%02dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
	}
}
