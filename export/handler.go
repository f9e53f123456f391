package export

import (
	"bytes"
	"context"
	"encoding/json"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/allegiance/allegiance/network"
)

// defaultDepth is the neighbourhood depth of an export with a root and no
// depth, as in the GraphQL neighborhood query.
const defaultDepth = 1

// Handler serves GET /export/{format}?root=ID&depth=N&asOf=D: the whole
// network without root, else the neighbourhood of root to depth (default
// 1, as in the GraphQL neighborhood query), optionally as of a date (see
// Subgraph). The body is the export with the format's Content-Type and a
// Content-Disposition naming a file. A bad format or parameter answers 400, an unknown root 404, each
// with a JSON body {"error":{"code","message"}}.
func Handler(s network.Store) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /export/{format}", func(w http.ResponseWriter, r *http.Request) {
		serveExport(s, w, r)
	})
	return mux
}

func serveExport(s network.Store, w http.ResponseWriter, r *http.Request) {
	format := r.PathValue("format")
	contentType, ext := ContentType(format)
	if contentType == "" {
		writeHTTPError(w, network.Errorf(network.EINVALID, "unknown export format %q: want one of %s", format, strings.Join(Formats, ", ")))
		return
	}
	q := r.URL.Query()
	root := q.Get("root")
	if q.Has("root") && root == "" {
		writeHTTPError(w, network.Errorf(network.EINVALID, "root is empty"))
		return
	}
	depth := defaultDepth
	if q.Has("depth") {
		if root == "" {
			writeHTTPError(w, network.Errorf(network.EINVALID, "depth needs a root"))
			return
		}
		n, err := strconv.Atoi(q.Get("depth"))
		if err != nil {
			writeHTTPError(w, network.Errorf(network.EINVALID, "depth must be an integer, got %q", q.Get("depth")))
			return
		}
		depth = n
	}
	var asOf network.PartialDate
	if q.Has("asOf") {
		d, err := network.ParsePartialDate(q.Get("asOf"))
		if err != nil {
			writeHTTPError(w, err)
			return
		}
		asOf = d
	}
	ds, err := Subgraph(r.Context(), s, root, depth, asOf)
	if err != nil {
		writeHTTPError(w, err)
		return
	}
	// The export is built in memory first, so that a failure still gets an
	// error status instead of a truncated body.
	var body bytes.Buffer
	if err := Write(&body, format, ds); err != nil {
		writeHTTPError(w, err)
		return
	}
	name := "allegiance"
	if root != "" {
		name += "-" + root
	}
	if !asOf.IsZero() {
		name += "-" + asOf.String()
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name + ext}))
	w.Header().Set("Content-Length", strconv.Itoa(body.Len()))
	w.WriteHeader(http.StatusOK)
	body.WriteTo(w)
}

// httpStatuses maps domain error codes to HTTP statuses: the one place the
// export endpoint does so.
var httpStatuses = map[string]int{
	network.EINVALID:         http.StatusBadRequest,
	network.ELIMIT:           http.StatusBadRequest,
	network.ENOTFOUND:        http.StatusNotFound,
	network.EUNAUTHENTICATED: http.StatusUnauthorized,
	network.EFORBIDDEN:       http.StatusForbidden,
	network.EUNAVAILABLE:     http.StatusServiceUnavailable,
	network.EINTERNAL:        http.StatusInternalServerError,
}

// writeHTTPError answers with err's status and {"error":{"code","message"}};
// a non-domain error shows as "internal error".
func writeHTTPError(w http.ResponseWriter, err error) {
	code := network.ErrorCode(err)
	status, ok := httpStatuses[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{
		"error": map[string]string{"code": code, "message": network.ErrorMessage(err)},
	})
}

// Subgraph builds the dataset to export from s. Without root it is the
// whole network (s.Snapshot); with asOf set, only the entities alive then
// (Entity.AliveAt), the relationships in force then (ActiveAt) between
// them, and the sources those cite. With root it is the neighbourhood of
// root to depth (s.Neighborhood with network.MaxNeighborhoodLimit, as of
// asOf) and the sources its entities, designations and relationships cite;
// depth is ignored without root. An unknown root is ENOTFOUND, a bad depth
// EINVALID or ELIMIT, and a neighbourhood larger than
// network.MaxNeighborhoodLimit entities ELIMIT rather than a silently cut
// export. The result is sorted by id.
func Subgraph(ctx context.Context, s network.Store, root string, depth int, asOf network.PartialDate) (*network.Dataset, error) {
	if root == "" {
		d, err := s.Snapshot(ctx)
		if err != nil {
			return nil, err
		}
		if !asOf.IsZero() {
			d = filterAsOf(d, asOf)
		}
		d.Sort()
		return d, nil
	}
	sg, err := s.Neighborhood(ctx, network.NeighborhoodQuery{ID: root, Depth: depth, AsOf: asOf, Limit: network.MaxNeighborhoodLimit})
	if err != nil {
		return nil, err
	}
	if sg.Truncated {
		return nil, network.Errorf(network.ELIMIT, "the neighbourhood of %q to depth %d has more than %d entities: export a smaller depth", root, depth, network.MaxNeighborhoodLimit)
	}
	d := &network.Dataset{}
	for _, e := range sg.Nodes {
		d.Entities = append(d.Entities, *e)
	}
	for _, r := range sg.Edges {
		d.Relationships = append(d.Relationships, *r)
	}
	ids := citedSourceIDs(d)
	sources, err := s.Sources(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, src := range sources {
		if src != nil {
			d.Sources = append(d.Sources, *src)
		}
	}
	d.Sort()
	return d, nil
}

// filterAsOf keeps the entities alive at asOf, the relationships in force
// then between two of them, and the sources these cite.
func filterAsOf(d *network.Dataset, asOf network.PartialDate) *network.Dataset {
	out := &network.Dataset{}
	alive := map[string]bool{}
	for _, e := range d.Entities {
		if e.AliveAt(asOf) {
			alive[e.ID] = true
			out.Entities = append(out.Entities, e)
		}
	}
	for _, r := range d.Relationships {
		if r.ActiveAt(asOf) && alive[r.From] && alive[r.To] {
			out.Relationships = append(out.Relationships, r)
		}
	}
	cited := map[string]bool{}
	for _, id := range citedSourceIDs(out) {
		cited[id] = true
	}
	for _, src := range d.Sources {
		if cited[src.ID] {
			out.Sources = append(out.Sources, src)
		}
	}
	return out
}

// citedSourceIDs returns the ids of the sources d's entities, designations
// and relationships cite, sorted and without repeats.
func citedSourceIDs(d *network.Dataset) []string {
	seen := map[string]bool{}
	add := func(ids []string) {
		for _, id := range ids {
			seen[id] = true
		}
	}
	for _, e := range d.Entities {
		add(e.SourceIDs)
		for _, des := range e.Designations {
			add(des.SourceIDs)
		}
	}
	for _, r := range d.Relationships {
		add(r.SourceIDs)
	}
	ids := make([]string, 0, len(seen))
	for id := range seen {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}
