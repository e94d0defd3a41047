package cmdutil

import (
	"bytes"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// tree is `app` with a group `users` (no Run) holding `delete`, and a group
// `login` with a Run of its own holding `password`.
func tree(ran *[]string) *cobra.Command {
	leaf := func(name string) *cobra.Command {
		return &cobra.Command{Use: name, RunE: func(*cobra.Command, []string) error { *ran = append(*ran, name); return nil }}
	}
	root := &cobra.Command{Use: "app", SilenceErrors: true, SilenceUsage: true}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return FlagErrorWrap(err) })
	users := &cobra.Command{Use: "users"}
	users.AddCommand(leaf("delete"))
	login := leaf("login")
	login.AddCommand(leaf("password"))
	root.AddCommand(users, login)
	return root
}

func TestGuardCommandGroups(t *testing.T) {
	cases := []struct {
		args     []string
		err, ran string // wanted error text ("" none), leaf that ran
		help     bool
	}{
		{[]string{"users", "delte", "ID"}, `unknown command "delte" for "app users"` + "\n\nDid you mean this?\n\tdelete", "", false},
		{[]string{"userz", "list"}, `unknown command "userz" for "app"`, "", false},
		{[]string{"login", "passwrd"}, `unknown command "passwrd" for "app login"`, "", false},
		{[]string{"users", "delte", "--yes"}, `unknown command "delte" for "app users"`, "", false},
		{[]string{"users", "xyzzy"}, `unknown command "xyzzy" for "app users"`, "", false},
		{[]string{"users", "delete"}, "", "delete", false},
		{[]string{"users", "delete", "ID", "--bogus"}, "unknown flag: --bogus", "", false},
		{[]string{"login"}, "", "login", false},
		{[]string{"users"}, "", "", true},
		{nil, "", "", true},
	}
	for _, c := range cases {
		var ran []string
		root := tree(&ran)
		GuardCommandGroups(root)
		var out bytes.Buffer
		root.SetOut(&out)
		root.SetArgs(c.args)
		err := root.Execute()
		switch {
		case c.err == "" && err != nil:
			t.Errorf("%v: %v", c.args, err)
		case c.err != "" && (err == nil || !strings.HasPrefix(err.Error(), c.err) || ExitCode(err) != ExitUsage):
			t.Errorf("%v: error %v (exit %d), want %q and exit 2", c.args, err, ExitCode(err), c.err)
		}
		if got := strings.Join(ran, ","); got != c.ran {
			t.Errorf("%v: ran %q, want %q", c.args, got, c.ran)
		}
		if help := strings.Contains(out.String(), "Available Commands"); help != c.help {
			t.Errorf("%v: help printed %v, want %v", c.args, help, c.help)
		}
	}
}
