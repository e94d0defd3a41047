package prompt

// Refuser is the Prompter used when nobody can be asked. Every call fails
// with a *MissingInputError naming the flag to pass instead.
type Refuser struct {
	// Reason completes the message, e.g. "with --no-input"; empty means
	// "when not running interactively".
	Reason string
}

// NoPrompt returns a Prompter that refuses every question.
func NoPrompt() Prompter { return &Refuser{} }

func (r *Refuser) refuse(s string, deriveFlag bool) error {
	title, flag := SplitTitle(s)
	if flag == "" && deriveFlag {
		flag = flagFromTitle(title)
	}
	return &MissingInputError{Flag: flag, Title: title, Reason: r.Reason}
}

// Input refuses; the flag comes from Flag or else from the title.
func (r *Refuser) Input(title, _ string, _ func(string) error) (string, error) {
	return "", r.refuse(title, true)
}

// Password refuses; the flag comes from Flag or else from the title.
func (r *Refuser) Password(title string, _ func(string) error) (string, error) {
	return "", r.refuse(title, true)
}

// Select refuses, naming a flag only when the title was made with Flag.
func (r *Refuser) Select(title string, _ []string) (int, error) {
	return -1, r.refuse(title, false)
}

// Confirm refuses, naming a flag (such as "yes") only when the title was
// made with Flag. A refused confirmation is never taken as consent.
func (r *Refuser) Confirm(title string, _ bool) (bool, error) {
	return false, r.refuse(title, false)
}
