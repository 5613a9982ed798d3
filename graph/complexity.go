package graph

import (
	"github.com/signpost/signpost/store"
	"math"

	"github.com/signpost/signpost/casework"
	"github.com/signpost/signpost/directory"
	"github.com/signpost/signpost/graph/model"
	"github.com/signpost/signpost/matcher"
	"github.com/signpost/signpost/matching"
)

// Cost model. A field costs 1 plus what it selects; a list multiplies what
// each item selects by the most items it can hold. Every sum and product
// saturates at costCeiling, so no document can wrap a cost around to a
// small number: a document never costs less than any of its parts.
const (
	// ComplexityLimit is the most an operation may cost: about as many
	// fields resolved. A page of 100 services with every location,
	// schedule, term, need, cost and contact each may hold costs 210,000.
	ComplexityLimit = 250000
	// costCeiling is where costs stop growing: far above the limit, far
	// below overflow.
	costCeiling = math.MaxInt32

	// MatchingCost is the fixed charge for one ranking (matchServices or a
	// client's suggestedServices), on top of what the matches select. Three
	// rankings cost more than ComplexityLimit, so a page of clients with
	// suggestions is refused whatever else it selects.
	MatchingCost = 100000
)

// Most items in lists inside an object. Inputs are bounded by the domain
// (a service's locations, a client's goals…); lists that grow with use
// (a client's sessions, the members of a team…) are costed at a realistic
// most and should become paged connections if they outgrow it.
const (
	// Inside a service: the directory's input bounds.
	serviceLocations = directory.MaxServiceLocations
	serviceSchedules = directory.MaxSchedules
	serviceTerms     = directory.MaxTerms
	serviceNeeds     = directory.MaxNeeds
	serviceCosts     = directory.MaxCostOptions
	serviceContacts  = directory.MaxContacts
	serviceStrings   = max(directory.MaxLanguages, directory.MaxAccessibility)
	// enumItems bounds a list of enum values (days, delivery modes, access
	// routes, statuses): each value at most once.
	enumItems = 10
	// Inside a client's record: the casework input bounds.
	clientNeeds        = casework.MaxNeeds
	clientGoals        = casework.MaxGoals
	clientAvailability = casework.MaxAvailability
	clientStrings      = casework.MaxTags // languages, accessibility, interests
	// Scores of an outcome measure: SWEMWBS has seven items, ONS4 four.
	measureItems = 7
	// A referral's history follows the state machine, which has no
	// cycles: at most six moves.
	referralEvents = 10
	// Growing with use: realistic most.
	clientSessions   = 60  // twelve an episode, five episodes
	clientReferrals  = 50  // suggest a connection beyond this
	clientOutcomes   = 50  // a baseline, reviews and a final, a few episodes
	reportServices   = 500 // services referred to in one report period
	reportOrgs       = 200
	adminAccounts    = 1000 // Query.accounts: one list for administrators
	adminTeams       = 200
	adminTokens      = 200
	accountTeams     = 20
	teamMembers      = 200
	matchReasons     = 30 // one per covered need plus one of each other kind
	facetTerms       = 50 // facetsOf keeps the 50 commonest
	needsVocabulary  = 20 // the built-in needs
	wellbeingByScale = 2  // ONS4 and SWEMWBS
	audienceEvidence = 20 // phrases found: an age, a gender, a few groups
)

// circumstanceCount is the size of the circumstance vocabulary, which
// bounds every list of circumstances.
var circumstanceCount = len(matcher.CircumstanceCodes())

// satAdd adds two costs, saturating at costCeiling; negative costs count 0.
func satAdd(a, b int) int {
	a, b = clampCost(a), clampCost(b)
	if a > costCeiling-b {
		return costCeiling
	}
	return a + b
}

// satMul multiplies two costs, saturating at costCeiling; negative costs
// count 0.
func satMul(a, b int) int {
	a, b = clampCost(a), clampCost(b)
	if a == 0 || b == 0 {
		return 0
	}
	if a > costCeiling/b {
		return costCeiling
	}
	return a * b
}

func clampCost(n int) int { return min(max(n, 0), costCeiling) }

// listCost is the cost of a list of at most n items, each costing child.
// A list of scalars or enums (child 0) costs its length.
func listCost(child, n int) int { return satAdd(1, satMul(max(child, 1), n)) }

// edgesCost is the cost of a connection's edges: the connection field
// already multiplied its children by the page size.
func edgesCost(child int) int { return satAdd(1, child) }

// pageSize is the number of items a connection field may return.
func pageSize(first *int) int {
	if first == nil || *first < 1 {
		return store.DefaultPageSize
	}
	return min(*first, store.MaxPageSize)
}

// matchCount is the number of matches a ranking may return.
func matchCount(first *int) int {
	if first == nil || *first < 1 {
		return 10
	}
	return min(*first, matching.MaxResults)
}

