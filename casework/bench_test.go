package casework_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/signpost/signpost/access"
	"github.com/signpost/signpost/casework"
	"github.com/signpost/signpost/directory"
	"github.com/signpost/signpost/pgtest"
	"github.com/signpost/signpost/seed"
	"github.com/signpost/signpost/store"
)

// BenchmarkReport builds the all-teams report over a year's caseload of a
// busy service: 5,000 clients in 5 teams, about 10,000 needs, 10,000
// referrals across the demo directory in every state, 2,500 outcome pairs.
func BenchmarkReport(b *testing.B) {
	ctx := context.Background()
	st := pgtest.NewStore(b)
	if _, err := seed.Demo(ctx, directory.New(st, access.Open{}), st); err != nil {
		b.Fatal(err)
	}
	for range 5 {
		if err := st.InsertTeam(ctx, &store.Team{ID: uuid.New(), Name: uuid.NewString()}); err != nil {
			b.Fatal(err)
		}
	}
	for _, q := range []string{
		`INSERT INTO clients (id, team_id, first_name, referral_source, consent_hold, created_at)
		 SELECT gen_random_uuid(), (SELECT id FROM teams ORDER BY id OFFSET g % 5 LIMIT 1), 'Client ' || g,
		        (ARRAY['GP_PRACTICE', 'SELF', 'OTHER'])[1 + g % 3], true, now() - (g % 360) * interval '1 day'
		 FROM generate_series(1, 5000) g`,
		`INSERT INTO client_needs (client_id, need, priority)
		 SELECT c.id, t.code, 1 + n FROM clients c CROSS JOIN generate_series(0, 1) n
		 JOIN LATERAL (SELECT code FROM taxonomy_terms WHERE taxonomy_id = '5e1c7a7e-0000-4000-8000-000000000001'
		   ORDER BY code OFFSET (abs(hashtext(c.id::text)) + n * 7) % 20 LIMIT 1) t ON true
		 ON CONFLICT DO NOTHING`,
		`INSERT INTO referrals (id, client_id, service_id, organisation_id, status, sent_at, created_at)
		 SELECT gen_random_uuid(), c.id, s.id, s.organisation_id, st.status,
		        CASE WHEN st.status <> 'DRAFT' THEN c.created_at END, c.created_at
		 FROM clients c CROSS JOIN generate_series(0, 1) n
		 JOIN LATERAL (SELECT id, organisation_id FROM services ORDER BY id
		   OFFSET (abs(hashtext(c.id::text)) + n * 13) % 155 LIMIT 1) s ON true
		 JOIN LATERAL (SELECT (ARRAY['DRAFT', 'SENT', 'ACCEPTED', 'DECLINED', 'ATTENDED', 'DID_NOT_ATTEND', 'COMPLETED', 'WITHDRAWN'])
		   [1 + (abs(hashtext(c.id::text || n)) % 8)] AS status) st ON true`,
		`INSERT INTO outcome_measures (id, client_id, instrument, kind, date, scores, total)
		 SELECT gen_random_uuid(), c.id, 'SWEMWBS', k.kind, current_date - k.ago, ARRAY[2,2,3,2,3,2,2], 16
		 FROM (SELECT id FROM clients ORDER BY id LIMIT 2500) c
		 CROSS JOIN (VALUES ('BASELINE', 60), ('FINAL', 5)) k(kind, ago)`,
	} {
		if _, err := st.DB.ExecContext(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	cw := casework.New(st, access.Open{})
	admin := access.WithIdentity(ctx, &access.Identity{Kind: access.ByAccount, Role: access.RoleAdmin})
	b.ResetTimer()
	for b.Loop() {
		rep, err := cw.Report(admin, nil, nil, nil)
		if err != nil {
			b.Fatal(err)
		}
		if rep.ClientsReferred == 0 || len(rep.Services) == 0 || len(rep.Wellbeing) == 0 {
			b.Fatalf("empty report %+v", rep)
		}
	}
}
