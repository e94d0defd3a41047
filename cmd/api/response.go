package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/authctl/authctl/internal/render"
)

// printResponse writes the status and headers (-i), then the body: streamed
// as it arrives, or buffered and pretty-printed with --json/--jq. A non-2xx
// answer is an *HTTPError after its body is printed.
func (o *Options) printResponse(resp *http.Response) error {
	out := o.F.IOStreams.Out
	if o.Include {
		var sb strings.Builder
		sb.WriteString(resp.Proto + " " + resp.Status + "\n")
		writeHeaders(&sb, resp.Header, "")
		sb.WriteString("\n")
		if _, err := io.WriteString(out, sb.String()); err != nil {
			return err
		}
	}
	var err error
	if o.F.WantsJSON() {
		err = o.printJSON(resp.Body)
	} else {
		// Hide any ReadFrom/WriteTo: a writer's ReadFrom (bytes.Buffer's
		// reads to EOF) could hold the whole body before writing a byte.
		_, err = io.CopyBuffer(struct{ io.Writer }{out}, struct{ io.Reader }{resp.Body}, make([]byte, 32<<10))
	}
	if err != nil {
		return err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return &HTTPError{Status: resp.Status}
	}
	return nil
}

// printJSON buffers up to jsonCap bytes and renders them as JSON; a body
// that is not JSON is written as it is, with a warning.
func (o *Options) printJSON(r io.Reader) error {
	data, err := io.ReadAll(io.LimitReader(r, jsonCap+1))
	if err != nil {
		return err
	}
	if len(data) > jsonCap {
		return fmt.Errorf("the response is larger than %d MiB: drop --json/--jq to stream it", jsonCap>>20)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber() // keep big integers exact
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		o.F.Warnf("the response is not JSON; printing it as it is")
		_, err := o.F.IOStreams.Out.Write(data)
		return err
	}
	ios := o.F.IOStreams
	return render.JSON(ios.Out, v, render.JSONOptions{JQ: o.F.Flags.JQ, Pretty: true, Color: ios.ColorEnabled()})
}
