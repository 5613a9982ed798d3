package store

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/signpost/signpost/fault"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// Page sizes of every keyset-paged list.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// CursorKey is a row's position in a keyset-ordered list: the value of the
// column the list is sorted by, as text, then the id that breaks ties.
// Each entity builds its key beside the ORDER BY that sorts it (see
// Organisation.CursorKey and orderByName, Referral.CursorKey and
// Referrals), so the key always matches the SQL.
type CursorKey struct {
	Value string
	ID    uuid.UUID
}

// An Order is how a list is sorted, and so what its cursors' values hold.
type Order int

const (
	// ByName: (lower(name), id), the value is the row's name as stored.
	ByName Order = iota
	// ByNewest: (created_at DESC, id DESC), the value is the creation time
	// in RFC 3339.
	ByNewest
)

// cursorJSON is a key as clients carry it, opaque: base64url of this.
type cursorJSON struct {
	N string    `json:"n"`
	I uuid.UUID `json:"i"`
}

// Cursor is the key as the opaque cursor clients pass back as after.
func (k CursorKey) Cursor() string {
	b, _ := json.Marshal(cursorJSON{N: k.Value, I: k.ID})
	return base64.RawURLEncoding.EncodeToString(b)
}

// ParseCursor reads the cursor a list in order o handed out; nil or empty
// is the start of the list. Anything else is BAD_USER_INPUT naming after,
// never a query the database would refuse.
func ParseCursor(after *string, o Order) (*CursorKey, error) {
	if after == nil || *after == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(*after)
	var c cursorJSON
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.I == uuid.Nil || !validValue(c.N, o) {
		return nil, fault.InvalidField("after", "is not a cursor from this list")
	}
	return &CursorKey{Value: c.N, ID: c.I}, nil
}

// validValue reports whether v can be a value of a list in order o: a name
// is text a column may hold, a time is one the database reads.
func validValue(v string, o Order) bool {
	if o == ByNewest {
		at, err := time.Parse(time.RFC3339Nano, v)
		return err == nil && at.Year() >= 1
	}
	return utf8.ValidString(v) && strings.IndexByte(v, 0) < 0
}

// newestKey is the key of a row in ByNewest order.
func newestKey(created time.Time, id uuid.UUID) CursorKey {
	return CursorKey{Value: created.UTC().Format(time.RFC3339Nano), ID: id}
}

// Page asks for one page of a list: First rows (DefaultPageSize when nil)
// after a position (the start when nil).
type Page struct {
	First *int
	After *CursorKey
}

// Limit checks First and returns how many rows to fetch: one more than
// asked, to know whether another page follows.
func (p Page) Limit() (int, error) {
	if p.First == nil {
		return DefaultPageSize + 1, nil
	}
	if *p.First < 1 || *p.First > MaxPageSize {
		return 0, fault.InvalidField("first", "must be between 1 and %d", MaxPageSize)
	}
	return *p.First + 1, nil
}

// Rows is one page of a list.
type Rows[T any] struct {
	Items       []T
	HasNextPage bool
}

// Cut makes the page from rows fetched with limit (from Page.Limit).
func Cut[T any](rows []T, limit int) Rows[T] {
	if len(rows) == limit {
		return Rows[T]{Items: rows[:limit-1], HasNextPage: true}
	}
	return Rows[T]{Items: rows}
}

// afterName restricts q to rows after key in ByName order.
func afterName(q *bun.SelectQuery, alias string, key *CursorKey) *bun.SelectQuery {
	if key == nil {
		return q
	}
	return q.Where("(lower("+alias+".name), "+alias+".id) > (lower(?), ?)", key.Value, key.ID)
}

// orderByName sorts q in ByName order; the rows' keys are nameKey.
func orderByName(q *bun.SelectQuery, alias string) *bun.SelectQuery {
	return q.OrderExpr("lower(" + alias + ".name), " + alias + ".id")
}

// nameKey is the key of a row in ByName order.
func nameKey(name string, id uuid.UUID) CursorKey { return CursorKey{Value: name, ID: id} }

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
