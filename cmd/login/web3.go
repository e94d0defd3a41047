package login

import (
	"context"
	"net/url"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
	"github.com/authctl/authctl/internal/web3"
)

// web3Validity bounds how long a signed message can be replayed; the
// server refuses any message issued more than 10 minutes ago anyway.
const web3Validity = 5 * time.Minute

// Web3Options of `authctl login web3`.
type Web3Options struct {
	F         *cmdutil.Factory
	Client    func() (*auth.Client, error)
	Chain     string
	KeyFile   string
	URI       string
	Statement string
	ChainID   string
	StepUp    shared.StepUpOptions
}

// NewCmdWeb3 builds `authctl login web3`.
func NewCmdWeb3(f *cmdutil.Factory, runF func(context.Context, *Web3Options) error) *cobra.Command {
	opts := &Web3Options{F: f, Client: f.Client}
	cmd := &cobra.Command{
		Use:   "web3 --chain ethereum|solana --key-file F [--uri URL]",
		Short: "Sign in with an Ethereum or Solana wallet key",
		Long: heredoc.Docf(`
			Sign in with a wallet key: authctl writes a Sign-In with Ethereum (EIP-4361) or Sign-In with
			Solana message with a fresh nonce, signs it with the key file and sends it to
			/token?grant_type=web3. The project must have the Web3 provider of that chain enabled.

			Key files (never printed, and refused when group or others may read them):
			  ethereum  the secp256k1 private key as 64 hex characters, with or without 0x
			  solana    a Solana CLI keypair file (solana-keygen new -o id.json): a JSON array of 64 bytes

			--uri names the app the message is signed for. The server accepts it when it uses https (or
			the host localhost) and is the project's Site URL or in its redirect allow list; the message's
			domain is the URI's host. %[1]sauthctl emulator --web3%[1]s accepts http://localhost on any port.
		`, "`"),
		Example: heredoc.Doc(`
			  authctl login web3 --chain solana --key-file ~/.config/solana/id.json
			  authctl login web3 --chain ethereum --key-file eth.key --uri https://app.example.com --json
		`),
		Args: cmdutil.NoArgs,
		RunE: cmdutil.CheckedRunE(opts, (*Web3Options).validate, runF, runWeb3),
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Chain, "chain", "", "`CHAIN`: ethereum or solana")
	cmdutil.CompleteValues(cmd, "chain", "ethereum", "solana")
	fl.StringVar(&opts.KeyFile, "key-file", "", "wallet key `FILE` (formats above)")
	fl.StringVar(&opts.URI, "uri", "http://localhost:3000/", "the app `URL` the message is signed for")
	fl.StringVar(&opts.Statement, "statement", "", "one line of `TEXT` shown in the signed message")
	fl.StringVar(&opts.ChainID, "chain-id", "", "EIP-155 chain `ID` (ethereum, default 1) or mainnet|devnet|testnet|localnet (solana)")
	shared.AddStepUpFlags(cmd, &opts.StepUp)
	return cmd
}

// validate checks the flags before any file or network is touched.
func (o *Web3Options) validate() error {
	switch {
	case o.Chain == "":
		return cmdutil.FlagErrorf("--chain is required: ethereum or solana")
	case o.Chain != "ethereum" && o.Chain != "solana":
		return cmdutil.FlagErrorf("--chain must be ethereum or solana, not %q", o.Chain)
	case o.KeyFile == "":
		return cmdutil.FlagErrorf("--key-file is required")
	case strings.ContainsAny(o.Statement, "\r\n"):
		return cmdutil.FlagErrorf("--statement must be one line")
	}
	if u, err := url.Parse(o.URI); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return cmdutil.FlagErrorf("--uri must be an absolute http(s) URL, not %q", o.URI)
	}
	if o.Chain == "solana" && o.ChainID != "" {
		o.ChainID = "solana:" + strings.TrimPrefix(o.ChainID, "solana:")
		switch o.ChainID {
		case "solana:mainnet", "solana:devnet", "solana:testnet", "solana:localnet":
		default:
			return cmdutil.FlagErrorf("--chain-id for solana is mainnet, devnet, testnet or localnet")
		}
	}
	return nil
}

func runWeb3(ctx context.Context, opts *Web3Options) error {
	f := opts.F
	signer, err := web3.LoadKey(opts.Chain, opts.KeyFile)
	if err != nil {
		// A missing or malformed key file is the caller's input.
		return cmdutil.FlagErrorf("--key-file: %v", err)
	}
	now := f.Now()
	m := auth.Web3Message{Chain: opts.Chain, Address: signer.Address(), Statement: opts.Statement,
		URI: opts.URI, ChainID: opts.ChainID, IssuedAt: now, ExpirationTime: now.Add(web3Validity)}
	msg, err := m.String()
	if err != nil {
		return cmdutil.FlagErrorWrap(err)
	}
	sig, err := signer.Sign([]byte(msg))
	if err != nil {
		return err
	}
	f.Infof("signing in as %s on %s", signer.Address(), opts.Chain)
	c, err := opts.Client()
	if err != nil {
		return err
	}
	ar, err := c.SignInWithWeb3(ctx, auth.Web3Credentials{Chain: opts.Chain, Message: msg, Signature: sig})
	if err != nil {
		return err
	}
	if ar, err = shared.StepUp(ctx, f, c, ar, opts.StepUp); err != nil {
		return err
	}
	return shared.PrintAuthResult(f, ar, "")
}
