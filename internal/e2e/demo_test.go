package e2e

import (
	"context"
	"os/exec"
	"strings"
	"testing"
)

// TestDemoScriptIsPlainWhenPiped: `make demo` piped into a file shows its
// headings without escape codes (they are for a terminal only).
func TestDemoScriptIsPlainWhenPiped(t *testing.T) {
	ctx, cancel := context.WithDeadline(context.Background(), waitDeadline(t))
	defer cancel()
	port := strings.TrimPrefix(deadURL(t), "http://127.0.0.1:")
	cmd := exec.CommandContext(ctx, "bash", "../../scripts/demo.sh")
	cmd.Env = append(cmd.Environ(), "DEMO_PORT="+port)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("demo.sh: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "$ authctl signup") {
		t.Fatalf("no headings in the output:\n%s", out)
	}
	if strings.Contains(string(out), "\033[") {
		t.Errorf("escape codes in piped output:\n%q", out)
	}
}
