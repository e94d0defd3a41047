package loopback

import (
	"html/template"
	"net/http"
	"sync"
)

// The pages are self-contained: inline CSS, no external asset, so nothing
// leaks the callback URL through a Referer and nothing needs a network. Only
// the forwarding page has a script, and it only moves the #fragment into the
// query of the same loopback URL.

type pageKind int

const (
	pageSuccess pageKind = iota
	pageFailed
	pageUsed
	pageNotFound
	pageForward
	pageEmpty
	pageNotStored
)

type pageData struct {
	Title   string
	Heading string
	Text    string
	Detail  string
	OK      bool
	Script  bool
}

var pages = map[pageKind]pageData{
	pageSuccess:   {Title: "Signed in", Heading: "You are signed in", Text: "authctl has stored the session. You can close this tab and return to the terminal.", OK: true},
	pageFailed:    {Title: "Sign-in failed", Heading: "The sign-in failed", Text: "The server sent back an error. Return to the terminal for details."},
	pageNotStored: {Title: "Sign-in failed", Heading: "The sign-in failed", Text: "authctl received the callback but could not complete the sign-in. Return to the terminal for details."},
	pageUsed:      {Title: "Link already used", Heading: "This sign-in link was already used", Text: "Each sign-in accepts one callback. Start again from the terminal if needed."},
	pageNotFound:  {Title: "Not found", Heading: "Not found", Text: "This address is not the sign-in callback."},
	pageForward:   {Title: "Completing sign-in", Heading: "Completing sign-in…", Text: "If this page does not change, copy its full address into the terminal.", Script: true},
	pageEmpty:     {Title: "Nothing received", Heading: "No sign-in result received", Text: "The redirect carried neither a code nor an error. authctl is still waiting: try again, or paste the address into the terminal."},
}

// pageTmpl is parsed on first use: parsing at init cost every authctl
// start-up (even --help) 1.8 ms.
var pageTmpl = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>authctl · {{.Title}}</title>
<style>
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;background:#f6f7f9;color:#1f2328}
main{max-width:32rem;margin:12vh auto;padding:2rem;background:#fff;border:1px solid #d0d7de;border-radius:12px}
h1{font-size:1.4rem;margin:0 0 .75rem}
.ok h1{color:#1a7f37}.bad h1{color:#cf222e}
pre{white-space:pre-wrap;word-break:break-word;background:#f6f8fa;padding:.75rem;border-radius:6px}
footer{margin-top:1.5rem;color:#656d76;font-size:.85rem}
</style></head>
<body><main class="{{if .OK}}ok{{else}}bad{{end}}" id="authctl-result" data-ok="{{.OK}}">
<h1>{{.Heading}}</h1>
<p>{{.Text}}</p>
{{if .Detail}}<pre>{{.Detail}}</pre>{{end}}
<footer>authctl</footer>
</main>
{{if .Script}}<script>
(function(){var h=location.hash.slice(1);if(!h)return;
location.replace(location.pathname+"?"+h+"&` + fragmentMarker + `=1");})();
</script>{{end}}
</body></html>
`))
})

func writePage(w http.ResponseWriter, status int, kind pageKind, detail string) {
	d := pages[kind]
	d.Detail = detail
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = pageTmpl().Execute(w, d)
}
