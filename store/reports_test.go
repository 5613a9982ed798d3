package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/signpost/signpost/pgtest"
	"github.com/signpost/signpost/store"
)

func TestReportCounts(t *testing.T) {
	ctx := context.Background()
	st := pgtest.NewStore(t)
	north, south := newTeam(t, st, "North"), newTeam(t, st, "South")
	for _, team := range []uuid.UUID{north.ID, north.ID, south.ID} {
		newClient(t, st, team)
	}
	gp := newClient(t, st, north.ID)
	gp.ReferralSource, gp.ReferralDetail = "GP_PRACTICE", "Dr Example"
	must(t, st.UpdateClient(ctx, gp, 1))
	now := time.Now()

	for _, c := range []struct {
		name  string
		scope store.ReportScope
		want  string
	}{
		{"one team, most first", store.ReportScope{From: now.Add(-time.Hour), To: now.Add(time.Hour), TeamIDs: []uuid.UUID{north.ID}},
			"[{SELF 2} {GP_PRACTICE 1}]"},
		{"both teams", store.ReportScope{From: now.Add(-time.Hour), To: now.Add(time.Hour), TeamIDs: []uuid.UUID{north.ID, south.ID}},
			"[{SELF 3} {GP_PRACTICE 1}]"},
		{"a period before them", store.ReportScope{From: now.Add(-2 * time.Hour), To: now.Add(-time.Hour), TeamIDs: []uuid.UUID{north.ID}},
			"[]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := st.ClientsBySource(ctx, c.scope)
			if err != nil || fmt.Sprint(got) != c.want {
				t.Fatalf("ClientsBySource = %v, %v; want %s", got, err, c.want)
			}
		})
	}
}
