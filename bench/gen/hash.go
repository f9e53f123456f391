package gen

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"

	"github.com/allegiance/allegiance/network"
)

// Hash is a SHA-256 of every field of d that the generator sets, in
// order: two datasets with the same hash are the same dataset.
func Hash(d *network.Dataset) string {
	h := sha256.New()
	for _, s := range d.Sources {
		fmt.Fprintf(h, "S|%s|%s|%s|%s|%s\n", s.ID, s.Title, s.Publisher, s.Published, s.URL)
	}
	for i := range d.Entities {
		e := &d.Entities[i]
		fmt.Fprintf(h, "E|%s|%s|%s|%q|%q|%s|%s|%s|%s|%q|%q\n", e.ID, e.Kind, e.Name, e.Aliases, e.SourceIDs,
			e.Born, e.Died, e.Founded, e.Dissolved, e.Types, e.Areas)
	}
	for i := range d.Relationships {
		r := &d.Relationships[i]
		io.WriteString(h, "R|"+r.ID+"|"+string(r.Type)+"|"+r.From+"|"+r.To+"|"+r.Role+"|"+r.Since.String()+"|"+
			r.Until.String()+"|"+r.Qualifier+"|")
		for _, s := range r.SourceIDs {
			io.WriteString(h, s+",")
		}
		io.WriteString(h, "\n")
	}
	return hex.EncodeToString(h.Sum(nil))
}
