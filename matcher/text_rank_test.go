package matcher

import (
	"strings"
	"testing"
)

// hub is a small directory of real North Lincolnshire listings (texts
// shortened from the council's ORUK feed) where a word-by-word reading of
// a goal goes wrong.
func hub() []Document {
	near := []Location{{Name: "Ashby Community Hub", Postcode: "DN16 2RS", Latitude: 53.5650, Longitude: -0.6420}}
	base := func(id, name, desc string) Document {
		return Document{ID: id, Name: name, Description: desc, OrganisationID: "org-" + id, OrganisationName: "Org " + id,
			Status: "active", AcceptingRefs: true, DeliveryModes: []string{"in_person"}, Locations: near}
	}
	docs := []Document{
		base("homeless", "Day Centre for the Homeless", "As more and more people are pushed into homelessness our day centre "+
			"provides them with a safe place to find solutions. We offer multiple options to help them find a path out of "+
			"homelessness, and a place to get out of the cold and meet others."),
		base("housing", "Housing Advice", "Housing advice for tenants, landlords, homeowners and professionals. Contact the "+
			"housing advice team if you have any questions or problems about your house or housing."),
		base("rooms", "Ashby Community Hub", "Meeting rooms for hire for local groups and businesses. The hub spaces are open "+
			"to everyone, of any age."),
		base("coffee", "Coffee Morning", "Free weekly coffee morning for anyone who may feel lonely, isolated or who would "+
			"like to meet new friends and become part of the community."),
		base("talking", "NHS North Lincs Talking Therapies", "Provides evidence-based psychological therapies to adults "+
			"who are experiencing common mental health problems such as depression, anxiety and stress. Talking about "+
			"your feelings with a trained therapist."),
		base("counselling", "Counselling", "Counselling, and talking therapies in general, involves talking to a trained "+
			"professional about the things you are perhaps struggling with."),
		base("mensclub", "Andys Man Club", "Free-to-attend peer-to-peer support groups for men, to help men through the "+
			"power of conversation."),
		base("choir", "Choir concerts and rehearsals", "An opportunity to join a high quality, open access choir, rehearsing "+
			"and performing in the Scunthorpe area."),
		base("walk", "Nordic Walking Group", "Nordic Walking takes place every Monday and Thursday. If you've never tried it "+
			"before, we offer a short technique introduction session."),
		base("cake", "Bonby Village Hall", "Tea, coffee and cake held every Thursday in the village hall, with books for sale "+
			"once a month and a morning raffle."),
		base("phone", "Telephone Befriending", "A volunteer rings you every week for a chat, so you feel less lonely."),
		base("church", "Brigg Methodist Church", "Opportunities for worship and fellowship to all. We meet every Sunday "+
			"followed by coffee and chat."),
	}
	docs[10].DeliveryModes = []string{"telephone"}
	docs[10].Locations = nil
	return docs
}

func position(ms []Match, id string) int {
	for i, m := range ms {
		if m.ServiceID == id {
			return i
		}
	}
	return len(ms) + 1
}

func match(ms []Match, id string) *Match {
	for i := range ms {
		if ms[i].ServiceID == id {
			return &ms[i]
		}
	}
	return nil
}

