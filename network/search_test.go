package network_test

import (
	"strings"
	"testing"

	"github.com/allegiance/allegiance/network"
)

func TestScoreEntity(t *testing.T) {
	ghaly := &network.Entity{ID: "g", Name: "Iyad Ag Ghaly", Aliases: []string{"Iyad ag Ghali"}}
	mali := &network.Entity{ID: "m", Name: "Mali"}
	jnim := &network.Entity{ID: "j", Name: "Jamaat Nusrat al-Islam wal Muslimeen", Aliases: []string{"JNIM"}}
	cases := []struct {
		query string
		e     *network.Entity
		min   float64 // at least
		max   float64 // at most
	}{
		{"Iyad Ag Ghaly", ghaly, 1, 1},        // exact name
		{"iyad ag ghali", ghaly, 0.99, 0.99},  // exact alias, case folded
		{"Iyad Ag Ghâly", ghaly, 1, 1},        // diacritics folded
		{"Iyad Agh Ghaly", ghaly, 0.95, 0.95}, // transliteration of the whole name
		{"ghali", ghaly, 0.5, 0.9},            // one token of the name
		{"ghali", mali, 0, 0.49},              // a first-letter edit is not a misspelling
		{"Jama'at Nusrat al-Islam wal-Muslimin", jnim, 0.94, 0.95},
		{"jnim", jnim, 0.99, 0.99},
		{"france", jnim, 0, 0.49},
	}
	for _, c := range cases {
		if got := network.ScoreEntity(c.query, c.e); got < c.min || got > c.max {
			t.Errorf("ScoreEntity(%q, %q): got %.3f, want in [%.2f, %.2f]", c.query, c.e.Name, got, c.min, c.max)
		}
	}
}

// No input can carry Lucene syntax into the full-text query: only letters,
// digits, spaces and the operators the function adds itself remain.
func TestFullTextQueryIsSafe(t *testing.T) {
	inputs := []string{`Ghaly)(*`, `"AQIM" OR *:*`, `name:x AND \`, `a~b^2 [1 TO 2] {x} /re/ && || !`, `ÉLÈVE`, `'`, ``}
	for _, in := range inputs {
		q := network.FullTextQuery(in)
		for _, part := range strings.Split(q, " OR ") {
			if part == "" {
				continue
			}
			term := strings.TrimRight(part, "~12*")
			for _, r := range term {
				if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127) {
					t.Errorf("FullTextQuery(%q) = %q: term %q has %q", in, q, part, r)
				}
			}
		}
	}
}
