package openreferral

import (
	"cmp"
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/signpost/signpost/store"
)

// idSpace derives stable ids for records Signpost does not keep as rows
// (languages, addresses, attributes…), so exports are repeatable.
var idSpace = uuid.MustParse("6f1d0c3e-2b9a-4c61-9d0e-5167e0a5e7b1")

func synthID(parts ...string) string {
	return uuid.NewSHA1(idSpace, []byte(strings.Join(parts, "\x00"))).String()
}

var facetLabels = map[string]map[string]string{
	taxDeliveryModes: {"in_person": "In person", "online": "Online", "telephone": "By telephone"},
	taxAccessRoutes: {"self_referral": "Self-referral", "link_worker_referral": "Link worker referral",
		"gp_referral": "GP referral", "professional_referral": "Professional referral"},
	taxReferrals: {termNotAccepting: "Not accepting referrals", termSpaces: "Spaces available"},
}

var facetDescriptions = map[string]string{
	taxDeliveryModes: "How a service is delivered (Signpost).",
	taxAccessRoutes:  "How people can get to use a service (Signpost).",
	taxAccessibility: "An accessibility feature of a service (Signpost).",
	taxReferrals:     "Whether a service takes referrals now, and its spaces (Signpost).",
	taxAudience:      "Whom a service is for, as its organisation confirmed it (Signpost).",
}

// Exporter turns stored records into HSDS 3 JSON.
type Exporter struct {
	q          store.Queries
	taxonomies map[uuid.UUID]store.Taxonomy
}

// NewExporter reads what every export needs once.
func NewExporter(ctx context.Context, q store.Queries) (*Exporter, error) {
	taxes, err := q.AllTaxonomies(ctx)
	if err != nil {
		return nil, err
	}
	e := &Exporter{q: q, taxonomies: map[uuid.UUID]store.Taxonomy{}}
	for _, t := range taxes {
		e.taxonomies[t.ID] = t
	}
	return e, nil
}

// Services turns services into full HSDS 3 services, loading their parts
// in one statement per kind of part.
func (e *Exporter) Services(ctx context.Context, svcs []store.Service) ([]ORService, error) {
	if len(svcs) == 0 {
		return []ORService{}, nil
	}
	ids := make([]uuid.UUID, len(svcs))
	var orgIDs []uuid.UUID
	for i, s := range svcs {
		ids[i] = s.ID
		orgIDs = append(orgIDs, s.OrganisationID)
	}
	orgs, err := e.q.OrganisationsByIDs(ctx, orgIDs)
	if err != nil {
		return nil, err
	}
	orgByID := map[uuid.UUID]store.Organisation{}
	for _, o := range orgs {
		orgByID[o.ID] = o
	}
	locs, err := e.q.LocationsOfServices(ctx, ids)
	if err != nil {
		return nil, err
	}
	scheds, err := e.q.SchedulesOfServices(ctx, ids)
	if err != nil {
		return nil, err
	}
	costs, err := e.q.CostOptionsOfServices(ctx, ids)
	if err != nil {
		return nil, err
	}
	contacts, err := e.q.ContactsOfServices(ctx, ids)
	if err != nil {
		return nil, err
	}
	terms, err := e.q.TermsOfServices(ctx, ids)
	if err != nil {
		return nil, err
	}
	locsBy := map[uuid.UUID][]store.ServiceLocation{}
	for _, l := range locs {
		locsBy[l.ServiceID] = append(locsBy[l.ServiceID], l)
	}
	schedBy := map[uuid.UUID][]store.Schedule{}
	for _, s := range scheds {
		schedBy[s.ServiceID] = append(schedBy[s.ServiceID], s)
	}
	costBy := map[uuid.UUID][]store.CostOption{}
	for _, c := range costs {
		costBy[c.ServiceID] = append(costBy[c.ServiceID], c)
	}
	contactBy := map[uuid.UUID][]store.Contact{}
	for _, c := range contacts {
		if c.ServiceID != nil {
			contactBy[*c.ServiceID] = append(contactBy[*c.ServiceID], c)
		}
	}
	termBy := map[uuid.UUID][]store.TaxonomyTerm{}
	for _, t := range terms {
		termBy[t.ServiceID] = append(termBy[t.ServiceID], t.TaxonomyTerm)
	}
	out := make([]ORService, len(svcs))
	for i := range svcs {
		s := &svcs[i]
		org := orgByID[s.OrganisationID]
		out[i] = e.service(s, &org, locsBy[s.ID], schedBy[s.ID], costBy[s.ID], contactBy[s.ID], termBy[s.ID])
	}
	return out, nil
}

