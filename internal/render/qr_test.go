package render

import (
	"bytes"
	"image"
	"image/color"
	"strconv"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// parseQR turns QR's terminal output back into a module matrix (true =
// black) the way a terminal would paint it: every cell has a foreground and
// a background colour from the SGR codes before it, and a half block shows
// the foreground in its half and the background in the other. A half left
// in the terminal's default colour is outside the drawing and is dropped
// (only the upper half of the first line or the lower half of the last line
// may be); anywhere else it fails the test, since it would depend on the
// user's theme.
func parseQR(t *testing.T, out string) [][]bool {
	t.Helper()
	const (
		def = iota
		black
		white
	)
	var rows [][]bool
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	for li, line := range lines {
		fg, bg := def, def
		var top, bottom []bool
		topOutside, bottomOutside := false, false
		for i := 0; i < len(line); {
			if strings.HasPrefix(line[i:], "\x1b[") {
				end := strings.IndexByte(line[i:], 'm')
				for _, code := range strings.Split(line[i+2:i+end], ";") {
					switch n, _ := strconv.Atoi(code); n {
					case 0:
						fg, bg = def, def
					case 30:
						fg = black
					case 97:
						fg = white
					case 39:
						fg = def
					case 40:
						bg = black
					case 107:
						bg = white
					case 49:
						bg = def
					default:
						t.Fatalf("line %d: unexpected SGR %q", li, code)
					}
				}
				i += end + 1
				continue
			}
			r, size := []rune(line[i:])[0], len(string([]rune(line[i:])[0]))
			i += size
			var up, down int
			switch r {
			case ' ':
				up, down = bg, bg
			case '█':
				up, down = fg, fg
			case '▀':
				up, down = fg, bg
			case '▄':
				up, down = bg, fg
			default:
				t.Fatalf("line %d: unexpected rune %q", li, r)
			}
			if up == def {
				if li != 0 {
					t.Fatalf("line %d: upper half in the terminal's default colour", li)
				}
				topOutside = true
			}
			if down == def {
				if li != len(lines)-1 {
					t.Fatalf("line %d: lower half in the terminal's default colour", li)
				}
				bottomOutside = true
			}
			top = append(top, up == black)
			bottom = append(bottom, down == black)
		}
		if !topOutside {
			rows = append(rows, top)
		}
		if !bottomOutside {
			rows = append(rows, bottom)
		}
	}
	return rows
}

// decodeMatrix rasterises the modules (8 px each) and decodes them with an
// independent QR reader.
func decodeMatrix(t *testing.T, m [][]bool) string {
	t.Helper()
	const px = 8
	img := image.NewGray(image.Rect(0, 0, len(m[0])*px, len(m)*px))
	for y, row := range m {
		if len(row) != len(m[0]) {
			t.Fatalf("row %d has %d modules, want %d", y, len(row), len(m[0]))
		}
		for x, b := range row {
			c := color.Gray{Y: 255}
			if b {
				c = color.Gray{Y: 0}
			}
			for dy := range px {
				for dx := range px {
					img.SetGray(x*px+dx, y*px+dy, c)
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
		t.Fatalf("decode: %v", err)
	}
	return res.GetText()
}

func TestQRRoundTrip(t *testing.T) {
	for _, content := range []string{
		"otpauth://totp/authctl:alice%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=authctl&algorithm=SHA1&digits=6&period=30",
		"otpauth://totp/My%20Project:bob@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=My%20Project",
	} {
		for _, zone := range []int{QRQuietZone, 2, 1} {
			var buf bytes.Buffer
			if err := QR(&buf, content, zone); err != nil {
				t.Fatal(err)
			}
			m := parseQR(t, buf.String())
			if len(m) != len(m[0]) {
				t.Errorf("matrix is %d×%d, want square", len(m), len(m[0]))
			}
			assertQuietZone(t, m, zone)
			if got := decodeMatrix(t, m); got != content {
				t.Errorf("decoded %q, want %q", got, content)
			}
			// Half blocks: two modules per line, so the code fits a terminal.
			if lines := strings.Count(buf.String(), "\n"); lines > (len(m)+1)/2+1 {
				t.Errorf("%d lines for %d module rows: not half blocks", lines, len(m))
			}
		}
	}
}

func assertQuietZone(t *testing.T, m [][]bool, n int) {
	t.Helper()
	size := len(m)
	for y, row := range m {
		for x, b := range row {
			inZone := y < n || y >= size-n || x < n || x >= len(row)-n
			if inZone && b {
				t.Fatalf("black module at (%d,%d) inside the %d-module quiet zone", x, y, n)
			}
		}
	}
}

func TestQRTooLong(t *testing.T) {
	var buf bytes.Buffer
	if err := QR(&buf, strings.Repeat("x", 5000), QRQuietZone); err == nil {
		t.Fatal("want an error for content beyond QR capacity")
	}
	if buf.Len() != 0 {
		t.Errorf("wrote %d bytes on error", buf.Len())
	}
}
