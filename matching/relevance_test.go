package matching_test

import (
	"context"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/signpost/signpost/access"
	"github.com/signpost/signpost/directory"
	"github.com/signpost/signpost/indexer"
	"github.com/signpost/signpost/matcher"
	"github.com/signpost/signpost/matching"
	"github.com/signpost/signpost/openreferral"
	"github.com/signpost/signpost/pgtest"
	"github.com/signpost/signpost/seed"
	"github.com/signpost/signpost/shareddata"
	"github.com/signpost/signpost/store"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// judged is a hand-written expectation: for a profile, services (by name)
// expected near the top, and services that must never be suggested (the
// hard filters and the audience rules at work). The expectations near the
// top were written by the engineer who tuned the matcher, so they are only
// logged: ranking quality is measured blind, on held-out profiles, in
// package relevance. The never-lists are enforced.
type judged struct {
	name  string
	p     matching.Profile
	top5  []string
	never []string
}

func intp(n int) *int           { return &n }
func floatp(f float64) *float64 { return &f }
func boolp(b bool) *bool        { return &b }

func needs(n ...string) matcher.Profile { return matcher.Profile{Needs: n} }

func with(p matcher.Profile, f func(*matcher.Profile)) matcher.Profile { f(&p); return p }

// evaluate ranks every judged profile and reports hit rate at 5 and mean
// nDCG at 10 (the top-5 services as the relevant ones).
func evaluate(t *testing.T, m *matching.Service, set []judged) {
	t.Helper()
	hits, wanted := 0, 0
	ndcgSum := 0.0
	for _, j := range set {
		res, err := m.Match(context.Background(), j.p, 10)
		if err != nil {
			t.Fatalf("%s: %v", j.name, err)
		}
		names := make([]string, len(res))
		for i, r := range res {
			names[i] = r.Service.Name
		}
		// "A|B" judges any of several services (real directories repeat
		// names, e.g. one LIHEAP office per neighbourhood).
		pos := func(name string) int {
			for i, n := range names {
				for _, alt := range strings.Split(name, "|") {
					if strings.EqualFold(n, alt) {
						return i
					}
				}
			}
			return -1
		}
		dcg, ideal := 0.0, 0.0
		for i, want := range j.top5 {
			wanted++
			ideal += 1 / math.Log2(float64(i)+2)
			p := pos(want)
			if p >= 0 {
				dcg += 1 / math.Log2(float64(p)+2)
			}
			if p >= 0 && p < 5 {
				hits++
			} else {
				t.Logf("%s: %q is at position %d, expected in the top 5; got %s", j.name, want, p+1, strings.Join(names, " | "))
			}
		}
		for _, bad := range j.never {
			if p := pos(bad); p >= 0 {
				t.Errorf("%s: %q must not be suggested (position %d)", j.name, bad, p+1)
			}
		}
		if ideal > 0 {
			ndcgSum += dcg / ideal
		}
	}
	t.Logf("%d profiles: hit rate@5 %.3f (%d/%d), mean nDCG@10 %.3f", len(set), float64(hits)/float64(wanted), hits, wanted, ndcgSum/float64(len(set)))
}

func newMatching(t *testing.T, st *store.Store) *matching.Service {
	t.Helper()
	x, err := indexer.Open(context.Background(), st, filepath.Join(t.TempDir(), "index"), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	return matching.New(st, x.Index(), access.Open{})
}

// Ashbridge (NE46 1BG) is the town centre; Acomb (NE46 4PU) is 2.5 km north.
var townCentre = &matcher.Point{Latitude: 54.96845, Longitude: -2.10096}

func demoSet() []judged {
	near := func(p matcher.Profile, km float64) matcher.Profile {
		p.Location, p.MaxDistanceKm = townCentre, floatp(km)
		return p
	}
	return []judged{
		{"lonely widower, 78", matching.Profile{Profile: with(needs("loneliness", "bereavement"), func(p *matcher.Profile) { p.Age = intp(78) })},
			[]string{"Bereavement Cafe", "Walking Through Grief"}, []string{"Youth Wellbeing Drop-in", "Friday Night Sports"}},
		{"debt and benefits", matching.Profile{Profile: needs("debt", "money-and-benefits")},
			[]string{"General Advice Drop-in"}, []string{"Community Choir"}},
		{"wants to sing", matching.Profile{Profile: matcher.Profile{Interests: []string{"singing"}}},
			[]string{"Community Choir", "Singing for Lung Health"}, nil},
		{"COPD and low mood", matching.Profile{Profile: with(needs("long-term-conditions", "mental-wellbeing"), func(p *matcher.Profile) {
			p.Goals = []string{"I have COPD and I'm feeling low"}
		})}, []string{"Breathe Easy Group", "Singing for Lung Health"}, nil},
		{"carer of wife with dementia", matching.Profile{Profile: with(needs("carers"), func(p *matcher.Profile) {
			p.Goals = []string{"I look after my wife who has dementia and need a break"}
			p.Age = intp(70)
		})}, []string{"Dementia Carers Course", "Carers Respite Sitting Service"}, []string{"Young Carers Club"}},
		{"young carer, 13", matching.Profile{Profile: with(needs("carers"), func(p *matcher.Profile) { p.Age = intp(13) })},
			[]string{"Young Carers Club"}, []string{"Carers Support Group", "Dementia Carers Course"}},
		{"drinking too much", matching.Profile{Profile: with(needs("alcohol-and-drugs"), func(p *matcher.Profile) {
			p.Age = intp(45)
			p.Goals = []string{"I'm drinking too much"}
		})},
			[]string{"Alcohol Advice and Assessment"}, []string{"Youth Wellbeing Drop-in"}},
		{"food, free only", matching.Profile{Profile: with(needs("food"), func(p *matcher.Profile) { p.FreeOnly = true })},
			[]string{"Emergency Food Parcels", "Community Supper"}, []string{"Community Pantry", "Tuesday Lunch Club"}},
		{"facing eviction", matching.Profile{Profile: needs("housing")},
			[]string{"Homelessness Prevention Advice"}, []string{"Community Choir"}},
		{"domestic abuse", matching.Profile{Profile: with(needs("domestic-abuse"), func(p *matcher.Profile) { p.Age = intp(34) })},
			[]string{"Domestic Abuse Outreach", "Freedom Programme"}, []string{"Relationship Counselling"}},
		{"get fit, near town, Monday morning", matching.Profile{Profile: near(with(needs("physical-activity"), func(p *matcher.Profile) {
			p.Availability = []matcher.Availability{{Day: "MO", From: "09:00", To: "12:00"}}
			p.Age = intp(60)
		}), 3)}, []string{"Riverside Health Walk"}, []string{"Friday Night Sports"}},
		{"get online", matching.Profile{Profile: needs("digital-inclusion")},
			[]string{"Get Online Drop-in", "Digital Buddies"}, nil},
		{"learn English, Arabic speaker", matching.Profile{Profile: with(needs("learning-and-skills"), func(p *matcher.Profile) {
			p.Goals = []string{"improve my English"}
			p.Languages = []string{"Arabic"}
		})}, []string{"English Conversation Class (ESOL)"}, []string{"Pottery Taster Course"}},
		{"back to work after illness", matching.Profile{Profile: with(needs("employment"), func(p *matcher.Profile) {
			p.Goals = []string{"get back to work after being ill"}
		})}, []string{"Working Well Coaching"}, nil},
		{"grieving parent of a child", matching.Profile{Profile: with(needs("bereavement"), func(p *matcher.Profile) { p.Age = intp(9) })},
			[]string{"Children's Grief Group"}, []string{"Bereavement Counselling"}},
		{"gardening for wellbeing", matching.Profile{Profile: with(needs("mental-wellbeing", "nature-and-outdoors"), func(p *matcher.Profile) {
			p.Interests = []string{"gardening"}
		})}, []string{"Therapeutic Gardening"}, nil},
		{"wants to volunteer, anxious", matching.Profile{Profile: needs("volunteering", "mental-wellbeing")},
			[]string{"Supported Volunteering"}, nil},
		{"wheelchair user, lonely, Tuesday", matching.Profile{Profile: with(needs("loneliness"), func(p *matcher.Profile) {
			p.Accessibility = []string{"wheelchair access"}
			p.Availability = []matcher.Availability{{Day: "TU", From: "11:00", To: "15:00"}}
		})}, []string{"Tuesday Lunch Club"}, []string{"Knit and Natter"}},
		{"no remote services, lonely", matching.Profile{Profile: with(needs("loneliness"), func(p *matcher.Profile) { p.AcceptsRemote = boolp(false) })},
			nil, []string{"Telephone Befriending", "Pen Pals Friendship Scheme"}},
		{"legal problem with landlord", matching.Profile{Profile: with(needs("legal-advice", "housing"), func(p *matcher.Profile) {
			p.Goals = []string{"my landlord is trying to evict me"}
		})}, []string{"Homelessness Prevention Advice"}, nil},
		{"new dad, postnatal low mood", matching.Profile{Profile: with(needs("family-and-relationships", "mental-wellbeing"), func(p *matcher.Profile) {
			p.Goals = []string{"new baby, feeling low"}
		})}, []string{"Perinatal Peer Support"}, nil},
	}
}

func TestRelevanceDemo(t *testing.T) {
	st := pgtest.NewStore(t)
	if _, err := seed.Demo(context.Background(), directory.New(st, access.Open{}), st); err != nil {
		t.Fatal(err)
	}
	evaluate(t, newMatching(t, st), demoSet())
}

// Miami-Dade places.
var (
	downtownMiami = &matcher.Point{Latitude: 25.7743, Longitude: -80.1937}
	littleHavana  = &matcher.Point{Latitude: 25.7655, Longitude: -80.2060}
)

func goals(p matcher.Profile, g ...string) matcher.Profile { p.Goals = g; return p }

// miamiSet judges the imported 211 directory, which nobody tagged with
// Signpost's needs: what works here works through taxonomy mappings and
// text.
func miamiSet() []judged {
	pr := func(p matcher.Profile) matching.Profile { return matching.Profile{Profile: p} }
	return []judged{
		{"compulsive gambling", pr(goals(needs("alcohol-and-drugs"), "I can't stop gambling")),
			[]string{"FLORIDA COUNCIL ON COMPULSIVE GAMBLING, INC.|GAMBLERS ANONYMOUS INTERNATIONAL SERVICE OFFICE, INC.|THE NATIONAL COUNCIL ON PROBLEM GAMBLING, INC."},
			[]string{"ENGLISH AS A SECOND LANGUAGE"}},
		{"widow wants a support group", pr(with(goals(needs("bereavement"), "a support group after losing my husband"), func(p *matcher.Profile) { p.Location = downtownMiami })),
			[]string{"BEREAVEMENT SUPPORT GROUPS|BEREAVEMENT SUPPORT GROUP|GRIEF SUPPORT|LIFT FROM LOSS ADULT GROUPS"}, []string{"DETOX UNIT"}},
		{"grieving child", pr(with(goals(needs("bereavement"), "my daughter is 10 and lost her grandmother"), func(p *matcher.Profile) { p.Age = intp(10) })),
			[]string{"CAMP ERIN|CHILDREN'S BEREAVEMENT CAMP|CHILD BEREAVEMENT SUPPORT GROUPS|CHILDREN'S BEREAVEMENT SUPPORT GROUP"}, []string{"DETOX UNIT"}},
		{"credit card debt", pr(goals(needs("debt"), "credit card debt I can't pay")),
			[]string{"CLEARPOINT CREDIT COUNSELING SOLUTIONS|CONSOLIDATED CREDIT COUNSELING SERVICES, INC.|CREDIT COUNSELING RESOURCE CENTER"}, nil},
		{"learn English", pr(goals(needs("learning-and-skills"), "learn English as a second language")),
			[]string{"ENGLISH AS A SECOND LANGUAGE"}, []string{"DETOX UNIT"}},
		{"carer needs respite", pr(goals(needs("carers"), "I care for my elderly mother and need respite")),
			[]string{"EMERGENCY RESPITE SERVICES"}, nil},
		{"electric bill", pr(goals(needs("money-and-benefits"), "help paying my electric bill")),
			[]string{"LIHEAP"}, nil},
		{"free lawyer for divorce", pr(goals(needs("legal-advice"), "free lawyer for my divorce and custody")),
			[]string{"DADE LEGAL AID|DIVORCE CLINIC|LEGAL SERVICES OF GREATER MIAMI, INC.|FAMILY LAW UNIT"}, []string{"DETOX UNIT"}},
		{"suicide prevention", pr(goals(needs("mental-wellbeing"), "support after my brother's suicide")),
			[]string{"FLORIDA INITIATIVE FOR SUICIDE PREVENTION, INC.|SURVIVORS OF SUICIDE SUPPORT GROUP|NATIONAL SUICIDE PREVENTION LIFELINE"}, []string{"LIHEAP"}},
		{"alcohol detox", pr(goals(needs("alcohol-and-drugs"), "I need to detox from alcohol")),
			[]string{"DETOX UNIT"}, []string{"CAMP ERIN"}},
		{"hot meal", pr(goals(needs("food"), "a free hot lunch, soup kitchen")),
			[]string{"HOMESTEAD SOUP KITCHEN|SOUP KITCHEN"}, nil},
		{"diabetes", pr(goals(needs("long-term-conditions"), "help managing my diabetes")),
			[]string{"DIABETES PROGRAM"}, nil},
		{"volunteer with homeless people", pr(goals(needs("volunteering"), "volunteer helping homeless people")),
			[]string{"VOLUNTEER PROGRAM"}, nil},
		{"new parents", pr(goals(needs("family-and-relationships"), "parenting support, home visits for our newborn")),
			[]string{"HEALTHY FAMILIES MIAMI-DADE PROGRAM|HOME VISITING|PARENTS AS TEACHERS|PARENT-CHILD PROGRAM (HOME BASED)"}, nil},
		{"eviction notice", pr(goals(needs("housing"), "I got an eviction notice and can't pay the rent")),
			[]string{"HOMELESS PREVENTION PROGRAM"}, nil},
		{"foreclosure", pr(goals(needs("housing", "debt"), "behind on my mortgage, facing foreclosure")),
			[]string{"FORECLOSURE PREVENTION COUNSELING|MORTGAGE FORECLOSURE|FORECLOSURE PREVENTION PROGRAM"}, nil},
		{"job training", pr(goals(needs("employment"), "job training and help with my resume")),
			[]string{"WORKFORCE DEVELOPMENT|JOB READINESS|EMPLOYMENT PREPARATION AND TRAINING|JOB WORKS"}, []string{"CAMP ERIN"}},
		{"lonely and hungry in Little Havana", pr(with(needs("loneliness", "food"), func(p *matcher.Profile) {
			p.Age, p.Location, p.MaxDistanceKm = intp(75), littleHavana, floatp(3)
		})), []string{"LITTLE HAVANA ACTIVITIES AND NUTRITION CENTERS OF DADE COUNTY, INC.|RAFAEL VILLAVERDE|MYERS|GESU PARISH HALL"},
			[]string{"CAMP ERIN", "HOMESTEAD SOUP KITCHEN"}},
		{"debt help near downtown, in person only", pr(with(needs("debt"), func(p *matcher.Profile) {
			p.Location, p.MaxDistanceKm, p.AcceptsRemote = downtownMiami, floatp(30), boolp(false)
		})), nil, []string{"FORECLOSURE PREVENTION COUNSELING", "CONSOLIDATED CREDIT COUNSELING SERVICES, INC."}},
		{"domestic violence shelter", pr(goals(needs("domestic-abuse"), "I need to escape domestic violence, a safe shelter")),
			[]string{"THE LODGE|SAFESPACE SHELTER NORTH|SAFESPACE SHELTER SOUTH|EMERGENCY SHELTER"}, []string{"CAMP ERIN"}},
	}
}

func TestRelevanceMiami211(t *testing.T) {
	evaluate(t, newMatching(t, importMiami(t)), miamiSet())
}

func importMiami(t testing.TB) *store.Store {
	t.Helper()
	st := pgtest.NewStore(t)
	ds, _, err := openreferral.Read(shareddata.Path(t, "hsds-miami-211", "datapackage.zip"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := openreferral.Import(context.Background(), st, ds, openreferral.Options{Source: "miami"}); err != nil {
		t.Fatal(err)
	}
	return st
}
