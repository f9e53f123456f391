package unsc

import (
	"regexp"
	"strings"

	"github.com/allegiance/allegiance/network"
)

// refRe finds a reference number in a comment. The second letter may be
// lower-case ("Qde.014" occurs).
var refRe = regexp.MustCompile(`\b([A-Z][A-Za-z][ie])\.([0-9]{3})\b`)

// refTail says whether text ends with a reference number.
var refTail = regexp.MustCompile(`[A-Z][A-Za-z][ie]\.[0-9]{3}\.?$`)

func normRef(m string) string { return m[:1] + strings.ToUpper(m[1:2]) + m[2:] }

// cueKind says how a cue relates the record to the records it governs.
type cueKind int

const (
	cueTyped         cueKind = iota // Types, record → ref (ref → record when passive)
	cueMergerBetween                // "a merger between A and B": A, B MERGED_INTO the record
	cueMergedWith                   // "merged with B and established C": record, B MERGED_INTO C
)

// cue is a relation phrase.
type cue struct {
	re      *regexp.Regexp
	types   []network.RelType
	passive bool
	role    string // a fixed role; "$1" takes the phrase's first group
	kind    cueKind
	leader  bool // active leadership: needs a name after it and no modifier before it
	founds  bool // an active founding verb ("established"), the successor of a merger
	title   bool // "emir of": only unqualified or "acting" ("border emir" is not the leader)
}

func re(s string) *regexp.Regexp { return regexp.MustCompile(`(?i)\b(?:` + s + `)\b`) }

var (
	assoc   = []network.RelType{network.AssociatedWith}
	founded = []network.RelType{network.Founded}
	leads   = []network.RelType{network.LeaderOf}
	member  = []network.RelType{network.MemberOf}
)

// cues is the clause grammar (see doc.go). For each reference the cue that
// ends last before it wins; of two ending together, the longer.
var cues = []cue{
	{re: re(`merger (?:between|of)`), kind: cueMergerBetween},
	{re: re(`merged with`), kind: cueMergedWith},
	{re: re(`(?:merged|absorbed) into`), types: []network.RelType{network.MergedInto}},
	{re: re(`splinter group of|split from|splintered from|breakaway (?:group|faction) of`), types: []network.RelType{network.SplitFrom}},
	{re: re(`changed (?:its )?name (?:to|as)|renamed(?: as| to)?`), types: []network.RelType{network.RenamedTo}},
	{re: re(`(?:co-)?(?:founded|established|formed|created) and (?:led|headed) by`), types: []network.RelType{network.Founded, network.LeaderOf}, passive: true},
	{re: regexp.MustCompile(`(?i)\b(?:co-)?(?:founded|established|formed|created)(?:\s+(?:in|on)\s+(?:[0-9]{1,2}\s+)?(?:` + month + `\s+)?(?:[0-9]{1,2},\s+)?[0-9]{4})?\s+by\b`), types: founded, passive: true},
	{re: re(`(?:the |its )?(?:co-)?founder (?:is|was)`), types: founded, passive: true},
	{re: re(`(?:co-)?founder and (?:leader|head) of`), types: []network.RelType{network.Founded, network.LeaderOf}},
	{re: re(`(?:leader|head) and (?:co-)?founder of`), types: []network.RelType{network.LeaderOf, network.Founded}},
	{re: re(`founding member of`), types: member, role: "founding member"},
	{re: re(`(?:co-)?founder of`), types: founded},
	{re: re(`(?:co-)?(?:founded|formed|established|created)`), types: founded, founds: true},
	{re: re(`(?:headed|led|commanded) by|leadership included`), types: leads, passive: true},
	{re: re(`(?:the |its |current )?leader(?: of [^()]{1,40}?)? (?:is|was)`), types: leads, passive: true},
	{re: re(`(?:leader|head)(?: and [a-z-]+)? (?:of|for)`), types: leads, leader: true},
	{re: re(`(?:emir|amir) (?:of|for)`), types: leads, leader: true, title: true},
	{re: re(`heading|leads`), types: leads, leader: true},
	{re: re(`deputy(?: [a-z]+)? (?:of|to)`), types: assoc},
	{re: re(`(?:a |senior )?member of|joined`), types: member},
	{re: re(`belong(?:s|ed)? to the leadership of`), types: member, role: "leadership"},
	{re: re(`(?:other )?(?:listed )?members include`), types: member, passive: true},
	{re: re(`(?:part|unit|branch|wing|component|faction|section|sub-group|subgroup) of`), types: []network.RelType{network.PartOf}},
	{re: re(`affiliat(?:e|es|ed) (?:of|with|to)`), types: []network.RelType{network.AffiliateOf}},
	{re: re(`(?:pledged|swore|sworn) (?:an oath of )?(?:allegiance|loyalty) to|oath of allegiance to`), types: []network.RelType{network.PledgedAllegianceTo}},
	{re: re(`(brother-in-law|sister-in-law|son-in-law|father-in-law|half-brother|brother|sister|son|daughter|father|mother|cousin|uncle|nephew|niece|husband|wife) of`), types: []network.RelType{network.FamilyOf}, role: "$1"},
	{re: re(`(father|mother)(?:’|')s name (?:is|was)`), types: []network.RelType{network.FamilyOf}, role: "$1", passive: true},
	{re: re(`linked by marriage to`), types: []network.RelType{network.FamilyOf}, role: "linked by marriage"},
	{re: re(`associated (?:also )?with|also associated|linked (?:to|with)|links? to|close associate of|known associate of|associate of|close relations with|cooperates with|ties to`), types: assoc},
}