func (e *Exporter) service(s *store.Service, org *store.Organisation, locs []store.ServiceLocation, scheds []store.Schedule,
	costs []store.CostOption, contacts []store.Contact, terms []store.TaxonomyTerm) ORService {
	sid := s.ID.String()
	// The publisher's original text, when kept, goes back out so that a
	// round trip loses nothing.
	o := ORService{ID: sid, OrganizationID: org.ID.String(), Name: s.Name, Description: cmp.Or(s.DescriptionSource, s.Description),
		URL: exportURI(s.URL), Email: s.Email, Status: s.Status, Fees: s.CostDescription,
		EligibilityDescription: cmp.Or(s.EligibilityDescriptionSource, s.EligibilityDescription),
		AssurerEmail:           s.Assurer, LastModified: s.UpdatedAt.UTC().Format(time.RFC3339), Organization: OrganisationJSON(org)}
	if lo, hi := exportedAges(s); lo != nil || hi != nil {
		o.MinimumAge, o.MaximumAge = floatOf(lo), floatOf(hi)
	}
	if s.AssuredDate != nil {
		o.AssuredDate = s.AssuredDate.Format("2006-01-02")
	}
	salOf := map[uuid.UUID]string{}
	for _, l := range locs {
		salOf[l.ID] = l.SALID.String()
		loc := l.Location
		o.ServiceAtLocations = append(o.ServiceAtLocations, ORServiceAtLocation{ID: l.SALID.String(), ServiceID: sid,
			LocationID: l.ID.String(), Description: l.SALDescription, Location: location(&loc)})
	}
	o.Schedules = schedulesJSON(sid, scheds, salOf)
	for _, lang := range s.Languages {
		o.Languages = append(o.Languages, ORLanguage{ID: synthID("language", sid, lang), ServiceID: sid, Name: lang})
	}
	for _, c := range costs {
		o.CostOptions = append(o.CostOptions, ORCostOption{ID: c.ID.String(), ServiceID: sid, Option: c.Option,
			Amount: c.Amount, Currency: c.Currency, AmountDescription: c.AmountDescription})
	}
	if s.Free {
		zero := 0.0
		o.CostOptions = append(o.CostOptions, ORCostOption{ID: synthID("free", sid), ServiceID: sid, Option: "Free", Amount: &zero})
	}
	for _, c := range contacts {
		x := ORContact{ID: c.ID.String(), ServiceID: sid, Name: c.Name, Title: c.Title, Email: c.Email}
		if c.Phone != "" {
			x.Phones = []ORPhone{{ID: synthID("phone", c.ID.String()), Number: c.Phone}}
		}
		o.Contacts = append(o.Contacts, x)
	}
	for _, t := range terms {
		term := e.Term(&t)
		o.Attributes = append(o.Attributes, ORAttribute{ID: synthID("attribute", sid, t.ID.String()), LinkID: sid,
			LinkType: "service", TaxonomyTermID: t.ID.String(), TaxonomyTerm: &term})
	}
	o.Attributes = append(o.Attributes, facetAttributes(s)...)
	return o
}

// schedulesJSON turns a service's sessions into HSDS 3 schedules, linked
// to the service at a location by the location's id.
func schedulesJSON(sid string, scheds []store.Schedule, salOf map[uuid.UUID]string) []ORSchedule {
	var out []ORSchedule
	for _, sc := range scheds {
		x := ORSchedule{ID: sc.ID.String(), ServiceID: sid, Freq: sc.Freq, Byday: strings.Join(sc.ByDay, ","),
			Description: sc.Description, OpensAt: clock(sc.OpensAt), ClosesAt: clock(sc.ClosesAt)}
		interval := sc.Interval
		x.Interval = &interval
		if sc.LocationID != nil {
			x.ServiceAtLocationID = salOf[*sc.LocationID]
		}
		if sc.ValidFrom != nil {
			x.ValidFrom = sc.ValidFrom.Format("2006-01-02")
		}
		if sc.ValidTo != nil {
			x.ValidTo = sc.ValidTo.Format("2006-01-02")
		}
		out = append(out, x)
	}
	return out
}

