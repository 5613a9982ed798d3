package matcher

import (
	"fmt"
	"reflect"
	"testing"
)

func ageText(lo, hi *int) string {
	s := func(p *int) string {
		if p == nil {
			return "-"
		}
		return fmt.Sprint(*p)
	}
	return s(lo) + ".." + s(hi)
}

// The names and descriptions below are copied from the shared feeds: the
// North Lincolnshire ORUK feed (services.json, HTML removed; target
// audiences as ORUK audience terms) and the Miami 211 package
// (services.csv, with its literal \n). Only the start of a description is
// read, so only the start is copied.
func TestDeriveAudience(t *testing.T) {
	audience := func(labels ...string) []Term {
		var out []Term
		for _, l := range labels {
			out = append(out, Term{Taxonomy: "ORUK target audience", Label: l})
		}
		return out
	}
	cases := []struct {
		name, desc string
		terms      []Term
		ages       string // min..max, - for none
		gender     string
		groups     []string
	}{
		// Age from prose.
		{"Brigg Youth Club", "Youth Club created to provide a safe space where young people aged between 11 and 14 years can relax, play games, enhancing their wellbeing and developing their social and emotional skills.", nil, "11..14", "", nil},
		{`"We are with You" WAWY`, `<p>Struggling with Drug &amp; Alcohol Addiction? We Are With You provide free and confidential Services, without judgement, to people over the age of 18 facing challenges with drugs &amp; alcohol.</p><p>We Are With You are now offering a drop in session at Victor House fourth Thursday of each month, please contact Victor House to make an appointment.&nbsp;</p>`, nil, "18..-", "", nil},
		{"Over 60s Club", "Weekly meeting for over 60s. Some day trips organised for members only.", nil, "60..-", "", nil},
		{"Junior Taekwondo", "WTF style Taekwondo for children aged 7-16 years. Visit the website or contact using the details above to find out how to join.", nil, "7..16", "", nil},
		{"Over 50's Performing Arts Group", "Performing Arts is a group for anyone from within the community aged 50+ who would like to meet with others to sing songs and help produce concerts through the year that raise funds for local charities.", nil, "50..-", "", nil},
		{"Age UK Lindsey - Information and Advice", "Age UK Lindsey offers a free, impartial and confidential information and advice service for older people, their families and carers. We specialise in providing quality-assured, age-specific support to anyone over fifty living in East Lindsey, West Lindsey or North Lincolnshire.", nil, "50..-", "", nil},
		{"AMERICAN ASSOCIATION OF RETIRED PERSONS", "AARP is a national, membership organization that advocates for individuals age 50 and older. Members need not be retired.", nil, "50..-", "", nil},
		{"FOSTER GRANDPARENT PROGRAM", "Provides part-time volunteer opportunities for low-income persons ages 55 and older to render supportive services to at-risk and special needs children.", nil, "55..-", "", nil},
		{"RAFAEL VILLAVERDE", `This facility serves seniors who are affected by debilitating illnesses and need a safe environment during the day time hours. These centers also provide respite for family caregivers.`, nil, "50..-", "", nil},
		// Children who come with a parent, and parents of children, are
		// not an age limit.
		{"Mini Music Makers : North Lincolnshire Museum", "Music classes for children under 5. Experience the joy of learning together with your little one through music, songs, and play.", audience("Parents>Grandparents"), "-..-", "", nil},
		{"Stay and Play Group Messingham", "Grow in a safe nurturing environment with toys to play with, singalongs and story time. £4 for an adult and 1 child. 50p per extra sibling, refreshments included. For parents and carers for babies and pre-school children. (Term time only)", nil, "-..-", "", nil},
		{"HEALTHY START", `The Healthy Start Program is an initiative that assures that pregnant women and young children ages 0-3 years in Florida have access to prenatal and child health care`, nil, "-..-", "", nil},
		// Gender.
		{"Free Women's Group (18+)", "Mondays 1230-1430 Come along for a chat and maybe have a go at something new (Arts and Crafts are optional and not a must take part) Free Tea and Coffee A friendly women's group open to aged 18+", audience("Women"), "18..-", GenderWomen, nil},
		{"Friday Club (Men's Group)", "Men's mental health support group Chat and a cuppa, trips, activities and support. We look forward to meeting you.", audience("Men"), "-..-", GenderMen, nil},
		{"HERE'S HELP, INC.", `Residential Program:\nProvides residential substance abuse treatment for males. Services include counseling, job readiness assistance and educational programs.`, nil, "-..-", GenderMen, nil},
		{"MOTHER TERESA HOME FOR WOMEN IN DISTRESS", "Provides emergency night shelter for women and children, (boys under age 4 only). Dinner and breakfast is provided, as well as emergency clothing and toiletries. Runs a soup kitchen for men.", nil, "-..-", GenderWomen, nil},
		// A feed's "Women" audience term is whom it hopes to reach, and a
		// centre named "for Women" in a description is a name.
		{"Sewing Classes", "Have you been inspired by the Great British Sewing Bee? Learning to sew is a great way to become more creative with the garments and home items you own.", audience("Women"), "-..-", "", nil},
		{"DADDY DUTIES 101", `The Center for Women and Children at South Miami Hospital offers a variety of informative classes to expectant parents.`, nil, "-..-", "", nil},
		// Closed groups.
		{"Dementia Cafe - Ashby", "Come along to our friendly Dementia Cafes. Run by our Dementia Advisors. Come along for a cuppa and a chat, along with a range of activities for those living with dementia and their Carers.", nil, "-..-", "", []string{"carer", "dementia"}},
		{"Barton Carer Peer Support Group", "**** New Venue! **** Carer Peer Support Groups can offer empathetic support that only another Carer can give. Carers meet on the second and fourth Friday of the month at The Salvation Army, 114 Tofts Road, Barton Upon Humber", audience("Carers"), "-..-", "", []string{"carer"}},
		{"Armed Forces & Veterans Breakfast Club", "Welcome to the Scunthorpe Breakfast Club, part of the growing network of Armed Forces & Veterans Breakfast Clubs in the UK and Worldwide.", nil, "-..-", "", []string{"veteran"}},
		{"Unity Fitness: Teen LGBTQIA+ Sessions", "Unity Fitness: Teen LGBTQIA+ Sessions are inclusive, affirming workout sessions created specifically for LGBTQIA+ teens aged 11-16.", audience("LGBTQ+"), "11..16", "", []string{"lgbtq"}},
		{"#TalkSuicide", "The Together service is here to support local people who have been bereaved by suicide across Hull, East Riding of Yorkshire, North East Lincolnshire and North Lincolnshire.", nil, "-..-", "", []string{"bereaved-by-suicide"}},
		// Mentions that are not audiences.
		{"SALVATION ARMY", `The Salvation Army has been serving Miami-Dade since 1913 through shelters, rehabilitation centers, emergency food, rental assistance`, nil, "-..-", "", nil},
		{"EMERGENCY CARE CENTER", "Jackson Memorial Hospital's emergency care center treats from the routine to the most extraordinary medical cases. We also provide the latest and most advanced treatments for stroke victims.", nil, "-..-", "", nil},
		{"Art Therapy", "Art Therapy is a form of psychotherapy that uses art materials and images to help with communication. Autistic spectrum Aspergers support Difficulties with autistic spectrum Dementia Short assessments", nil, "-..-", "", nil},
		{"Baby and Child First Aid session", "A 2 hour First Aid class designed for parents, carers and grandparents covering: Baby & Child CPR Choking techniques", nil, "-..-", "", nil},
		{"Ashby Community Hub", "Our community hubs are based throughout North Lincolnshire. They make it easier for residents to access information, advice and support. The hub spaces are open to everyone.", nil, "-..-", "", nil},
		{"Crystal Healing North Lincolnshire", "Crystal Healing - Energy Healing for the Mind, Body and Soul", audience("Long Term Health Conditions", "Women", "Cancer", "Bereaved"), "-..-", "", nil},
		{"Scrabble Club", "Scrabble is the classic word game. Each game for 2-4 players.", nil, "-..-", "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := DeriveAudience(&Document{Name: c.name, Description: c.desc, Terms: c.terms})
			if got := ageText(a.MinimumAge, a.MaximumAge); got != c.ages {
				t.Errorf("ages %s, want %s (evidence %q)", got, c.ages, a.Evidence)
			}
			if a.Gender != c.gender {
				t.Errorf("gender %q, want %q (evidence %q)", a.Gender, c.gender, a.Evidence)
			}
			if !reflect.DeepEqual(a.Groups, c.groups) {
				t.Errorf("groups %v, want %v (evidence %q)", a.Groups, c.groups, a.Evidence)
			}
			if (a.MinimumAge != nil || a.MaximumAge != nil || a.Gender != "" || len(a.Groups) > 0) && len(a.Evidence) == 0 {
				t.Errorf("no evidence kept")
			}
		})
	}
}

