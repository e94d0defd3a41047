package e2e

import (
	"image"
	"image/color"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"github.com/pquerna/otp/totp"
)

// joinedScreen is the pane with wrapped lines joined, so a long URI reads
// as one line.
func (term *terminal) joinedScreen() string {
	term.t.Helper()
	return term.tmux("capture-pane", "-p", "-J", "-t", term.session)
}

// lineAfter returns the rest of the first screen line starting with prefix.
func lineAfter(t *testing.T, screen, prefix string) string {
	t.Helper()
	for _, l := range strings.Split(screen, "\n") {
		if v, ok := strings.CutPrefix(l, prefix); ok {
			return strings.TrimSpace(v)
		}
	}
	t.Fatalf("no line starting with %q on the screen:\n%s", prefix, screen)
	return ""
}

// decodeScreenQR reads the QR code between the "Scan this QR code" line and
// "Secret:" as a camera would see the pane: each character cell is two
// modules (half blocks, black ink on white). capture-pane drops colours and
// trailing blanks, so lines are padded with white; the last line is the
// lower quiet zone drawn on the terminal's own background and is all white.
func decodeScreenQR(t *testing.T, screen string) string {
	t.Helper()
	var lines []string
	in := false
	for _, l := range strings.Split(screen, "\n") {
		switch {
		case strings.Contains(l, "Scan this QR code"):
			in = true
		case strings.HasPrefix(l, "Secret:"):
			in = false
		case in:
			lines = append(lines, l)
		}
	}
	if len(lines) < 10 {
		t.Fatalf("no QR code on the screen:\n%s", screen)
	}
	var m [][]bool
	width := 0
	for i, l := range lines {
		var top, bottom []bool
		for _, r := range l {
			switch r {
			case ' ':
				top, bottom = append(top, false), append(bottom, false)
			case '█':
				top, bottom = append(top, true), append(bottom, true)
			case '▀':
				top, bottom = append(top, true), append(bottom, false)
			case '▄':
				top, bottom = append(top, false), append(bottom, true)
			default:
				t.Fatalf("QR line %d: unexpected %q", i, r)
			}
		}
		if i == len(lines)-1 {
			m = append(m, make([]bool, len(top)))
			continue
		}
		m = append(m, top, bottom)
		width = max(width, len(top))
	}
	const px, border = 6, 4
	img := image.NewGray(image.Rect(0, 0, (width+2*border)*px, (len(m)+2*border)*px))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for y, row := range m {
		for x, black := range row {
			if !black {
				continue
			}
			for dy := range px {
				for dx := range px {
					img.SetGray((x+border)*px+dx, (y+border)*px+dy, color.Gray{})
				}
			}
		}
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("the QR code on the screen does not decode: %v\n%s", err, screen)
	}
	return res.GetText()
}

// typeTOTP answers the "Code" prompt with the current code. A code typed
// as the 30-second window turns may be refused; the command then asks
// again and the next window's code is typed.
func typeTOTP(t *testing.T, term *terminal, secret string) string {
	t.Helper()
	for attempt := 0; ; attempt++ {
		code, err := totp.GenerateCode(secret, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		term.send(true, code)
		term.send(false, "Enter")
		deadline := time.Now().Add(20 * time.Second)
		for {
			s := term.screen()
			if strings.Contains(s, "[exit") {
				return s
			}
			if strings.Contains(s, "try again") && attempt == 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("no outcome after typing the code; screen:\n%s", s)
			}
			time.Sleep(50 * time.Millisecond)
		}
		term.waitFor("┃ Code")
	}
}

// TestMFAInteractiveEnrollAndStepUp enrolls a TOTP factor in a real
// terminal: the QR code drawn decodes to the exact otpauth:// URI shown,
// typing the code verifies the factor (aal2). Signing in again in a terminal
// asks for the code and stores an aal2 session.
func TestMFAInteractiveEnrollAndStepUp(t *testing.T) {
	e := newEnv(t)
	email := uniqueEmail(t)
	signUp(t, e, email)

	term := e.startTerminal("mfa", "enroll", "--type", "totp", "--friendly-name", "tmux")
	term.waitFor("┃ Code")
	screen := term.joinedScreen()
	uri := lineAfter(t, screen, "URI:")
	secret := lineAfter(t, screen, "Secret:")
	if got := decodeScreenQR(t, screen); got != uri {
		t.Fatalf("the QR code decodes to %q, want the URI %q", got, uri)
	}
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "otpauth" || u.Query().Get("secret") != secret {
		t.Fatalf("URI %q does not carry the secret %q shown", uri, secret)
	}
	factorID := strings.Fields(lineAfter(t, screen, "Factor:"))[0]

	if s := typeTOTP(t, term, secret); !strings.Contains(s, "[exit 0]") || !strings.Contains(s, "Factor verified") {
		t.Fatalf("enroll did not verify the factor:\n%s", s)
	}
	if st := factorStatus(t, e, factorID); st != "verified" {
		t.Errorf("factor is %q, want verified", st)
	}
	if aal := storedAAL(t, e); aal != "aal2" {
		t.Errorf("stored session aal = %v, want aal2", aal)
	}

	e.mustRun(0, "", "logout")
	term = e.startTerminal("login", "password", "--email", email)
	term.waitFor("┃ Password")
	term.send(true, password)
	term.send(false, "Enter")
	term.waitFor("┃ Code")
	if s := typeTOTP(t, term, secret); !strings.Contains(s, "[exit 0]") || !strings.Contains(s, "aal2") {
		t.Fatalf("sign-in did not step up:\n%s", s)
	}
	if aal := storedAAL(t, e); aal != "aal2" {
		t.Errorf("stored session aal = %v after the interactive step-up, want aal2", aal)
	}
}
