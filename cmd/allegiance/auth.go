package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/allegiance/allegiance/auth"
	"github.com/allegiance/allegiance/graph"
	"github.com/allegiance/allegiance/loader"
	"github.com/allegiance/allegiance/network"
)

// keysCommand is `allegiance keys hash` or `allegiance keys new`.
type keysCommand struct {
	// Sub is "hash" or "new".
	Sub string
	// ID and Role name the key `keys new` makes.
	ID, Role string
}

// authFlags registers serve's authentication flags.
func (m *Main) authFlags(fs *flag.FlagSet) {
	fs.StringVar(&m.Auth.KeysFile, "keys-file", "", "YAML file of hashed API keys (make entries with `allegiance keys new`)")
	fs.StringVar(&m.Auth.JWTSecretFile, "jwt-secret-file", "", "file holding the HS256 secret of bearer tokens (at least 32 bytes)")
	fs.StringVar(&m.Auth.JWKSFile, "jwks-file", "", "JSON Web Key Set file whose public keys verify RS256 and ES256 bearer tokens")
	fs.BoolVar(&m.Insecure, "insecure", false, "allow serving without authentication on a non-loopback address")
}

// configureAuth makes /graphql need a reader's credential and /admin an
// editor's. Without any credential source it serves openly on a loopback
// address only, unless --insecure.
func (m *Main) configureAuth(ctx context.Context, cfg *graph.HandlerConfig) error {
	if !m.Auth.Enabled() {
		if auth.IsLoopback(m.Addr) {
			return nil
		}
		if !m.Insecure {
			return fmt.Errorf("refusing to serve %s without authentication: give --keys-file, --jwt-secret-file or --jwks-file, "+
				"listen on a loopback address (127.0.0.1, ::1, localhost), or pass --insecure to serve it open", m.Addr)
		}
		m.Log.Warn("serving without authentication on a non-loopback address (--insecure): anyone who reaches it may query and reload", "addr", m.Addr)
		return nil
	}
	a, err := auth.New(ctx, m.Auth, m.Log)
	if err != nil {
		return err
	}
	fail := graph.ErrorWriter(m.Log)
	cfg.Wrap = append([]func(http.Handler) http.Handler{a.Require(auth.Reader, fail)}, cfg.Wrap...)
	cfg.AdminWrap = append([]func(http.Handler) http.Handler{a.Require(auth.Editor, fail)}, cfg.AdminWrap...)
	m.Log.Info("authentication required", "keys_file", m.Auth.KeysFile, "jwt_secret_file", m.Auth.JWTSecretFile, "jwks_file", m.Auth.JWKSFile)
	return nil
}

// reloader re-reads the served dataset (the --data paths or the bundled
// one, and any imported files) and loads it into w. A dataset that fails
// validation comes back as one EINVALID error per problem, and nothing is
// written.
func (m *Main) reloader(w writableStore) graph.ReloadFunc {
	return func(ctx context.Context) (network.Counts, error) {
		ims, err := m.imports()
		var verr *loader.ValidationError
		if errors.As(err, &verr) {
			errs := make([]error, len(verr.Problems))
			for i, p := range verr.Problems {
				errs[i] = network.Errorf(network.EINVALID, "%s", p)
			}
			return network.Counts{}, errors.Join(errs...)
		} else if err != nil {
			return network.Counts{}, err
		}
		var c network.Counts
		for _, im := range ims {
			rep, err := m.importInto(ctx, w, im)
			if err != nil {
				return network.Counts{}, err
			}
			c = rep.after
			p, _ := auth.FromContext(ctx)
			m.Log.InfoContext(ctx, "dataset reloaded", "dataset", im.what, "counts", formatCounts(c), "by", p.Subject)
		}
		return c, nil
	}
}

// parseKeys reads `keys hash` or `keys new --id NAME --role ROLE`.
func (m *Main) parseKeys(fs *flag.FlagSet, args []string) error {
	if len(args) > 0 {
		m.Keys.Sub = args[0]
	}
	switch m.Keys.Sub {
	case "hash":
	case "new":
		fs.StringVar(&m.Keys.ID, "id", "", "the key's name in the keys file and in logs (required)")
		fs.StringVar(&m.Keys.Role, "role", string(auth.Reader), "reader or editor")
	default:
		fmt.Fprint(m.Stderr, usage)
		return fmt.Errorf("keys: want hash or new, got %q", m.Keys.Sub)
	}
	return fs.Parse(args[1:])
}

// runKeys prints the hash of the key on standard input (hash), or makes a
// key and prints it once with its keys-file entry (new).
func (m *Main) runKeys() error {
	if m.Keys.Sub == "hash" {
		in := m.Stdin
		if in == nil {
			in = os.Stdin
		}
		b, err := io.ReadAll(io.LimitReader(in, 64<<10))
		if err != nil {
			return err
		}
		key := strings.TrimSpace(string(b))
		if key == "" || strings.ContainsAny(key, " \t\r\n") {
			return errors.New("keys hash: want one key, without spaces, on standard input")
		}
		fmt.Fprintln(m.Stdout, auth.HashKey(key))
		return nil
	}
	role, err := auth.ParseRole(m.Keys.Role)
	if err != nil {
		return err
	}
	key, err := auth.NewKey()
	if err != nil {
		return err
	}
	entry, err := auth.NewEntry(m.Keys.ID, role, key)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "key (shown this once; only its hash is kept): %s\n\nappend under keys: in the keys file:\n%s", key, entry.YAML())
	return nil
}