func TestDeriveAudienceSources(t *testing.T) {
	// Structured ages win over the words; the organisation's answer wins
	// over everything.
	d := Document{Name: "Over 60s Club", Description: "Weekly meeting for over 60s.", MinimumAge: intp(55)}
	if a := DeriveAudience(&d); ageText(a.MinimumAge, a.MaximumAge) != "55..-" {
		t.Errorf("structured: %s", ageText(a.MinimumAge, a.MaximumAge))
	}
	d.ConfirmedAudience = &Audience{Gender: GenderMen}
	if a := DeriveAudience(&d); a.MinimumAge != nil || a.Gender != GenderMen {
		t.Errorf("confirmed: %+v", a)
	}
	// Eligibility text counts as fully as the name.
	d = Document{Name: "Lunch Club", Eligibility: "Veterans and their partners. Aged 65 and over."}
	if a := DeriveAudience(&d); !reflect.DeepEqual(a.Groups, []string{"veteran"}) || ageText(a.MinimumAge, a.MaximumAge) != "65..-" {
		t.Errorf("eligibility: %+v", a)
	}
	// AIRS target populations: closed only when every one is a group.
	airs := func(labels ...string) []Term {
		var out []Term
		for i, l := range labels {
			out = append(out, Term{Taxonomy: "Open211 Miami - AIRS", Code: fmt.Sprintf("YF-%d", i), Label: l})
		}
		return out
	}
	if a := DeriveAudience(&Document{Name: "Support", Terms: airs("Veterans", "Disabled Veterans")}); !reflect.DeepEqual(a.Groups, []string{"veteran"}) || a.Soft {
		t.Errorf("AIRS veterans: %+v", a)
	}
	// Review finding 4: "Families of Veterans" are not veterans; this row
	// used to expect veterans only.
	if a := DeriveAudience(&Document{Name: "Support", Terms: airs("Veterans", "Families of Veterans")}); len(a.Groups) != 0 {
		t.Errorf("AIRS families of veterans: %v", a.Groups)
	}
	if a := DeriveAudience(&Document{Name: "Support", Terms: airs("Veterans", "Adults", "Low Income")}); len(a.Groups) != 0 {
		t.Errorf("AIRS veterans among others: %v", a.Groups)
	}
	if a := DeriveAudience(&Document{Name: "Camp", Terms: airs("Preadolescent Children", "Adolescents")}); ageText(a.MinimumAge, a.MaximumAge) != "-..25" {
		t.Errorf("AIRS ages: %s", ageText(a.MinimumAge, a.MaximumAge))
	}
	// A category that is not a target population does not close.
	if a := DeriveAudience(&Document{Name: "Clinic", Terms: []Term{{Taxonomy: "Open211 Miami - AIRS", Code: "LT-1750.1700", Label: "Dementia Management"}}}); len(a.Groups) != 0 {
		t.Errorf("category: %v", a.Groups)
	}
}

