package render

import "bytes"

// colorizeJSON copies the valid JSON document b to buf with jq-like colours:
// keys bold blue, strings green, numbers cyan, true/false yellow, null gray.
// It works on the encoded bytes so it needs no second pass over the value.
func colorizeJSON(buf *bytes.Buffer, b []byte) {
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == '"':
			end := stringEnd(b, i)
			color := sgrGreen
			if isKey(b, end) {
				color = sgrBlue
			}
			buf.WriteString(color)
			buf.Write(b[i:end])
			buf.WriteString(sgrReset)
			i = end
		case c == '-' || (c >= '0' && c <= '9'):
			end := i
			for end < len(b) && bytes.IndexByte([]byte("+-.eE0123456789"), b[end]) >= 0 {
				end++
			}
			buf.WriteString(sgrCyan)
			buf.Write(b[i:end])
			buf.WriteString(sgrReset)
			i = end
		case c == 't' || c == 'f' || c == 'n':
			end := i
			for end < len(b) && b[end] >= 'a' && b[end] <= 'z' {
				end++
			}
			color := sgrYellow
			if c == 'n' {
				color = sgrGray
			}
			buf.WriteString(color)
			buf.Write(b[i:end])
			buf.WriteString(sgrReset)
			i = end
		default:
			buf.WriteByte(c)
			i++
		}
	}
}

// stringEnd returns the index just past the string literal starting at b[i].
func stringEnd(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++ // skip the escaped character, which may be a quote
		case '"':
			return j + 1
		}
	}
	return len(b)
}

// isKey reports whether the string ending before b[end] is an object key,
// that is, the next non-space byte is a colon.
func isKey(b []byte, end int) bool {
	for ; end < len(b); end++ {
		switch b[end] {
		case ' ', '\n', '\t', '\r':
			continue
		case ':':
			return true
		default:
			return false
		}
	}
	return false
}
