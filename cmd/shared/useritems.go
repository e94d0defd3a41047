package shared

import (
	"context"
	"fmt"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
)

// UserItems is a kind of item a user owns that an admin lists and deletes
// one of with the service-role key (MFA factors, passkeys): all that `admin
// mfa list|delete` and `admin passkeys list|delete` differ in.
type UserItems[T any] struct {
	Noun string // "factor", "passkey": the success line says "Deleted NOUN ID of user USER_ID"
	// List is the user's items (list, the confirmation, completion).
	List func(ctx context.Context, c *auth.Client, userID string) ([]T, error)
	// Delete deletes one and returns what --json prints about it.
	Delete func(ctx context.Context, c *auth.Client, userID, id string) (any, error)
	// Label names item id among items as people know it, for the confirmation.
	Label func(items []T, id string) string
	// Completions are the items' ids, described for the shells.
	Completions func(items []T) []string
}

// DeleteOne deletes item id of user userID: on a terminal it asks first,
// naming the item and the user (yes skips the question; without a terminal
// yes is required), then prints what went.
func (k UserItems[T]) DeleteOne(ctx context.Context, f *cmdutil.Factory, client func() (*auth.Client, error), userID, id string, yes bool) error {
	c, err := client()
	if err != nil {
		return err
	}
	err = cmdutil.ConfirmDestructive(f, yes, func() (string, error) {
		u, err := c.Admin().GetUserByID(ctx, userID)
		if err != nil {
			return "", err
		}
		items, err := k.List(ctx, c, userID)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("Delete %s of %s?", k.Label(items, id), UserLabel(u)), nil
	})
	if err != nil {
		return err
	}
	deleted, err := k.Delete(ctx, c, userID, id)
	if err != nil {
		return err
	}
	return f.Print(deleted, func(p *cmdutil.Printer) error {
		_, err := fmt.Fprintf(p.Out, "%s Deleted %s %s of user %s\n", p.CS.Green(p.CS.SuccessIcon()), k.Noun, id, userID)
		return err
	})
}
