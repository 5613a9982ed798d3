package graph

import (
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/signpost/signpost/fault"
	"github.com/signpost/signpost/graph/model"
	"github.com/signpost/signpost/store"
)

// Kinds of object behind global ids.
const (
	kindOrganisation = "Organisation"
	kindService      = "Service"
	kindLocation     = "Location"
	kindTaxonomy     = "Taxonomy"
	kindTerm         = "TaxonomyTerm"
)

// globalID makes the opaque id of an object: base64url("Kind:uuid").
func globalID(kind string, id uuid.UUID) string {
	return base64.RawURLEncoding.EncodeToString([]byte(kind + ":" + id.String()))
}

// parseGlobalID splits a global id into its kind and uuid.
func parseGlobalID(gid string) (string, uuid.UUID, bool) {
	b, err := base64.RawURLEncoding.DecodeString(gid)
	if err != nil {
		return "", uuid.Nil, false
	}
	kind, raw, ok := strings.Cut(string(b), ":")
	if !ok {
		return "", uuid.Nil, false
	}
	id, err := uuid.Parse(raw)
	if err != nil {
		return "", uuid.Nil, false
	}
	return kind, id, true
}

// idOf decodes a global id that must be of the given kind; field names the
// argument for the error.
func idOf(field, kind, gid string) (uuid.UUID, error) {
	k, id, ok := parseGlobalID(gid)
	if !ok {
		return uuid.Nil, fault.InvalidField(field, "%q is not a Signpost id", gid)
	}
	if k != kind {
		return uuid.Nil, fault.InvalidField(field, "is the id of a %s, not of a %s", k, kind)
	}
	return id, nil
}

func idsOf(field, kind string, gids []string) ([]uuid.UUID, error) {
	var ps fault.Problems
	out := make([]uuid.UUID, 0, len(gids))
	for i, g := range gids {
		id, err := idOf(field, kind, g)
		if err != nil {
			ps.Add(field+"["+strconv.Itoa(i)+"]", "%s", err.(*fault.Invalid).Problems[0].Message)
			continue
		}
		out = append(out, id)
	}
	return out, ps.Err()
}

type cursor struct {
	N string    `json:"n"`
	I uuid.UUID `json:"i"`
}

// encodeCursor makes the opaque cursor of a row in a (name, id) ordered list.
func encodeCursor(name string, id uuid.UUID) string {
	b, _ := json.Marshal(cursor{N: name, I: id})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(after *string) (*store.SortKey, error) {
	if after == nil || *after == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(*after)
	var c cursor
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	// The name was the row's, so it is text a field may hold.
	if err != nil || c.I == uuid.Nil || storableText(c.N) != "" {
		return nil, fault.InvalidField("after", "is not a cursor from this list")
	}
	return &store.SortKey{Name: c.N, ID: c.I}, nil
}

func pageInfo(after *string, first, last string, hasNext bool) *model.PageInfo {
	pi := &model.PageInfo{HasNextPage: hasNext, HasPreviousPage: after != nil && *after != ""}
	if first != "" {
		pi.StartCursor, pi.EndCursor = &first, &last
	}
	return pi
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// orDefault is *p, or def when p is nil: an argument the caller left out.
func orDefault[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}

func parseUUID(s string) (uuid.UUID, error) { return uuid.Parse(s) }
