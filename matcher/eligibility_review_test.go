package matcher

import (
	"fmt"
	"reflect"
	"testing"
)

func orukTerms(labels ...string) []Term {
	var out []Term
	for _, l := range labels {
		out = append(out, Term{Taxonomy: "ORUK target audience", Label: l})
	}
	return out
}

func airsTerms(labels ...string) []Term {
	var out []Term
	for i, l := range labels {
		out = append(out, Term{Taxonomy: "Open211 Miami - AIRS", Code: fmt.Sprintf("YF-%d", i), Label: l})
	}
	return out
}

// The reviewer's examples (issue 9 review, findings 1–6), with the
// services' words as the shared feeds give them (the start of each
// description, which is all that is read) or as the reviewer quoted them.
// groups are the groups derived; soft whether they only demote.
func TestDeriveAudienceReview(t *testing.T) {
	cases := []struct {
		finding    int
		name, desc string
		terms      []Term
		groups     []string
		soft       bool
	}{
		// 1: a group first in a list, or after "also".
		{1, "Peggy's", "<p>Supporting families living with dementia, older age or frailty</p><p>We provide support for people living with dementia, older age or frailty in their own homes. We also provide day service provision for people living with dementia&nbsp;</p>", orukTerms("Dementia"), []string{"dementia"}, true},
		{1, "Domiciliary Care", "Amara Care Limited has been providing consultation, therapy, residential services and domiciliary care services for individuals with a range of support requirements, since November 2003. This has included supporting both children and adults with learning disabilities, physical disabilities, mental health conditions and other accompanying emotional", orukTerms("Mental Health", "Long Term Health Conditions ", "Disabled People ", "Learning Disabilities ", "Carers ", "Sensory Impaired ", "Dementia ", "Autism"), nil, false},
		{1, "Independent Living", "Amara Care Limited has been providing consultation, therapy, residential services and domiciliary care services for individuals with a range of support requirements, since November 2003. This has included supporting both children and adults with learning disabilities, physical disabilities, mental health conditions and other accompanying emotional", nil, nil, false},
		{1, "Just Checking", "Just Checking is an activity monitoring system which helps care professionals complete objective, evidence-based care needs assessments of adults with dementia, learning disabilities, autism and other complex conditions.", orukTerms("Mental Health", "Disabled People ", "Learning Disabilities ", "Dementia ", "Autism ", "Long Term Health Conditions"), nil, false},
		{1, "ROSAIRES QUALITY CARE, INC.", `Assisting with ADL's (Assisting with Daily Living), medical appointments, community outings, meal preparation, light housekeeping, errands, grocery shopping and medication pick-up. Also, assists with those who have Autism and/or developmental delays.`, nil, nil, false},
		{1, "OUTPATIENT SERVICES", `Provides wide range of mental health services including:\n\n* Adult Psychiatric Medication Services: Serves to reduce psychiatric symptoms with pharmacological treatment. \n\n* Alzheimer's Respite: Provides in-home and/or adult day care services to consumers`, nil, nil, false},
		{1, "SUPPORT GROUPS", `Staying Healthy, Depression, Journey to Wellness & Veterans support groups meet weekly and provide assistance to individuals suffering from conflicts in their lives.`, nil, nil, false},
		{1, "Health Support", "Support for people with cancer, heart disease, diabetes or any long-term condition.", nil, nil, false},
		// A list of groups only stays closed.
		{1, "SUPPORT GROUPS", `Caregiver and peer support groups offered for caregivers, individuals with traumatic brain injury and individuals with strokes and or other neurological conditions.`, nil, nil, false},
		{1, "SUPPORT GROUPS", `CAN offers weekly support groups for cancer patients, cancer survivors, and those who are caregivers to anyone that has cancer. \n\n ###COL###`, nil, nil, false},
		// 2: single-sex terms are not closed-group terms.
		{2, "The Shed on The Isle", "<p>We are The Shed on the Isle in Epworth (on the Isle of Axholme) at the rear of The Thurlow Pavilion Station Road Epworth.</p><p>We have a creative space for people to come along, tinker and meet people.</p>", orukTerms("Women ", "Men ", "Armed Forces"), nil, false},
		// 3: names and phrases that are not audiences.
		{3, "VETERANS PARK", `The City of Hialeah's Creative Learning & Play (CL&P) Program provides an after-school program offering activities for children including literacy, physical fitness, social skills development, homework support`, nil, nil, false},
		{3, "Walking Football", "Walking football for veterans of the game, over 50s welcome.", nil, nil, false},
		{3, "Wheelchair Basketball", "Wheelchair Basketball fun for all regardless of age or ability. This is all-inclusive so parents or carers can even join in with the children and is not just for disabled people.", orukTerms("Wheelchair Users"), nil, false},
		{3, "A BETTER CHANCE", "The Better Chance Youth Music Program is an inclusion model program that provides music instrument, software, and live performance instruction for blind and visually impaired youth along side their sighted peers.", nil, []string{"sight-loss"}, true},
		{3, "Togetherness Singing Group", "A dementia friendly singing group run by volunteers. We sing on Tuesdays from 6pm until 7pm and have refreshments afterwards. No singing skills are necessary it is about enjoying the event. The research is extensive about the benefits of singing for people living with dementia.", nil, nil, false},
		// The group heading the name is strong.
		{3, "Dementia Cafe - Ashby", "Come along to our friendly Dementia Cafes.", nil, []string{"dementia"}, false},
		{3, "Breathe Easy Scunthorpe", "A friendly group meeting monthly.", nil, []string{"lung-condition"}, false},
		{3, "Young Carers Club", "Fun activities every week.", nil, []string{"young-carer"}, false},
		// 4: families and supporters.
		{4, "MIAMI VAHS FISHER HOUSE", "The Miami VAHS Fisher House provides a home for families of veterans and military service members receiving care at the Bruce W. Carter VA Medical Center.", airsTerms("Families of Veterans"), nil, false},
		{4, "OPERATION SACRED TRUST", "Operation Sacred Trust helps to improve very low-income Veteran families' housing stability.", airsTerms("Veterans", "Families of Veterans"), nil, false},
		{4, "THE GIVE AN HOUR NONPROFIT CORPORATION", "Give an Hour is a national nonprofit that provides free mental health services to active duty service members, National Guard and Reserve forces, and veterans who have separated or retired from any branch of military service.", airsTerms("Veterans", "Families of Veterans"), nil, false},
		{4, "CHILDREN OF INMATES, INC.", "The Service Network for Children of Inmates provides wrap-around care coordination services.", airsTerms("Families/Friends of Inmates/Ex-Offenders"), nil, false},
		{4, "Y G INSTITUTE, INC.", "The Y G Institute is dedicated to re-establishing the family and community bond who are affected directly or indirectly by the Judicial system.", airsTerms("Children of Inmates/Ex-Offenders"), nil, false},
		{4, "LAUREN'S LIGHT, INC.", "Lauren's Light mission is to empower families with young children, in which a parent has been diagnosed with cancer, through counseling, resources and information.", airsTerms("Families/Friends of People With Cancer"), nil, false},
		{4, "AUTISM SPEAKS", `The Autism Response Team (ART) is an information line for the autism community. Team members are specially trained to provide personalized information and resources to people with autism and their families.`, nil, []string{"autism"}, true},
		{4, "Autism Response Team", "Support for autistic people and their families.", nil, []string{"autism"}, true},
		{4, "PARENTS, FAMILIES AND FRIENDS OF LESBIANS AND GAYS, INC.", "PFLAG promotes the health and well-being of gay, lesbian, bisexual and transgendered persons, their families and friends through: support, to cope with an adverse society", nil, nil, false},
		{4, "Drop in / coffee morning", "A drop-in / coffee morning for people who have an acquired brain injury and for anyone who supports them. Advice, information and social session.", nil, nil, false},
		{4, "VOLUNTEER OPPORTUNITIES", "Provides opportunities for college and high school students and adults in South Florida to establish one-to-one friendships with people with intellectual disabilities.", airsTerms("High School Students", "College/University Students"), nil, false},
		// 5: recruitment and third-party services.
		{5, "Fostering", "North Lincolnshire Council provides different types of foster care to meet the different needs of our children and young people.", nil, nil, false},
		{5, "Friends of Fostering", "Join the fostering community in North Lincolnshire by signing up to receive a monthly newsletter of all things fostering.", nil, nil, false},
		{5, "Fostering Friendly Scheme", "Our Fostering Friendly Scheme encourages employers, businesses and organisations to support and recognise the roles of their employees who foster.", nil, nil, false},
		{5, "SHARE-BEREAVEMENT SUPPORT P FOR PREGNANCY AND INFANT LOSS", `Support group for parents who have lost a baby at any stage of pregnancy.\n\n*Group meets in the Medical Library in the Clarke Education Center*`, nil, nil, false},
		{5, "JTCHC CHILDREN'S WELLNESS CENTER", "Provides outpatient substance abuse treatment to women with priority given to pregnant clients.", airsTerms("Pregnant Women With a Drug Use Disorder"), []string{"pregnant-or-new-parent"}, true},
		{5, "EMPLOYEE ASSISTANCE OFFICE", `Offers assistance to injured workers, employers, medical and rehabilitation providers. Also disseminates information to the public about rights and responsibilities under the Workers Compensation Law.`, airsTerms("Physical Disabilities"), []string{"physical-disability"}, true},
		// Strong description evidence: the first sentence says only or
		// specifically; weaker words are soft.
		{5, "Memory Group", "A support group for people living with dementia. Meets monthly.", nil, []string{"dementia"}, false},
		{5, "#TalkSuicide", "The Together service is here to support local people who have been bereaved by suicide across Hull, East Riding of Yorkshire, North East Lincolnshire and North Lincolnshire.", nil, []string{"bereaved-by-suicide"}, true},
		{5, "Expectant Parents Class", "Classes for mums-to-be.", nil, []string{"pregnant-or-new-parent"}, false},
		{5, "Care Practitioner", "Group for adults with learning disabilities", nil, []string{"learning-disability"}, false},
		{5, "Unity Fitness: Teen LGBTQIA+ Sessions", "Unity Fitness: Teen LGBTQIA+ Sessions are inclusive, affirming workout sessions created specifically for LGBTQIA+ teens aged 11-16.", orukTerms("LGBTQ+"), []string{"lgbtq"}, false},
		{5, "Peer to Peer support groups online for carers of people with dementia", "Peer to Peer Support Groups online - Carers who are members of tide have said meeting people, hearing and sharing stories helps with feelings of loneliness.", nil, []string{"carer"}, false},
		{5, "Our Place (SEND Friendly)", "Our Place is a SEND friendly community lounge, where those with additional needs can craft, draw, read, play games while", orukTerms("Autism", "Learning Disabilities", "Visually Impaired"), []string{"autism", "learning-disability", "sight-loss"}, true},
		// 6: a bare "<" is prose, not a tag.
		{6, "Youth Drop-in", "Specifically for young people <18 who are young carers.", nil, []string{"young-carer"}, false},
	}
	if got := foldText("Young people <18. <p>Carers</p>", 100); got != "young people <18. carers" {
		t.Errorf("foldText: %q", got)
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%d %s", c.finding, c.name), func(t *testing.T) {
			a := DeriveAudience(&Document{Name: c.name, Description: c.desc, Terms: c.terms})
			if !reflect.DeepEqual(a.Groups, c.groups) || len(a.Groups) > 0 && a.Soft != c.soft {
				t.Errorf("groups %v soft %v, want %v soft %v (evidence %q)", a.Groups, a.Soft, c.groups, c.soft, a.Evidence)
			}
		})
	}
}