var (
	// unitRe finds "the Katiba Macina of …" after an active cue: a named
	// unit of the organization the reference names.
	unitRe = regexp.MustCompile(`^\s*(?:the\s+)?((?:[A-Z][\w'’-]*\s+)*?(?:Katibat?|Brigade|Battalion|Unit|Wing|Branch|Cell|Division|Faction|Shura)(?:\s+[A-Z][\w'’-]*)*)\s+of\s`)
	// relative pronouns change the subject: "…, which was accepted as an
	// affiliate of X" is not about the record.
	relativeRe = regexp.MustCompile(`(?i)\b(?:who|which|whose)\b`)
	// a verb between a phrase and a later reference starts another
	// statement: "emir of JAT (QDe.133) since 2014 and has supported ISIL".
	verbRe     = regexp.MustCompile(`(?i)\b(?:has|have|had|is|was|were|are|been)\b`)
	hedgeRe    = regexp.MustCompile(`(?i)\b(reportedly|reported to|allegedly|believed|suspected|claimed)\b`)
	month      = `(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?`
	asOfRe     = regexp.MustCompile(`(?i)\bas (?:of|at) ((?:(?:early|mid|late)[- ])?(?:[0-9]{1,2} )?(?:` + month + ` )?[0-9]{4})\b`)
	dateRe     = regexp.MustCompile(`(?i)\b(?:in|on|since|from)\s+(?:([0-9]{1,2})\s+)?(?:(` + month + `)\s+)?(?:([0-9]{1,2}),\s+)?([0-9]{4})\b`)
	fillerRe   = regexp.MustCompile(`(?i)^(?:(?:a|an|the|is|was|its|his|also|currently|now|has|had|been)\s+){0,3}`)
	mergedRe   = regexp.MustCompile(`(?i)\bmerged with\b`)
	foundVerb  = regexp.MustCompile(`(?i)^(?:established|formed|created|form)\b`)
	titleOK    = map[string]bool{"the": true, "acting": true, "an": true, "former": true, "overall": true}
	leaderMods = map[string]bool{"deputy": true, "vice": true, "assistant": true, "administrative": true,
		"finance": true, "financial": true, "military": true, "media": true, "regional": true, "local": true}
	abbrevs = map[string]bool{"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true,
		"aug": true, "sep": true, "sept": true, "oct": true, "nov": true, "dec": true, "no": true, "nos": true,
		"mr": true, "mrs": true, "dr": true, "st": true, "ltd": true, "co": true, "inc": true, "corp": true,
		"jr": true, "sr": true, "gen": true, "col": true, "lt": true, "capt": true, "maj": true, "prof": true}
	months = map[string]int{"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
		"sep": 9, "oct": 10, "nov": 11, "dec": 12}
)

// span is a byte range of a comment.
type span struct{ start, end int }

