package render

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/mdp/qrterminal/v3"
	"rsc.io/qr"
)

// The code is drawn black on white with explicit colours rather than in the
// terminal's own foreground and background: with default colours the code
// comes out inverted on a light theme, and many authenticator apps cannot
// read an inverted code. White is the background colour, so the quiet zone
// and light modules are solid even where a font leaves gaps between rows.
const (
	qrPaper = "\x1b[30;107m" // black ink on bright white paper
	qrEdge  = "\x1b[97;49m"  // bright white ink on the terminal's own background
)

// QRQuietZone is the standard quiet zone: four white modules on each side.
const QRQuietZone = qrterminal.QUIET_ZONE

// QR draws content as a QR code for a terminal, two modules per character
// row (half blocks), with quietZone white modules around it (QRQuietZone is
// the standard; readers of a code on a screen cope with one or two, which
// lets an otpauth:// URI fit an 80×24 screen). It uses the low
// error-correction level (small and still easily read from a screen, where
// there is no dirt or damage to recover from). The output always carries
// colour escapes: a QR code is only useful on a terminal, and callers print
// the secret or URI as text when stdout is not one.
func QR(w io.Writer, content string, quietZone int) error {
	// qrterminal ignores encoding errors and would panic on a nil code.
	if _, err := qr.Encode(content, qr.L); err != nil {
		return fmt.Errorf("cannot encode QR code: %w", err)
	}
	var raw bytes.Buffer
	qrterminal.GenerateWithConfig(content, qrterminal.Config{
		Level:      qrterminal.L,
		Writer:     &raw,
		HalfBlocks: true,
		// Characters named for (top, bottom) module colours. With black ink
		// on white paper, a space is two white modules.
		WhiteChar:      " ",
		BlackChar:      "█",
		WhiteBlackChar: "▄",
		BlackWhiteChar: "▀",
		QuietZone:      quietZone,
	})

	lines := strings.Split(strings.TrimSuffix(raw.String(), "\n"), "\n")
	var out bytes.Buffer
	bw := bufio.NewWriter(&out)
	for i, line := range lines {
		switch {
		case quietZone%2 == 0 && i == len(lines)-1:
			// A QR code is an odd number of modules high: with an even
			// quiet zone qrterminal ends on a row whose upper half is
			// quiet zone and whose lower half is "outside"; draw it as
			// white-over-nothing instead of white-over-black ink.
			fmt.Fprintf(bw, "%s%s%s\n", qrEdge, strings.ReplaceAll(line, "▄", "▀"), sgrReset)
		case quietZone%2 != 0 && i == 0:
			// With an odd one the "outside" half is the upper half of the
			// first row: nothing-over-white.
			fmt.Fprintf(bw, "%s%s%s\n", qrEdge, strings.ReplaceAll(line, "▀", "▄"), sgrReset)
		default:
			fmt.Fprintf(bw, "%s%s%s\n", qrPaper, line, sgrReset)
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	_, err := w.Write(out.Bytes())
	return err
}
