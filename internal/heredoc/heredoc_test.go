package heredoc

import "testing"

func TestDoc(t *testing.T) {
	for in, want := range map[string]string{
		"\n\t\tFirst line,\n\t\t  second line.\n\n\t\tThird.\n\t": "First line,\n  second line.\n\nThird.",
		"\n\t\t\tOne line.\n\t\t":                                 "One line.",
		"\n\t\tBlank lines\n\t\t\n\n\t\tkeep no indentation.\n\t": "Blank lines\n\n\nkeep no indentation.",
		"\n\t\tA\n\t\t\tdeeper line.\n":                           "A\n\tdeeper line.",
		"flat":                                                    "flat",
	} {
		if got := Doc(in); got != want {
			t.Errorf("Doc(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDocfQuotesCommands(t *testing.T) {
	got := Docf("\n\t\tRun %[1]sauthctl login%[1]s first (100%%).\n\t", "`")
	if want := "Run `authctl login` first (100%)."; got != want {
		t.Errorf("Docf = %q, want %q", got, want)
	}
}
