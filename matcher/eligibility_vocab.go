package matcher

// The closed-group vocabulary: the phrases that say a service is for
// people in a circumstance, by circumstance code (see CircumstanceCodes).
//
// How a phrase puts a service in a closed group, and how strongly: strong
// evidence keeps people outside the groups from seeing it; soft evidence
// is a strong positive for people inside and halves the score of others
// (softAudienceFactor):
//   - the name counts, strongly ("Dementia Cafe", "Carers Peer Support
//     Group", "Breathe Easy"), but not a place ("Veterans Park"), "veterans
//     of the game", "dementia friendly" or a group's relatives ("Parents,
//     Families and Friends of Lesbians and Gays");
//   - the eligibility text counts, strongly;
//   - audience terms (a taxonomy of target populations: AIRS "Y" codes, an
//     ORUK target audience) count, strongly, only when every audience term
//     names a closed group: "Veterans" beside "Adults", "Women" or
//     "Families of Veterans" is open to more than the groups;
//   - in the description only the first sentence is read, and only where
//     it says whom the service is for: after an audience cue ("for", "open
//     to", "aimed at", "people living with", "who have had"…, with at most
//     a few filler words between, no comma, no "also"), or before "only" or
//     "support group". A group listed with others ("dementia, older age or
//     frailty"), or the group's family ("families of veterans",
//     "friendships with people with…"), does not count. It is strong when
//     the sentence says only or specifically ("support group for people
//     living with dementia"), else soft;
//   - "…and their carers" or "…and anyone who supports them" adds carer;
//   - words that open the service ("not just for", "open to all",
//     "everyone welcome", "regardless of") clear the groups, and words that
//     widen it ("inclusive", "alongside", "priority given to", "and their
//     families", employers or professionals addressed) make them soft,
//     unless the eligibility text names a group.
//
// Phrases are matched on whole words, case-insensitively, on text with
// HTML and punctuation variants folded (’ to ', – to -). A service whose
// groups are several is open to anyone in any of them.
var circumstancePhrases = map[string][]string{
	"dementia": {"dementia", "alzheimer's", "alzheimers", "alzheimer", "memory cafe", "memory café",
		"memory loss", "memory problems", "memory clinic"},
	"stroke": {"stroke", "strokes", "stroke survivors", "had a stroke"},
	"cancer": {"cancer", "cancers", "macmillan", "oncology", "leukaemia", "leukemia", "lymphoma"},
	"lung-condition": {"copd", "breathe easy", "lung health", "lung condition", "lung conditions", "lung disease",
		"pulmonary rehab", "pulmonary rehabilitation", "chronic obstructive pulmonary disease", "asthma",
		"breathlessness"},
	"heart-condition": {"heart condition", "heart conditions", "heart failure", "heart disease",
		"cardiac rehab", "cardiac rehabilitation"},
	"diabetes":            {"diabetes", "diabetic", "diabetics"},
	"parkinsons":          {"parkinson's", "parkinsons", "parkinson"},
	"multiple-sclerosis":  {"multiple sclerosis", "ms society"},
	"sight-loss":          {"sight loss", "visually impaired", "visual impairment", "blind", "blindness", "partially sighted", "low vision", "sight impaired", "sight impairment"},
	"hearing-loss":        {"deaf", "hard of hearing", "hearing loss", "hearing impaired", "hearing impairment", "deafened", "deafblind"},
	"learning-disability": {"learning disability", "learning disabilities", "learning difficulties", "intellectual disability", "intellectual disabilities", "developmental disabilities", "developmental disability"},
	"autism":              {"autism", "autistic", "asperger's", "aspergers", "asd"},
	"physical-disability": {"physical disability", "physical disabilities", "physically disabled", "wheelchair users", "wheelchair user"},
	"brain-injury":        {"brain injury", "brain injuries", "headway", "acquired brain injury"},
	"hiv":                 {"hiv", "hiv/aids", "living with hiv"},
	"carer":               {"carers", "carer", "caregivers", "caregiver", "caring for someone", "caring for a loved one", "unpaid carers", "respite"},
	"young-carer":         {"young carers", "young carer", "young adult carers"},
	"foster-carer":        {"foster carers", "foster carer", "kinship carers", "kinship carer", "kinship care", "special guardians", "foster parents"},
	"veteran":             {"veterans", "veteran", "armed forces", "ex-service", "ex-servicemen", "ex-forces", "royal british legion", "military veterans"},
	"refugee-or-asylum-seeker": {"refugees", "refugee", "asylum seekers", "asylum seeker", "asylum", "refugees/entrants/asylees",
		"asylees"},
	"lgbtq": {"lgbt", "lgbtq", "lgbtq+", "lgbtqia+", "lgbtqia", "glbt", "gay", "lesbian", "lesbians", "bisexual", "bisexuals",
		"trans", "transgender", "queer", "gay men"},
	"pregnant-or-new-parent": {"pregnant", "expectant mothers", "expectant parents", "expectant mums", "mums-to-be",
		"mums to be", "moms-to-be", "parents-to-be", "new mums", "new mothers", "new parents", "new dads", "antenatal", "postnatal"},
	"bereaved-by-suicide": {"bereaved by suicide", "suicide bereavement", "lost someone to suicide", "survivors of bereavement by suicide"},
	"in-recovery": {"in recovery", "recovery community", "alcoholics anonymous", "narcotics anonymous", "addiction recovery",
		"recovering addicts", "substance misuse", "alcohol use disorder", "drug use disorders"},
	"domestic-abuse-survivor": {"domestic abuse", "domestic violence", "survivors of abuse", "abused women", "abused men", "women's aid",
		"domestic violence issues"},
	"care-leaver": {"care leavers", "care leaver", "leaving care", "care experienced"},
	"ex-offender": {"ex-offenders", "ex-offender", "offenders", "prison leavers", "on probation", "ex-prisoners", "leaving prison"},
}

// personPhrases are words a person uses of themselves that a service's
// text would not be trusted with ("I was in the army": a service named
// "Salvation Army" is not for veterans). "served in" alone is not here:
// people serve in shops; "served in the army" finds "army".
var personPhrases = map[string][]string{
	"veteran":                 {"army", "navy", "raf", "royal air force", "royal navy", "marines", "military", "the forces", "ex-army"},
	"carer":                   {"look after my", "looking after my", "care for my", "caring for my", "my caring role"},
	"hearing-loss":            {"hearing aid", "hearing aids", "hard of hearing"},
	"sight-loss":              {"can't see", "cannot see", "my sight", "my eyesight", "losing my sight", "going blind"},
	"dementia":                {"forgetful", "my memory"},
	"in-recovery":             {"sober", "sobriety", "recovering alcoholic", "recovering addict"},
	"domestic-abuse-survivor": {"abusive relationship", "abusive partner", "abusive husband", "abusive wife"},
	"pregnant-or-new-parent":  {"new baby", "having a baby", "just had a baby"},
}

// needCircumstances are the circumstances a need implies: asking for
// help with caring is being a carer. Help with alcohol and drugs is not
// recovery when the client names a relative as the one drinking (see
// relativeUses).
var needCircumstances = map[string][]string{
	"carers":            {"carer"},
	"alcohol-and-drugs": {"in-recovery"},
	"domestic-abuse":    {"domestic-abuse-survivor"},
}

// CircumstancePhrases lists the phrases that put a service in the closed
// group with this code (see the vocabulary's rules above), for
// documentation; nil for an unknown code.
func CircumstancePhrases(code string) []string {
	return append([]string(nil), circumstancePhrases[code]...)
}

// circumstanceFor is how a reason names the people a group is for.
var circumstanceFor = map[string]string{
	"dementia": "people living with dementia and those who care for them", "stroke": "people who have had a stroke",
	"cancer": "people affected by cancer", "lung-condition": "people with a lung condition",
	"heart-condition": "people with a heart condition", "diabetes": "people with diabetes",
	"parkinsons": "people with Parkinson's", "multiple-sclerosis": "people with multiple sclerosis",
	"sight-loss": "people with sight loss", "hearing-loss": "people who are deaf or have hearing loss",
	"learning-disability": "people with a learning disability", "autism": "autistic people",
	"physical-disability": "people with a physical disability", "brain-injury": "people with a brain injury",
	"hiv": "people living with HIV", "carer": "carers", "young-carer": "young carers",
	"foster-carer": "foster and kinship carers", "veteran": "armed forces veterans",
	"refugee-or-asylum-seeker": "refugees and asylum seekers", "lgbtq": "LGBTQ+ people",
	"pregnant-or-new-parent": "expectant and new parents", "bereaved-by-suicide": "people bereaved by suicide",
	"in-recovery": "people in recovery", "domestic-abuse-survivor": "survivors of domestic abuse",
	"care-leaver": "care leavers", "ex-offender": "people who have left prison or are on probation",
}
