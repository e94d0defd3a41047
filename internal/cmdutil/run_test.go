package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/iostreams"
)

type runOpts struct{ A, B string }

func TestRunEBindsArgsInOrderAndCallsTheHook(t *testing.T) {
	opts := &runOpts{B: "default"}
	var got *runOpts
	hook := func(_ context.Context, o *runOpts) error { got = o; return nil }
	run := func(context.Context, *runOpts) error { t.Fatal("run called although a hook was given"); return nil }

	if err := RunE(opts, hook, run, &opts.A, &opts.B)(&cobra.Command{}, []string{"x"}); err != nil {
		t.Fatal(err)
	}
	if got != opts || opts.A != "x" || opts.B != "default" {
		t.Fatalf("got %+v (same pointer: %v), want A=x and B left as default", *opts, got == opts)
	}
}

func TestRunECallsRunWithoutAHook(t *testing.T) {
	opts := &runOpts{}
	want := errors.New("ran")
	run := func(_ context.Context, o *runOpts) error {
		if o.A != "1" || o.B != "2" {
			t.Errorf("run saw %+v, want A=1 B=2", *o)
		}
		return want
	}
	if err := RunE(opts, nil, run, &opts.A, &opts.B)(&cobra.Command{}, []string{"1", "2"}); !errors.Is(err, want) {
		t.Fatalf("err = %v, want the run function's", err)
	}
}

func TestRunEIgnoresArgumentsNotBound(t *testing.T) {
	opts := &runOpts{}
	if err := RunE(opts, nil, func(context.Context, *runOpts) error { return nil })(&cobra.Command{}, []string{"extra"}); err != nil {
		t.Fatal(err)
	}
	if *opts != (runOpts{}) {
		t.Fatalf("opts changed to %+v", *opts)
	}
}

func TestCheckedRunEChecksTheBoundArgumentsBeforeTheHookOrRun(t *testing.T) {
	refused := errors.New("refused")
	check := func(o *runOpts) error {
		if o.A == "bad" {
			return refused
		}
		return nil
	}
	for _, tc := range []struct {
		arg     string
		wantErr error
		wantRan bool
	}{
		{arg: "bad", wantErr: refused},
		{arg: "good", wantRan: true},
	} {
		for _, hooked := range []bool{true, false} {
			opts := &runOpts{}
			ran := false
			run := func(context.Context, *runOpts) error { ran = true; return nil }
			var hook func(context.Context, *runOpts) error
			if hooked {
				hook, run = run, nil
			}
			err := CheckedRunE(opts, check, hook, run, &opts.A)(&cobra.Command{}, []string{tc.arg})
			if !errors.Is(err, tc.wantErr) || ran != tc.wantRan {
				t.Errorf("arg %q, hook %v: err = %v, ran = %v; want %v, %v", tc.arg, hooked, err, ran, tc.wantErr, tc.wantRan)
			}
		}
	}
}

func TestShowPrintsTheAnswerOrStopsAtTheFirstError(t *testing.T) {
	noClient, callFailed := errors.New("no client"), errors.New("call failed")
	view := func(p *Printer, v string) error { _, err := fmt.Fprintln(p.Out, "human:", v); return err }
	cases := []struct {
		name      string
		clientErr error
		callErr   error
		json      bool
		want      string
		wantErr   error
	}{
		{name: "human", want: "human: answer\n"},
		{name: "json", json: true, want: "\"answer\"\n"},
		{name: "no client", clientErr: noClient, wantErr: noClient},
		{name: "call fails", callErr: callFailed, wantErr: callFailed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ios, _, out, _ := iostreams.Test()
			f := &Factory{IOStreams: ios, Flags: &GlobalFlags{JSON: c.json}, Now: time.Now}
			client := func() (*auth.Client, error) { return &auth.Client{}, c.clientErr }
			called := false
			call := func(*auth.Client) (string, error) { called = true; return "answer", c.callErr }
			err := Show(f, client, call, view)
			if !errors.Is(err, c.wantErr) || out.String() != c.want {
				t.Fatalf("err = %v, output %q; want %v, %q", err, out.String(), c.wantErr, c.want)
			}
			if called != (c.clientErr == nil) {
				t.Fatalf("call made: %v, although the client failed: %v", called, c.clientErr)
			}
		})
	}
}
