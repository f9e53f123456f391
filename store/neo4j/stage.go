package neo4j

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/allegiance/allegiance/network"
)

// A staged load writes a dataset into an empty database in batches that
// commit one by one, as a hand-tuned bulk load does, yet keeps Load's
// promise that readers see all of a load or none of it:
//
//  1. Each node is created under a staging label (StagedPerson, ...) with
//     the load's id in the property load. Every reader starts from
//     :Entity, :Source or :Designation, and a staged relationship joins two
//     staged nodes, so no reader sees a staged node or relationship.
//  2. One transaction publishes the load: it checks that the database
//     still holds nothing, then swaps each staging label for the real
//     ones. The uniqueness constraints and the full-text index take the
//     nodes in then.
//  3. If anything fails, the load's staged nodes are deleted. A load killed
//     before it could do so leaves staged nodes behind, unseen; the next
//     staged load deletes them before it starts, and so does Reset.
//
// One load's transaction had to hold the whole dataset until commit (a
// 14 GB heap for a million relationships) and ran at 0.68-0.88x the bench's
// ceiling, which commits per batch; see BENCHMARKS.md.

// errNotEmpty says the database held something when the load came to
// publish, because another load got there first. Load then merges instead.
var errNotEmpty = errors.New("the database is no longer empty")

// discardTimeout bounds the deletion of a failed load's staged nodes,
// which runs after the load's own context may have ended.
const discardTimeout = 5 * time.Minute

// stagedCounts is how many nodes of each staging label a load wrote.
type stagedCounts struct {
	sources, persons, organizations, designations int
}

// stageLoad writes d, whose ids are unique, if the database holds no
// entity, source or designation: it deletes what killed loads left staged,
// stages d and publishes it. It returns false, having left nothing behind,
// when the database holds something, so that Load merges instead; and true
// with an error when the load failed, after discarding what it staged.
func (s *Store) stageLoad(ctx context.Context, sess driver.SessionWithContext, d *network.Dataset) (bool, error) {
	empty, err := s.holdsNothing(ctx, autocommit{sess})
	if err != nil || !empty {
		return false, err
	}
	if err := s.discardStaged(ctx, sess, nil); err != nil {
		return false, err
	}
	load := rand.Text()
	want, err := s.stage(ctx, sess, d, load)
	if err == nil {
		err = s.publish(ctx, sess, load, want)
	}
	if err == nil {
		return true, nil
	}
	// A session of its own, and a context of its own: the load's context
	// may be what ended it, and its session may hold a broken connection.
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), discardTimeout)
	defer cancel()
	dsess := s.session(dctx, driver.AccessModeWrite)
	defer dsess.Close(dctx)
	if derr := s.discardStaged(dctx, dsess, load); derr != nil {
		s.log.WarnContext(ctx, "neo4j: a failed load's staged nodes are left, unseen by readers; the next load into an empty database deletes them",
			"load", load, "err", derr)
	}
	if errors.Is(err, errNotEmpty) {
		return false, nil
	}
	return true, err
}

// stage writes d's nodes and relationships under load's staging labels,
// each batch in its own transaction, and returns how many nodes it staged.
func (s *Store) stage(ctx context.Context, sess driver.SessionWithContext, d *network.Dataset, load string) (stagedCounts, error) {
	var n stagedCounts
	n.sources = len(d.Sources)
	for i := range d.Entities {
		e := &d.Entities[i]
		if e.Kind == network.Person {
			n.persons++
		} else {
			n.organizations++
		}
		n.designations += len(e.Designations)
	}
	// writeSteps rewrites each batch's rows to element ids before send, so
	// a retried batch is sent as it was the first time.
	send := func(query string, params map[string]any) ([]*driver.Record, error) {
		recs, err := sess.ExecuteWrite(ctx, func(tx driver.ManagedTransaction) (any, error) {
			return s.collect(ctx, tx, query, params)
		}, txTimeout(ctx))
		if err != nil {
			return nil, err
		}
		return recs.([]*driver.Record), nil
	}
	elementIDs := make(map[string]string, len(d.Entities))
	return n, writeSteps(loadSteps(d, stageQueries), map[string]string{"load": load}, elementIDs, send)
}

// publish gives load's staged nodes their labels in one transaction, if
// the database still holds nothing, and checks that it found every node it
// staged: another load's start may have discarded some.
func (s *Store) publish(ctx context.Context, sess driver.SessionWithContext, load string, want stagedCounts) error {
	_, err := sess.ExecuteWrite(ctx, func(tx driver.ManagedTransaction) (any, error) {
		empty, err := s.holdsNothing(ctx, tx)
		if err != nil {
			return nil, err
		}
		if !empty {
			return nil, errNotEmpty
		}
		for _, p := range []struct {
			query string
			want  int
			what  string
		}{
			{publishSources, want.sources, "sources"},
			{publishPersons, want.persons, "persons"},
			{publishOrganizations, want.organizations, "organizations"},
			{publishDesignations, want.designations, "designations"},
		} {
			recs, err := s.collect(ctx, tx, p.query, map[string]any{"load": load})
			if err != nil {
				return nil, err
			}
			if len(recs) != 1 {
				return nil, fmt.Errorf("%s: got %d records, want 1", QueryName(p.query), len(recs))
			}
			if n, _ := recs[0].Get("published"); asInt(n) != p.want {
				return nil, fmt.Errorf("publishing load %s: found %d of the %d %s it staged; a load started meanwhile may have discarded them", load, asInt(n), p.want, p.what)
			}
		}
		return nil, nil
	}, txTimeout(ctx))
	return err
}

// discardStaged deletes the staged nodes of load, or of every load when
// load is nil, with their relationships.
func (s *Store) discardStaged(ctx context.Context, sess driver.SessionWithContext, load any) error {
	for _, q := range []string{discardStagedRelationships, discardStagedNodes} {
		if _, err := s.collect(ctx, autocommit{sess}, q, map[string]any{"load": load}); err != nil {
			return err
		}
	}
	return nil
}
