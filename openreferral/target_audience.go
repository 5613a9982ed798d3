package openreferral

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// taxTargetAudience holds the audiences of ORUK's pc_targetAudience
// extension ("Women", "Carers", "Parents>Grandparents") as terms, so that
// they reach the matcher as term labels and go back out as attributes.
const taxTargetAudience = "oruk-target-audience"

const targetAudienceDescription = "Whom a service is for, from the Open Referral UK pc_targetAudience property."

// Bounds on one service's pc_targetAudience: real feeds give a handful of
// short values.
const (
	maxAudiences      = 50
	maxAudienceLength = 200
)

// audienceValues reads pc_targetAudience: a list of objects with an
// audienceType (as North Lincolnshire gives it) or of plain strings.
func audienceValues(raw json.RawMessage) ([]string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, fmt.Errorf("is not a list")
	}
	if len(items) > maxAudiences {
		return nil, fmt.Errorf("has %d values; at most %d are read", len(items), maxAudiences)
	}
	var out []string
	for _, it := range items {
		var v string
		var obj struct {
			AudienceType string `json:"audienceType"`
		}
		switch {
		case json.Unmarshal(it, &v) == nil:
		case json.Unmarshal(it, &obj) == nil:
			v = obj.AudienceType
		default:
			return nil, fmt.Errorf("holds %s, neither a string nor an object with audienceType", truncate(string(it), 40))
		}
		out = append(out, v)
	}
	return out, nil
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// audiencePath splits "Parents>Grandparents " into its trimmed parts,
// dropping empty ones.
func audiencePath(v string) []string {
	var parts []string
	for _, p := range strings.Split(v, ">") {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			parts = append(parts, p)
		}
	}
	return parts
}

// serviceAudiences links a service to a term for each of its audiences.
// A term's code is its full path and its label the last part; every
// ancestor on the path becomes a term too, so the hierarchy is kept.
func (r *jsonReader) serviceAudiences(s *Service, raw json.RawMessage, p string) {
	o := r.origin(p + ".pc_targetAudience")
	values, err := audienceValues(raw)
	if err != nil {
		r.ds.warn(o, "bad target audience", "pc_targetAudience", "%v; dropped", err)
		return
	}
	for _, v := range values {
		path := audiencePath(v)
		if len(path) == 0 {
			continue
		}
		if utf8.RuneCountInString(v) > maxAudienceLength {
			r.ds.warn(o, "bad target audience", "pc_targetAudience", "a value is longer than %d characters; dropped", maxAudienceLength)
			continue
		}
		r.ds.linkTerm(s, r.audienceTerm(path, o), "")
	}
}

// audienceTerm returns the term for a path, creating it and its
// ancestors once per import.
func (r *jsonReader) audienceTerm(path []string, o Origin) *Term {
	code := strings.Join(path, ">")
	if t := r.audiences[code]; t != nil {
		return t
	}
	t := &Term{Taxonomy: taxTargetAudience, Code: code, Name: path[len(path)-1], Origin: o}
	if len(path) > 1 {
		t.ParentCode = r.audienceTerm(path[:len(path)-1], o).Code
	}
	if len(r.audiences) == 0 && !r.hasTaxonomy(taxTargetAudience) {
		r.ds.Taxonomies = append(r.ds.Taxonomies, &Taxonomy{Name: taxTargetAudience, Description: targetAudienceDescription})
	}
	r.audiences[code] = t
	r.ds.Terms = append(r.ds.Terms, t)
	return t
}

func (r *jsonReader) hasTaxonomy(name string) bool {
	for _, t := range r.ds.Taxonomies {
		if t.Name == name {
			return true
		}
	}
	return false
}