func isUpper(b byte) bool { return b >= 'A' && b <= 'Z' }
func isLower(b byte) bool { return b >= 'a' && b <= 'z' }
func isSpace(b byte) bool { return b == ' ' || b == '\n' || b == '\t' || b == '\r' }

func skipSpace(s string, i int) int {
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return i
}

// sentences splits a comment at a full stop followed by a capital letter
// (not after an abbreviation or an initial), and after a reference's
// closing parenthesis followed by a capitalised word (a missing full stop:
// "(TAi.040) Believed to be …").
func sentences(s string) []span {
	var out []span
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ')':
			if !refTail.MatchString(s[max(0, i-9):i]) {
				continue
			}
			j := skipSpace(s, i+1)
			if j > i+1 && j+1 < len(s) && isUpper(s[j]) && isLower(s[j+1]) {
				out = append(out, span{start, i + 1})
				start, i = j, j-1
			}
		case '.':
			j := skipSpace(s, i+1)
			if j < len(s) && isUpper(s[j]) && !abbrevBefore(s, i) {
				out = append(out, span{start, i})
				start, i = j, j-1
			}
		}
	}
	return append(out, span{start, len(s)})
}

// abbrevBefore reports whether the full stop at i ends an abbreviation or
// an initial.
func abbrevBefore(s string, i int) bool {
	j := i
	for j > 0 && (isUpper(s[j-1]) || isLower(s[j-1])) {
		j--
	}
	w := s[j:i]
	return abbrevs[strings.ToLower(w)] || len(w) == 1 && isUpper(w[0])
}

// segments splits a sentence at top-level ", " (not before a digit) and
// "; ", and before " and <cue>" once the segment names a record.
func segments(s string, sp span) []span {
	var out []span
	start, depth := sp.start, 0
	for i := sp.start; i < sp.end; i++ {
		switch c := s[i]; {
		case c == '(':
			depth++
		case c == ')':
			if depth > 0 {
				depth--
			}
		case depth > 0:
		case (c == ',' || c == ';') && i+1 < sp.end && isSpace(s[i+1]):
			j := skipSpace(s, i+1)
			if c == ',' && j < sp.end && s[j] >= '0' && s[j] <= '9' {
				continue
			}
			out = append(out, span{start, i})
			start, i = j, j-1
		case isSpace(c) && i+4 < sp.end && strings.EqualFold(s[i+1:i+4], "and") && isSpace(s[i+4]):
			rest := s[i+5 : sp.end]
			rest = rest[len(fillerRe.FindString(rest)):]
			before := s[start:i]
			if !cueStartsAt(rest) || !refRe.MatchString(before) {
				continue
			}
			if mergedRe.MatchString(before) && foundVerb.MatchString(rest) {
				continue // "merged with B and established C" stays one clause
			}
			out = append(out, span{start, i})
			start = i + 1
		}
	}
	return append(out, span{start, sp.end})
}

func cueStartsAt(t string) bool {
	for _, c := range cues {
		if loc := c.re.FindStringIndex(t); loc != nil && loc[0] == 0 {
			return true
		}
	}
	return false
}

// clauses groups the segments of each sentence into clauses: a segment
// with a cue before its first reference, or starting with a lower-case
// word, starts a clause; one starting with a capital, "and", "or", "the"
// or "listed" continues the list of the clause before; a segment without
// references starting "as of", "in", "on", "since" … qualifies the clause
// before (or, opening a sentence, the clause after).
func clauses(s string) []span {
	var out []span
	for _, sent := range sentences(s) {
		cur, prefix := -1, -1
		for _, seg := range segments(s, sent) {
			t := s[seg.start:seg.end]
			firstRef := len(t)
			if loc := refRe.FindStringIndex(t); loc != nil {
				firstRef = loc[0]
			}
			hasRef := firstRef < len(t)
			switch {
			case !hasRef && isModifier(t):
				if cur >= 0 {
					out[cur].end = seg.end
				} else if prefix < 0 {
					prefix = seg.start
				}
			case cur < 0 || headCue(t[:firstRef]) || !isContinuation(t):
				start := seg.start
				if prefix >= 0 {
					start, prefix = prefix, -1
				}
				out = append(out, span{start, seg.end})
				cur = len(out) - 1
			default:
				out[cur].end = seg.end
			}
		}
	}
	return out
}

