package bulk

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/authctl/authctl/internal/extsort"
)

// tinySorters makes every sort spill to disk in runs of a few records and
// merge them in several passes, as a file of millions of rows does with the
// default sizes.
func tinySorters(t *testing.T) func() *extsort.Sorter {
	dir := t.TempDir()
	return func() *extsort.Sorter { return &extsort.Sorter{RunBytes: 256, FanIn: 3, Dir: dir} }
}

func validateJSONL(t *testing.T, in string) *Validation {
	t.Helper()
	v, err := validate(func(fn RowFunc) error { return ReadJSONL(strings.NewReader(in), testNow, fn) }, tinySorters(t))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func errorLines(v *Validation) []string {
	var out []string
	for _, e := range v.Errors {
		out = append(out, e.Error())
	}
	return out
}

// The normalisation rules: emails compare in lower case and without the
// spaces around them, phones by their digits, ids as UUIDs (any case); a
// row with no id repeats the id another row derives from the same email.
func TestValidateNormalisesIdentities(t *testing.T) {
	const id = "0e2ac4d5-9a3e-4f5b-8c1d-2b3a4c5d6e7f"
	in := fmt.Sprintf(`{"email":"Ann@Example.com"}
{"email":"  ann@example.COM "}
{"phone":"+1 (555) 123-4567"}
{"phone":"15551234567"}
{"id":"%s","email":"c@example.com"}
{"id":"%s","email":"d@example.com"}
{"id":"%s","email":"e@example.com"}
`, id, strings.ToUpper(id), DeriveID("email", "ann@example.com"))
	got := errorLines(validateJSONL(t, in))
	want := []string{
		"line 2: same email as line 1",
		"line 4: same phone as line 3",
		"line 6: same id as line 5",
		"line 7: same id as line 1",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("got %q\nwant %q", got, want)
	}
}

// Not duplicates: an email that is a prefix of another, the same digits as
// a phone and in an email, addresses differing in one letter.
func TestValidateReportsNoFalseDuplicates(t *testing.T) {
	in := `{"email":"a@example.co"}
{"email":"a@example.com"}
{"email":"15551234567@example.com"}
{"phone":"+15551234567"}
{"email":"b@example.com","phone":"+15551234568"}
{"email":"c@example.com","phone":"+155512345678"}
`
	if v := validateJSONL(t, in); v.ErrorCount != 0 || v.Rows != 6 {
		t.Fatalf("%d rows, errors %q", v.Rows, errorLines(v))
	}
}

// Rows far apart (in different sort runs) are found; a row that repeats
// two identities counts once and names the email; parse errors and
// duplicates come out together in line order.
func TestValidateFarApartAndCountedOnce(t *testing.T) {
	var b strings.Builder
	const n = 3000
	for i := range n {
		fmt.Fprintf(&b, "{\"email\":\"u%d@example.com\",\"phone\":\"+1555%07d\"}\n", i, i)
	}
	b.WriteString("not json\n")
	fmt.Fprintf(&b, "{\"email\":\"u0@example.com\",\"phone\":\"+1555%07d\"}\n", 0)    // both identities of line 1
	fmt.Fprintf(&b, "{\"email\":\"new@example.com\",\"phone\":\"+1555%07d\"}\n", n-1) // the last row's phone
	v := validateJSONL(t, b.String())
	want := []string{
		fmt.Sprintf("line %d: not a JSON object", n+1),
		fmt.Sprintf("line %d: same email as line 1", n+2),
		fmt.Sprintf("line %d: same phone as line %d", n+3, n),
	}
	got := errorLines(v)
	if v.Rows != n || v.ErrorCount != 3 || len(got) != 3 {
		t.Fatalf("%d rows, %d errors: %q", v.Rows, v.ErrorCount, got)
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Fatalf("got %q\nwant %q", got, want)
		}
	}
}

// Against a map holding every identity (what Validate did before it
// sorted): random files with many collisions give the same rows, count and
// messages.
func TestValidateAgreesWithAMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 20 {
		var b strings.Builder
		rows := 200 + rng.IntN(400)
		for range rows {
			switch rng.IntN(4) {
			case 0:
				fmt.Fprintf(&b, "{\"email\":\"U%d@example.com\"}\n", rng.IntN(300))
			case 1:
				fmt.Fprintf(&b, "{\"phone\":\"+1 555 %07d\"}\n", rng.IntN(300))
			case 2:
				fmt.Fprintf(&b, "{\"email\":\"u%d@example.com\",\"phone\":\"+1555%07d\"}\n", rng.IntN(300), rng.IntN(300))
			default:
				fmt.Fprintf(&b, "{\"id\":\"%s\",\"email\":\"v%d@example.com\"}\n", DeriveID("email", fmt.Sprintf("u%d@example.com", rng.IntN(300))), rng.IntN(300))
			}
		}
		in := b.String()
		v := validateJSONL(t, in)
		rowsWant, msgs := withAMap(t, in)
		got := errorLines(v)
		if v.Rows != rowsWant || v.ErrorCount != len(msgs) || !slices.Equal(got, msgs[:min(len(msgs), maxShownErrors)]) {
			t.Fatalf("rows %d (want %d), %d errors (want %d)\ngot %q\nwant %q", v.Rows, rowsWant, v.ErrorCount, len(msgs), got, msgs)
		}
	}
}

// withAMap is the reference: every identity's first line in a map; a row
// is a duplicate when any of its identities was seen on another line.
func withAMap(t *testing.T, in string) (rows int, msgs []string) {
	first := map[string]int{}
	var all []Row
	if err := ReadJSONL(strings.NewReader(in), testNow, func(r Row, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, r)
		for kind, key := range identities(r) {
			k := kindNames[kind] + ":" + key
			if _, ok := first[k]; !ok {
				first[k] = r.Line
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, r := range all {
		dup := ""
		for kind, key := range identities(r) {
			if l := first[kindNames[kind]+":"+key]; l != r.Line && dup == "" {
				dup = fmt.Sprintf("line %d: same %s as line %d", r.Line, kindNames[kind], l)
			}
		}
		if dup == "" {
			rows++
		} else {
			msgs = append(msgs, dup)
		}
	}
	return rows, msgs
}
