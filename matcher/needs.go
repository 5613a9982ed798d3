package matcher

import "strings"

// relatedWords are, for each need in the built-in vocabulary, the words and
// phrases that show a service addresses it. They are matched after English
// analysis (lower case, stop words removed, stemmed), so "walking groups"
// matches "walking group". Phrases are specific on purpose: "abuse" alone
// would make every substance-abuse service a domestic-abuse one.
var relatedWords = map[string][]string{
	"loneliness": {"lonely", "loneliness", "isolation", "isolated", "befriending", "befriender", "befriend",
		"lunch club", "luncheon club", "social group", "social club", "coffee morning", "friendship",
		"companionship", "meet people", "meet new people", "make friends", "meet others", "get together",
		"tea dance", "social activities", "social activity", "day centre", "day center", "senior center",
		"senior centre", "drop in centre", "drop in center", "men's shed", "knit and natter", "pen pal",
		"good neighbour", "community cafe", "community lunch", "memory cafe", "socialise", "socialize", "chat",
		"community centre", "community center", "multipurpose center"},
	"mental-wellbeing": {"mental health", "wellbeing", "well-being", "anxiety", "anxious", "depression", "depressed",
		"low mood", "stress", "counselling", "counseling", "therapy", "talking therapy", "talking therapies",
		"mindfulness", "meditation", "emotional support", "peer support", "psychological", "psychotherapy", "crisis",
		"suicide", "panic", "self-esteem", "confidence", "resilience", "wellness", "listening", "samaritans",
		"cognitive behavioural", "cognitive behavioral", "psychiatric", "behavioral health", "behavioural health",
		"mental illness", "warmline", "talkline", "feel better"},
	"physical-activity": {"exercise", "walking", "walk", "walks", "fitness", "sport", "sports", "swimming", "swim",
		"gym", "yoga", "tai chi", "qigong", "dance", "dancing", "football", "soccer", "basketball", "cycling",
		"bike ride", "running", "jogging", "physical activity", "keep fit", "get active", "being active", "aerobics", "pilates", "strength and balance", "chair-based exercise", "recreation", "recreational",
		"bowls", "badminton", "tennis", "pickleball", "park run", "parkrun", "nordic walking", "athletics",
		"boccia", "cricket", "martial arts", "karate", "movement", "ramble", "rambling", "hike", "hiking"},
	"money-and-benefits": {"benefits", "benefit", "welfare rights", "universal credit", "pension credit",
		"attendance allowance", "personal independence payment", "income", "financial assistance", "financial help",
		"grant", "grants", "budgeting", "budget", "money advice", "money", "food stamps", "snap", "social security",
		"tax", "taxes", "cash assistance", "utility assistance", "bill payment", "bills", "energy bills",
		"fuel poverty", "financial counseling", "financial counselling", "hardship", "entitlement", "medicaid",
		"tanf", "ssi", "disability insurance", "help to claim", "allowance", "payment assistance", "low income"},
	"debt": {"debt", "debts", "arrears", "creditors", "creditor", "bailiff", "bailiffs", "debt advice",
		"debt relief", "bankruptcy", "insolvency", "credit counseling", "credit counselling", "payday",
		"county court judgment", "foreclosure", "mortgage default", "mortgage delinquency", "debt management",
		"debt consolidation", "credit union", "loan", "loans", "repossession", "owe money"},
	"housing": {"housing", "homeless", "homelessness", "tenancy", "tenant", "tenants", "landlord", "rent", "rental",
		"eviction", "evicted", "shelter", "accommodation", "hostel", "rough sleeping", "home repairs",
		"home adaptations", "adaptations", "housing advice", "supported housing", "transitional housing",
		"rental assistance", "rent payment", "homebuyer", "home purchase", "warm home", "cold home", "draught",
		"insulation", "disabled facilities grant", "place to live", "losing your home"},
	"employment": {"employment", "job", "jobs", "job search", "career", "careers", "cv", "resume", "interview",
		"apprenticeship", "apprenticeships", "unemployed", "unemployment", "back to work", "return to work",
		"vocational", "job club", "employability", "job placement", "placement", "placements", "hiring",
		"workforce", "supported employment", "work experience", "jobseeker", "job seekers"},
	"carers": {"carer", "carers", "caregiver", "caregivers", "caring for", "care for someone", "respite",
		"young carers", "carer's allowance", "carers allowance", "looking after someone", "unpaid carer",
		"family caregiver", "replacement care", "sitting service", "carer's assessment"},
	"bereavement": {"bereavement", "bereaved", "grief", "grieving", "loss of a loved one", "lost someone", "death",
		"funeral", "funerals", "widow", "widowed", "widower", "mourning", "cremation", "burial", "after a death",
		"someone has died"},
	"alcohol-and-drugs": {"alcohol", "drinking", "drink", "drug", "drugs", "substance use", "substance abuse",
		"substance misuse", "addiction", "addictions", "addicted", "detox", "detoxification", "sobriety", "sober",
		"alcoholics anonymous", "narcotics anonymous", "gambling", "gambler", "gamblers", "smoking cessation",
		"stop smoking", "quit smoking", "opioid", "opioids", "harm reduction", "in recovery", "recovery cafe",
		"smart recovery", "methadone", "dependency"},
	"food": {"food", "food bank", "foodbank", "food pantry", "pantry", "meals", "meal", "lunch", "hot meal",
		"soup kitchen", "nutrition", "groceries", "grocery", "food parcel", "food parcels", "cooking", "cook",
		"community meal", "food vouchers", "home delivered meals", "meals on wheels", "congregate meals",
		"free meals", "holiday hunger", "breakfast club", "supper", "hungry", "hunger", "wic", "feeding"},
	"family-and-relationships": {"family", "families", "parenting", "parents", "parent", "relationship",
		"relationships", "couples", "marriage", "children", "child", "child care", "childcare", "dads", "mums",
		"moms", "toddlers", "toddler", "baby", "babies", "infants", "young people", "youth", "teenagers",
		"divorce", "separation", "family support", "pregnancy", "pregnant", "perinatal", "postnatal",
		"family counseling", "family counselling", "siblings", "grandparents"},
	"long-term-conditions": {"long-term condition", "long term condition", "long-term conditions", "chronic",
		"diabetes", "copd", "asthma", "arthritis", "heart disease", "stroke", "cancer", "dementia", "alzheimer's",
		"disability", "disabilities", "disabled", "pain", "persistent pain", "multiple sclerosis", "parkinson's",
		"epilepsy", "sight loss", "visual impairment", "blind", "hearing loss", "deaf", "hard of hearing",
		"lung", "lung condition", "cardiac", "rehabilitation", "rehab", "physiotherapy", "physical therapy", "hiv",
		"aids", "kidney", "memory loss", "learning disability", "learning disabilities", "autism", "self-management",
		"health condition", "health conditions", "illness", "falls prevention", "frail", "mobility"},
	"arts-and-creativity": {"art", "arts", "craft", "crafts", "painting", "drawing", "music", "singing", "sing",
		"choir", "choral", "drama", "theatre", "theater", "creative", "creativity", "creative writing", "writing",
		"poetry", "pottery", "ceramics", "knitting", "crochet", "photography", "ukulele", "band", "museum",
		"museums", "culture", "cultural", "sewing", "quilting", "woodwork", "festival", "concert", "performance"},
	"nature-and-outdoors": {"nature", "outdoor", "outdoors", "garden", "gardening", "gardens", "allotment",
		"allotments", "green space", "green spaces", "park", "parks", "conservation", "wildlife", "countryside",
		"woodland", "woods", "trees", "tree planting", "growing", "horticulture", "horticultural", "environmental", "farm", "green gym", "birdwatching", "river", "hills", "nature reserve", "cleanup",
		"clean-up", "litter pick"},
	"learning-and-skills": {"learning", "learn", "course", "courses", "education",
		"educational", "literacy", "numeracy", "english language", "esol", "esl", "english as a second language",
		"skills", "training", "qualification", "qualifications", "ged", "high school equivalency", "adult education",
		"adult learning", "tutoring", "tutor", "college", "reading", "maths", "math", "workshop", "workshops",
		"lessons", "study", "homework help", "sign language"},
	"digital-inclusion": {"digital", "computer", "computers", "internet", "get online", "getting online",
		"going online", "online safety", "using the internet", "smartphone", "smartphones", "tablet", "tablets",
		"laptop", "laptops", "email", "e-mail", "it skills", "technology", "digital skills", "device", "devices",
		"wifi", "wi-fi", "mobile data", "scams", "video calls", "nhs app", "computer classes", "tech"},
	"domestic-abuse": {"domestic abuse", "domestic violence", "coercive control", "refuge", "women's aid",
		"intimate partner violence", "intimate partner abuse", "partner abuse", "abusive relationship",
		"abusive relationships", "abused women", "abused men", "abused adults", "battered", "safety planning",
		"sexual assault", "rape", "stalking", "freedom programme", "spouse abuse", "family violence",
		"violence against women", "survivors of abuse", "abuse survivors", "human trafficking"},
	"legal-advice": {"legal", "law", "laws", "lawyer", "lawyers", "solicitor", "solicitors", "attorney",
		"attorneys", "legal aid", "advocacy", "advocate", "advocates", "rights", "immigration", "asylum", "court",
		"courts", "tribunal", "appeal", "appeals", "citizenship", "naturalization", "naturalisation",
		"legal representation", "legal advice", "discrimination", "consumer rights", "settled status",
		"ombudsman", "mediation", "legal services"},
	"volunteering": {"volunteer", "volunteers", "volunteering", "volunteer opportunities", "give your time",
		"giving time", "help others", "helping others", "volunteer placement", "civic", "get involved"},
}

