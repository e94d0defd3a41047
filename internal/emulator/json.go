package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"time"
)

// kv is one member of an ordered JSON object.
type kv struct {
	K string
	V any
}

// obj is a JSON object that keeps its members in the order they were added,
// so responses follow the real server's field order.
type obj []kv

func (o obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(m.K)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		v, err := json.Marshal(m.V)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// add appends a member.
func (o obj) add(k string, v any) obj { return append(o, kv{k, v}) }

// set replaces the value of member k (appending it when absent).
func (o obj) set(k string, v any) obj {
	for i := range o {
		if o[i].K == k {
			o[i].V = v
			return o
		}
	}
	return o.add(k, v)
}

// addTime appends a timestamp member only when t is set (omitempty).
func (o obj) addTime(k string, t *time.Time) obj {
	if t == nil {
		return o
	}
	return append(o, kv{k, fmtTime(*t)})
}

// addStr appends a string member only when it is not empty.
func (o obj) addStr(k, v string) obj {
	if v == "" {
		return o
	}
	return append(o, kv{k, v})
}

func fmtTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// writeJSON writes v with the given status as application/json.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"msg":"encoding failure"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
