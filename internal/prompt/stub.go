package prompt

import (
	"fmt"
	"slices"
	"sync"
)

// Question is what a Stub was asked.
type Question struct {
	Kind        string // "input", "password", "select" or "confirm"
	Title       string // as shown, without a Flag marker
	Flag        string // the flag named with Flag, if any
	Placeholder string
	Options     []string
	Default     bool
}

// Answer is one scripted reply for a Stub; build it with Text, Choice,
// ChoiceOf, Yes, No or Fail.
type Answer struct {
	text  *string
	index int
	label string
	yes   *bool
	err   error
}

// Text answers an Input or Password. The prompt's validate function is
// applied to it, as a person would have had to satisfy it.
func Text(s string) Answer { return Answer{text: &s} }

// Choice answers a Select with an option index.
func Choice(i int) Answer { return Answer{index: i} }

// ChoiceOf answers a Select with the option labelled label, so tests do
// not break when options are reordered.
func ChoiceOf(label string) Answer { return Answer{label: label, index: -1} }

// Yes and No answer a Confirm.
func Yes() Answer { v := true; return Answer{yes: &v} }

// No answers a Confirm with no.
func No() Answer { v := false; return Answer{yes: &v} }

// Fail answers any prompt with err, e.g. ErrInterrupted to test Ctrl-C.
func Fail(err error) Answer { return Answer{err: err} }

// Stub is a scripted Prompter for command tests: it answers from a queue,
// in order, and records every question. A question with no answer left, or
// an answer of the wrong kind, is an error naming the question, so a test
// sees exactly which prompt it did not expect.
type Stub struct {
	mu      sync.Mutex
	answers []Answer
	asked   []Question
}

// NewStub returns a Stub that will give answers in order.
func NewStub(answers ...Answer) *Stub { return &Stub{answers: answers} }

// Asked returns the questions asked so far.
func (s *Stub) Asked() []Question {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.asked)
}

// Verify reports answers that were never asked for: a test calls it at the
// end to catch a prompt that should have happened and did not.
func (s *Stub) Verify() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n := len(s.answers); n > 0 {
		return fmt.Errorf("prompt stub: %d answer(s) left unused after %d question(s)", n, len(s.asked))
	}
	return nil
}

func (s *Stub) next(q Question) (Answer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.asked = append(s.asked, q)
	if len(s.answers) == 0 {
		return Answer{}, fmt.Errorf("prompt stub: unexpected %s prompt %q", q.Kind, q.Title)
	}
	a := s.answers[0]
	s.answers = s.answers[1:]
	return a, nil
}

func question(kind, title string) Question {
	t, f := SplitTitle(title)
	return Question{Kind: kind, Title: t, Flag: f}
}

// Input answers from the queue.
func (s *Stub) Input(title, placeholder string, validate func(string) error) (string, error) {
	q := question("input", title)
	q.Placeholder = placeholder
	return s.text(q, validate)
}

// Password answers from the queue.
func (s *Stub) Password(title string, validate func(string) error) (string, error) {
	return s.text(question("password", title), validate)
}

func (s *Stub) text(q Question, validate func(string) error) (string, error) {
	a, err := s.next(q)
	if err != nil || a.err != nil {
		return "", firstErr(err, a.err)
	}
	if a.text == nil {
		return "", fmt.Errorf("prompt stub: %s prompt %q got a non-text answer", q.Kind, q.Title)
	}
	if validate != nil {
		if err := validate(*a.text); err != nil {
			return "", fmt.Errorf("prompt stub: answer %q to %q fails validation: %w", *a.text, q.Title, err)
		}
	}
	return *a.text, nil
}

// Select answers from the queue.
func (s *Stub) Select(title string, options []string) (int, error) {
	q := question("select", title)
	q.Options = slices.Clone(options)
	a, err := s.next(q)
	if err != nil || a.err != nil {
		return -1, firstErr(err, a.err)
	}
	if a.text != nil || a.yes != nil {
		return -1, fmt.Errorf("prompt stub: select prompt %q got a non-choice answer", q.Title)
	}
	i := a.index
	if a.label != "" {
		i = slices.Index(options, a.label)
	}
	if i < 0 || i >= len(options) {
		return -1, fmt.Errorf("prompt stub: select prompt %q has no option %q/%d among %q", q.Title, a.label, a.index, options)
	}
	return i, nil
}

// Confirm answers from the queue.
func (s *Stub) Confirm(title string, def bool) (bool, error) {
	q := question("confirm", title)
	q.Default = def
	a, err := s.next(q)
	if err != nil || a.err != nil {
		return false, firstErr(err, a.err)
	}
	if a.yes == nil {
		return false, fmt.Errorf("prompt stub: confirm prompt %q got a non-yes/no answer", q.Title)
	}
	return *a.yes, nil
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
