package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/allegiance/allegiance/network"
)

// heavyHubDataset is an organization with members of every kind of tie:
// incoming and outgoing, asymmetric and symmetric, dated and not, two ties
// to the same member, and members who died, so that the Neo4j store's
// ordered-neighbour streams (store/neo4j/hubs.go), which it uses for a
// node whose degree is above the limit and above 1,000, meet every filter.
func heavyHubDataset() *network.Dataset {
	src := []string{"src"}
	d := &network.Dataset{
		Sources:  []network.Source{{ID: "src", Title: "Synthetic hub", URL: "https://example.org/hub"}},
		Entities: []network.Entity{{ID: "h", Kind: network.Organization, Name: "Hub", Founded: date("2000"), SourceIDs: src}},
	}
	for i := range 60 {
		m := fmt.Sprintf("m%02d", i)
		e := network.Entity{ID: m, Kind: network.Person, Name: "Member " + m, SourceIDs: src}
		if i%7 == 3 {
			e.Died = date("2012")
		}
		d.Entities = append(d.Entities, e)
		r := network.Relationship{ID: "r-" + m, SourceIDs: src}
		switch i % 4 {
		case 0:
			r.Type, r.From, r.To, r.Since = network.MemberOf, m, "h", date("2010")
		case 1:
			r.Type, r.From, r.To, r.Until = network.LeaderOf, m, "h", date("2014")
		case 2:
			r.Type, r.From, r.To = network.Supported, "h", m
		case 3:
			r.Type, r.From, r.To, r.Since = network.AssociatedWith, "h", m, date("2016")
		}
		d.Relationships = append(d.Relationships, r)
	}
	// Later memberships of m00 (a stream must count m00 once), and a tie
	// between two members.
	for i, since := range []string{"2018", "2019", "2020", "2021"} {
		d.Relationships = append(d.Relationships, network.Relationship{ID: fmt.Sprintf("r-m00-again-%d", i), Type: network.MemberOf,
			From: "m00", To: "h", Since: date(since), SourceIDs: src})
	}
	d.Relationships = append(d.Relationships,
		network.Relationship{ID: "r-m01-m02", Type: network.AssociatedWith, From: "m01", To: "m02", SourceIDs: src})
	// Members who sort after the others, enough to make h heavy whatever
	// the limit: the Neo4j store reads a node from its streams only above
	// 1,000 relationships (heavyDegree).
	for i := range 1000 {
		z := fmt.Sprintf("z%04d", i)
		d.Entities = append(d.Entities, network.Entity{ID: z, Kind: network.Person, Name: "Member " + z, SourceIDs: src})
		r := network.Relationship{ID: "r-" + z, Type: network.MemberOf, From: z, To: "h", SourceIDs: src}
		if i%2 == 1 {
			r.Type, r.From, r.To, r.Since = network.Supported, "h", z, date("2017")
		}
		d.Relationships = append(d.Relationships, r)
	}
	return d
}

// Both stores give a heavy node the same first neighbours by id, whatever
// the types, direction, date, exclusions and limit.
func TestHeavyNodeNeighbors(t *testing.T) {
	ctx := context.Background()
	d := heavyHubDataset()
	var stores []network.Adjacency
	for _, fs := range freshStores(t) {
		if _, err := fs.s.Load(ctx, d); err != nil {
			t.Fatalf("%s: Load: %v", fs.name, err)
		}
		a, ok := fs.s.(network.Adjacency)
		if !ok {
			t.Fatalf("%s: not a network.Adjacency", fs.name)
		}
		stores = append(stores, a)
	}
	typeSets := [][]network.RelType{
		nil, {network.MemberOf}, {network.Supported}, {network.AssociatedWith},
		{network.MemberOf, network.Supported, network.AssociatedWith},
	}
	excludes := [][]string{nil, {"m00", "m01", "m02", "m03", "m04", "m05"}}
	for _, types := range typeSets {
		for _, dir := range []network.Direction{network.Outgoing, network.Incoming, network.Both} {
			for _, asOf := range []string{"", "2011", "2015", "2019"} {
				for _, exclude := range excludes {
					for _, limit := range []int{1, 7, 100} {
						f := network.RelFilter{Types: types, Direction: dir, AsOf: withAsOf(asOf)}
						what := fmt.Sprintf("Neighbors(h, types %v, %s, asOf %q, exclude %v, limit %d)", types, dir, asOf, exclude, limit)
						var answers [2][]string
						for i, s := range stores {
							got, err := s.Neighbors(ctx, []string{"h"}, exclude, f, limit)
							if err != nil {
								t.Fatalf("%s: %v", what, err)
							}
							answers[i] = got
						}
						if !slices.Equal(answers[0], answers[1]) {
							t.Errorf("%s: memory %v, neo4j %v", what, answers[0], answers[1])
						}
					}
				}
			}
		}
	}
}
