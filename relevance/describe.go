package relevance

import (
	"context"
	"fmt"
	"html"
	"math"
	"regexp"
	"strings"

	"github.com/signpost/signpost/matcher"
	"github.com/signpost/signpost/matching"
	"github.com/signpost/signpost/postcodes"
)

// descriptionChars is where a description is cut for reading.
const descriptionChars = 700

// Place is where the profile's person is, a postcode looked up; nil when
// the profile gives no place.
func (c *Corpus) Place(ctx context.Context, p matching.Profile) (*matcher.Point, error) {
	if p.Location != nil || strings.TrimSpace(p.Postcode) == "" {
		return p.Location, nil
	}
	pt, err := postcodes.Lookup(ctx, c.Store.Queries, "postcode", p.Postcode)
	if err != nil {
		return nil, err
	}
	return &matcher.Point{Latitude: pt.Latitude, Longitude: pt.Longitude}, nil
}

// describeProfile is the profile in words for the judge.
func describeProfile(e Entry) string {
	p := e.Profile
	var b strings.Builder
	fmt.Fprintf(&b, "\n\n---\n\n## Profile %s\n\n%s\n\n", e.ID, e.Note)
	line := func(label, v string) {
		if v != "" {
			fmt.Fprintf(&b, "- %s: %s\n", label, v)
		}
	}
	if p.Age != nil {
		line("Age", fmt.Sprint(*p.Age))
	}
	line("Gender", p.Gender)
	var circ []string
	for _, c := range p.Circumstances {
		circ = append(circ, matcher.CircumstanceLabel(c))
	}
	line("Circumstances", strings.Join(circ, "; "))
	line("Needs", strings.Join(NeedNames(p.Needs), ", "))
	line("Goals", strings.Join(p.Goals, " / "))
	line("Interests", strings.Join(p.Interests, ", "))
	line("Place", describePlace(p))
	var av []string
	for _, a := range p.Availability {
		av = append(av, strings.TrimSpace(a.Day+" "+timeRange(a.From, a.To)))
	}
	line("Free at", strings.Join(av, ", "))
	line("Languages", strings.Join(p.Languages, ", "))
	line("Accessibility", strings.Join(p.Accessibility, ", "))
	line("Free services only", yesNo(p.FreeOnly))
	line("Online or telephone services will do", yesNo(p.AcceptsRemote == nil || *p.AcceptsRemote))
	return b.String()
}

func describePlace(p matching.Profile) string {
	var s string
	switch {
	case p.Postcode != "":
		s = "postcode " + p.Postcode
	case p.Location != nil:
		s = fmt.Sprintf("%.4f, %.4f", p.Location.Latitude, p.Location.Longitude)
	default:
		return "not given"
	}
	if p.MaxDistanceKm != nil {
		s += fmt.Sprintf(", will travel up to %g km", *p.MaxDistanceKm)
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func timeRange(from, to string) string {
	if from == "" && to == "" {
		return ""
	}
	return from + "–" + to
}

// describeService is what the judge reads of a service: what it publishes,
// not what the matcher infers from it.
func describeService(d *matcher.Document, place *matcher.Point, extra []string) string {
	var b strings.Builder
	line := func(label, v string) {
		if v = strings.TrimSpace(v); v != "" {
			fmt.Fprintf(&b, "- %s: %s\n", label, v)
		}
	}
	line("Name", d.Name)
	line("Organisation", d.OrganisationName)
	line("Description", cut(plainText(d.Description), descriptionChars))
	line("Eligibility", cut(plainText(d.Eligibility), descriptionChars))
	line("Ages", ageRange(d.MinimumAge, d.MaximumAge))
	var terms []string
	for _, t := range d.Terms {
		terms = append(terms, t.Label)
	}
	line("Categories and audience", strings.Join(terms, "; "))
	for _, x := range extra {
		line("From the feed", x)
	}
	line("Delivered", strings.Join(d.DeliveryModes, ", "))
	line("Cost", cost(d))
	line("Nearest location", nearest(d, place))
	var ss []string
	for _, s := range d.Sessions {
		ss = append(ss, session(s))
	}
	line("Sessions", strings.Join(ss, "; "))
	return b.String()
}

var tags = regexp.MustCompile(`<[^>]*>`)

// plainText strips HTML tags and entities and folds whitespace (including
// the literal \n sequences of the Miami package).
func plainText(s string) string {
	s = strings.ReplaceAll(s, `\n`, " ")
	s = html.UnescapeString(tags.ReplaceAllString(s, " "))
	return strings.Join(strings.Fields(s), " ")
}

func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

func ageRange(lo, hi *int) string {
	switch {
	case lo != nil && hi != nil:
		return fmt.Sprintf("%d to %d", *lo, *hi)
	case lo != nil:
		return fmt.Sprintf("%d and over", *lo)
	case hi != nil:
		return fmt.Sprintf("up to %d", *hi)
	}
	return "not stated"
}

func cost(d *matcher.Document) string {
	switch {
	case d.Free:
		return "free"
	case d.CostText != "":
		return d.CostText
	}
	return "not stated"
}

func nearest(d *matcher.Document, place *matcher.Point) string {
	best, name := math.Inf(1), ""
	for _, l := range d.Locations {
		if place == nil {
			return strings.TrimSpace(l.Name + " " + l.Postcode)
		}
		if km := haversineKm(place.Latitude, place.Longitude, l.Latitude, l.Longitude); km < best {
			best, name = km, strings.TrimSpace(l.Name+" "+l.Postcode)
		}
	}
	if name == "" {
		return "none listed"
	}
	return fmt.Sprintf("%s, %.1f km away", name, best)
}

func session(s matcher.Session) string {
	out := strings.Join(s.Days, ",")
	if s.Monthly {
		out += " (monthly)"
	}
	if t := timeRange(s.Opens, s.Closes); t != "" {
		out += " " + t
	}
	if s.Location != "" {
		out += " at " + s.Location
	}
	return out
}

func haversineKm(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371.0088
	rad := math.Pi / 180
	a := math.Pow(math.Sin((lat2-lat1)*rad/2), 2) +
		math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Pow(math.Sin((lon2-lon1)*rad/2), 2)
	return 2 * r * math.Asin(math.Sqrt(a))
}
