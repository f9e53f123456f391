package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// The response media types of the GraphQL-over-HTTP spec.
const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// HTTPTransport serves GraphQL over HTTP as the GraphQL-over-HTTP spec
// (https://graphql.github.io/graphql-over-http/draft/) asks, for GET and POST
// alike:
//
//   - The response is application/graphql-response+json or application/json,
//     whichever the Accept header prefers (q-values count); application/json
//     when Accept is absent or a wildcard; 406 when Accept allows neither.
//   - A POST body must be application/json in UTF-8 (else 415) and a JSON
//     object whose query and operationName are strings (or null) and whose
//     variables and extensions are objects (or null); GET takes the same
//     parameters from the URL, variables and extensions as JSON text.
//     A malformed request is 400, as is one without a query (unless it names
//     a persisted query).
//   - A request error (parse, validation, variable coercion, a request limit)
//     has no data entry. Its status is 400 for
//     application/graphql-response+json and 200 for application/json.
//     A request that executes is 200 whatever its field errors.
//   - GET runs queries only (405 otherwise), other methods are 405, and a
//     body over the limit is 413.
//
// Every error carries extensions.code: the error presenter makes anything
// about the request itself BAD_USER_INPUT.
type HTTPTransport struct{}

var _ graphql.Transport = HTTPTransport{}

// Supports implements graphql.Transport: this transport answers every
// request to the endpoint, refusing what it cannot serve with the right
// status code.
func (HTTPTransport) Supports(*http.Request) bool { return true }

// Do implements graphql.Transport.
func (HTTPTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	w.Header().Add("Vary", "Accept")
	media, ok := negotiate(r.Header.Get("Accept"))
	if !ok {
		writeRequestError(ctx, w, exec, mediaJSON, &httpError{http.StatusNotAcceptable, CodeBadUserInput,
			"the Accept header allows neither application/graphql-response+json nor application/json"})
		return
	}
	start := graphql.Now()
	var params *graphql.RawParams
	var herr *httpError
	switch r.Method {
	case http.MethodGet:
		params, herr = paramsFromURL(r)
	case http.MethodPost:
		params, herr = paramsFromBody(r)
	default:
		w.Header().Set("Allow", "GET, POST")
		herr = &httpError{http.StatusMethodNotAllowed, CodeBadUserInput, "method " + r.Method + " is not allowed: use GET or POST"}
	}
	if herr != nil {
		writeRequestError(ctx, w, exec, media, herr)
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}

	opCtx, errs := exec.CreateOperationContext(ctx, params)
	if errs != nil {
		// Nothing ran: these are request errors, all the client's doing.
		for _, e := range errs {
			if e.Extensions == nil {
				e.Extensions = map[string]any{}
			}
			if e.Extensions["code"] == nil {
				e.Extensions["code"] = CodeBadUserInput
			}
		}
		status := http.StatusOK
		if media == mediaGraphQLResponse {
			status = http.StatusBadRequest
		}
		writeResponse(w, media, status, requestErrorResult(exec.DispatchError(graphql.WithOperationContext(ctx, opCtx), errs)))
		return
	}
	if r.Method == http.MethodGet && opCtx.Operation.Operation != ast.Query {
		w.Header().Set("Allow", "POST")
		writeRequestError(ctx, w, exec, media, &httpError{http.StatusMethodNotAllowed, CodeBadUserInput,
			"GET runs queries only: send a " + string(opCtx.Operation.Operation) + " with POST"})
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, opCtx)
	resp := responses(ctx)
	if resp == nil {
		// The request's context ended before execution started.
		writeRequestError(ctx, w, exec, media, &httpError{http.StatusServiceUnavailable, CodeUnavailable, "the request was cancelled or timed out"})
		return
	}
	writeResponse(w, media, http.StatusOK, resp)
}

// httpError is a request refused before GraphQL sees it.
type httpError struct {
	status  int
	code    string
	message string
}

