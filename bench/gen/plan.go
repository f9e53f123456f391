// Package gen generates synthetic networks for the benchmark suite:
// deterministic from a seed, shaped like the real thing (merger, rename and
// split lineages; memberships and leaderships; allegiance hierarchies six
// levels deep; alliances and rivalries; power-law degrees with a few hubs;
// partial dates over 1990–2025; several spellings per name), and citing
// only synthetic sources that say so.
//
// The sizes and the number of relationships of each type are fixed by a
// Plan, computed from the scale alone, so the counts are known without
// generating anything.
package gen

import (
	"fmt"
	"strings"

	"github.com/allegiance/allegiance/network"
)

// Scale names a size of network.
type Scale string

// The scales. T is a tiny scale for tests and smoke runs.
const (
	T Scale = "T"
	S Scale = "S"
	M Scale = "M"
	L Scale = "L"
)

// Scales lists every scale, smallest first.
var Scales = []Scale{T, S, M, L}

// ParseScale reads a scale name (case-insensitive).
func ParseScale(s string) (Scale, error) {
	for _, sc := range Scales {
		if strings.EqualFold(s, string(sc)) {
			return sc, nil
		}
	}
	return "", network.Errorf(network.EINVALID, "unknown scale %q (want T, S, M or L)", s)
}

// Levels is the depth of the allegiance hierarchies: organizations sit at
// levels 0 (the hubs) to Levels-1, each pledging to or affiliated with one
// organization a level above it, so the longest chain between
// organizations has Levels-1 edges and a person pledging to a bottom-level
// organization starts one of Levels edges.
const Levels = 6

// SourceCount is how many synthetic sources every dataset has.
const SourceCount = 8

// Year bounds of every relationship date and organization date.
const (
	FirstYear = 1990
	LastYear  = 2025
)

// Year bounds of persons' birth years (before the relationship dates, as
// people are born before they join).
const (
	FirstBirthYear = 1940
	LastBirthYear  = 1989
)

// Plan is the shape of one scale: how many entities of each kind, how many
// relationships of each type, and the hubs.
type Plan struct {
	Scale         Scale
	Entities      int
	Persons       int
	Organizations int
	// Hubs are the first Hubs organizations, the roots of the allegiance
	// hierarchies; each gets HubMembers MEMBER_OF edges on top of its
	// allegiance and power-law edges.
	Hubs       int
	HubMembers int
	// LineageGroups are groups of five organizations a, b, c, d, e with
	// a RENAMED_TO b, b MERGED_INTO d, c MERGED_INTO d and e SPLIT_FROM d.
	LineageGroups int
	// ByType is the number of relationships of each type.
	ByType map[network.RelType]int
	// bulk is the part of ByType drawn at random with power-law
	// endpoints, after the structural relationships.
	bulk map[network.RelType]int
}

// Relationships is the total number of relationships planned.
func (p Plan) Relationships() int {
	n := 0
	for _, c := range p.ByType {
		n += c
	}
	return n
}

type size struct {
	entities, relationships, hubs, hubMembers int
}

var sizes = map[Scale]size{
	T: {1_000, 5_000, 2, 150},
	S: {10_000, 50_000, 3, 1_500},
	M: {100_000, 1_000_000, 5, 12_000},
	L: {1_000_000, 10_000_000, 10, 60_000},
}

// bulkWeights shares the relationships left after the structural ones (in
// percent; the last type takes the remainder so that the total is exact).
var bulkWeights = []struct {
	t       network.RelType
	percent int
}{
	{network.MemberOf, 40},
	{network.AlliedWith, 5},
	{network.RivalOf, 5},
	{network.Supported, 5},
	{network.NegotiatedWith, 3},
	{network.MetWith, 10},
	{network.EmployedBy, 5},
	{network.Opposed, 4},
	{network.FamilyOf, 8},
	{network.AssociatedWith, 15},
}