func TestGoalWordsInContext(t *testing.T) {
	ix := newIndex(t, hub())
	t.Run("get out of the house is not housing", func(t *testing.T) {
		ms := rank(t, ix, Profile{Goals: []string{"I want to get out of the house and meet others of my age"}})
		if len(ms) == 0 {
			t.Fatal("no matches")
		}
		for _, bad := range []string{"homeless", "housing", "rooms"} {
			if position(ms, bad) < position(ms, "coffee") {
				t.Errorf("%s ranks above the coffee morning: %v", bad, ids(ms))
			}
		}
		if ms[0].ServiceID == "homeless" || ms[0].ServiceID == "housing" {
			t.Errorf("first is %s: %v", ms[0].ServiceID, ids(ms))
		}
		if m := match(ms, "housing"); m != nil && m.Signals["text"] > 0 {
			t.Errorf("housing advice has text relevance %.2f", m.Signals["text"])
		}
	})
	t.Run("a rule-out demotes talking therapies", func(t *testing.T) {
		p := Profile{Needs: []string{"mental-wellbeing"}, Goals: []string{"Not a group where we talk about our feelings, something with other men"}}
		ms := rank(t, ix, p)
		for _, bad := range []string{"talking", "counselling"} {
			if position(ms, bad) < position(ms, "mensclub") {
				t.Errorf("%s ranks above the men's club: %v", bad, ids(ms))
			}
		}
		// Without the rule-out the same need puts a talking therapy first,
		// so the order above is the rule-out's doing.
		plain := rank(t, ix, Profile{Needs: []string{"mental-wellbeing"}, Goals: []string{"something with other men"}})
		if len(plain) == 0 || plain[0].ServiceID != "talking" && plain[0].ServiceID != "counselling" {
			t.Errorf("without the rule-out: %v", ids(plain))
		}
	})
	t.Run("singing finds a choir that never says singing", func(t *testing.T) {
		ms := rank(t, ix, Profile{Interests: []string{"singing"}})
		m := match(ms, "choir")
		if m == nil || position(ms, "choir") != 0 {
			t.Fatalf("choir not first: %v", ids(ms))
		}
		if m.Signals["text"] <= 0 {
			t.Errorf("choir has no text relevance: %v", m.Signals)
		}
		if r := reasonOf(m, ReasonGoal); r != "The client said “singing”; it offers “choir”." {
			t.Errorf("goal reason %q", r)
		}
	})
	t.Run("a ruled-out word is never quoted as asked for", func(t *testing.T) {
		for _, goal := range []string{"not singing please, I hate choirs", "I can't sing but I'd like to walk",
			"I love singing, but not singing in a choir"} {
			for _, m := range rank(t, ix, Profile{Needs: []string{"loneliness"}, Goals: []string{goal}}) {
				if r := reasonOf(&m, ReasonGoal); strings.Contains(r, "sing") || strings.Contains(r, "choir") {
					t.Errorf("%q: %s has goal reason %q", goal, m.ServiceID, r)
				}
			}
		}
		ms := rank(t, ix, Profile{Goals: []string{"I can't sing but I'd like to walk"}})
		if r := reasonOf(match(ms, "walk"), ReasonGoal); r != "Matches what the client said: “walk”." {
			t.Errorf("walking group's goal reason %q", r)
		}
	})
	t.Run("making friends is not befriending", func(t *testing.T) {
		ms := rank(t, ix, Profile{Needs: []string{"loneliness"}, Interests: []string{"friends"}})
		if m := match(ms, "phone"); m != nil && strings.Contains(reasonOf(m, ReasonGoal), "befriending") {
			t.Errorf("befriending offered for friends: %q", reasonOf(m, ReasonGoal))
		}
	})
	t.Run("nothing online keeps to services in person", func(t *testing.T) {
		ms := rank(t, ix, Profile{Needs: []string{"loneliness"}, Goals: []string{"I don't want anything online or on the phone"}})
		if has(ms, "phone") {
			t.Errorf("telephone befriending offered: %v", ids(ms))
		}
		if m := match(ms, "coffee"); m == nil || !strings.Contains(reasonOf(m, ReasonGoal), "In person, as the client asked: “don't want anything online or on the phone”") {
			t.Errorf("coffee morning missing or without the in-person reason: %v", ms)
		}
		// The profile's own answer wins over the words.
		ms = rank(t, ix, Profile{Needs: []string{"loneliness"}, Goals: []string{"nothing online"}, AcceptsRemote: boolp(true)})
		if !has(ms, "phone") {
			t.Errorf("telephone befriending left out though the profile accepts it: %v", ids(ms))
		}
	})
	t.Run("no religious groups", func(t *testing.T) {
		ms := rank(t, ix, Profile{Goals: []string{"a coffee and a chat, no religious groups"}})
		if position(ms, "church") < position(ms, "coffee") {
			t.Errorf("the church ranks above the coffee morning: %v", ids(ms))
		}
	})
}

