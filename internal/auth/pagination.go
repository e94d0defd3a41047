package auth

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// LinkTarget is one entry of an RFC 8288 Link header: its target URL (as
// written, often relative) and its relation types.
type LinkTarget struct {
	URL  string
	Rels []string
}

// ParseLinkHeader parses an RFC 8288 Link header value such as
//
//	</admin/users?page=2&per_page=50>; rel="next", </admin/users?page=39&per_page=50>; rel="last"
//
// Targets are taken whole from between the angle brackets, so commas or
// semicolons inside a URL do not split it. Malformed entries are skipped.
func ParseLinkHeader(v string) []LinkTarget {
	var out []LinkTarget
	s := v
	for {
		start := strings.IndexByte(s, '<')
		if start < 0 {
			return out
		}
		end := strings.IndexByte(s[start:], '>')
		if end < 0 {
			return out
		}
		target := s[start+1 : start+end]
		s = s[start+end+1:]
		// Parameters run up to the next entry (a comma followed by '<').
		params := s
		if next := nextLinkEntry(s); next >= 0 {
			params, s = s[:next], s[next:]
		} else {
			s = ""
		}
		lt := LinkTarget{URL: strings.TrimSpace(target)}
		for _, p := range strings.Split(params, ";") {
			k, val, ok := strings.Cut(strings.TrimSpace(p), "=")
			if !ok || !strings.EqualFold(strings.TrimSpace(k), "rel") {
				continue
			}
			val = strings.Trim(strings.TrimSpace(strings.TrimRight(strings.TrimSpace(val), ",")), `"`)
			for _, r := range strings.Fields(val) {
				lt.Rels = append(lt.Rels, strings.ToLower(r))
			}
		}
		out = append(out, lt)
	}
}

// nextLinkEntry is the index of the comma that starts the next entry of a
// Link header in s (the remainder after a target), or -1.
func nextLinkEntry(s string) int {
	inQuote := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			inQuote = !inQuote
		case ',':
			if !inQuote && strings.HasPrefix(strings.TrimLeft(s[i+1:], " \t"), "<") {
				return i
			}
		}
	}
	return -1
}

// LinkPages returns the page numbers of the rel="next" and rel="last"
// targets of a Link header (0 when absent or unreadable). The targets are
// parsed as URLs and the "page" parameter read as a whole number: page 10
// is 10, not 1.
func LinkPages(h http.Header) (next, last int) {
	for _, v := range h.Values("Link") {
		for _, lt := range ParseLinkHeader(v) {
			p := pageOf(lt.URL)
			if p <= 0 {
				continue
			}
			for _, r := range lt.Rels {
				switch r {
				case "next":
					next = p
				case "last":
					last = p
				}
			}
		}
	}
	return next, last
}

func pageOf(target string) int {
	u, err := url.Parse(target)
	if err != nil {
		return 0
	}
	n, err := strconv.Atoi(u.Query().Get("page"))
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// totalCount reads X-Total-Count (0 when absent or unreadable).
func totalCount(h http.Header) int {
	n, err := strconv.Atoi(strings.TrimSpace(h.Get("X-Total-Count")))
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// pageQuery encodes the common pagination parameters, leaving zero values
// out so the server's defaults apply.
func pageQuery(page, perPage int) url.Values {
	q := url.Values{}
	if page > 0 {
		q.Set("page", strconv.Itoa(page))
	}
	if perPage > 0 {
		q.Set("per_page", strconv.Itoa(perPage))
	}
	return q
}
