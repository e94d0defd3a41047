package resend

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/cmdutil/cmdutiltest"
)

func TestResendUsageErrorsSendNothing(t *testing.T) {
	h := cmdutiltest.New(t, nil)
	for _, tc := range []struct {
		opts Options
		want string
	}{
		{Options{Type: "magiclink", Contact: shared.Contact{Email: "a@example.com"}}, `invalid --type "magiclink"`},
		{Options{Type: "sms", Contact: shared.Contact{Email: "a@example.com"}}, "--type sms goes with --phone"},
		{Options{Type: "signup", Contact: shared.Contact{Phone: "+15555550100"}}, "--type signup goes with --email"},
		{Options{Type: "signup"}, "--email or --phone"},
	} {
		o := tc.opts
		o.F, o.Client = h.F, h.F.Client
		if err := runResend(context.Background(), &o); cmdutil.ExitCode(err) != cmdutil.ExitUsage || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v", tc.opts, err)
		}
	}
}

func TestResendSendsTypeAndPhone(t *testing.T) {
	var body string
	h := cmdutiltest.New(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		body = r.URL.Path + " " + string(b)
		_, _ = io.WriteString(w, `{"message_id":"SM1"}`)
	})
	h.F.Flags.JSON = true
	if err := runResend(context.Background(), &Options{F: h.F, Client: h.F.Client, Type: "sms", Contact: shared.Contact{Phone: "+15555550100"}}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(body, "/resend ") || !strings.Contains(body, `"type":"sms"`) || !strings.Contains(body, `"phone":"+15555550100"`) {
		t.Errorf("request %s", body)
	}
	if !strings.Contains(h.Stdout.String(), `"message_id": "SM1"`) {
		t.Errorf("stdout %s", h.Stdout)
	}
}