func TestPhrasesCountMoreThanScatteredWords(t *testing.T) {
	docs := hub()[:2]
	// Two village halls with the same words, of the same length, and
	// names that say nothing: only the phrase sets them apart.
	docs = append(docs, hub()[3], hub()[9])
	docs[2].ID, docs[2].Name, docs[2].OrganisationName = "together", "Bonby Village Hall", "Bonby Parish"
	docs[2].Description = "A coffee morning held every Thursday in the village hall, with tea, cake and books for sale."
	docs[3].ID, docs[3].Name, docs[3].OrganisationName = "scattered", "Barrow Village Hall", "Barrow Parish"
	docs[3].Description = "Tea, coffee and cake every Thursday in the village hall, with books for sale in the morning."
	ix := newIndex(t, docs)
	ms := rank(t, ix, Profile{Goals: []string{"a coffee morning"}})
	together, scattered := match(ms, "together"), match(ms, "scattered")
	if together == nil || scattered == nil {
		t.Fatalf("missing: %v", ids(ms))
	}
	t.Logf("phrase %.3f, scattered %.3f", together.Signals["text"], scattered.Signals["text"])
	if together.Signals["text"] <= scattered.Signals["text"]*1.05 {
		t.Errorf("phrase %.3f, scattered %.3f", together.Signals["text"], scattered.Signals["text"])
	}
	if position(ms, "together") > position(ms, "scattered") {
		t.Errorf("the phrase ranks below the scattered words: %v", ids(ms))
	}
	// The reason quotes the phrase whole where it stands together, and
	// only the words where they do not.
	if r := reasonOf(together, ReasonGoal); r != "Matches what the client said: “coffee morning”." {
		t.Errorf("phrase reason %q", r)
	}
	if r := reasonOf(scattered, ReasonGoal); strings.Contains(r, "coffee morning") || !strings.Contains(r, "“coffee”") {
		t.Errorf("scattered reason %q", r)
	}
}

func reasonOf(m *Match, kind ReasonKind) string {
	var out []string
	for _, r := range m.Reasons {
		if r.Kind == kind {
			out = append(out, r.Text)
		}
	}
	return strings.Join(out, " ")
}

func TestSynonymsCountLessThanThePersonsWords(t *testing.T) {
	docs := hub()[7:9]
	docs[0].ID, docs[0].Name = "choir", "Isle Community Choir"
	docs[0].Description = "A weekly community choir run by professional musicians. Friendly atmosphere, no audition needed."
	docs[1].ID, docs[1].Name = "singing", "Isle Community Singing"
	docs[1].Description = "A weekly community singing group run by professional musicians. Friendly atmosphere, no audition needed."
	ix := newIndex(t, docs)
	ms := rank(t, ix, Profile{Goals: []string{"singing"}})
	said, synonym := match(ms, "singing"), match(ms, "choir")
	if said == nil || synonym == nil {
		t.Fatalf("missing: %v", ids(ms))
	}
	if synonym.Signals["text"] <= 0 || synonym.Signals["text"] >= said.Signals["text"] {
		t.Errorf("synonym %.3f, the person's word %.3f", synonym.Signals["text"], said.Signals["text"])
	}
	if r := reasonOf(said, ReasonGoal); !strings.Contains(r, "“singing”") || strings.Contains(r, "like") {
		t.Errorf("goal reason %q", r)
	}
}

// A facility type ("Senior Centers") is not evidence that a service is
// about loneliness; a listing whose own words are about it is.
func TestOwnWordsOutweighAFacilityCategory(t *testing.T) {
	docs := hub()[2:4]
	docs[0].ID, docs[0].Name = "marian", "MARIAN TOWERS" // Miami 211, service 2844
	docs[0].Description = "Services include congregate meals, food stamps assistance, nutrition education, health screenings, " +
		"respite care, and recreation activities."
	docs[0].Terms = []Term{{ID: "t", Taxonomy: "Open211 Miami - AIRS", Code: "TC-5500.8000", Label: "Senior Centers"}}
	ix := newIndex(t, docs)
	ms := rank(t, ix, Profile{Needs: []string{"loneliness"}})
	if len(ms) < 2 || ms[0].ServiceID != "coffee" {
		t.Errorf("want the coffee morning first: %v", ids(ms))
	}
	senior, own := needEvidence(&docs[0])["loneliness"], needEvidence(&docs[1])["loneliness"]
	if senior == nil || own == nil || senior.Strength >= own.Strength {
		t.Errorf("senior centre %+v, coffee morning %+v", senior, own)
	}
}
