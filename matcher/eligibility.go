package matcher

// Audience is whom a service is for: an age range, a gender, and the
// closed groups (conditions and circumstances) it is only for. It is
// derived from a service's structured fields and its words, or given by
// the organisation that runs it; the organisation's answer wins.
type Audience struct {
	MinimumAge, MaximumAge *int
	// Gender is GenderWomen or GenderMen for a single-sex service, else
	// empty.
	Gender string
	// Groups are circumstance codes (see CircumstanceCodes) of the closed
	// groups the service is only for.
	Groups []string
	// Soft says the groups rest only on weak evidence (a description that
	// names them as whom it is for without saying "only" or
	// "specifically"): the service stays open to others, ranked lower. A
	// confirmed audience, the group heading the name ("Dementia Cafe"),
	// the eligibility text or audience terms that all name groups are
	// strong: the service is shown only to people in a group.
	Soft bool
	// Evidence is the words found that say so, e.g. "aged 16 to 25",
	// "women only", "people living with dementia".
	Evidence []string
}

// Single-sex audiences.
const (
	GenderWomen = "women"
	GenderMen   = "men"
)

// A person's gender, as a profile gives it.
const (
	PersonWoman     = "woman"
	PersonMan       = "man"
	PersonNonBinary = "non-binary"
)

// circumstances is the vocabulary of closed groups and circumstances: a
// service may be only for people in one, and a person may say they are in
// one. Codes are stable; labels are for people.
var circumstances = []struct{ code, label string }{
	{"dementia", "living with dementia or memory loss"},
	{"stroke", "had a stroke"},
	{"cancer", "living with or after cancer"},
	{"lung-condition", "a lung condition (COPD, asthma)"},
	{"heart-condition", "a heart condition"},
	{"diabetes", "diabetes"},
	{"parkinsons", "Parkinson's"},
	{"multiple-sclerosis", "multiple sclerosis"},
	{"sight-loss", "sight loss or blindness"},
	{"hearing-loss", "deaf or hearing loss"},
	{"learning-disability", "a learning disability"},
	{"autism", "autistic"},
	{"physical-disability", "a physical disability"},
	{"brain-injury", "an acquired brain injury"},
	{"hiv", "living with HIV"},
	{"carer", "an unpaid carer"},
	{"young-carer", "a young carer"},
	{"foster-carer", "a foster or kinship carer"},
	{"veteran", "an armed forces veteran"},
	{"refugee-or-asylum-seeker", "a refugee or asylum seeker"},
	{"lgbtq", "LGBTQ+"},
	{"pregnant-or-new-parent", "pregnant or a new parent"},
	{"bereaved-by-suicide", "bereaved by suicide"},
	{"in-recovery", "in recovery from alcohol or drugs"},
	{"domestic-abuse-survivor", "a survivor of domestic abuse"},
	{"care-leaver", "a care leaver"},
	{"ex-offender", "left prison or on probation"},
}

// CircumstanceCodes lists the circumstance vocabulary's codes, in order.
func CircumstanceCodes() []string {
	out := make([]string, len(circumstances))
	for i, c := range circumstances {
		out[i] = c.code
	}
	return out
}

// CircumstanceLabel is a circumstance's words for people, or "" for a
// code not in the vocabulary.
func CircumstanceLabel(code string) string {
	for _, c := range circumstances {
		if c.code == code {
			return c.label
		}
	}
	return ""
}

// IsCircumstance reports whether code is in the vocabulary.
func IsCircumstance(code string) bool { return CircumstanceLabel(code) != "" }

// DeriveAudience works out a service's audience from its fields and
// words. The organisation's own answer, when the document has one, wins.
//
// The age range is the structured minimum and maximum age when either is
// given; else the union of the ranges its words give ("aged 16 to 25",
// "50+", "over 60s", "under 18s", "children" 0–12, "young people" 11–25,
// "older people" 50+, "adults" 18+; "parents", "mums", "women" count as
// adults, so "parents and toddlers" is open to all ages). Gender is a
// single sex named ("women only", "men's shed", "mums") and not the
// other. Groups are the closed groups of the circumstance vocabulary; see
// eligibility_vocab.go for the phrases and where they count.
func DeriveAudience(d *Document) Audience {
	if d.ConfirmedAudience != nil {
		return *d.ConfirmedAudience
	}
	return deriveAudience(d)
}
