package unsc

import (
	"reflect"
	"slices"
	"testing"

	"github.com/allegiance/allegiance/network"
)

func TestReconcileSameListTwice(t *testing.T) {
	for _, path := range []string{fixture, realSample, realFull} {
		t.Run(path, func(t *testing.T) {
			l := mustRead(t, path)
			first, rep := Reconcile(&network.Dataset{}, l)
			if len(rep.Added) != len(l.Dataset.Entities)-countUnits(l.Dataset) || len(rep.Changed)+len(rep.Removed)+len(rep.Unchanged) != 0 {
				t.Fatalf("first load report: got %d added, %v changed, %v removed, %d unchanged; want every record added",
					len(rep.Added), rep.Changed, rep.Removed, len(rep.Unchanged))
			}
			store := apply(&network.Dataset{}, first)
			checkRefs(t, store)
			if store.Counts() != l.Dataset.Counts() {
				t.Errorf("after the first load: got %+v, want %+v", store.Counts(), l.Dataset.Counts())
			}
			second, rep := Reconcile(store, l)
			if len(rep.Added)+len(rep.Changed)+len(rep.Removed) != 0 || len(rep.Unchanged) != len(rep2refs(l)) {
				t.Errorf("second report: got added %v, changed %v, removed %v, %d unchanged; want all %d unchanged",
					rep.Added, rep.Changed, rep.Removed, len(rep.Unchanged), len(rep2refs(l)))
			}
			if c := second.Counts(); c != (network.Counts{}) || len(second.DeleteEntities)+len(second.DeleteRelationships) != 0 {
				t.Errorf("second dataset: got %+v, deletes %v %v; want it empty", c, second.DeleteEntities, second.DeleteRelationships)
			}
			if after := apply(store, second); !reflect.DeepEqual(after, store) {
				t.Errorf("loading the second dataset changed the store")
			}
		})
	}
}

func countUnits(d *network.Dataset) int {
	n := 0
	for i := range d.Entities {
		if identifier(&d.Entities[i], SchemeUnit) != "" {
			n++
		}
	}
	return n
}

func rep2refs(l *List) []string {
	var refs []string
	for i := range l.Dataset.Entities {
		if ref := identifier(&l.Dataset.Entities[i], SchemeRef); ref != "" {
			refs = append(refs, ref)
		}
	}
	return refs
}

func TestReconcileNewerList(t *testing.T) {
	old, nw := mustRead(t, fixture), mustRead(t, newer)
	first, _ := Reconcile(nil, old)
	store := apply(&network.Dataset{}, first)
	d, rep := Reconcile(store, nw)
	want := Report{
		Added:     []string{"QDi.905"},
		Changed:   []string{"QDi.904"},
		Removed:   []string{"TAi.906"},
		Unchanged: []string{"QDe.901", "QDe.902", "QDe.903", "QDe.904", "QDi.901", "QDi.902", "QDi.903"},
	}
	if !reflect.DeepEqual(rep, want) {
		t.Errorf("report: got %+v, want %+v", rep, want)
	}
	after := apply(store, d)
	checkRefs(t, after)
	gone := entity(t, after, "un-tai-906")
	if got := gone.Designations[0].Until.String(); got != "2024-11-15" {
		t.Errorf("delisted TAi.906: Until %q, want 2024-11-15 (the newer list's dateGenerated)", got)
	}
	// A delisting is not a retraction: what the list said of TAi.906 stays.
	kept := false
	for _, r := range after.Relationships {
		kept = kept || (r.From == "un-tai-906" && r.To == "un-qde-901" && r.Type == network.MemberOf)
	}
	if !kept {
		t.Errorf("delisted TAi.906: its MEMBER_OF Alpha Front (QDe.901) is gone, want it kept")
	}
	if got := entity(t, after, "un-qdi-904").WeakAliases; !slices.Equal(got, []string{"Quatre"}) {
		t.Errorf("changed QDi.904: weak aliases %q, want [Quatre]", got)
	}
	if len(d.DeleteRelationships) != 0 || len(d.DeleteEntities) != 0 {
		t.Errorf("deletes: got %v %v, want none", d.DeleteRelationships, d.DeleteEntities)
	}
	// Reloading the newer list again changes nothing, the delisting
	// included.
	again, rep := Reconcile(after, nw)
	if len(rep.Added)+len(rep.Changed)+len(rep.Removed) != 0 || again.Counts() != (network.Counts{}) {
		t.Errorf("reloading the newer list: got %+v and %+v, want nothing", rep, again.Counts())
	}
}

