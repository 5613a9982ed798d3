package graph

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/signpost/signpost/fault"
	"github.com/signpost/signpost/graph/model"
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

// optionalIDOf decodes an optional global id argument of the given kind.
func optionalIDOf(field, kind string, gid *string) (*uuid.UUID, error) {
	if gid == nil {
		return nil, nil
	}
	id, err := idOf(field, kind, *gid)
	if err != nil {
		return nil, err
	}
	return &id, nil
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
