package e2e

import (
	"fmt"
	"image"
	"image/color"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"github.com/pquerna/otp"
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

// decodeScreenQR reads the QR code above "Secret:" from the pane of a
// terminal with a dark background: each character cell is two modules (half
// blocks, black ink on white paper). capture-pane drops colours and trailing
// blanks, so paper lines are padded with white. A line of only ▄ or ▀ is the
// edge of the drawing, white ink on the terminal's background, so only the
// quiet zone drawn by authctl separates the code from the dark: it must be
// there on every side, and the code must decode to the URI.
func decodeScreenQR(t *testing.T, screen string) string {
	t.Helper()
	// The code is square and exactly one line is an edge (its height is
	// odd), which gives the width: blank paper lines and the right quiet
	// zone come out of capture-pane as nothing.
	all := strings.Split(screen, "\n")
	var lines []string
	width := 0
find:
	for i, l := range all {
		trimmed := strings.TrimSpace(l)
		n := utf8.RuneCountInString(trimmed)
		if n < 10 {
			continue
		}
		rows := (n + 1) / 2
		switch trimmed {
		case strings.Repeat("▄", n):
			lines, width = all[i:min(i+rows, len(all))], n
		case strings.Repeat("▀", n):
			lines, width = all[max(0, i+1-rows):i+1], n
		default:
			continue
		}
		break find
	}
	if width == 0 {
		t.Fatalf("no QR code on the screen:\n%s", screen)
	}
	// paper is the light square the code is drawn on, one row per half
	// line; the other half of an edge line is the terminal's background.
	var paper [][]bool
	for i, l := range lines {
		if t := strings.Trim(l, " "); t == strings.Repeat("▄", utf8.RuneCountInString(t)) ||
			t == strings.Repeat("▀", utf8.RuneCountInString(t)) {
			paper = append(paper, make([]bool, width))
			continue
		}
		top, bottom := make([]bool, width), make([]bool, width)
		for x, r := range []rune(l) {
			switch r {
			case ' ':
			case '█':
				top[x], bottom[x] = true, true
			case '▀':
				top[x] = true
			case '▄':
				bottom[x] = true
			default:
				t.Fatalf("QR line %d: unexpected %q", i, r)
			}
		}
		paper = append(paper, top, bottom)
	}
	// A camera finds the code against a dark terminal by its light quiet
	// zone: checked directly, on every side.
	if q := quietZone(paper); q < 1 {
		t.Fatalf("no light quiet zone around the QR code:\n%s", screen)
	}
	// The picture is exact, so it is decoded as a pure barcode: gozxing's
	// finder-pattern search misreads some valid codes (CI once saw
	// "dimension = 27" for a code that decodes to the right URI).
	const px, border = 6, 4
	img := image.NewGray(image.Rect(0, 0, (width+2*border)*px, (len(paper)+2*border)*px))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for y, row := range paper {
		for x, dark := range row {
			if !dark {
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
	pure := map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, pure)
	if err != nil {
		t.Fatalf("the QR code on the screen does not decode: %v\n%s", err, screen)
	}
	return res.GetText()
}

// quietZone is how many light rows or columns the code has around it, the
// fewest of its four sides.
func quietZone(paper [][]bool) int {
	light := func(dark func(i int) bool, n int) bool {
		for i := range n {
			if dark(i) {
				return false
			}
		}
		return true
	}
	h, w := len(paper), len(paper[0])
	row := func(y int) bool { return light(func(x int) bool { return paper[y][x] }, w) }
	col := func(x int) bool { return light(func(y int) bool { return paper[y][x] }, h) }
	q := 0
	for q < min(h, w)/2 && row(q) && row(h-1-q) && col(q) && col(w-1-q) {
		q++
	}
	return q
}

// assertSameKey checks that the URI scanned from the screen gives an
// authenticator app the key of the server's URI: same issuer, account,
// secret, algorithm, digits and period (parameters at their defaults may
// be left out of the code).
func assertSameKey(t *testing.T, scanned, server string) {
	t.Helper()
	a, err := otp.NewKeyFromURL(scanned)
	if err != nil {
		t.Fatalf("scanned %q: %v", scanned, err)
	}
	b, err := otp.NewKeyFromURL(server)
	if err != nil {
		t.Fatalf("server URI %q: %v", server, err)
	}
	if a.Type() != b.Type() || a.Issuer() != b.Issuer() || a.AccountName() != b.AccountName() || a.Secret() != b.Secret() ||
		a.Algorithm() != b.Algorithm() || a.Digits() != b.Digits() || a.Period() != b.Period() {
		t.Fatalf("the QR code holds %q, another key than the server's %q", scanned, server)
	}
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
		deadline := waitDeadline(t)
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
	assertSameKey(t, decodeScreenQR(t, screen), uri)
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

// TestMFAEnrollQRFits80x24 enrolls a TOTP factor in an 80×24 terminal, the
// default size of many terminals: the QR code, the secret and the code
// prompt are all on the screen, and the code drawn decodes, against a dark
// background, to the factor's key (the URI the server builds from the
// issuer, the address and the secret). The issuer is given, as a project
// would set its name, so the URI is known.
func TestMFAEnrollQRFits80x24(t *testing.T) {
	e := newEnv(t)
	const issuer = "authctl e2e"
	email := fmt.Sprintf("q%d@example.com", time.Now().UnixNano()%1e9)
	signUp(t, e, email)

	term := e.startTerminalSized(80, 24, "mfa", "enroll", "--type", "totp", "--issuer", issuer)
	term.waitFor("Code from your authenticator app")
	screen := term.screen()
	if strings.Contains(screen, "no room for the QR code") {
		t.Fatalf("no QR code at 80×24:\n%s", screen)
	}
	secret := lineAfter(t, screen, "Secret:")
	server := (&url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + issuer + ":" + email,
		RawQuery: url.Values{"algorithm": {"SHA1"}, "digits": {"6"}, "issuer": {issuer}, "period": {"30"}, "secret": {secret}}.Encode()}).String()
	assertSameKey(t, decodeScreenQR(t, screen), server)
	if s := typeTOTP(t, term, secret); !strings.Contains(s, "[exit 0]") || !strings.Contains(s, "Factor verified") {
		t.Fatalf("enroll did not verify the factor:\n%s", s)
	}
}

// TestDecodeScreenQRRegression: a screen captured in CI whose code gozxing's
// finder-pattern search misread ("dimension = 27") decodes to its URI.
func TestDecodeScreenQRRegression(t *testing.T) {
	b, err := os.ReadFile("testdata/qr-screen-finder-misread.txt")
	if err != nil {
		t.Fatal(err)
	}
	screen := string(b)
	assertSameKey(t, decodeScreenQR(t, screen), lineAfter(t, screen, "URI:"))
}
