package resolve

import (
	"fmt"
	"sort"
	"strings"

	"github.com/allegiance/allegiance/network"
)

// importedPrefixes mark ids minted by importers; a curated id is preferred
// as the one to keep.
var importedPrefixes = []string{"un-", "ftm-"}

// Candidates proposes pairs of entities in d that may be one entity: same
// kind, a name or alias identical after normalization (case, accents,
// punctuation), and birth dates that do not contradict each other. Weak
// aliases and previous names are never compared. Pairs already decided,
// or already one entity by a shared identifier, are left out. Each
// candidate is pending, with its evidence; the curated (non-imported) id is
// the one proposed to keep.
func Candidates(d *network.Dataset, decided []Decision) []Decision {
	done := map[[2]string]bool{}
	for _, dec := range decided {
		done[pairKey(dec.Keep, dec.Merge)] = true
	}
	byName := map[string][]int{}
	for i := range d.Entities {
		seen := map[string]bool{}
		for _, n := range d.Entities[i].Names() {
			key := strings.Join(network.Tokens(n), " ")
			if key == "" || seen[key] {
				continue
			}
			seen[key] = true
			byName[key] = append(byName[key], i)
		}
	}
	evidence := map[[2]string][]string{}
	for _, key := range sortedKeys(byName) {
		idx := byName[key]
		for x := 0; x < len(idx); x++ {
			for y := x + 1; y < len(idx); y++ {
				a, b := &d.Entities[idx[x]], &d.Entities[idx[y]]
				pair := pairKey(a.ID, b.ID)
				if a.Kind != b.Kind || done[pair] || shareIdentifier(a, b) {
					continue
				}
				ok, why := birthCompatible(a, b)
				if !ok {
					continue
				}
				if evidence[pair] == nil && why != "" {
					evidence[pair] = append(evidence[pair], why)
				}
				evidence[pair] = append(evidence[pair], fmt.Sprintf("%s and %s both have the name %q (normalized)", a.ID, b.ID, key))
			}
		}
	}
	var out []Decision
	for pair, ev := range evidence {
		keep, merge := pair[0], pair[1]
		if imported(keep) && !imported(merge) {
			keep, merge = merge, keep
		}
		sort.Strings(ev)
		out = append(out, Decision{Keep: keep, Merge: merge, Decision: Pending, Evidence: ev})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Keep != out[j].Keep {
			return out[i].Keep < out[j].Keep
		}
		return out[i].Merge < out[j].Merge
	})
	return out
}

func imported(id string) bool {
	for _, p := range importedPrefixes {
		if strings.HasPrefix(id, p) {
			return true
		}
	}
	return false
}

func shareIdentifier(a, b *network.Entity) bool {
	for _, x := range a.Identifiers {
		for _, y := range b.Identifiers {
			if x == y && StrongSchemes[x.Scheme] {
				return true
			}
		}
	}
	return false
}

// yearRange is the span of years a birth date allows.
type yearRange struct{ lo, hi int }

func birthYears(e *network.Entity) []yearRange {
	var out []yearRange
	for _, d := range e.BirthDates {
		switch d.Type {
		case network.BirthBetween:
			if !d.From.IsZero() && !d.To.IsZero() {
				out = append(out, yearRange{d.From.First() / 10000, d.To.Last() / 10000})
			}
		case network.BirthApproximately:
			if !d.Date.IsZero() {
				out = append(out, yearRange{d.Date.First()/10000 - 1, d.Date.Last()/10000 + 1})
			}
		default:
			if !d.Date.IsZero() {
				out = append(out, yearRange{d.Date.First() / 10000, d.Date.Last() / 10000})
			}
		}
	}
	if len(out) == 0 && !e.Born.IsZero() {
		out = append(out, yearRange{e.Born.First() / 10000, e.Born.Last() / 10000})
	}
	return out
}

// birthCompatible reports whether a and b may be born in the same year: yes
// when either has no birth date, else when some pair of their ranges
// overlaps. The reason says which.
func birthCompatible(a, b *network.Entity) (bool, string) {
	ya, yb := birthYears(a), birthYears(b)
	if len(ya) == 0 || len(yb) == 0 {
		return true, ""
	}
	for _, x := range ya {
		for _, y := range yb {
			if x.lo <= y.hi && y.lo <= x.hi {
				return true, fmt.Sprintf("birth years compatible: %d-%d and %d-%d", x.lo, x.hi, y.lo, y.hi)
			}
		}
	}
	return false, ""
}