func badRequest(format string, args ...any) *httpError {
	return &httpError{http.StatusBadRequest, CodeBadUserInput, fmt.Sprintf(format, args...)}
}

// negotiate picks the response media type from an Accept header: the
// supported type with the higher q-value, the one listed first on a tie. A
// wildcard (*/* or application/*) stands for application/json unless
// application/json is listed itself. It reports false when Accept is present
// but allows neither type.
func negotiate(accept string) (string, bool) {
	if strings.TrimSpace(accept) == "" {
		return mediaJSON, true
	}
	type pref struct {
		q     float64
		pos   int
		found bool
	}
	var explicit = map[string]*pref{mediaJSON: {}, mediaGraphQLResponse: {}}
	var wild pref
	for pos, part := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if s, ok := params["q"]; ok {
			if q, err = strconv.ParseFloat(s, 64); err != nil || q < 0 || q > 1 {
				continue
			}
		}
		p := explicit[mt]
		if mt == "*/*" || mt == "application/*" {
			p = &wild
		}
		if p != nil && (!p.found || q > p.q) {
			*p = pref{q: q, pos: pos, found: true}
		}
	}
	js, gr := *explicit[mediaJSON], *explicit[mediaGraphQLResponse]
	if !js.found {
		js = wild
	}
	switch {
	case gr.q > 0 && (gr.q > js.q || gr.q == js.q && gr.pos < js.pos):
		return mediaGraphQLResponse, true
	case js.q > 0:
		return mediaJSON, true
	}
	return "", false
}

// paramsFromURL reads the request parameters of a GET.
func paramsFromURL(r *http.Request) (*graphql.RawParams, *httpError) {
	values, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, badRequest("the query string is malformed: %v", err)
	}
	p := &graphql.RawParams{OperationName: values.Get("operationName")}
	for _, f := range []struct {
		name string
		dst  *map[string]any
	}{{"variables", &p.Variables}, {"extensions", &p.Extensions}} {
		if s := values.Get(f.name); s != "" {
			if herr := decodeObject(f.name, json.RawMessage(s), f.dst); herr != nil {
				return nil, herr
			}
		}
	}
	if !values.Has("query") && p.Extensions["persistedQuery"] == nil {
		return nil, badRequest("the request has no query parameter")
	}
	p.Query = values.Get("query")
	return p, nil
}

// paramsFromBody reads the request parameters of a POST: an application/json
// object.
func paramsFromBody(r *http.Request) (*graphql.RawParams, *httpError) {
	ct := r.Header.Get("Content-Type")
	mt, ctParams, err := mime.ParseMediaType(ct)
	if err != nil || mt != mediaJSON {
		return nil, &httpError{http.StatusUnsupportedMediaType, CodeBadUserInput,
			fmt.Sprintf("the request body must be application/json, got Content-Type %q", ct)}
	}
	if cs, ok := ctParams["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return nil, &httpError{http.StatusUnsupportedMediaType, CodeBadUserInput,
			fmt.Sprintf("the request body must be UTF-8, got charset %q", cs)}
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
			return nil, &httpError{http.StatusRequestEntityTooLarge, CodeLimitExceeded,
				fmt.Sprintf("the request body is over %d bytes", mbe.Limit)}
		}
		return nil, badRequest("the request body could not be read")
	}
	var fields map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&fields); err != nil || fields == nil {
		return nil, badRequest("the request body must be a JSON object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, badRequest("the request body must hold one JSON object and nothing after it")
	}
	p := &graphql.RawParams{}
	hasQuery := !isNull(fields["query"])
	if hasQuery {
		if err := json.Unmarshal(fields["query"], &p.Query); err != nil {
			return nil, badRequest("query must be a string")
		}
	}
	if !isNull(fields["operationName"]) {
		if err := json.Unmarshal(fields["operationName"], &p.OperationName); err != nil {
			return nil, badRequest("operationName must be a string or null")
		}
	}
	if herr := decodeObject("variables", fields["variables"], &p.Variables); herr != nil {
		return nil, herr
	}
	if herr := decodeObject("extensions", fields["extensions"], &p.Extensions); herr != nil {
		return nil, herr
	}
	if !hasQuery && p.Extensions["persistedQuery"] == nil {
		return nil, badRequest("the request has no query")
	}
	return p, nil
}

