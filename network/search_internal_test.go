package network

import (
	"testing"
	"unicode/utf8"
)

// skeletonRunes is skeleton as it was written first, over runes: the
// reference the byte version must match.
func skeletonRunes(token string) string {
	var out []rune
	var prev rune
	for _, r := range token {
		switch r {
		case 'q':
			r = 'k'
		case 'e', 'y':
			r = 'i'
		case 'o':
			r = 'u'
		case 'h':
			switch prev {
			case 'k', 'g', 'd', 't', 's', 'c':
				continue
			case 'p':
				out[len(out)-1] = 'f'
				prev = 'f'
				continue
			}
		}
		if r == prev {
			continue
		}
		out = append(out, r)
		prev = r
	}
	return string(out)
}

// skeleton gives what the rune version gives, for ASCII, other scripts,
// invalid UTF-8 and every rewrite rule.
func TestSkeletonMatchesRuneVersion(t *testing.T) {
	for _, token := range []string{
		"", "ghaly", "ghali", "kouffa", "koufa", "qaida", "qaeda", "muslimeen", "muslimin",
		"phph", "pph", "ph", "hph", "khh", "shhh", "aaah", "yeye", "ooo", "qq",
		"القاعدة", "ⴰⵎⴰⵣⵉⵖ", "ağ", "iyad\u00e9", "p\u0301h", "x\xffy", "\xff\xfe", "ph\xff", "ẞtraße",
	} {
		if got, want := skeleton(token), skeletonRunes(token); got != want {
			t.Errorf("skeleton(%q): got %q, want %q", token, got, want)
		}
	}
}

// normalize's ASCII path gives what the Unicode path gives, for every
// ASCII byte alone and in names.
func TestNormalizeASCIIMatchesUnicode(t *testing.T) {
	inputs := []string{"", " ", "  Iyad  Ag Ghaly ", "Jama'at Nusrat al-Islam wal-Muslimin", "AQIM (al-Qaeda)",
		"`x`", "a--b__c", "Katibat Macina, 2015.", "\t\nx\r", "ABCxyz0129", "'", "a'", "'a "}
	for c := 0; c < utf8.RuneSelf; c++ {
		inputs = append(inputs, string(rune(c)), "a"+string(rune(c))+"B", string(rune(c))+"z"+string(rune(c)))
	}
	for _, s := range inputs {
		if got, want := normalizeASCII(s), normalizeUnicode(s); got != want {
			t.Errorf("normalizeASCII(%q): got %q, want %q", s, got, want)
		}
	}
}
