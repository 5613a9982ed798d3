package matcher

// Weights of the ranking, in one place. A match's score is the weighted sum
// of signals that each lie between 0 and 1:
//
//	need      how well the service covers the client's needs: the mean, over
//	          the needs asked for, of the service's strength for each (1 when
//	          tagged, the mapping's strength for a mapped taxonomy term,
//	          1-exp(-evidence/3) for related words in its text). Needs found
//	          in the client's own goal words count half.
//	text      BM25 relevance of the goals and interests, over name (x3),
//	          taxonomy labels (x2), description and organisation name,
//	          divided by the best score among the candidates.
//	distance  1/(1+(d/3 km)^2) to the nearest location; 0.6 for a service
//	          the client can use from home; 0.3 when no location is known.
//	schedule  1 when a session falls inside the client's availability, 0.6
//	          when only the day fits, 0.3 when the service lists no
//	          sessions, 0 when none fits.
//	cost      1 free, 0.6 unstated, 0.3 charged.
//	freshness 1 when the listing was checked within 6 months, falling to 0
//	          at 2 years; 0.3 when never checked.
//	history   the smoothed share of referrals accepted and attended; 0.5
//	          until a service has referrals.
//
// Signals with nothing to compare (no location, no availability given)
// are the same for every service and do not change the order.
type Weights struct {
	Need, Text, Distance, Schedule, Cost, Freshness, History float64
	// Diversity is added, while choosing each next result, to a service
	// that covers a need none of the results above it covers yet.
	Diversity float64
	// SameOrganisation is taken off for each result above from the same
	// organisation, so one provider does not fill the list.
	SameOrganisation float64
}

// DefaultWeights are the weights Rank uses unless told otherwise.
var DefaultWeights = Weights{
	Need: 0.40, Text: 0.20, Distance: 0.15, Schedule: 0.10, Cost: 0.05, Freshness: 0.05, History: 0.05,
	Diversity: 0.15, SameOrganisation: 0.04,
}

// Distance scale and freshness horizons.
const (
	distanceScaleKm = 3.0
	freshFullDays   = 183
	freshZeroDays   = 730
	// goalNeedShare is how much a need found in the client's goal words
	// counts against one asked for explicitly.
	goalNeedShare = 0.5
	// minStrength is the least evidence for a need to count as covered in
	// reasons and diversification.
	minStrength = 0.25
)