// venueWords name a kind of place, not what a service there does: "Senior
// Center" or "Community Centre" in a listing is weak evidence of help with
// loneliness, and must not outweigh a service whose own description is
// about it. They count venueWeight of a related word.
var venueWords = map[string]bool{"day centre": true, "day center": true, "senior center": true,
	"senior centre": true, "drop in centre": true, "drop in center": true, "community centre": true,
	"community center": true, "multipurpose center": true}

const venueWeight = 0.4

// airsPrefixes maps AIRS / 211 taxonomy codes (as in the Miami 211 data)
// to needs by code prefix; the longest matching prefix wins. Strength is
// how sure the mapping is: a service-type branch (1.0) says what the
// service does; a target-population branch (0.5) only says whom it serves.
var airsPrefixes = []struct {
	prefix   string
	needs    []string
	strength float64
}{
	{"BD", []string{"food"}, 1},
	{"BH", []string{"housing"}, 1},
	{"BV", []string{"money-and-benefits"}, 1},
	{"DM", []string{"debt", "money-and-benefits"}, 1},
	{"DT", []string{"money-and-benefits"}, 1},
	{"FP", []string{"legal-advice"}, 1},
	{"FT", []string{"legal-advice"}, 1},
	{"FT-1800", []string{"legal-advice", "domestic-abuse"}, 1},
	{"FN-1500", []string{"legal-advice"}, 0.5},
	{"HH", []string{"learning-and-skills"}, 1},
	{"HL", []string{"learning-and-skills"}, 1},
	{"JD", []string{"nature-and-outdoors"}, 1},
	{"LH", []string{"long-term-conditions"}, 0.7},
	{"LR", []string{"long-term-conditions"}, 1},
	{"LT", []string{"long-term-conditions"}, 0.7},
	{"ND", []string{"employment"}, 1},
	{"NL", []string{"money-and-benefits"}, 1},
	{"NL-6000.2000", []string{"money-and-benefits", "food"}, 1},
	{"NL-6000.9500", []string{"money-and-benefits", "food"}, 1},
	{"NS", []string{"money-and-benefits"}, 1},
	{"NT", []string{"money-and-benefits"}, 1},
	{"PB", []string{"bereavement"}, 1},
	{"PL", []string{"physical-activity"}, 0.6},
	{"PN", []string{"mental-wellbeing", "loneliness"}, 0.7},
	{"PV", []string{"mental-wellbeing"}, 1},
	{"PW", []string{"volunteering"}, 1},
	{"PX", []string{"volunteering"}, 1},
	{"RD", []string{"mental-wellbeing"}, 1},
	{"RF", []string{"mental-wellbeing"}, 1},
	{"RM", []string{"mental-wellbeing"}, 1},
	{"RP", []string{"mental-wellbeing"}, 1},
	{"RP-1400.8000-020", []string{"bereavement", "mental-wellbeing"}, 1},
	{"RR", []string{"mental-wellbeing"}, 1},
	{"RX", []string{"alcohol-and-drugs"}, 1},
	{"TA", []string{"arts-and-creativity"}, 1},
	// TC is a facility-type branch ("Senior Centers", "Community
	// Centers"): it says what kind of place the service is at, not that
	// the service itself is about company, so it counts like a
	// target-population branch and the service's own words decide.
	{"TC", []string{"loneliness"}, 0.5},
	{"YD", []string{"carers"}, 1},
	{"YF", []string{"long-term-conditions"}, 0.5},
	{"YL-4000", []string{"employment"}, 0.5},
	{"YM", []string{"housing"}, 0.5},
	{"YV", []string{"housing"}, 0.7},
	{"YX", []string{"domestic-abuse"}, 0.4},
	{"YY", []string{"volunteering"}, 0.7},
}

