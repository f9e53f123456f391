package auth_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/allegiance/allegiance/auth"
	"github.com/allegiance/allegiance/network"
)

func TestHashKey(t *testing.T) {
	cases := []struct{ key, want string }{
		{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}, // FIPS 180-2 test vector
		{"reader-key", "ec4408df15da46b328f6f3246fa723d0aa6cb0f0a0dd9c4626080ab1b02aa3b2"},
	}
	for _, c := range cases {
		t.Run(c.key, func(t *testing.T) {
			if got := auth.HashKey(c.key); got != c.want {
				t.Errorf("HashKey(%q): got %s, want %s", c.key, got, c.want)
			}
		})
	}
}

// NewKey makes distinct, prefixed keys of 256 random bits.
func TestNewKey(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		k, err := auth.NewKey()
		if err != nil {
			t.Fatalf("NewKey: %v", err)
		}
		if !strings.HasPrefix(k, auth.KeyPrefix) || len(k) != len(auth.KeyPrefix)+43 {
			t.Fatalf("NewKey: got %q, want %q and 43 base64url characters", k, auth.KeyPrefix)
		}
		if seen[k] {
			t.Fatalf("NewKey: got %q twice", k)
		}
		seen[k] = true
	}
}

// The entry `keys new` prints, appended to a keys file, lets its key in
// with its role.
func TestNewEntryRoundTrip(t *testing.T) {
	cases := []struct {
		id   string
		role auth.Role
	}{
		{"ci-reader", auth.Reader},
		{"alice@example.org", auth.Editor},
		{"yes", auth.Editor}, // a YAML 1.1 boolean, kept a string
		{"0123", auth.Reader},
	}
	for _, c := range cases {
		t.Run(c.id, func(t *testing.T) {
			key, _ := auth.NewKey()
			e, err := auth.NewEntry(c.id, c.role, key)
			if err != nil {
				t.Fatalf("NewEntry(%q, %q): %v", c.id, c.role, err)
			}
			keys, err := auth.ReadKeys(strings.NewReader("keys:\n"+e.YAML()), "entry")
			if err != nil {
				t.Fatalf("ReadKeys of the entry\n%s: %v", e.YAML(), err)
			}
			if len(keys) != 1 || keys[0].ID != c.id || keys[0].Role != c.role || keys[0].SHA256 != auth.HashKey(key) {
				t.Errorf("ReadKeys of the entry\n%s: got %+v, want id %q, role %q, sha256 %s", e.YAML(), keys, c.id, c.role, auth.HashKey(key))
			}
		})
	}
}

func TestNewEntryRefusesBadIDsAndRoles(t *testing.T) {
	cases := []struct {
		id   string
		role auth.Role
	}{
		{"", auth.Reader},
		{"has space", auth.Reader},
		{"-leading-dash", auth.Reader},
		{strings.Repeat("x", 101), auth.Reader},
		{"ci", "admin"},
		{"ci", ""},
	}
	for _, c := range cases {
		t.Run(c.id+"/"+string(c.role), func(t *testing.T) {
			_, err := auth.NewEntry(c.id, c.role, "k")
			if got := network.ErrorCode(err); got != network.EINVALID {
				t.Errorf("NewEntry(%q, %q): got code %q (%v), want %q", c.id, c.role, got, err, network.EINVALID)
			}
		})
	}
}

func TestReadKeysFile(t *testing.T) {
	keys, err := auth.ReadKeysFile(filepath.Join("testdata", "keys", "good.yaml"))
	if err != nil {
		t.Fatalf("ReadKeysFile(good.yaml): %v", err)
	}
	want := []struct {
		id   string
		role auth.Role
	}{{"ci-reader", auth.Reader}, {"alice@example.org", auth.Editor}}
	if len(keys) != len(want) {
		t.Fatalf("ReadKeysFile(good.yaml): got %d keys, want %d", len(keys), len(want))
	}
	for i, w := range want {
		if keys[i].ID != w.id || keys[i].Role != w.role {
			t.Errorf("ReadKeysFile(good.yaml)[%d]: got %s %s, want %s %s", i, keys[i].ID, keys[i].Role, w.id, w.role)
		}
	}
	// The upper-case hash of the editor's key works too.
	a, err := auth.New(context.Background(), auth.Config{KeysFile: filepath.Join("testdata", "keys", "good.yaml")}, discard())
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if p, err := a.Authenticate(context.Background(), "", "editor-key"); err != nil || p.Role != auth.Editor {
		t.Errorf("Authenticate(editor-key): got %+v, %v, want the editor role", p, err)
	}
}

// Every bad keys file is refused, as EINVALID, before the server starts.
func TestReadKeysFileRefusesBadFiles(t *testing.T) {
	for _, name := range []string{
		"unknown-field.yaml", "bad-role.yaml", "bad-hash.yaml", "bad-id.yaml", "duplicate-id.yaml",
		"duplicate-hash.yaml", "empty.yaml", "not-a-list.yaml", "missing.yaml",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := auth.ReadKeysFile(filepath.Join("testdata", "keys", name))
			var derr *network.Error
			if !errors.As(err, &derr) || derr.Code != network.EINVALID {
				t.Errorf("ReadKeysFile(%s): got %v, want a %q error", name, err, network.EINVALID)
			}
		})
	}
}
