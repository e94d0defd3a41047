package emulator

import (
	"fmt"
	"strings"

	"github.com/boombuler/barcode/qr"
)

// qrSVG renders text as a QR code in SVG, each module a 3×3 square. Like
// the real server it answers the bare SVG document: clients (spec §6 MFA)
// prepend "data:image/svg+xml;utf-8," themselves.
func qrSVG(text string) (string, error) {
	code, err := qr.Encode(text, qr.H, qr.Auto)
	if err != nil {
		return "", err
	}
	const module, margin = 3, 12
	n := code.Bounds().Dx()
	size := n*module + 2*margin
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\"?>\n")
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d">`, size, size, size, size)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="white"/>`, size, size)
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			if r, _, _, _ := code.At(x, y).RGBA(); r == 0 {
				fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d"/>`, margin+x*module, margin+y*module, module, module)
			}
		}
	}
	b.WriteString("</svg>\n")
	return b.String(), nil
}