func headCue(t string) bool {
	for _, c := range cues {
		if c.re.MatchString(t) {
			return true
		}
	}
	return false
}

func hasPrefixFold(s string, prefixes ...string) bool {
	l := strings.ToLower(s)
	for _, p := range prefixes {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return false
}

func isModifier(t string) bool {
	return hasPrefixFold(t, "as of ", "as at ", "in ", "on ", "since ", "from ", "until ", "between ", "reportedly", "allegedly")
}

func isContinuation(t string) bool {
	if t == "" {
		return true
	}
	if c := t[0]; isUpper(c) || c >= '0' && c <= '9' || c == '(' || c == '"' || c >= 0x80 {
		return true
	}
	return hasPrefixFold(t, "and ", "or ", "the ", "listed ", "also listed ", "as well as ", "including ")
}

// cueMatch is one cue found in a clause.
type cueMatch struct {
	cue        *cue
	start, end int
	role       string
}

// findCues returns every cue in the clause text t.
func findCues(t string) []cueMatch {
	var out []cueMatch
	for i := range cues {
		c := &cues[i]
		for _, m := range c.re.FindAllStringSubmatchIndex(t, -1) {
			cm := cueMatch{cue: c, start: m[0], end: m[1], role: c.role}
			if c.role == "$1" && len(m) > 3 && m[2] >= 0 {
				cm.role = strings.ToLower(t[m[2]:m[3]])
			}
			if c.leader && !leaderOK(t, m[0], m[1], c.title) {
				continue
			}
			out = append(out, cm)
		}
	}
	return out
}

// leaderOK accepts an active leadership cue only before a name ("Head of
// The Organization…", not "head of finance") and not after a modifier
// ("deputy head", "military leader").
func leaderOK(t string, start, end int, title bool) bool {
	rest := strings.TrimLeft(t[end:], " \n\t")
	rest = strings.TrimPrefix(strings.TrimPrefix(rest, "the "), "The ")
	if rest == "" || !(isUpper(rest[0]) || rest[0] >= 0x80) {
		return false
	}
	before := strings.Fields(t[:start])
	if len(before) == 0 {
		return true
	}
	w := strings.ToLower(before[len(before)-1])
	if title {
		return titleOK[w]
	}
	return !leaderMods[w]
}

// governing returns the cue that governs a reference at pos: the one
// ending last before it, the longer of two ending together; nil if none.
func governing(ms []cueMatch, pos int) *cueMatch {
	var best *cueMatch
	for i := range ms {
		m := &ms[i]
		if m.end > pos {
			continue
		}
		if best == nil || m.end > best.end || m.end == best.end && m.start < best.start {
			best = m
		}
	}
	return best
}

// qualifier returns DerivedFromText, the clause's hedges in order and its
// "as of" date ("as at" is written "as of").
func qualifier(t string) string {
	parts := []string{network.DerivedFromText}
	for _, m := range hedgeRe.FindAllStringSubmatch(t, -1) {
		h := strings.ToLower(m[1])
		if h == "reported to" {
			h = "reportedly"
		}
		parts = addUnique(parts, h)
	}
	if m := asOfRe.FindStringSubmatch(t); m != nil {
		parts = append(parts, "as of "+strings.Join(strings.Fields(m[1]), " "))
	}
	return strings.Join(parts, "; ")
}

// clauseDate returns the first date introduced by "in", "on", "since" or
// "from" ("in December 2011", "on 20 Aug. 2013", "on January 10, 2015");
// zero if none parses.
func clauseDate(t string) network.PartialDate {
	for _, m := range dateRe.FindAllStringSubmatch(t, -1) {
		day, mon, day2, year := m[1], m[2], m[3], m[4]
		if day == "" {
			day = day2
		}
		s := year
		if mon != "" {
			s += "-" + twoDigits(months[strings.ToLower(mon[:3])])
			if day != "" {
				d := day
				if len(d) == 1 {
					d = "0" + d
				}
				s += "-" + d
			}
		} else if day != "" {
			continue // "on 20 2013" is no date
		}
		if d, err := network.ParsePartialDate(s); err == nil {
			return d
		}
	}
	return network.PartialDate{}
}

func twoDigits(n int) string { return string([]byte{byte('0' + n/10), byte('0' + n%10)}) }
