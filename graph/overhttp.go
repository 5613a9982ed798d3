package graph

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strings"
)

const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// overHTTP brings gqlgen's transports in line with the GraphQL-over-HTTP
// recommendations that they do not follow themselves:
//   - request parameters that are not the right shape (no query, variables
//     that are not an object…) get 400 before execution;
//   - a client that accepts only application/json gets 200 for documents
//     that fail to parse or validate, as the spec asks, rather than 422;
//   - application/graphql-response+json error responses for requests that
//     never executed carry no "data" entry.
func overHTTP(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if msg := invalidParams(r); msg != "" {
			ct := mediaJSON
			if accepts(r, mediaGraphQLResponse) {
				ct = mediaGraphQLResponse
			}
			w.Header().Set("Content-Type", ct+"; charset=utf-8")
			w.WriteHeader(http.StatusBadRequest)
			json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]any{{
				"message": msg, "extensions": map[string]any{"code": codeBadUserInput}}}})
			return
		}
		cw := &complianceWriter{ResponseWriter: w}
		next.ServeHTTP(cw, r)
		cw.finish()
	})
}

func accepts(r *http.Request, media string) bool {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err == nil && mt == media {
			return true
		}
	}
	return false
}

// invalidParams checks the shape of the GraphQL request parameters and
// returns what is wrong, or "". It restores the body it reads.
func invalidParams(r *http.Request) string {
	switch r.Method {
	case http.MethodGet:
		q := r.URL.Query()
		if strings.TrimSpace(q.Get("query")) == "" {
			return "the query parameter is required"
		}
		if v := q.Get("variables"); v != "" && !isJSONObject([]byte(v)) {
			return "variables must be a JSON object"
		}
		if v := q.Get("extensions"); v != "" && !isJSONObject([]byte(v)) {
			return "extensions must be a JSON object"
		}
		return ""
	case http.MethodPost:
		mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if mt != mediaJSON {
			return "" // the transports answer other media types
		}
		body, err := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		if err != nil {
			return "" // the transport reports read errors (e.g. too large)
		}
		var params map[string]json.RawMessage
		if err := json.Unmarshal(body, &params); err != nil {
			return "the request body must be a JSON object"
		}
		var query string
		if err := json.Unmarshal(params["query"], &query); err != nil || strings.TrimSpace(query) == "" {
			return "query must be a non-empty string"
		}
		if v, ok := params["operationName"]; ok && !isNull(v) {
			var s string
			if json.Unmarshal(v, &s) != nil {
				return "operationName must be a string"
			}
		}
		for _, k := range []string{"variables", "extensions"} {
			if v, ok := params[k]; ok && !isNull(v) && !isJSONObject(v) {
				return k + " must be a JSON object"
			}
		}
	}
	return ""
}

func isNull(b json.RawMessage) bool { return string(bytes.TrimSpace(b)) == "null" }

func isJSONObject(b []byte) bool {
	var m map[string]json.RawMessage
	return json.Unmarshal(b, &m) == nil && m != nil
}

// complianceWriter adjusts status codes and buffers the small error bodies
// whose "data" entry it removes.
type complianceWriter struct {
	http.ResponseWriter
	wroteHeader bool
	buffering   bool
	status      int
	buf         bytes.Buffer
}

func (c *complianceWriter) WriteHeader(code int) {
	if c.wroteHeader {
		return
	}
	c.wroteHeader = true
	mt, _, _ := mime.ParseMediaType(c.Header().Get("Content-Type"))
	switch {
	case mt == mediaJSON && code == http.StatusUnprocessableEntity:
		code = http.StatusOK
	case mt == mediaGraphQLResponse && code >= 400:
		c.buffering, c.status = true, code
		return
	}
	c.ResponseWriter.WriteHeader(code)
}

func (c *complianceWriter) Write(b []byte) (int, error) {
	if !c.wroteHeader {
		c.WriteHeader(http.StatusOK)
	}
	if c.buffering {
		return c.buf.Write(b)
	}
	return c.ResponseWriter.Write(b)
}

func (c *complianceWriter) finish() {
	if !c.buffering {
		return
	}
	body := c.buf.Bytes()
	var resp map[string]json.RawMessage
	if json.Unmarshal(body, &resp) == nil {
		if d, ok := resp["data"]; ok && isNull(d) {
			delete(resp, "data")
			if b, err := json.Marshal(resp); err == nil {
				body = b
			}
		}
	}
	c.Header().Del("Content-Length")
	c.ResponseWriter.WriteHeader(c.status)
	c.ResponseWriter.Write(body)
}

func (c *complianceWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }
