package auth

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/allegiance/allegiance/network"
)

// Key is one entry of the keys file. The file holds hashes only, never
// keys:
//
//	keys:
//	  - id: ci-reader     # names the key in logs; letters, digits, . _ @ -
//	    role: reader      # reader or editor
//	    sha256: 5e88...   # SHA-256 of the key, 64 hex digits
//
// `allegiance keys new` makes a key and its entry; `allegiance keys hash`
// hashes a key read from standard input.
type Key struct {
	ID     string `yaml:"id"`
	Role   Role   `yaml:"role"`
	SHA256 string `yaml:"sha256"`

	hash []byte // SHA256 decoded
}

// KeyPrefix starts every key NewKey makes, so that secret scanners and
// people can tell one.
const KeyPrefix = "ak_"

var keyID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$`)

// HashKey returns the SHA-256 of key as 64 lower-case hex digits: what the
// keys file stores.
func HashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// NewKey returns a new random key: KeyPrefix and 256 random bits in
// base64url.
func NewKey() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", network.Errorf(network.EINTERNAL, "cannot read random bytes: %v", err)
	}
	return KeyPrefix + base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// NewEntry returns the keys-file entry of key, or EINVALID for a bad id or
// role.
func NewEntry(id string, role Role, key string) (Key, error) {
	k := Key{ID: id, Role: role, SHA256: HashKey(key)}
	if err := k.check(); err != nil {
		return Key{}, network.Errorf(network.EINVALID, "%s", err)
	}
	return k, nil
}

// YAML formats k as an item of the keys file's keys list, ready to append
// below "keys:".
func (k Key) YAML() string {
	b, _ := yaml.Marshal([]Key{k})
	var out strings.Builder
	for line := range strings.Lines(string(b)) {
		out.WriteString("  " + line)
	}
	return out.String()
}

// check validates k and decodes its hash.
func (k *Key) check() error {
	var errs []string
	if !keyID.MatchString(k.ID) {
		errs = append(errs, fmt.Sprintf("id %q: want 1 to 100 letters, digits, '.', '_', '@' or '-', starting with a letter or digit", k.ID))
	}
	if _, err := ParseRole(string(k.Role)); err != nil {
		errs = append(errs, network.ErrorMessage(err))
	}
	h, err := hex.DecodeString(strings.ToLower(k.SHA256))
	if err != nil || len(h) != sha256.Size {
		errs = append(errs, fmt.Sprintf("sha256 must be %d hex digits", 2*sha256.Size))
	}
	if len(errs) > 0 {
		return errors.New(strings.Join(errs, "; "))
	}
	k.hash = h
	return nil
}

// ReadKeys reads a keys file (see Key) from r; name labels its problems.
// It returns EINVALID listing every problem: unknown fields, bad ids, roles
// or hashes, an id or a hash given twice, no keys at all.
func ReadKeys(r io.Reader, name string) ([]Key, error) {
	var f struct {
		Keys []Key `yaml:"keys"`
	}
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return nil, network.Errorf(network.EINVALID, "keys file %s: %v", name, err)
	}
	var problems []string
	ids, hashes := map[string]int{}, map[string]int{}
	for i := range f.Keys {
		k := &f.Keys[i]
		if err := k.check(); err != nil {
			problems = append(problems, fmt.Sprintf("keys[%d]: %v", i, err))
			continue
		}
		if j, dup := ids[k.ID]; dup {
			problems = append(problems, fmt.Sprintf("keys[%d]: id %q is also keys[%d]", i, k.ID, j))
		}
		if j, dup := hashes[string(k.hash)]; dup {
			problems = append(problems, fmt.Sprintf("keys[%d]: the same key as keys[%d]", i, j))
		}
		ids[k.ID], hashes[string(k.hash)] = i, i
	}
	if len(f.Keys) == 0 {
		problems = append(problems, "no keys: want a keys: list of {id, role, sha256}")
	}
	if len(problems) > 0 {
		return nil, network.Errorf(network.EINVALID, "keys file %s: %s", name, strings.Join(problems, "; "))
	}
	return f.Keys, nil
}

// ReadKeysFile reads the keys file at path (see ReadKeys).
func ReadKeysFile(path string) ([]Key, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, network.Errorf(network.EINVALID, "keys file: %v", err)
	}
	return ReadKeys(bytes.NewReader(b), path)
}

// checkKey finds key among the configured hashes. It compares the key's
// hash with every entry in constant time, so timing tells nothing about
// which entry, or how much of one, matched.
func (a *Authenticator) checkKey(ctx context.Context, key string) (Principal, error) {
	if a.keys == nil {
		return a.refuse(ctx, "api keys are not accepted", "api key sent, but no keys file is configured")
	}
	sum := sha256.Sum256([]byte(key))
	match := -1
	for i := range a.keys {
		if subtle.ConstantTimeCompare(sum[:], a.keys[i].hash) == 1 {
			match = i
		}
	}
	if match < 0 {
		return a.refuse(ctx, "invalid api key", "no entry of the keys file matches the api key")
	}
	k := a.keys[match]
	return Principal{Subject: k.ID, Role: k.Role, Method: "api-key"}, nil
}