func TestCircumstancePhrases(t *testing.T) {
	for _, code := range CircumstanceCodes() {
		if len(CircumstancePhrases(code)) == 0 {
			t.Errorf("%s has no phrases", code)
		}
		if circumstanceFor[code] == "" || circumstanceSaid[code] == "" {
			t.Errorf("%s has no words for reasons", code)
		}
	}
	for code := range circumstancePhrases {
		if !IsCircumstance(code) {
			t.Errorf("phrases for unknown code %s", code)
		}
	}
	if CircumstancePhrases("nonsense") != nil {
		t.Error("unknown code has phrases")
	}
}

func TestPersonGroups(t *testing.T) {
	cases := []struct {
		p    Profile
		want []string
	}{
		{Profile{Goals: []string{"My wife has dementia and I need a break"}}, []string{"dementia", "carer"}},
		{Profile{Goals: []string{"I'm a veteran, I was in the army for 20 years"}}, []string{"veteran"}},
		{Profile{Goals: []string{"I look after my mum"}}, []string{"carer"}},
		{Profile{Needs: []string{"carers"}, Age: intp(17)}, []string{"carer", "young-carer"}},
		{Profile{Circumstances: []string{"young-carer"}, Needs: []string{"debt"}}, []string{"carer", "young-carer"}},
		{Profile{Circumstances: []string{"lgbtq"}, Interests: []string{"walking"}}, []string{"lgbtq"}},
		{Profile{Goals: []string{"meet people my age and get out of the house"}}, nil},
		// Finding 7: the client's own condition beside a relative is not
		// caring; the relative must have the condition.
		{Profile{Goals: []string{"since my stroke my wife does everything"}}, []string{"stroke"}},
		{Profile{Goals: []string{"I'd like to go with my friend, I had a stroke"}}, []string{"stroke"}},
		{Profile{Goals: []string{"my dad's dementia is getting worse"}}, []string{"dementia", "carer"}},
		{Profile{Goals: []string{"my mum who was diagnosed with Parkinson's"}}, []string{"parkinsons", "carer"}},
		// Finding 8: someone else's carer, a past role, a rule-out, a name
		// and a shop are not groups the client is in.
		{Profile{Goals: []string{"my carer says I should get out more"}}, nil},
		{Profile{Goals: []string{"I used to be a carer until mum died"}}, nil},
		{Profile{Goals: []string{"I don't want anything for carers"}}, nil},
		{Profile{Goals: []string{"not a dementia group"}}, nil},
		{Profile{Goals: []string{"I served in a shop for 30 years"}}, nil},
		{Profile{Goals: []string{"the Salvation Army helped me"}}, nil},
		{Profile{Goals: []string{"I'm a carer for my dad"}}, []string{"carer"}},
		{Profile{Goals: []string{"I am his carer and it is hard"}}, []string{"carer"}},
		// Finding 12: help with alcohol for a relative's drinking is not
		// being in recovery.
		{Profile{Needs: []string{"alcohol-and-drugs"}}, []string{"in-recovery"}},
		{Profile{Needs: []string{"alcohol-and-drugs"}, Goals: []string{"my son's drinking is out of control"}}, nil},
		{Profile{Needs: []string{"alcohol-and-drugs"}, Goals: []string{"My husband is an alcoholic"}}, nil},
	}
	for _, c := range cases {
		pa := personOf(&c.p)
		var got []string
		for _, g := range CircumstanceCodes() {
			if _, ok := pa.groups[g]; ok {
				got = append(got, g)
			}
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%+v: groups %v, want %v", c.p, got, c.want)
		}
	}
}

