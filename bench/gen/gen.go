package gen

import (
	"fmt"
	"math/rand/v2"

	"github.com/allegiance/allegiance/network"
)

// Generate builds the dataset of plan p from seed. The same plan and seed
// always give the same dataset (see Hash). It allocates in proportion to
// the output: the dataset itself, a table of dates and a few shared source
// lists.
func Generate(p Plan, seed uint64) *network.Dataset {
	g := &generator{
		p:   p,
		r:   rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		out: &network.Dataset{},
	}
	g.prepare()
	g.sources()
	g.entities()
	g.relationships()
	return g.out
}

// GenerateScale is PlanFor followed by Generate.
func GenerateScale(sc Scale, seed uint64) (*network.Dataset, error) {
	p, err := PlanFor(sc)
	if err != nil {
		return nil, err
	}
	return Generate(p, seed), nil
}

type generator struct {
	p   Plan
	r   *rand.Rand
	out *network.Dataset
	// dates holds every partial date of FirstYear–LastYear: years, months
	// and days.
	dates []network.PartialDate
	// cites are the shared source lists records cite.
	cites [][]string
	// orgIDs and personIDs hold each id once; relationships share them.
	orgIDs, personIDs []string
	orgZipf, perZipf  *rand.Zipf
	nextRel           int
}

func (g *generator) prepare() {
	for y := FirstYear; y <= LastYear; y++ {
		g.dates = append(g.dates, network.MustParsePartialDate(fmt.Sprintf("%04d", y)))
		for m := 1; m <= 12; m++ {
			g.dates = append(g.dates, network.MustParsePartialDate(fmt.Sprintf("%04d-%02d", y, m)))
			for d := 1; d <= 28; d++ {
				g.dates = append(g.dates, network.MustParsePartialDate(fmt.Sprintf("%04d-%02d-%02d", y, m, d)))
			}
		}
	}
	for i := range SourceCount {
		g.cites = append(g.cites, []string{SourceID(i)})
		g.cites = append(g.cites, []string{SourceID(i), SourceID((i + 3) % SourceCount)})
	}
	g.orgIDs = make([]string, g.p.Organizations)
	for i := range g.orgIDs {
		g.orgIDs[i] = OrgID(i)
	}
	g.personIDs = make([]string, g.p.Persons)
	for i := range g.personIDs {
		g.personIDs[i] = PersonID(i)
	}
	nonHub := g.p.Organizations - g.p.Hubs
	g.orgZipf = rand.NewZipf(g.r, 1.2, 10, uint64(nonHub-1))
	g.perZipf = rand.NewZipf(g.r, 1.1, 50, uint64(g.p.Persons-1))
}

func (g *generator) sources() {
	for i := range SourceCount {
		g.out.Sources = append(g.out.Sources, network.Source{
			ID:        SourceID(i),
			Title:     fmt.Sprintf("Synthetic benchmark source %d (generated, not a real document)", i+1),
			Publisher: "Allegiance benchmark generator (synthetic data)",
			Published: network.MustParsePartialDate("2025"),
			URL:       fmt.Sprintf("https://synthetic.invalid/allegiance-bench/source-%d", i+1),
		})
	}
}

func (g *generator) cite() []string { return g.cites[g.r.IntN(len(g.cites))] }

// date picks a date of FirstYear–LastYear, at year, month or day
// precision.
func (g *generator) date() network.PartialDate { return g.dates[g.r.IntN(len(g.dates))] }

// yearDate is the year-only date of y, or within the table's range.
func (g *generator) yearDate(y int) network.PartialDate {
	y = min(max(y, FirstYear), LastYear)
	return g.dates[(y-FirstYear)*(1+12*29)]
}

// period picks [since, until]: sometimes no since, often no until (still
// in force); an event has since = until.
func (g *generator) period(event bool) (since, until network.PartialDate) {
	if g.r.IntN(100) < 8 && !event {
		return network.PartialDate{}, network.PartialDate{}
	}
	since = g.date()
	if event {
		return since, since
	}
	if g.r.IntN(100) < 45 {
		return since, network.PartialDate{}
	}
	until = g.date()
	if until.Before(since) {
		since, until = until, since
	}
	return since, until
}

var qualifiers = append([]string{}, network.Qualifiers...)

