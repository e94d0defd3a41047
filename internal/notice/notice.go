// Package notice remembers which one-time notices authctl has shown, in
// state.json beside the config file, so that advice worth reading once does
// not bury every command's output (`authctl token` in a script included).
package notice

import (
	"encoding/json"
	"os"
	"path/filepath"

	"github.com/authctl/authctl/internal/atomicfile"
)

// fileName is the state file under the configuration directory.
const fileName = "state.json"

type state struct {
	// Shown maps a notice's id to the text it was last shown with.
	Shown map[string]string `json:"shown"`
}

// Once reports whether the notice id should be shown: true the first time,
// and again whenever its text changes (a new reason is news). It records the
// showing. When the state cannot be read or written it says true: a notice
// shown twice is better than one never shown.
func Once(dir, id, text string) bool {
	path := filepath.Join(dir, fileName)
	st := state{Shown: map[string]string{}}
	if b, err := os.ReadFile(path); err == nil {
		_ = json.Unmarshal(b, &st) // a damaged state file only means notices are shown again
		if st.Shown == nil {
			st.Shown = map[string]string{}
		}
	}
	if st.Shown[id] == text {
		return false
	}
	st.Shown[id] = text
	if b, err := json.MarshalIndent(st, "", "  "); err == nil {
		_ = atomicfile.Write(path, b, 0o600, 0o700) // failing to remember shows the notice again next time
	}
	return true
}