// rankingCost is one ranking and what its matches select.
func rankingCost(child int, first *int) int {
	return satAdd(MatchingCost, satMul(max(child, 1), matchCount(first)))
}

// setComplexity gives every list and connection field its cost; a test
// walks the schema and fails when one has none.
func setComplexity(c *ComplexityRoot) {
	list := func(n int) func(int) int { return func(child int) int { return listCost(child, n) } }
	page := func(child int, first *int) int { return listCost(child, pageSize(first)) }

	// Connections: the page size multiplies; their edges do not again.
	c.Query.Services = func(child int, first *int, _ *string, _ *model.ServiceFilter) int { return page(child, first) }
	c.Query.Organisations = func(child int, first *int, _ *string, _ *model.OrganisationFilter) int {
		return page(child, first)
	}
	c.Query.Taxonomies = func(child int, first *int, _ *string) int { return page(child, first) }
	c.Query.Clients = func(child int, first *int, _ *string, _ *string, _ *string) int { return page(child, first) }
	c.Query.IncomingReferrals = func(child int, _ []string, first *int, _ *string) int { return page(child, first) }
	c.Query.AuditLog = func(child int, _ *model.AuditFilter, first *int, _ *string) int { return page(child, first) }
	c.Organisation.Services = func(child int, first *int, _ *string, _ *bool) int { return page(child, first) }
	c.Taxonomy.Terms = func(child int, first *int, _ *string, _ *string, _ *bool) int { return page(child, first) }
	for _, f := range []*func(int) int{&c.ServiceConnection.Edges, &c.OrganisationConnection.Edges,
		&c.TaxonomyConnection.Edges, &c.TaxonomyTermConnection.Edges, &c.ClientConnection.Edges,
		&c.ReferralConnection.Edges, &c.AuditEntryConnection.Edges} {
		*f = edgesCost
	}

	// Rankings: a fixed charge for the work, plus the matches.
	c.Query.MatchServices = func(child int, _ model.MatchProfileInput, first *int) int { return rankingCost(child, first) }
	c.Client.SuggestedServices = rankingCost

	// Whole lists with a bound.
	c.Query.Needs = list(needsVocabulary)
	c.Query.Circumstances = list(circumstanceCount)
	c.Client.Circumstances = list(circumstanceCount)
	c.ServiceAudience.Groups = list(circumstanceCount)
	c.ServiceAudience.Evidence = list(audienceEvidence)
	c.Query.Accounts = list(adminAccounts)
	c.Query.Teams = list(adminTeams)
	c.Query.APITokens = func(child int, _ *string) int { return listCost(child, adminTokens) }
	c.Account.Teams = list(accountTeams)
	c.Team.Members = list(teamMembers)

	c.Service.Locations = list(serviceLocations)
	c.Service.Schedules = list(serviceSchedules)
	c.Service.Terms = list(serviceTerms)
	c.Service.Needs = list(serviceNeeds)
	c.Service.Costs = list(serviceCosts)
	c.Service.Contacts = list(serviceContacts)
	c.Service.Languages = list(serviceStrings)
	c.Service.Accessibility = list(serviceStrings)
	c.Service.DeliveryModes = list(enumItems)
	c.Service.AccessRoutes = list(enumItems)
	c.Location.Accessibility = list(serviceStrings)
	c.Schedule.Days = list(enumItems)

	c.Match.Reasons = list(matchReasons)
	c.Match.NeedsCovered = list(needsVocabulary)
	c.MatchSession.Days = list(enumItems)
	c.ServiceFacets.Needs = list(needsVocabulary)
	c.ServiceFacets.Terms = list(facetTerms)
	c.ServiceFacets.DeliveryModes = list(enumItems)

	c.Client.Needs = list(clientNeeds)
	c.Client.Goals = list(clientGoals)
	c.Client.Sessions = list(clientSessions)
	c.Client.Referrals = list(clientReferrals)
	c.Client.Outcomes = list(clientOutcomes)
	c.Client.WellbeingChange = list(wellbeingByScale)
	c.ClientPreferences.Availability = list(clientAvailability)
	c.ClientPreferences.Languages = list(clientStrings)
	c.ClientPreferences.Accessibility = list(clientStrings)
	c.ClientPreferences.Interests = list(clientStrings)
	c.Goal.Needs = list(clientNeeds)
	c.OutcomeMeasure.Scores = list(measureItems)
	c.WellbeingChange.Items = list(measureItems)
	c.Referral.History = list(referralEvents)

	c.CaseworkReport.BySource = list(enumItems)
	c.CaseworkReport.Needs = list(needsVocabulary)
	c.CaseworkReport.ReferralsByStatus = list(enumItems)
	c.CaseworkReport.Services = list(reportServices)
	c.CaseworkReport.Unverified = list(reportServices)
	c.CaseworkReport.Organisations = list(reportOrgs)
	c.CaseworkReport.Wellbeing = list(wellbeingByScale)
	c.WellbeingReport.MeanItemChanges = list(measureItems)
}