func (g *generator) qualifier() string {
	if g.r.IntN(10) == 0 {
		return qualifiers[g.r.IntN(len(qualifiers))]
	}
	return ""
}

func (g *generator) entities() {
	p := g.p
	areas := []string{"Sahel", "Levant", "Horn of Africa", "Maghreb", "South Asia", "Lake Chad Basin"}
	g.out.Entities = make([]network.Entity, 0, p.Entities)
	for i := range p.Organizations {
		e := network.Entity{
			ID: g.orgIDs[i], Kind: network.Organization, Name: orgName(i, 0),
			Aliases:   aliases(func(v int) string { return orgName(i, v) }, 1+g.r.IntN(3)),
			SourceIDs: g.cite(),
			Types:     []string{"armed group"},
			Areas:     []string{areas[i%len(areas)]},
		}
		if g.r.IntN(10) < 8 {
			e.Founded = g.yearDate(FirstYear + g.r.IntN(LastYear-FirstYear-5))
		}
		g.out.Entities = append(g.out.Entities, e)
	}
	for i := range p.Persons {
		e := network.Entity{
			ID: g.personIDs[i], Kind: network.Person, Name: personName(i, 0),
			Aliases:   aliases(func(v int) string { return personName(i, v) }, 1+g.r.IntN(2)),
			SourceIDs: g.cite(),
		}
		if g.r.IntN(10) < 3 {
			e.Born = network.MustParsePartialDate(fmt.Sprintf("%04d", FirstBirthYear+g.r.IntN(LastBirthYear-FirstBirthYear+1)))
		}
		if g.r.IntN(20) == 0 {
			e.Died = g.date()
		}
		g.out.Entities = append(g.out.Entities, e)
	}
}

func (g *generator) rel(t network.RelType, from, to string, since, until network.PartialDate, role string) {
	g.out.Relationships = append(g.out.Relationships, network.Relationship{
		ID: fmt.Sprintf("rel-%08d", g.nextRel), Type: t, From: from, To: to, Role: role,
		Since: since, Until: until, Qualifier: g.qualifier(), SourceIDs: g.cite(),
	})
	g.nextRel++
}

// org picks a non-hub organization with power-law popularity.
func (g *generator) org() int { return g.p.Hubs + int(g.orgZipf.Uint64()) }

// person picks a person, the popular ones more often.
func (g *generator) person() int { return int(g.perZipf.Uint64()) }

// anyone picks a person (60%) or an organization.
func (g *generator) anyone() string {
	if g.r.IntN(10) < 6 {
		return g.personIDs[g.person()]
	}
	return g.orgIDs[g.org()]
}

// other returns j, or the next index when j == i (no self-loops).
func other(i, j, n int) int {
	if i == j {
		return (j + 1) % n
	}
	return j
}