func TestReconcileDropsUnstatedRelationships(t *testing.T) {
	l := mustRead(t, fixture)
	first, _ := Reconcile(nil, l)
	store := apply(&network.Dataset{}, first)
	// A list whose QDi.903 comment no longer names the unit nor Beta Group.
	edited := mustRead(t, fixture)
	for i := range edited.Dataset.Entities {
		if edited.Dataset.Entities[i].ID == "un-qdi-903" {
			edited.Dataset.Entities[i].Notes = nil
		}
	}
	var kept []network.Relationship
	for _, r := range edited.Dataset.Relationships {
		if r.From != "un-qdi-903" && r.From != "un-qdi-903-unit-katiba-sud" {
			kept = append(kept, r)
		}
	}
	edited.Dataset.Relationships = kept
	var ents []network.Entity
	for _, e := range edited.Dataset.Entities {
		if e.ID != "un-qdi-903-unit-katiba-sud" {
			ents = append(ents, e)
		}
	}
	edited.Dataset.Entities = ents
	d, rep := Reconcile(store, edited)
	wantDel := []string{"un-qdi-903-associated-with-un-qde-902", "un-qdi-903-founded-un-qdi-903-unit-katiba-sud",
		"un-qdi-903-unit-katiba-sud-part-of-un-qde-901"}
	if !slices.Equal(d.DeleteRelationships, wantDel) || !slices.Equal(d.DeleteEntities, []string{"un-qdi-903-unit-katiba-sud"}) {
		t.Errorf("deletes: got %v and %v, want %v and the unit", d.DeleteRelationships, d.DeleteEntities, wantDel)
	}
	if !slices.Equal(rep.Changed, []string{"QDi.903"}) {
		t.Errorf("changed: got %v, want [QDi.903]", rep.Changed)
	}
	checkRefs(t, apply(store, d))
}

// TestReconcileFoldedEntity: resolution folded QDi.901 into the curated
// "person-one" and QDe.901 into "alpha-front", keeping curated names and
// extras and the UN name as an alias.
func TestReconcileFoldedEntity(t *testing.T) {
	l := mustRead(t, fixture)
	first, _ := Reconcile(nil, l)
	store := apply(&network.Dataset{}, first)
	curated := network.Source{ID: "cep-profile", Title: "Curated", URL: "https://example.org/profile"}
	store.Sources = append(store.Sources, curated)
	fold := func(fromID, toID, name string) {
		for i := range store.Entities {
			e := &store.Entities[i]
			if e.ID != fromID {
				continue
			}
			e.ID = toID
			e.Aliases = append([]string{e.Name, "Curated Alias"}, e.Aliases...)
			e.Name = name
			e.Description = "curated description"
			e.SourceIDs = append(e.SourceIDs, curated.ID)
			e.BirthPlaces = append(e.BirthPlaces, "Curated place")
		}
		for i := range store.Relationships {
			r := &store.Relationships[i]
			if r.From == fromID {
				r.From = toID
			}
			if r.To == fromID {
				r.To = toID
			}
		}
	}
	fold("un-qdi-901", "person-one", "Person One")
	fold("un-qde-901", "alpha-front", "Alpha Front")
	store.Relationships = append(store.Relationships, network.Relationship{ID: "curated-rel", Type: network.AlliedWith,
		From: "alpha-front", To: "un-qde-902", SourceIDs: []string{curated.ID}})
	store.Sort()
	checkRefs(t, store)

	t.Run("same list: unchanged", func(t *testing.T) {
		d, rep := Reconcile(store, l)
		if len(rep.Added)+len(rep.Changed)+len(rep.Removed) != 0 {
			t.Errorf("report: got %+v, want all unchanged", rep)
		}
		if d.Counts() != (network.Counts{}) || len(d.DeleteRelationships)+len(d.DeleteEntities) != 0 {
			t.Errorf("dataset: got %+v, deletes %v %v, want empty", d.Counts(), d.DeleteRelationships, d.DeleteEntities)
		}
	})
	t.Run("changed record keeps curated fields", func(t *testing.T) {
		changed := mustRead(t, fixture)
		for i := range changed.Dataset.Entities {
			if e := &changed.Dataset.Entities[i]; e.ID == "un-qdi-901" {
				e.WeakAliases = append(e.WeakAliases, "New Weak")
				e.Designations[0].Program = "ISIL (Da'esh) & Al-Qaida"
			}
		}
		d, rep := Reconcile(store, changed)
		if !slices.Equal(rep.Changed, []string{"QDi.901"}) || len(rep.Added)+len(rep.Removed) != 0 {
			t.Fatalf("report: got %+v, want QDi.901 changed only", rep)
		}
		if len(d.Entities) != 1 || d.Entities[0].ID != "person-one" {
			t.Fatalf("entities: got %+v, want the folded person-one only", d.Entities)
		}
		e := d.Entities[0]
		if e.Name != "Person One" || e.Description != "curated description" || !slices.Contains(e.Aliases, "Curated Alias") ||
			!slices.Contains(e.Aliases, "PERSON ONE EXAMPLE") || !slices.Contains(e.SourceIDs, curated.ID) ||
			!slices.Contains(e.BirthPlaces, "Curated place") {
			t.Errorf("folded entity lost curated values: got %+v", e)
		}
		if !slices.Contains(e.WeakAliases, "New Weak") || e.Designations[0].Program != "ISIL (Da'esh) & Al-Qaida" {
			t.Errorf("folded entity: got weak %q, program %q; want the list's new values", e.WeakAliases, e.Designations[0].Program)
		}
		checkRefs(t, apply(store, d))
	})
	t.Run("delisted folded record", func(t *testing.T) {
		without := mustRead(t, fixture)
		var ents []network.Entity
		for _, e := range without.Dataset.Entities {
			if e.ID != "un-qde-901" {
				ents = append(ents, e)
			}
		}
		without.Dataset.Entities = ents
		var rels []network.Relationship
		for _, r := range without.Dataset.Relationships {
			if r.From != "un-qde-901" && r.To != "un-qde-901" && r.To != "un-qdi-903-unit-katiba-sud" && r.From != "un-qdi-903-unit-katiba-sud" {
				rels = append(rels, r)
			}
		}
		without.Dataset.Relationships = rels
		d, rep := Reconcile(store, without)
		if !slices.Equal(rep.Removed, []string{"QDe.901"}) {
			t.Errorf("removed: got %v, want [QDe.901]", rep.Removed)
		}
		after := apply(store, d)
		checkRefs(t, after)
		e := entity(t, after, "alpha-front")
		if e.Designations[0].Until.String() != "2024-10-01" || e.Description != "curated description" {
			t.Errorf("delisted folded entity: got until %q, description %q; want 2024-10-01 and the curated one", e.Designations[0].Until, e.Description)
		}
		if rel(after, "alpha-front", network.AlliedWith, "un-qde-902") == nil {
			t.Errorf("the curated relationship was deleted")
		}
		if r := rel(after, "un-qdi-904", network.MemberOf, "alpha-front"); r != nil {
			t.Errorf("derived %s kept, want it deleted: the list no longer states it", r.ID)
		}
	})
}

