package shared

import (
	"strings"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
)

// FactorColumns are FactorTable's columns, for --columns.
var FactorColumns = []string{"id", "type", "name", "status", "note"}

// FactorTable renders factors as a table: `mfa list` shows the signed-in
// user's, `admin mfa list` any user's. The id is never cut: the other mfa
// commands take it.
func FactorTable(p *cmdutil.Printer, fs []auth.Factor, columns []string) error {
	return cmdutil.ListView[auth.Factor]{
		Empty:   "No factors",
		Header:  FactorColumns,
		Whole:   []string{"id"},
		Drop:    []string{"note", "type"},
		Columns: columns,
		Row: func(fa auth.Factor) []string {
			note := ""
			switch fa.FactorType {
			case auth.FactorTypePhone:
				note = "+" + strings.TrimPrefix(fa.Phone, "+")
			case auth.FactorTypeWebAuthn:
				note = "browser only"
			}
			return []string{fa.ID, fa.FactorType, fa.FriendlyName, fa.Status, note}
		},
	}.View(p, fs)
}
