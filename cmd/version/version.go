// Package version implements `authctl version`.
package version

import (
	"context"
	"fmt"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/build"
	"github.com/authctl/authctl/internal/cmdutil"
)

// Info is what `authctl version --json` prints.
type Info struct {
	Version string `json:"version"`
	Commit  string `json:"commit,omitempty"`
	Date    string `json:"date,omitempty"`
	Go      string `json:"go"`
	OS      string `json:"os"`
	Arch    string `json:"arch"`
}

// Options of `authctl version`.
type Options struct {
	F *cmdutil.Factory
}

// NewCmdVersion builds `authctl version`.
func NewCmdVersion(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f}
	return &cobra.Command{
		Use:   "version",
		Short: "Print the authctl version",
		Args:  cmdutil.NoArgs,
		RunE:  cmdutil.RunE(opts, runF, runVersion),
	}
}

func runVersion(_ context.Context, opts *Options) error {
	info := Info{Version: build.Version, Commit: build.Commit, Date: build.Date,
		Go: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH}
	return opts.F.Print(info, func(p *cmdutil.Printer) error {
		_, err := fmt.Fprintf(p.Out, "authctl %s (%s, %s/%s)\n", info.Version, info.Go, info.OS, info.Arch)
		return err
	})
}