func (g *generator) relationships() {
	p := g.p
	g.out.Relationships = make([]network.Relationship, 0, p.Relationships())
	nonHub := p.Organizations - p.Hubs
	perLevel := func(lvl int) int { return (nonHub - (lvl - 1) + Levels - 2) / (Levels - 1) }
	// parents[k] draws a parent among the organizations of level k.
	parents := make([]*rand.Zipf, Levels)
	for k := 1; k < Levels; k++ {
		parents[k] = rand.NewZipf(g.r, 1.3, 4, uint64(perLevel(k)-1))
	}
	// Allegiance hierarchies: each non-hub organization points one level
	// up, to a popular parent more often.
	for i := p.Hubs; i < p.Organizations; i++ {
		k := p.level(i)
		var parent int
		if k == 1 {
			parent = g.r.IntN(p.Hubs)
		} else {
			m := int(parents[k-1].Uint64())
			parent = p.Hubs + (Levels-1)*m + (k - 2)
		}
		t := network.PledgedAllegianceTo
		if (i-p.Hubs)%3 == 0 {
			t = network.AffiliateOf
		}
		since, until := g.period(false)
		g.rel(t, g.orgIDs[i], g.orgIDs[parent], since, until, "")
	}
	// Persons pledging to bottom-level organizations: chains of Levels
	// edges.
	bottom := perLevel(Levels - 1)
	for range p.Persons / 20 {
		o := p.Hubs + (Levels-1)*g.r.IntN(bottom) + (Levels - 2)
		since, until := g.period(false)
		g.rel(network.PledgedAllegianceTo, g.personIDs[g.r.IntN(p.Persons)], g.orgIDs[o], since, until, "")
	}
	g.lineages()
	roles := []string{"emir", "commander", "spokesman", "deputy leader", "founder"}
	for i := range p.Organizations {
		e := &g.out.Entities[i]
		g.rel(network.Founded, g.personIDs[g.r.IntN(p.Persons)], g.orgIDs[i], e.Founded, network.PartialDate{}, "")
	}
	for i := range p.Organizations {
		since, until := g.period(false)
		g.rel(network.LeaderOf, g.personIDs[g.r.IntN(p.Persons)], g.orgIDs[i], since, until, roles[g.r.IntN(len(roles))])
	}
	for range p.Organizations / 10 {
		unit := p.Hubs + g.r.IntN(nonHub)
		parent := other(unit, g.org(), p.Organizations)
		since, until := g.period(false)
		g.rel(network.PartOf, g.orgIDs[unit], g.orgIDs[parent], since, until, "")
	}
	for h := range p.Hubs {
		for range p.HubMembers {
			since, until := g.period(false)
			g.rel(network.MemberOf, g.personIDs[g.r.IntN(p.Persons)], g.orgIDs[h], since, until, "")
		}
	}
	for _, w := range bulkWeights {
		for range p.bulk[w.t] {
			g.bulk(w.t)
		}
	}
}

// lineages writes the lineage groups: a RENAMED_TO b, b and c MERGED_INTO
// d, e SPLIT_FROM d, with dates in that order and the predecessors
// dissolved when they renamed or merged.
func (g *generator) lineages() {
	p := g.p
	for gi := range p.LineageGroups {
		base := p.Hubs + 5*gi
		y1 := FirstYear + 2 + g.r.IntN(15)
		y2 := y1 + 1 + g.r.IntN(8)
		y3 := min(y2+1+g.r.IntN(8), LastYear)
		t1, t2, t3 := g.yearDate(y1), g.yearDate(y2), g.yearDate(y3)
		ents := g.out.Entities[base : base+5]
		ents[0].Founded, ents[0].Dissolved = g.yearDate(y1-2), t1
		ents[1].Founded, ents[1].Dissolved = t1, t2
		ents[2].Founded, ents[2].Dissolved = g.yearDate(y1-1), t2
		ents[3].Founded = t2
		ents[4].Founded = t3
		id := func(k int) string { return g.orgIDs[base+k] }
		g.rel(network.RenamedTo, id(0), id(1), t1, network.PartialDate{}, "")
		g.rel(network.MergedInto, id(1), id(3), t2, network.PartialDate{}, "")
		g.rel(network.MergedInto, id(2), id(3), t2, network.PartialDate{}, "")
		g.rel(network.SplitFrom, id(4), id(3), t3, network.PartialDate{}, "")
	}
}

// bulk writes one relationship of type t between power-law endpoints of
// the kinds the type joins.
func (g *generator) bulk(t network.RelType) {
	event := t == network.MetWith || t == network.NegotiatedWith
	since, until := g.period(event)
	var from, to string
	switch t {
	case network.MemberOf, network.EmployedBy:
		from, to = g.personIDs[g.r.IntN(g.p.Persons)], g.orgIDs[g.org()]
	case network.AlliedWith, network.RivalOf:
		a := g.org()
		from, to = g.orgIDs[a], g.orgIDs[other(a, g.org(), g.p.Organizations)]
	case network.MetWith, network.FamilyOf:
		a := g.person()
		from, to = g.personIDs[a], g.personIDs[other(a, g.r.IntN(g.p.Persons), g.p.Persons)]
	case network.Supported:
		from, to = g.anyone(), g.orgIDs[g.org()]
	default: // NEGOTIATED_WITH, OPPOSED, ASSOCIATED_WITH
		from, to = g.anyone(), g.anyone()
	}
	if from == to { // no self-loops: take the next hub instead
		to = g.orgIDs[g.p.Hubs]
		if from == to {
			to = g.orgIDs[g.p.Hubs+1]
		}
	}
	g.rel(t, from, to, since, until, "")
}
