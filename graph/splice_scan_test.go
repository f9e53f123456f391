package graph

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// hasHTMLOrLineSeparator answers as bytes.ContainsAny with the characters
// json.Marshal escapes, on valid and invalid UTF-8 alike.
func TestHasHTMLOrLineSeparator(t *testing.T) {
	long := strings.Repeat(`{"id":"jnim","name":"Jamāʿat – Nuṣrat"},`, 1000)
	cases := []string{
		"",
		`{"a":"b"}`,
		"<", ">", "&",
		`{"a":"<b>"}`,
		"x&y",
		"\u2028", "\u2029",
		"x\u2028", "\u2029x",
		"\u2027 \u202a \u2020 – — … ‘’ “”", // E2 80 neighbours
		"\xe2", "\xe2\x80", "x\xe2\x80", "\xe2\x80\xa8", "\xe2\x80\xa9",
		"\xe2\xe2\x80\xa8",
		"\xe2\x80\xe2\x80\xa9",
		"\xe2\x81\xa8", "\xe2\x80\xa7", "\xe2\x80\xaa",
		"\xff\xe2\x80\xa8", "\xc3\xe2\x80\xa8", "\xf0\x9f\xe2\x80\xa9",
		"\xe0\xe2\x80\xa8", "\xed\xa0\x80", "\x80\x80\xa8",
		"Jamāʿat جماعة 🏴 基地",
		long,
		long + "<",
		long + "\u2028",
		"\u2029" + long,
		long + "\xe2\x80",
	}
	for _, s := range cases {
		t.Run(fmt.Sprintf("%.40q", s), func(t *testing.T) {
			want := bytes.ContainsAny([]byte(s), "<>&\u2028\u2029")
			if got := hasHTMLOrLineSeparator([]byte(s)); got != want {
				t.Errorf("hasHTMLOrLineSeparator(%.80q): got %v, want %v", s, got, want)
			}
		})
	}
}
