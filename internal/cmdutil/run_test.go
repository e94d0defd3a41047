package cmdutil

import (
	"context"
	"errors"
	"testing"

	"github.com/spf13/cobra"
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
