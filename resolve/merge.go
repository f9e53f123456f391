package resolve

import (
	"slices"

	"github.com/allegiance/allegiance/network"
)

// foldInto merges other into base: base keeps its id, kind, name,
// description and dates where it has them; other's name becomes an alias;
// every list becomes the union, in base's order then other's.
func foldInto(base, other *network.Entity) {
	if other.Name != "" && other.Name != base.Name {
		base.Aliases = union(base.Aliases, []string{other.Name})
	}
	base.Aliases = union(base.Aliases, other.Aliases)
	base.Aliases = slices.DeleteFunc(base.Aliases, func(a string) bool { return a == base.Name })
	base.WeakAliases = union(base.WeakAliases, other.WeakAliases)
	base.PreviousNames = union(base.PreviousNames, other.PreviousNames)
	base.OriginalScriptNames = union(base.OriginalScriptNames, other.OriginalScriptNames)
	if base.Description == "" {
		base.Description = other.Description
	}
	base.Notes = union(base.Notes, other.Notes)
	base.Topics = union(base.Topics, other.Topics)
	base.Countries = union(base.Countries, other.Countries)
	base.Addresses = union(base.Addresses, other.Addresses)
	base.Documents = unionComparable(base.Documents, other.Documents)
	base.Identifiers = unionComparable(base.Identifiers, other.Identifiers)
	base.SourceIDs = union(base.SourceIDs, other.SourceIDs)
	for _, d := range other.Designations {
		if !slices.ContainsFunc(base.Designations, func(b network.Designation) bool { return b.ID == d.ID }) {
			d.SourceIDs = slices.Clone(d.SourceIDs)
			base.Designations = append(base.Designations, d)
		}
	}
	fillDate(&base.Born, other.Born)
	fillDate(&base.Died, other.Died)
	fillDate(&base.Founded, other.Founded)
	fillDate(&base.Dissolved, other.Dissolved)
	base.Nationality = union(base.Nationality, other.Nationality)
	base.BirthDates = unionComparable(base.BirthDates, other.BirthDates)
	base.BirthPlaces = union(base.BirthPlaces, other.BirthPlaces)
	base.Positions = union(base.Positions, other.Positions)
	base.Types = union(base.Types, other.Types)
	base.Ideologies = union(base.Ideologies, other.Ideologies)
	base.Areas = union(base.Areas, other.Areas)
}

func fillDate(d *network.PartialDate, other network.PartialDate) {
	if d.IsZero() {
		*d = other
	}
}

func union(a, b []string) []string {
	return unionComparable(a, b)
}

func unionComparable[T comparable](a, b []T) []T {
	out := slices.Clone(a)
	for _, v := range b {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}