// audienceTown is the town plus real services with audiences, copied
// from the North Lincolnshire feed.
func audienceTown() []Document {
	docs := town()
	add := func(id, name, desc string) {
		d := docs[0]
		d.ID, d.Name, d.Description, d.OrganisationID, d.MinimumAge, d.MaximumAge = id, name, desc, "org-"+id, nil, nil
		docs = append(docs, d)
	}
	add("youth", "Brigg Youth Club", "Youth Club created to provide a safe space where young people aged between 11 and 14 years can relax, play games, enhancing their wellbeing and developing their social and emotional skills.")
	add("over60", "Over 60s Club", "Weekly meeting for over 60s. Some day trips organised for members only.")
	add("women", "Free Women's Group (18+)", "Come along for a chat and maybe have a go at something new. A friendly women's group open to aged 18+")
	add("men", "Friday Club (Men's Group)", "Men's mental health support group Chat and a cuppa, trips, activities and support.")
	add("carers", "Barton Carer Peer Support Group", "Carer Peer Support Groups can offer empathetic support that only another Carer can give. They are a great way to meet other Carers, socialise, develop friendships and share information.")
	add("dementia", "Dementia Cafe - Ashby", "Come along for a cuppa and a chat, along with a range of activities for those living with dementia and their Carers.")
	add("veterans", "Armed Forces & Veterans Breakfast Club", "We are a group of veterans and serving members of Her Majesty’s Armed Forces. A great place to meet like-minded people for support, chat and banter.")
	return docs
}

func reasonIn(ms []Match, id string, kind ReasonKind) string {
	for _, m := range ms {
		if m.ServiceID == id {
			for _, r := range m.Reasons {
				if r.Kind == kind {
					return r.Text
				}
			}
		}
	}
	return ""
}

func TestRankAgeFromProse(t *testing.T) {
	ix := newIndex(t, audienceTown())
	social := []string{"loneliness"}
	old := rank(t, ix, Profile{Needs: social, Goals: []string{"a club to meet people"}, Age: intp(72)})
	if has(old, "youth") || !has(old, "over60") {
		t.Errorf("72: %v", ids(old))
	}
	if r := reasonIn(old, "over60", ReasonAudience); r != "For people aged 60+ — the client is 72." {
		t.Errorf("reason %q", r)
	}
	young := rank(t, ix, Profile{Needs: social, Goals: []string{"a club to meet people"}, Age: intp(13)})
	if !has(young, "youth") || has(young, "over60") {
		t.Errorf("13: %v", ids(young))
	}
	// A range read from prose gives two years either way; a structured
	// one (the choir's 16–99) none.
	if ms := rank(t, ix, Profile{Needs: social, Goals: []string{"a club"}, Age: intp(58)}); !has(ms, "over60") {
		t.Errorf("58 is within the tolerance: %v", ids(ms))
	}
	if ms := rank(t, ix, Profile{Needs: social, Goals: []string{"a club"}, Age: intp(57)}); has(ms, "over60") {
		t.Errorf("57 is not: %v", ids(ms))
	}
	if ms := rank(t, ix, Profile{Needs: []string{"arts-and-creativity"}, Age: intp(15)}); has(ms, "choir") {
		t.Errorf("structured range is exact: %v", ids(ms))
	}
	// Unknown age: no filter, no signal.
	ms := rank(t, ix, Profile{Needs: social, Goals: []string{"a club to meet people"}})
	if !has(ms, "youth") || !has(ms, "over60") {
		t.Errorf("unknown age: %v", ids(ms))
	}
	for _, m := range ms {
		if m.Signals["audience"] != 0 || m.Audience != nil {
			t.Errorf("%s: audience %v %+v without an age", m.ServiceID, m.Signals["audience"], m.Audience)
		}
	}
}

