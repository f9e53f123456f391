package neo4j

import (
	"context"
	"sync"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Profile gathers what Neo4j's PROFILE reports for each query a Store runs
// under a context from Profiling: the benchmark suite uses it to show
// where a traversal's database work goes (bench/profiles). PROFILE slows
// every query down, so it is for diagnosis, never for serving.
type Profile struct {
	// mu protects Statements: a store method may run queries from several
	// goroutines.
	mu         sync.Mutex
	statements []StatementProfile
}

// StatementProfile is one profiled query: its name (see QueryName), the
// database hits and rows its plan reports, summed over every operator,
// and the operator that made the most database hits.
type StatementProfile struct {
	Name        string
	DBHits      int64
	Rows        int64
	TopOperator string
	TopOpDBHits int64
	PageHits    int64
	PageMisses  int64
}

// Statements returns a copy of the statements profiled so far, in the
// order they finished.
func (p *Profile) Statements() []StatementProfile {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]StatementProfile(nil), p.statements...)
}

func (p *Profile) add(sp StatementProfile) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.statements = append(p.statements, sp)
}

type profileKey struct{}

// Profiling returns a context under which the store runs every read query
// with PROFILE, and the Profile that gathers the results.
func Profiling(ctx context.Context) (context.Context, *Profile) {
	p := &Profile{}
	return context.WithValue(ctx, profileKey{}, p), p
}

func profileFrom(ctx context.Context) *Profile {
	p, _ := ctx.Value(profileKey{}).(*Profile)
	return p
}

// profiled summarises a PROFILE plan tree.
func profiled(name string, plan driver.ProfiledPlan) StatementProfile {
	sp := StatementProfile{Name: name}
	var walk func(driver.ProfiledPlan)
	walk = func(pl driver.ProfiledPlan) {
		if pl == nil {
			return
		}
		sp.DBHits += pl.DbHits()
		sp.PageHits += pl.PageCacheHits()
		sp.PageMisses += pl.PageCacheMisses()
		if pl.DbHits() > sp.TopOpDBHits {
			sp.TopOperator, sp.TopOpDBHits = pl.Operator(), pl.DbHits()
		}
		for _, c := range pl.Children() {
			walk(c)
		}
	}
	walk(plan)
	if plan != nil {
		sp.Rows = plan.Records()
	}
	return sp
}