// facetAttributes are the attributes for what Signpost keeps as fields
// (delivery modes, access routes, accessibility, referrals), each a term
// of a synthetic taxonomy.
func facetAttributes(s *store.Service) []ORAttribute {
	sid := s.ID.String()
	var out []ORAttribute
	facet := func(tax, code, name, value string) {
		if name == "" {
			name = facetLabels[tax][code]
		}
		tid := synthID("facet", tax, code)
		out = append(out, ORAttribute{ID: synthID("attribute", sid, tid), LinkID: sid, LinkType: "service",
			TaxonomyTermID: tid, Value: value, TaxonomyTerm: &ORTerm{ID: tid, Code: code, Name: name,
				Description: facetDescriptions[tax], Taxonomy: tax, TaxonomyID: synthID("taxonomy", tax)}})
	}
	for _, m := range s.DeliveryModes {
		facet(taxDeliveryModes, m, "", "")
	}
	for _, r := range s.AccessRoutes {
		facet(taxAccessRoutes, r, "", "")
	}
	for _, a := range s.Accessibility {
		facet(taxAccessibility, a, a, "")
	}
	if !s.AcceptingReferrals {
		facet(taxReferrals, termNotAccepting, "", "")
	}
	if s.Spaces != nil {
		facet(taxReferrals, termSpaces, "", strconv.Itoa(*s.Spaces))
	}
	audienceFacets(s.Audience, facet)
	return out
}

// Term turns a stored term into HSDS 3 JSON.
func (e *Exporter) Term(t *store.TaxonomyTerm) ORTerm {
	tax := e.taxonomies[t.TaxonomyID]
	x := ORTerm{ID: t.ID.String(), Code: t.Code, Name: t.Name, Description: t.Description, Taxonomy: tax.Name,
		TaxonomyID: t.TaxonomyID.String()}
	if t.ParentID != nil {
		x.ParentID = t.ParentID.String()
	}
	return x
}

// TaxonomyJSON turns a stored taxonomy into HSDS 3 JSON.
func TaxonomyJSON(t *store.Taxonomy) ORTaxonomy {
	return ORTaxonomy{ID: t.ID.String(), Name: t.Name, Description: t.Description, URI: t.URI, Version: t.Version}
}

// OrganisationJSON turns a stored organisation into HSDS 3 JSON.
func OrganisationJSON(o *store.Organisation) *OROrganization {
	id := o.ID.String()
	x := &OROrganization{ID: id, Name: o.Name, Description: cmp.Or(o.DescriptionSource, o.Description), Email: o.Email,
		Website: exportURI(o.Website)}
	if o.CharityNumber != "" {
		x.OrganizationIdentifiers = append(x.OrganizationIdentifiers, ORIdentifier{ID: synthID("charity", id),
			OrganizationID: id, IdentifierScheme: "GB-CHC", IdentifierType: "Charity number", Identifier: o.CharityNumber})
	}
	if o.CompanyNumber != "" {
		x.OrganizationIdentifiers = append(x.OrganizationIdentifiers, ORIdentifier{ID: synthID("company", id),
			OrganizationID: id, IdentifierScheme: "GB-COH", IdentifierType: "Company number", Identifier: o.CompanyNumber})
	}
	if o.Phone != "" {
		x.Phones = []ORPhone{{ID: synthID("phone", id), Number: o.Phone}}
	}
	return x
}

func location(l *store.Location) *ORLocation {
	id := l.ID.String()
	x := &ORLocation{ID: id, LocationType: "physical", Name: l.Name, Description: cmp.Or(l.DescriptionSource, l.Description),
		Latitude: l.Latitude, Longitude: l.Longitude}
	if l.OrganisationID != nil {
		x.OrganizationID = l.OrganisationID.String()
	}
	if l.Address1 != "" || l.Address2 != "" || l.City != "" || l.Region != "" || l.Postcode != "" || l.Country != "" {
		x.Addresses = []ORAddress{{ID: synthID("address", id), LocationID: id, Address1: l.Address1, Address2: l.Address2,
			City: l.City, Region: l.Region, StateProvince: l.Region, PostalCode: l.Postcode, Country: l.Country, AddressType: "physical"}}
	}
	for _, a := range l.Accessibility {
		x.Accessibility = append(x.Accessibility, ORAccessibility{ID: synthID("accessibility", id, a), LocationID: id, Description: a})
	}
	return x
}

func floatOf(n *int) *float64 {
	if n == nil {
		return nil
	}
	v := float64(*n)
	return &v
}

// clock writes a stored time of day (09:00:00) as HH:MM.
func clock(t *string) string {
	if t == nil {
		return ""
	}
	if len(*t) >= 5 {
		return (*t)[:5]
	}
	return *t
}
