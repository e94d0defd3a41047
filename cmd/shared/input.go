package shared

import (
	"encoding/json"
	"fmt"
	"io"
	"net/mail"
	"os"
	"regexp"
	"strings"
	"sync"

	"github.com/authctl/authctl/internal/cmdutil"
)

// Ask fills *value from a prompt when it is empty and a person is there. With
// no terminal (or --no-input) a missing value is a usage error naming flag.
func Ask(f *cmdutil.Factory, value *string, flag, title string, validate func(string) error) error {
	if *value != "" {
		return validate(*value)
	}
	if !f.IOStreams.CanPrompt() {
		return cmdutil.FlagErrorf("%s is required when not running interactively", flag)
	}
	v, err := f.Prompter().Input(title, "", validate)
	if err != nil {
		return err
	}
	*value = strings.TrimSpace(v)
	return nil
}

// Secret reads a password, code or token: from stdin when fromStdin, else
// from a masked prompt. It is never taken from a flag, so it never shows in
// argv or shell history.
func Secret(f *cmdutil.Factory, fromStdin bool, flag, title string, validate func(string) error) (string, error) {
	if fromStdin {
		lines, err := ReadSecretLines(f.IOStreams.In, 1, flag)
		if err != nil {
			return "", err
		}
		return lines[0], validate(lines[0])
	}
	if !f.IOStreams.CanPrompt() {
		return "", cmdutil.FlagErrorf("%s is required when not running interactively", flag)
	}
	return f.Prompter().Password(title, validate)
}

// NewSecret is Secret for a value being chosen, such as a new password: on
// a terminal it is asked twice, because a typo nobody saw would lock the
// person out, and a mismatch asks again.
func NewSecret(f *cmdutil.Factory, fromStdin bool, flag, title string, validate func(string) error) (string, error) {
	if fromStdin || !f.IOStreams.CanPrompt() {
		return Secret(f, fromStdin, flag, title, validate)
	}
	p := f.Prompter()
	for {
		first, err := p.Password(title, validate)
		if err != nil {
			return "", err
		}
		again, err := p.Password(title+" again", nil)
		if err != nil {
			return "", err
		}
		if again == first {
			return first, nil
		}
		fmt.Fprintln(f.IOStreams.ErrOut, "The two entries differ; enter the password again.")
	}
}

// ValidateEmail accepts a bare address (no display name).
func ValidateEmail(s string) error {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return cmdutil.FlagErrorf("invalid email address %q", s)
	}
	return nil
}

var phoneRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\+?[0-9][0-9 ().-]{6,20}$`) })

// ValidatePhone accepts an E.164-like number; the server normalises it.
func ValidatePhone(s string) error {
	if !phoneRE().MatchString(s) {
		return cmdutil.FlagErrorf("invalid phone number %q: use the international format, e.g. +15555550100", s)
	}
	return nil
}

// NotEmpty refuses an empty answer.
func NotEmpty(what string) func(string) error {
	return func(s string) error {
		if strings.TrimSpace(s) == "" {
			return fmt.Errorf("%s must not be empty", what)
		}
		return nil
	}
}

// EmailOrPhone checks that exactly one of --email and --phone was given and
// that it is well formed; on a terminal it asks for an email when neither was.
func EmailOrPhone(f *cmdutil.Factory, email, phone *string) error {
	switch {
	case *email != "" && *phone != "":
		return cmdutil.FlagErrorf("give either --email or --phone, not both")
	case *phone != "":
		return ValidatePhone(*phone)
	}
	return Ask(f, email, "--email or --phone", "Email", ValidateEmail)
}

// JSONObject parses a --data value: a JSON object, or @file holding one.
func JSONObject(flag, value string) (map[string]any, error) {
	if value == "" {
		return nil, nil
	}
	raw := []byte(value)
	if name, ok := strings.CutPrefix(value, "@"); ok {
		b, err := ReadFlagFile(flag, name)
		if err != nil {
			return nil, err
		}
		raw = b
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return nil, cmdutil.FlagErrorf("%s must be a JSON object (or @file): %v", flag, errOrNull(err))
	}
	return m, nil
}

func errOrNull(err error) any {
	if err == nil {
		return "null is not an object"
	}
	return err
}

// MaxFlagFileBytes bounds a file named by a flag (--data @file, --jwks,
// --password-hash @file): a JSON object or a key set is far smaller, and
// `--data @/dev/zero` must end with an error, not exhaust memory.
const MaxFlagFileBytes = 1 << 20

// ReadFlagFile reads the file a flag names, up to MaxFlagFileBytes.
func ReadFlagFile(flag, name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, cmdutil.FlagErrorf("%s: %v", flag, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxFlagFileBytes+1))
	if err != nil {
		return nil, cmdutil.FlagErrorf("%s: %v", flag, err)
	}
	if len(b) > MaxFlagFileBytes {
		return nil, cmdutil.FlagErrorf("%s: %s is larger than %d MiB", flag, name, MaxFlagFileBytes>>20)
	}
	return b, nil
}
