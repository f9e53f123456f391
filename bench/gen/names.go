package gen

import "strings"

// Syllables spell every name; an entity's index, written in base
// len(syllables), gives it a name no other entity has.
var syllables = []string{
	"ab", "al", "am", "ba", "da", "dar", "fa", "gha", "ha", "ham", "ja", "ka",
	"kha", "ma", "mu", "na", "qa", "ra", "rash", "sa", "sha", "ta", "ud", "ya",
	"za", "zu", "bou", "kou", "nour", "sul", "tar", "wa",
}

var orgPrefixes = []string{
	"Jama'at", "Ansar al-", "Katibat", "Harakat", "Jabhat", "Liwa", "Tanzim", "Majlis",
}

// word spells n in syllables, at least minLen of them, capitalised.
func word(n, minLen int) string {
	var b strings.Builder
	for i := 0; i < minLen || n > 0; i++ {
		b.WriteString(syllables[n%len(syllables)])
		n /= len(syllables)
	}
	s := b.String()
	return strings.ToUpper(s[:1]) + s[1:]
}

// personName is the name of person i; variant > 0 gives its other
// spellings.
func personName(i, variant int) string {
	given := word(i%997, 2)
	family := word(i, 3)
	return spell(given+" "+family, variant)
}

// orgName is the name of organization i; variant > 0 gives its other
// spellings.
func orgName(i, variant int) string {
	prefix := orgPrefixes[i%len(orgPrefixes)]
	sep := " "
	if strings.HasSuffix(prefix, "-") {
		sep = ""
	}
	return spell(prefix+sep+word(i, 3), variant)
}

// spell gives the transliteration variants analysts meet: 0 is the name as
// is, 1 swaps q/k and ou/u, 2 drops hyphens and apostrophes, 3 doubles a
// consonant and writes "al" as "el".
func spell(s string, variant int) string {
	switch variant {
	case 1:
		return strings.NewReplacer("q", "k", "Q", "K", "ou", "u", "Ou", "U").Replace(s)
	case 2:
		return strings.NewReplacer("-", " ", "'", "").Replace(s)
	case 3:
		return strings.NewReplacer("al", "el", "sh", "ch", "m", "mm").Replace(s)
	}
	return s
}

// aliases returns n (1 to 3) other spellings of a name, skipping those
// equal to it or to one another.
func aliases(name func(variant int) string, n int) []string {
	main := name(0)
	var out []string
	for v := 1; v <= 3 && len(out) < n; v++ {
		a := name(v)
		dup := a == main
		for _, o := range out {
			dup = dup || o == a
		}
		if !dup {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		out = append(out, strings.ToUpper(main))
	}
	return out
}
