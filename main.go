// Command authctl is a command-line tool for Supabase Auth.
package main

import "github.com/authctl/authctl/cmd"

func main() {
	cmd.Execute()
}
