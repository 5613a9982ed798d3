package openreferral

import (
	"strconv"
	"strings"

	"github.com/signpost/signpost/matcher"
	"github.com/signpost/signpost/store"
)

// A service's audience as its organisation confirmed it travels as
// attributes of the signpost-audience taxonomy: a "confirmed" term (so
// that an answer of "everyone" survives), the confirmed ages as values,
// and a term per gender and group. Ages also go in minimum_age and
// maximum_age, where any HSDS reader looks. A derived audience is not
// exported: it is a reading of the words the export already carries.
const (
	taxAudience         = "signpost-audience"
	termAudienceConfirm = "confirmed"
	termAudienceMinAge  = "minimum-age"
	termAudienceMaxAge  = "maximum-age"
	audienceGenderCode  = "gender-" // + matcher.GenderWomen or GenderMen
	audienceGroupCode   = "group-"  // + a circumstance code
)

// Audience is a confirmed audience read from a dataset.
type Audience struct {
	MinimumAge, MaximumAge *int
	Gender                 string
	Groups                 []string
}

var audienceGenderNames = map[string]string{matcher.GenderWomen: "Women only", matcher.GenderMen: "Men only"}

// audienceFacets adds the attributes of a confirmed audience.
func audienceFacets(a *store.Audience, facet func(tax, code, name, value string)) {
	if a == nil {
		return
	}
	facet(taxAudience, termAudienceConfirm, "Audience confirmed by the organisation", "")
	if a.MinimumAge != nil {
		facet(taxAudience, termAudienceMinAge, "Minimum age", strconv.Itoa(*a.MinimumAge))
	}
	if a.MaximumAge != nil {
		facet(taxAudience, termAudienceMaxAge, "Maximum age", strconv.Itoa(*a.MaximumAge))
	}
	if name := audienceGenderNames[a.Gender]; name != "" {
		facet(taxAudience, audienceGenderCode+a.Gender, name, "")
	}
	for _, g := range a.Groups {
		facet(taxAudience, audienceGroupCode+g, "For people "+matcher.CircumstanceLabel(g), "")
	}
}

// linkAudience reads one signpost-audience attribute; a term it does not
// know is dropped with a warning, never guessed at.
func (ds *Dataset) linkAudience(s *Service, t *Term, value string) {
	if s.Audience == nil {
		s.Audience = &Audience{}
	}
	a := s.Audience
	code := strings.TrimSpace(t.Code)
	age := func(field string, dst **int) {
		n, err := parseAge(value)
		if err != nil || n == nil {
			ds.warn(s.Origin, "bad age", "attributes."+field, "the confirmed %s %q is not an age; dropped", field, value)
			return
		}
		*dst = n
	}
	switch {
	case code == termAudienceConfirm:
	case code == termAudienceMinAge:
		age("minimum age", &a.MinimumAge)
	case code == termAudienceMaxAge:
		age("maximum age", &a.MaximumAge)
	case strings.HasPrefix(code, audienceGenderCode) && audienceGenderNames[strings.TrimPrefix(code, audienceGenderCode)] != "":
		a.Gender = strings.TrimPrefix(code, audienceGenderCode)
	case strings.HasPrefix(code, audienceGroupCode) && matcher.IsCircumstance(strings.TrimPrefix(code, audienceGroupCode)):
		a.Groups = appendUnique(a.Groups, strings.TrimPrefix(code, audienceGroupCode))
	default:
		ds.warn(s.Origin, "unknown audience term", "attributes", "%q is not a signpost-audience term; dropped", code)
	}
}

// storeAudience is the audience as stored; confirmed ages out of order are
// dropped, as a service's are.
func (a *Audience) storeAudience() *store.Audience {
	if a == nil {
		return nil
	}
	out := &store.Audience{MinimumAge: a.MinimumAge, MaximumAge: a.MaximumAge, Gender: a.Gender, Groups: a.Groups}
	if out.Groups == nil {
		out.Groups = []string{}
	}
	if out.MinimumAge != nil && out.MaximumAge != nil && *out.MinimumAge > *out.MaximumAge {
		out.MinimumAge, out.MaximumAge = nil, nil
	}
	return out
}

// exportedAges are the ages for minimum_age and maximum_age: the
// organisation's confirmed answer where it gives one, else the service's.
func exportedAges(s *store.Service) (lo, hi *int) {
	lo, hi = s.MinimumAge, s.MaximumAge
	if a := s.Audience; a != nil {
		if a.MinimumAge != nil {
			lo = a.MinimumAge
		}
		if a.MaximumAge != nil {
			hi = a.MaximumAge
		}
	}
	return lo, hi
}
