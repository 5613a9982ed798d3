package store

import (
	"context"
	"strings"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// SortKey is a position in a list ordered by (lower(name), id): the keyset
// that cursors encode. Name is the row's name as stored; the database lowers
// it, so ordering and comparison use the same collation.
type SortKey struct {
	Name string
	ID   uuid.UUID
}

// afterKey restricts q to rows after key in (lower(name), id) order.
func afterKey(q *bun.SelectQuery, alias string, key *SortKey) *bun.SelectQuery {
	if key == nil {
		return q
	}
	return q.Where("(lower("+alias+".name), "+alias+".id) > (lower(?), ?)", key.Name, key.ID)
}

func orderByKey(q *bun.SelectQuery, alias string) *bun.SelectQuery {
	return q.OrderExpr("lower(" + alias + ".name), " + alias + ".id")
}

// likePattern escapes s for use inside an ILIKE '%…%' pattern.
func likePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}

func count(ctx context.Context, q *bun.SelectQuery) (int, error) {
	n, err := q.Count(ctx)
	return int(n), err
}

// pgArray passes a Go slice as a PostgreSQL array parameter.
func pgArray(v any) any { return pgdialect.Array(v) }