func TestRankGender(t *testing.T) {
	ix := newIndex(t, audienceTown())
	p := Profile{Needs: []string{"loneliness", "mental-wellbeing"}, Goals: []string{"a group to chat"}}
	for _, c := range []struct {
		gender     string
		women, men bool
	}{{PersonWoman, true, false}, {PersonMan, false, true}, {PersonNonBinary, true, true}, {"", true, true}} {
		p.Gender = c.gender
		ms := rank(t, ix, p)
		if has(ms, "women") != c.women || has(ms, "men") != c.men {
			t.Errorf("%q: %v", c.gender, ids(ms))
		}
	}
	p.Gender = PersonMan
	if r := reasonIn(rank(t, ix, p), "men", ReasonAudience); r != "For men." {
		t.Errorf("reason %q", r)
	}
}

func TestRankClosedGroups(t *testing.T) {
	ix := newIndex(t, audienceTown())
	base := Profile{Needs: []string{"loneliness"}, Goals: []string{"meet people for a chat and a cuppa"}}
	closed := []string{"carers", "dementia", "veterans"}
	in := func(p Profile, want ...string) []Match {
		t.Helper()
		ms := rank(t, ix, p)
		for _, id := range closed {
			if has(ms, id) != contains(want, id) {
				t.Errorf("%+v: %s shown=%v, want %v (%v)", p, id, has(ms, id), contains(want, id), ids(ms))
			}
		}
		return ms
	}
	// Outside every group: none of them.
	in(base)
	// Inside via circumstances: carers' group, and the dementia cafe that
	// welcomes carers; first, as the audience signal is strong.
	p := base
	p.Circumstances = []string{"carer"}
	ms := in(p, "carers", "dementia")
	if r := reasonIn(ms, "carers", ReasonAudience); r != "For carers — the client said they are an unpaid carer." {
		t.Errorf("reason %q", r)
	}
	if m := ms[0]; m.ServiceID != "carers" && m.ServiceID != "dementia" || m.Signals["audience"] != 1 || len(m.Audience.Groups) != 1 {
		t.Errorf("top %s %v %+v", m.ServiceID, m.Signals, m.Audience)
	}
	// Inside via the client's words.
	p = base
	p.Goals = append(p.Goals, "my husband has Alzheimer's")
	ms = in(p, "carers", "dementia")
	if r := reasonIn(ms, "carers", ReasonAudience); r != "For carers — the client's words suggest they care for their husband." {
		t.Errorf("reason %q", r)
	}
	p = base
	p.Goals = append(p.Goals, "I served in the RAF")
	ms = in(p, "veterans")
	if r := reasonIn(ms, "veterans", ReasonAudience); r != "For armed forces veterans — the client's words suggest so (“raf”)." {
		t.Errorf("reason %q", r)
	}
	// Inside via a need that implies it.
	p = base
	p.Needs = append(p.Needs, "carers")
	in(p, "carers", "dementia")
}

func TestRankConfirmedAudienceWins(t *testing.T) {
	docs := audienceTown()
	for i := range docs {
		if docs[i].ID == "over60" {
			// The organisation says anyone is welcome.
			docs[i].ConfirmedAudience = &Audience{}
		}
		if docs[i].ID == "lunch" {
			// And the lunch club, whose words say nothing of veterans,
			// is only for them.
			docs[i].ConfirmedAudience = &Audience{Groups: []string{"veteran"}}
		}
	}
	ix := newIndex(t, docs)
	ms := rank(t, ix, Profile{Needs: []string{"loneliness"}, Goals: []string{"a club to meet people"}, Age: intp(40)})
	if !has(ms, "over60") || has(ms, "lunch") {
		t.Errorf("confirmed audiences: %v", ids(ms))
	}
}
