package shared

import (
	"fmt"
	"strings"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/render"
)

// FactorColumns are FactorTable's columns, for --columns.
var FactorColumns = []string{"id", "type", "name", "status", "note"}

// FactorTable renders factors as a table: `mfa list` shows the signed-in
// user's, `admin mfa list` any user's. The id is never cut: the other mfa
// commands take it.
func FactorTable(p *cmdutil.Printer, fs []auth.Factor, columns []string) error {
	if len(fs) == 0 {
		_, err := fmt.Fprintln(p.Out, "No factors")
		return err
	}
	t := render.NewTable(p.Out, p.IsTTY, p.Width)
	t.SetHeader(FactorColumns...)
	t.SetWhole("id")
	t.SetDropOrder("note", "type")
	_ = t.SetColumns(columns) // checked by the flag
	for _, fa := range fs {
		note := ""
		switch fa.FactorType {
		case auth.FactorTypePhone:
			note = "+" + strings.TrimPrefix(fa.Phone, "+")
		case auth.FactorTypeWebAuthn:
			note = "browser only"
		}
		t.AddRow(fa.ID, fa.FactorType, fa.FriendlyName, fa.Status, note)
	}
	return t.Render()
}