// PlanFor computes the plan of a scale without generating anything.
func PlanFor(sc Scale) (Plan, error) {
	sz, ok := sizes[sc]
	if !ok {
		return Plan{}, network.Errorf(network.EINVALID, "unknown scale %q", sc)
	}
	p := Plan{Scale: sc, Entities: sz.entities, Hubs: sz.hubs, HubMembers: sz.hubMembers}
	p.Organizations = sz.entities / 5
	p.Persons = sz.entities - p.Organizations
	p.LineageGroups = p.Organizations / 25
	nonHub := p.Organizations - p.Hubs
	by := map[network.RelType]int{}
	// Allegiance: every non-hub organization has one edge up; one in three
	// is an AFFILIATE_OF, the others pledge.
	by[network.AffiliateOf] = (nonHub + 2) / 3
	by[network.PledgedAllegianceTo] = nonHub - by[network.AffiliateOf] + p.Persons/20
	by[network.RenamedTo] = p.LineageGroups
	by[network.MergedInto] = 2 * p.LineageGroups
	by[network.SplitFrom] = p.LineageGroups
	by[network.Founded] = p.Organizations
	by[network.LeaderOf] = p.Organizations
	by[network.PartOf] = p.Organizations / 10
	by[network.MemberOf] = p.Hubs * p.HubMembers
	structural := 0
	for _, c := range by {
		structural += c
	}
	rest := sz.relationships - structural
	if rest < 0 {
		return Plan{}, fmt.Errorf("scale %s: %d structural relationships exceed the %d planned", sc, structural, sz.relationships)
	}
	left := rest
	p.bulk = map[network.RelType]int{}
	for i, w := range bulkWeights {
		n := rest * w.percent / 100
		if i == len(bulkWeights)-1 {
			n = left
		}
		by[w.t] += n
		p.bulk[w.t] = n
		left -= n
	}
	p.ByType = by
	return p, nil
}

// OrgID is the id of the i-th organization; organizations 0 to Hubs-1 are
// the hubs.
//
// Ids carry a scrambled prefix so that their order says nothing about the
// entity's rank or degree, as with real slugs: otherwise "nearest first,
// then by id" would always keep the hubs (the lowest indexes) and every
// limited neighbourhood would be the densest corner of the network.
func OrgID(i int) string { return fmt.Sprintf("org-%06x-%07d", scramble(i), i) }

// PersonID is the id of the i-th person.
func PersonID(i int) string { return fmt.Sprintf("per-%06x-%07d", scramble(i), i) }

// scramble maps i to a pseudo-random 24-bit number, the same for every
// run (a multiplicative hash).
func scramble(i int) uint32 {
	return uint32((uint64(i)*0x9E3779B97F4A7C15)>>40) & 0xFFFFFF
}

// SourceID is the id of the i-th synthetic source.
func SourceID(i int) string { return fmt.Sprintf("synthetic-source-%d", i+1) }

// level is the allegiance level of organization i: 0 for a hub, else 1 to
// Levels-1 by its index among the non-hub organizations.
func (p Plan) level(i int) int {
	if i < p.Hubs {
		return 0
	}
	return 1 + (i-p.Hubs)%(Levels-1)
}

// Landmarks are entities the benchmarks query: chosen from the plan, so
// they exist at every scale and seed.
type Landmarks struct {
	// Hub is the busiest organization.
	Hub string
	// Ordinary is a person with a handful of relationships.
	Ordinary string
	// PathFrom and PathTo are two ordinary persons, for shortestPath.
	PathFrom, PathTo string
	// ChainFrom is a bottom-level organization, whose allegiance chain
	// climbs every level to a hub.
	ChainFrom string
	// LineageOf is the successor of a lineage group (two mergers, a rename
	// and a split).
	LineageOf string
	// Search is a query matching one organization's alias.
	Search string
}

// Landmarks returns the plan's landmarks.
func (p Plan) Landmarks() Landmarks {
	bottom := p.Hubs + (Levels - 2) // the first non-hub organization at the bottom level
	mid := p.Persons / 2
	lin := p.Hubs + 5*(p.LineageGroups/2) + 3 // d of a middle lineage group
	return Landmarks{
		Hub:       OrgID(0),
		Ordinary:  PersonID(mid + 7),
		PathFrom:  PersonID(mid + 11),
		PathTo:    PersonID(mid/2 + 13),
		ChainFrom: OrgID(bottom + 5*(p.Organizations/20)),
		LineageOf: OrgID(lin),
		Search:    orgName(p.Organizations/3, 0),
	}
}