// Finding 5: groups read from weak description words demote a service
// for people outside them instead of hiding it; strong evidence hides.
func TestRankSoftAudience(t *testing.T) {
	docs := audienceTown()
	d := docs[0]
	d.ID, d.OrganisationID, d.MinimumAge, d.MaximumAge = "soft", "org-soft", nil, nil
	d.Name = "Tuesday Chat and Cuppa"
	d.Description = "A chat and a cuppa for local people who have been bereaved by suicide. Meet people, share and support each other."
	docs = append(docs, d)
	score := func(docs []Document, p Profile) (float64, bool) {
		for _, m := range rank(t, newIndex(t, docs), p) {
			if m.ServiceID == "soft" {
				return m.Score, true
			}
		}
		return 0, false
	}
	outside := Profile{Needs: []string{"loneliness"}, Goals: []string{"meet people for a chat and a cuppa"}}
	soft, shown := score(docs, outside)
	if !shown {
		t.Fatalf("soft audience hidden from a person outside it")
	}
	if a := DeriveAudience(&docs[len(docs)-1]); !a.Soft || !reflect.DeepEqual(a.Groups, []string{"bereaved-by-suicide"}) {
		t.Fatalf("audience %+v", a)
	}
	open := append([]Document(nil), docs...)
	open[len(open)-1].ConfirmedAudience = &Audience{}
	full, _ := score(open, outside)
	if diff := soft - full*softAudienceFactor; diff > 0.001 || diff < -0.001 {
		t.Errorf("soft score %.4f, want %.4f (half of %.4f)", soft, full*softAudienceFactor, full)
	}
	inside := outside
	inside.Circumstances = []string{"bereaved-by-suicide"}
	if in, _ := score(docs, inside); in <= full {
		t.Errorf("inside the group %.4f, want above the open score %.4f", in, full)
	}
	// A confirmed audience is always strong.
	closed := append([]Document(nil), docs...)
	closed[len(closed)-1].ConfirmedAudience = &Audience{Groups: []string{"bereaved-by-suicide"}}
	if _, shown := score(closed, outside); shown {
		t.Errorf("confirmed audience shown to a person outside it")
	}
}

// Finding 16: the bound on audience terms applies after filtering, so a
// service with many category terms is read the same whatever their order.
func TestDeriveAudienceManyTerms(t *testing.T) {
	var terms []Term
	for i := range maxAudienceTerms + 12 {
		terms = append(terms, Term{Taxonomy: "Open211 Miami - AIRS", Code: fmt.Sprintf("RP-%d", i), Label: "Outpatient Mental Health Facilities"})
	}
	terms = append(terms, airsTerms("Older Adults")...)
	a := DeriveAudience(&Document{Name: "OUTPATIENT SERVICES", Terms: terms})
	if ageText(a.MinimumAge, a.MaximumAge) != "50..-" {
		t.Errorf("audience term after %d others: ages %s", maxAudienceTerms+12, ageText(a.MinimumAge, a.MaximumAge))
	}
}
