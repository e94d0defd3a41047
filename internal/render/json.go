package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"

	"github.com/itchyny/gojq"
)

// JSONOptions controls how JSON is written.
type JSONOptions struct {
	// JQ, when non-empty, is a jq expression applied to the document; each
	// result is printed on its own: strings raw (like `jq -r` and `gh --jq`),
	// everything else as JSON.
	JQ string
	// Pretty indents with two spaces; otherwise output is compact.
	Pretty bool
	// Color adds ANSI colours to keys, strings, numbers and literals.
	Color bool
}

// JQError reports a --jq expression that cannot be parsed or compiled
// (callers map it to a usage error, exit 2), or, with Runtime, that failed
// while running against the document (`.[].email` on an object): the
// expression is valid, the data did not fit it, which is a plain error
// (exit 1) carrying jq's message.
type JQError struct {
	Expr    string
	Err     error
	Runtime bool
}

func (e *JQError) Error() string {
	if e.Runtime {
		return fmt.Sprintf("--jq %q: %v", e.Expr, e.Err)
	}
	return fmt.Sprintf("invalid --jq expression %q: %v", e.Expr, e.Err)
}

func (e *JQError) Unwrap() error { return e.Err }

// List returns s, or an empty non-nil slice when s is nil, so a list result
// marshals as [] rather than null. Use it for list fields nested inside a
// result struct; JSON and JSONLine already do this for a top-level value.
func List[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// JSON writes v as one newline-terminated JSON document, or, with o.JQ set,
// the results of the jq expression over it. Output is assembled in memory
// first so a failing expression leaves nothing half-written on stdout.
func JSON(w io.Writer, v any, o JSONOptions) error {
	var buf bytes.Buffer
	if o.JQ == "" {
		b, err := marshal(v)
		if err != nil {
			return err
		}
		writeDoc(&buf, b, o)
	} else {
		code, err := compileJQ(o.JQ)
		if err != nil {
			return err
		}
		if err := runJQ(&buf, o.JQ, code, o, v); err != nil {
			return err
		}
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// marshal encodes v without HTML escaping (links carry & and must stay
// readable and byte-exact) and turns a nil top-level slice or map into
// [] or {}: scripts iterate over list results and must never meet null.
//
// A json.RawMessage is a document as a server sent it, already checked by
// the decoder that split it out: it passes through byte for byte, compacted
// only when it spans lines, so listing thousands of users costs no
// re-encoding.
func marshal(v any) ([]byte, error) {
	if raw, ok := v.(json.RawMessage); ok && raw != nil {
		if bytes.IndexByte(raw, '\n') < 0 {
			return raw, nil
		}
		var buf bytes.Buffer
		err := json.Compact(&buf, raw)
		return buf.Bytes(), err
	}
	v = nonNil(v)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

func nonNil(v any) any {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() {
		return v
	}
	switch rv.Kind() {
	case reflect.Slice:
		if rv.IsNil() {
			return reflect.MakeSlice(rv.Type(), 0, 0).Interface()
		}
	case reflect.Map:
		if rv.IsNil() {
			return reflect.MakeMap(rv.Type()).Interface()
		}
	}
	return v
}

// writeDoc writes one compact JSON document b, indented and coloured as
// asked, followed by a newline.
func writeDoc(buf *bytes.Buffer, b []byte, o JSONOptions) {
	if o.Pretty {
		var ind bytes.Buffer
		// b is valid JSON produced by an encoder, so Indent cannot fail.
		_ = json.Indent(&ind, b, "", "  ")
		b = ind.Bytes()
	}
	if o.Color {
		colorizeJSON(buf, b)
	} else {
		buf.Write(b)
	}
	buf.WriteByte('\n')
}

func compileJQ(expr string) (*gojq.Code, error) {
	q, err := gojq.Parse(expr)
	if err != nil {
		return nil, &JQError{Expr: expr, Err: err}
	}
	// No environment loader: $ENV and env stay empty, so an expression
	// cannot leak the service-role key from the environment into output.
	code, err := gojq.Compile(q, gojq.WithEnvironLoader(func() []string { return nil }))
	if err != nil {
		return nil, &JQError{Expr: expr, Err: err}
	}
	return code, nil
}

// runJQ runs code over v as jq sees it: the JSON-decoded document, so field
// names are the JSON ones and numbers keep their exact text (json.Number).
func runJQ(buf *bytes.Buffer, expr string, code *gojq.Code, o JSONOptions, v any) error {
	b, err := marshal(v)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return err
	}
	iter := code.Run(doc)
	for {
		r, ok := iter.Next()
		if !ok {
			return nil
		}
		if err, isErr := r.(error); isErr {
			var halt *gojq.HaltError
			if errors.As(err, &halt) && halt.Value() == nil {
				return nil // `halt` stops output without an error, as in jq
			}
			return &JQError{Expr: expr, Err: err, Runtime: true}
		}
		if s, isStr := r.(string); isStr {
			buf.WriteString(s)
			buf.WriteByte('\n')
			continue
		}
		out, err := gojq.Marshal(r)
		if err != nil {
			return err
		}
		writeDoc(buf, out, o)
	}
}