// airsNeeds returns the needs an AIRS code maps to, with their strength.
func airsNeeds(code string) ([]string, float64) {
	code = strings.ToUpper(strings.TrimSpace(code))
	best := -1
	for i, p := range airsPrefixes {
		if strings.HasPrefix(code, p.prefix) && (best < 0 || len(p.prefix) > len(airsPrefixes[best].prefix)) {
			best = i
		}
	}
	if best < 0 {
		return nil, 0
	}
	return airsPrefixes[best].needs, airsPrefixes[best].strength
}

var airsCodeRE = func(code string) bool {
	// AIRS codes: one or two capital letters, then -dddd(.dddd)* parts.
	if len(code) < 1 || len(code) > 30 {
		return false
	}
	if code[0] < 'A' || code[0] > 'Z' {
		return false
	}
	for _, r := range code {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			return false
		}
	}
	return len(code) <= 2 || code[2] == '-' || code[1] == '-'
}

// vocabularyNeeds maps whole vocabularies to a need: every OpenActive
// activity is physical activity.
var vocabularyNeeds = map[string]string{
	"openactive":               "physical-activity",
	"openactive activity list": "physical-activity",
	"activity list":            "physical-activity",
}

// termNeeds says which needs a taxonomy term maps to, and how strongly:
// built-in need terms are the needs; AIRS codes by prefix; whole
// vocabularies such as OpenActive's activity list. Other vocabularies
// (LGA service types, Open Eligibility…) reach needs through their labels,
// which are matched against the related words.
func termNeeds(taxonomy, code string) ([]string, float64) {
	tax := strings.ToLower(strings.TrimSpace(taxonomy))
	if tax == "signpost-needs" {
		return []string{code}, 1
	}
	if n, ok := vocabularyNeeds[tax]; ok || strings.Contains(tax, "openactive") {
		if !ok {
			n = "physical-activity"
		}
		return []string{n}, 1
	}
	if strings.Contains(tax, "airs") || strings.Contains(tax, "211") || airsCodeRE(code) {
		return airsNeeds(code)
	}
	return nil, 0
}

// NeedCodes lists the built-in needs vocabulary.
func NeedCodes() []string {
	out := make([]string, 0, len(relatedWords))
	for k := range relatedWords {
		out = append(out, k)
	}
	sortStrings(out)
	return out
}

// IsNeed reports whether code is in the built-in vocabulary.
func IsNeed(code string) bool {
	_, ok := relatedWords[code]
	return ok
}

// needIndex numbers the built-in needs for arrays.
var needIndex = func() map[string]int {
	m := map[string]int{}
	for i, n := range NeedCodes() {
		m[n] = i
	}
	return m
}()

// numNeeds is the size of the built-in vocabulary.
const numNeeds = 20

// RelatedWords returns a need's related words and phrases.
func RelatedWords(need string) []string { return append([]string(nil), relatedWords[need]...) }