// isNull reports whether a JSON value is absent or null.
func isNull(v json.RawMessage) bool {
	return len(v) == 0 || string(bytes.TrimSpace(v)) == "null"
}

// decodeObject decodes v, which must be a JSON object or null, into dst,
// keeping numbers exact for variable coercion.
func decodeObject(name string, v json.RawMessage, dst *map[string]any) *httpError {
	if isNull(v) {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(v))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		return badRequest("%s must be a JSON object or null", name)
	}
	if _, err := dec.Token(); err != io.EOF {
		return badRequest("%s must be a JSON object or null", name)
	}
	*dst = m
	return nil
}

// writeRequestError answers a request refused before GraphQL saw it, through
// the error presenter like every other error.
func writeRequestError(ctx context.Context, w http.ResponseWriter, exec graphql.GraphExecutor, media string, herr *httpError) {
	err := &gqlerror.Error{Message: herr.message, Extensions: map[string]any{"code": herr.code}}
	writeResponse(w, media, herr.status, requestErrorResult(exec.DispatchError(ctx, gqlerror.List{err})))
}

// requestError is a response without a data entry: the request never
// executed.
type requestError struct {
	Errors     gqlerror.List  `json:"errors"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

func requestErrorResult(resp *graphql.Response) requestError {
	return requestError{Errors: resp.Errors, Extensions: resp.Extensions}
}

// writeResponse writes v, with Content-Length.
//
// Nothing is escaped for HTML: <, >, & and U+2028/U+2029 go out as they
// are, as in the exports. They are valid JSON, the response is never HTML
// (it says nosniff so that no browser takes it for HTML), and escaping
// them meant scanning every response for them.
func writeResponse(w http.ResponseWriter, media string, status int, v any) {
	parts, ok := spliceResponse(v)
	if !ok {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			panic(fmt.Errorf("encoding the GraphQL response: %w", err))
		}
		parts = net.Buffers{bytes.TrimSuffix(buf.Bytes(), []byte{'\n'})}
	}
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	h := w.Header()
	h.Set("Content-Type", media)
	h.Set("Content-Length", strconv.Itoa(n))
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	parts.WriteTo(w)
}

// spliceResponse writes a response around its data without passing the
// data through an encoder, which would validate and compact the whole of
// it again (a fifth of the CPU of a 400 KB neighbourhood): the data is
// gqlgen's compact JSON already, so the bytes are the same either way. It
// returns the response in parts, the data one of them, so that the data
// is not copied once more into a new buffer. ok is false for anything but
// a complete response with data.
func spliceResponse(v any) (parts net.Buffers, ok bool) {
	resp, isResp := v.(*graphql.Response)
	if !isResp || !spliceable(resp) {
		return nil, false
	}
	head := []byte{'{'}
	if len(resp.Errors) > 0 {
		errs, err := json.Marshal(resp.Errors)
		if err != nil {
			return nil, false
		}
		head = append(append(append(head, `"errors":`...), errs...), ',')
	}
	head = append(head, `"data":`...)
	var tail []byte
	if len(resp.Extensions) > 0 {
		ext, err := json.Marshal(resp.Extensions)
		if err != nil {
			return nil, false
		}
		tail = append(append(tail, `,"extensions":`...), ext...)
	}
	tail = append(tail, '}')
	return net.Buffers{head, resp.Data, tail}, true
}

// spliceable reports whether spliceResponse may write resp: a complete
// response with data.
func spliceable(resp *graphql.Response) bool {
	return resp.Data != nil && resp.Label == "" && resp.Path == nil && resp.HasNext == nil
}
