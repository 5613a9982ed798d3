package indexer_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/signpost/signpost/access"
	"github.com/signpost/signpost/casework"
	"github.com/signpost/signpost/directory"
	"github.com/signpost/signpost/indexer"
	"github.com/signpost/signpost/matcher"
	"github.com/signpost/signpost/pgtest"
	"github.com/signpost/signpost/seed"
	"github.com/signpost/signpost/store"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func open(t *testing.T, st *store.Store, dir string) *indexer.Indexer {
	t.Helper()
	x, err := indexer.Open(context.Background(), st, dir, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// run starts the indexer's loop, stopped when the test ends.
func run(t *testing.T, x *indexer.Indexer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); x.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
}

func names(t *testing.T, ix *matcher.Index, need string) map[string]bool {
	t.Helper()
	ms, err := ix.Rank(context.Background(), matcher.Profile{Needs: []string{need}}, matcher.Options{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, m := range ms {
		out[m.ServiceID] = true
	}
	return out
}

func waitHead(t *testing.T, st *store.Store, xs ...*indexer.Indexer) time.Duration {
	t.Helper()
	start := time.Now()
	head, err := st.OutboxHead(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// The deadline only turns a hang into a failure; the time taken is
	// logged (the goal is well under 2 s), not asserted.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, x := range xs {
		if err := x.WaitFor(ctx, head); err != nil {
			t.Fatalf("a replica did not apply outbox entry %d: %v", head, err)
		}
	}
	return time.Since(start)
}

// TestTwoReplicasFollowOneDatabase: two indexes over one database, as two
// server processes would have; a write reaches both, woken by NOTIFY.
func TestTwoReplicasFollowOneDatabase(t *testing.T) {
	ctx := context.Background()
	st := pgtest.NewStore(t)
	dir := directory.New(st, access.Open{})
	if _, err := seed.Demo(ctx, dir, st); err != nil {
		t.Fatal(err)
	}
	a, b := open(t, st, filepath.Join(t.TempDir(), "a")), open(t, st, filepath.Join(t.TempDir(), "b"))
	defer a.Close()
	defer b.Close()
	run(t, a)
	run(t, b)
	if a.Index().Len() != 155 || b.Index().Len() != 155 {
		t.Fatalf("replicas hold %d and %d services", a.Index().Len(), b.Index().Len())
	}

	org, err := dir.CreateOrganisation(ctx, directory.OrganisationInput{Name: "Hexham Origami Society"})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := dir.CreateService(ctx, org.ID, directory.ServiceInput{Name: "Origami Afternoons",
		Description: "Paper folding for everyone.", NeedCodes: []string{"arts-and-creativity"}, AcceptingReferrals: true})
	if err != nil {
		t.Fatal(err)
	}
	took := waitHead(t, st, a, b)
	t.Logf("a new service reached both replicas in %s", took)
	for _, x := range []*indexer.Indexer{a, b} {
		if !names(t, x.Index(), "arts-and-creativity")[svc.ID.String()] {
			t.Fatal("the new service is not matched on a replica")
		}
	}

	// An edit that takes the service off the need, then archiving it.
	if _, err := dir.UpdateService(ctx, svc.ID, svc.Version, directory.ServiceInput{Name: "Origami Afternoons",
		Description: "Paper folding.", NeedCodes: []string{"learning-and-skills"}, AcceptingReferrals: true}); err != nil {
		t.Fatal(err)
	}
	waitHead(t, st, a, b)
	if names(t, b.Index(), "arts-and-creativity")[svc.ID.String()] || !names(t, b.Index(), "learning-and-skills")[svc.ID.String()] {
		t.Fatal("an edit did not reach the replica")
	}
	cur, _ := st.ServiceByID(ctx, svc.ID)
	if _, err := dir.ArchiveService(ctx, svc.ID, cur.Version); err != nil {
		t.Fatal(err)
	}
	waitHead(t, st, a, b)
	if names(t, a.Index(), "learning-and-skills")[svc.ID.String()] {
		t.Fatal("an archived service is still matched")
	}
	// Renaming an organisation re-indexes its services.
	if _, err := dir.UpdateOrganisation(ctx, org.ID, org.Version, directory.OrganisationInput{Name: "Tynedale Origami"}); err != nil {
		t.Fatal(err)
	}
	waitHead(t, st, a, b)
}

// TestResumesFromItsPositionAfterARestart: changes made while a replica is
// down are applied when it starts again, without a rebuild.
func TestResumesFromItsPositionAfterARestart(t *testing.T) {
	ctx := context.Background()
	st := pgtest.NewStore(t)
	dir := directory.New(st, access.Open{})
	seed.Demo(ctx, dir, st)
	path := filepath.Join(t.TempDir(), "index")
	x := open(t, st, path)
	before := x.Position()
	x.Close()

	org, _ := dir.CreateOrganisation(ctx, directory.OrganisationInput{Name: "Late Org"})
	svc, err := dir.CreateService(ctx, org.ID, directory.ServiceInput{Name: "Late Lunch Club",
		Description: "Lunch and company.", NeedCodes: []string{"food"}, AcceptingReferrals: true})
	if err != nil {
		t.Fatal(err)
	}
	x = open(t, st, path)
	defer x.Close()
	if x.Position() != before {
		t.Fatalf("reopened at position %d, want %d (no rebuild)", x.Position(), before)
	}
	if err := x.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if !names(t, x.Index(), "food")[svc.ID.String()] {
		t.Fatal("a change made while the replica was down was not applied")
	}
}

// TestCorruptIndexIsRebuiltFromTheDatabase: a damaged index directory is
// moved aside and rebuilt on start, not fatal.
func TestCorruptIndexIsRebuiltFromTheDatabase(t *testing.T) {
	ctx := context.Background()
	st := pgtest.NewStore(t)
	seed.Demo(ctx, directory.New(st, access.Open{}), st)
	path := filepath.Join(t.TempDir(), "index")
	x := open(t, st, path)
	x.Close()
	entries, _ := os.ReadDir(path)
	for _, e := range entries {
		os.WriteFile(filepath.Join(path, e.Name()), []byte("garbage"), 0o644)
	}
	x = open(t, st, path)
	defer x.Close()
	if x.Index().Len() != 155 {
		t.Fatalf("rebuilt index holds %d services, want 155", x.Index().Len())
	}
	if _, err := os.Stat(path + ".unusable"); err != nil {
		t.Errorf("the corrupt index was not kept aside: %v", err)
	}
}

// TestReferralHistoryReachesTheIndex: answering referrals re-indexes the
// service, whose acceptance and attendance then show in its reasons and
// lift its history signal.
func TestReferralHistoryReachesTheIndex(t *testing.T) {
	ctx := context.Background()
	st := pgtest.NewStore(t)
	if _, err := seed.Demo(ctx, directory.New(st, access.Open{}), st); err != nil {
		t.Fatal(err)
	}
	x := open(t, st, filepath.Join(t.TempDir(), "index"))
	defer x.Close()
	run(t, x)
	svcs, err := st.ServicesPage(ctx, store.ServiceFilter{NeedCodes: []string{"carers"}}, nil, 1)
	if err != nil || len(svcs) == 0 {
		t.Fatalf("no carers service: %v", err)
	}
	svc := svcs[0]
	signal := func() (float64, []matcher.Reason) {
		waitHead(t, st, x)
		ms, err := x.Index().Rank(ctx, matcher.Profile{Needs: []string{"carers"}}, matcher.Options{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			if m.ServiceID == svc.ID.String() {
				return m.Signals["history"], m.Reasons
			}
		}
		t.Fatal("the carers service is not ranked for carers")
		return 0, nil
	}
	before, _ := signal()
	team := &store.Team{ID: uuid.New(), Name: "History team"}
	if err := st.InsertTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	cw := casework.New(st, access.Open{})
	for i := range 4 {
		c, err := cw.CreateClient(ctx, casework.ClientInput{TeamID: team.ID, FirstName: fmt.Sprint("Client ", i),
			ConsentHold: true, ReferralSource: "SELF", PreferredContact: "POST"})
		if err != nil {
			t.Fatal(err)
		}
		r, err := cw.CreateReferral(ctx, casework.ReferralInput{ClientID: c.ID, ServiceID: svc.ID, Send: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, to := range []string{casework.Accepted, casework.Attended} {
			if r, err = cw.MoveReferral(ctx, r.ID, r.Version, to, ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	after, reasons := signal()
	if after <= before {
		t.Errorf("history signal %.3f after four attended referrals, %.3f before", after, before)
	}
	found := false
	for _, r := range reasons {
		found = found || r.Kind == matcher.ReasonHistory && strings.Contains(r.Text, "Accepted 4 of 4")
	}
	if !found {
		t.Errorf("no history reason: %+v", reasons)
	}
}