// Two listings of one person (as QDi.042 and SOi.002 on the real list),
// folded into one entity by resolution: reloading the list changes
// nothing, and dropping one listing delists that one only.
func TestReconcileTwoRecordsFoldedIntoOne(t *testing.T) {
	l := mustRead(t, fixture)
	first, _ := Reconcile(nil, l)
	store := apply(&network.Dataset{}, first)
	// Fold un-qdi-902 into un-qdi-901, as resolve.Apply does: one entity
	// with both identifiers and both designations, relationships moved.
	keep, gone := entity(t, store, "un-qdi-901"), entity(t, store, "un-qdi-902")
	keep.Aliases = append(keep.Aliases, gone.Name)
	keep.Aliases = append(keep.Aliases, gone.Aliases...)
	keep.WeakAliases = append(keep.WeakAliases, gone.WeakAliases...)
	keep.Identifiers = append(keep.Identifiers, gone.Identifiers...)
	keep.Designations = append(keep.Designations, gone.Designations...)
	keep.BirthDates = append(keep.BirthDates, gone.BirthDates...)
	keep.BirthPlaces = append(keep.BirthPlaces, gone.BirthPlaces...)
	keep.Nationality = append(keep.Nationality, gone.Nationality...)
	keep.Notes = append(keep.Notes, gone.Notes...)
	keep.Addresses = append(keep.Addresses, gone.Addresses...)
	keep.Documents = append(keep.Documents, gone.Documents...)
	keep.Positions = append(keep.Positions, gone.Positions...)
	var ents []network.Entity
	for _, e := range store.Entities {
		if e.ID != "un-qdi-902" {
			ents = append(ents, e)
		}
	}
	store.Entities = ents
	var rels []network.Relationship
	for _, r := range store.Relationships {
		if r.From == "un-qdi-902" {
			r.From = "un-qdi-901"
		}
		if r.To == "un-qdi-902" {
			r.To = "un-qdi-901"
		}
		if r.From != r.To {
			rels = append(rels, r)
		}
	}
	store.Relationships = rels

	d, rep := Reconcile(store, l)
	if len(rep.Added)+len(rep.Changed)+len(rep.Removed) != 0 || len(d.Entities) != 0 {
		t.Errorf("same list on the folded entity: got %+v and %d entities, want all unchanged", rep, len(d.Entities))
	}

	without := mustRead(t, fixture)
	var kept []network.Entity
	for _, e := range without.Dataset.Entities {
		if e.ID != "un-qdi-902" {
			kept = append(kept, e)
		}
	}
	without.Dataset.Entities = kept
	var keptRels []network.Relationship
	for _, r := range without.Dataset.Relationships {
		if r.From != "un-qdi-902" && r.To != "un-qdi-902" {
			keptRels = append(keptRels, r)
		}
	}
	without.Dataset.Relationships = keptRels
	d, rep = Reconcile(store, without)
	if !slices.Equal(rep.Removed, []string{"QDi.902"}) || len(rep.Added) != 0 {
		t.Fatalf("dropping QDi.902: got %+v, want QDi.902 removed", rep)
	}
	after := apply(store, d)
	for _, des := range entity(t, after, "un-qdi-901").Designations {
		switch des.Reference {
		case "QDi.902":
			if des.Until.IsZero() {
				t.Errorf("designation QDi.902: got no until, want the list date")
			}
		case "QDi.901":
			if !des.Until.IsZero() {
				t.Errorf("designation QDi.901: got until %s, want none: it is still listed", des.Until)
			}
		}
	}
}
