package openreferral

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/signpost/signpost/fault"
	"github.com/signpost/signpost/postcodes"
	"github.com/signpost/signpost/store"
)

// Feed answers the read-only Open Referral UK API. It serves listed
// (unarchived) services only.
type Feed struct {
	st *store.Store
}

// NewFeed returns the feed over st.
func NewFeed(st *store.Store) *Feed { return &Feed{st: st} }

// Paging defaults for the feed.
const (
	DefaultPerPage = 50
	MaxPerPage     = 100
	// DefaultProximity applies when a postcode is given without proximity.
	DefaultProximity = 10000.0
	maxProximity     = 1000000.0
	// MaxSearchLength bounds the search text, in characters.
	MaxSearchLength = 200
	// maxParamLength bounds every other parameter, in characters: the
	// longest valid value (an RFC 3339 time, a UUID) is shorter.
	maxParamLength = 64
	maxPage        = 1000000
	maxAge         = 130
)

// feedParams are the query parameters the feed reads; others are ignored.
var feedParams = []string{"page", "per_page", "search", "taxonomy_term_id", "taxonomy_id", "organization_id",
	"modified_after", "minimum_age", "maximum_age", "day", "start_time", "end_time", "postcode", "proximity"}

// earliestModified and latestModified bound modified_after to dates
// PostgreSQL and Go agree on (year 0 is 1 BC to PostgreSQL).
var (
	earliestModified = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	latestModified   = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)
)

// checkText refuses what no parameter may hold: invalid UTF-8, control
// characters (NUL among them, which PostgreSQL refuses) and values beyond
// their length. The value is not echoed: it may be huge.
func checkText(ps *fault.Problems, name, s string) bool {
	limit := maxParamLength
	if name == "search" {
		limit = MaxSearchLength
	}
	switch {
	case !utf8.ValidString(s):
		ps.Add(name, "is not valid UTF-8")
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		ps.Add(name, "must not contain control characters")
	case utf8.RuneCountInString(s) > limit:
		ps.Add(name, "must be at most %d characters", limit)
	default:
		return true
	}
	return false
}

// FeedQuery is a validated feed request.
type FeedQuery struct {
	Page    int
	PerPage int
	Filter  store.ServiceFilter
}

func (q FeedQuery) offset() int { return (q.Page - 1) * q.PerPage }

// ParseFeedQuery reads and checks the query parameters of a feed request;
// any bad one is a fault.Invalid naming it.
func (f *Feed) ParseFeedQuery(ctx context.Context, v url.Values) (FeedQuery, error) {
	q := FeedQuery{Page: 1, PerPage: DefaultPerPage}
	p := &paramParser{v: maps.Clone(v)}
	for _, name := range feedParams {
		if !checkText(&p.ps, name, p.v.Get(name)) {
			p.v.Del(name) // checked once; the parsers below see it as absent
		}
	}
	p.number("page", 1, maxPage, &q.Page)
	p.number("per_page", 1, MaxPerPage, &q.PerPage)
	fl := &q.Filter
	fl.Text = p.get("search")
	if id := p.id("taxonomy_term_id"); id != nil {
		fl.TermIDs = []uuid.UUID{*id}
	}
	fl.TaxonomyID = p.id("taxonomy_id")
	fl.OrganisationID = p.id("organization_id")
	fl.ModifiedSince = p.modifiedAfter()
	fl.MinimumAgeAtLeast = p.age("minimum_age")
	fl.MaximumAgeAtMost = p.age("maximum_age")
	fl.Session = p.session()
	near, err := p.near(ctx, f.st.Queries)
	if err != nil {
		return q, err
	}
	fl.Near = near
	return q, p.ps.Err()
}

// paramParser reads a feed request's parameters, one method per kind,
// collecting problems. An absent or empty parameter leaves its default.
type paramParser struct {
	v  url.Values
	ps fault.Problems
}

// get returns a parameter without surrounding spaces.
func (p *paramParser) get(name string) string { return strings.TrimSpace(p.v.Get(name)) }

// number reads a whole number from min to max.
func (p *paramParser) number(name string, min, max int, dst *int) {
	s := p.get(name)
	if s == "" {
		return
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < min || n > max {
		p.ps.Add(name, "%q must be a whole number from %d to %d", s, min, max)
		return
	}
	*dst = n
}

func (p *paramParser) id(name string) *uuid.UUID {
	s := p.get(name)
	if s == "" {
		return nil
	}
	id, err := uuid.Parse(s)
	if err != nil {
		p.ps.Add(name, "%q is not a UUID", s)
		return nil
	}
	return &id
}

// modifiedAfter reads a date or a date-time.
func (p *paramParser) modifiedAfter() *time.Time {
	s := p.get("modified_after")
	if s == "" {
		return nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t, err = time.Parse("2006-01-02", s)
	}
	switch {
	case err != nil:
		p.ps.Add("modified_after", "%q is not a date (YYYY-MM-DD) or date-time (RFC 3339)", s)
	case t.Before(earliestModified) || t.After(latestModified):
		p.ps.Add("modified_after", "%q must be between 0001-01-01 and 9999-12-31", s)
	default:
		t = t.UTC()
		return &t
	}
	return nil
}

func (p *paramParser) age(name string) *int {
	s := p.get(name)
	if s == "" {
		return nil
	}
	n, err := strconv.ParseFloat(s, 64)
	// Written so that NaN fails too.
	if err != nil || !(n >= 0 && n <= maxAge) {
		p.ps.Add(name, "%q is not an age from 0 to %d", s, maxAge)
		return nil
	}
	a := int(n)
	return &a
}

// session reads the day and times of a session; nil when none is given.
func (p *paramParser) session() *store.SessionFilter {
	var sess store.SessionFilter
	if s := p.get("day"); s != "" {
		if d, ok := parseWeekday(s); ok {
			sess.Day = d
		} else {
			p.ps.Add("day", "%q is not a day of the week (e.g. Monday or MO)", s)
		}
	}
	for _, c := range []struct {
		name string
		dst  *string
	}{{"start_time", &sess.OpensFrom}, {"end_time", &sess.ClosesByAt}} {
		if s := p.get(c.name); s != "" {
			t, err := parseClock(s)
			if err != nil {
				p.ps.Add(c.name, "%q is not a time of day (HH:MM)", s)
				continue
			}
			*c.dst = t
		}
	}
	if sess == (store.SessionFilter{}) {
		return nil
	}
	return &sess
}

// near reads a postcode and a proximity in metres, looking the postcode
// up; nil when no postcode is given. Only a failed lookup is an error:
// bad values are problems.
func (p *paramParser) near(ctx context.Context, q store.Queries) (*store.Near, error) {
	pc, prox := p.get("postcode"), p.get("proximity")
	metres := DefaultProximity
	if prox != "" {
		m, err := strconv.ParseFloat(prox, 64)
		switch {
		case err != nil || !(m > 0 && m <= maxProximity): // NaN fails too
			p.ps.Add("proximity", "%q must be a distance in metres above 0 and at most %.0f", prox, maxProximity)
		case pc == "":
			p.ps.Add("proximity", "needs a postcode to measure from")
		default:
			metres = m
		}
	}
	if pc == "" {
		return nil, nil
	}
	pt, err := postcodes.Lookup(ctx, q, "postcode", pc)
	var inv *fault.Invalid
	switch {
	case errors.As(err, &inv):
		p.ps = append(p.ps, inv.Problems...)
		return nil, nil
	case err != nil:
		return nil, err
	}
	return &store.Near{Latitude: pt.Latitude, Longitude: pt.Longitude, Metres: metres}, nil
}

func newPage[T any](items []T, total int, q FeedQuery) Page[T] {
	if items == nil {
		items = []T{}
	}
	pages := (total + q.PerPage - 1) / q.PerPage
	return Page[T]{TotalItems: total, TotalPages: pages, PageNumber: q.Page, Size: len(items),
		FirstPage: q.Page == 1, LastPage: q.Page >= pages, Empty: len(items) == 0, Contents: items}
}

// serviceSummary is a service with its one-to-one fields and organisation,
// as the ORUK lists give them.
func serviceSummary(s *store.Service, org *store.Organisation) ORService {
	full := (&Exporter{}).service(s, org, nil, nil, nil, nil, nil)
	full.Schedules, full.Languages, full.CostOptions, full.Contacts, full.Attributes = nil, nil, nil, nil, nil
	full.Organization = &OROrganization{ID: org.ID.String(), Name: org.Name, Description: cmp.Or(org.DescriptionSource, org.Description),
		Email: org.Email, Website: exportURI(org.Website)}
	return full
}

func (f *Feed) summaries(ctx context.Context, svcs []store.Service) ([]ORService, error) {
	ids := make([]uuid.UUID, len(svcs))
	for i, s := range svcs {
		ids[i] = s.OrganisationID
	}
	orgs, err := f.st.OrganisationsByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := map[uuid.UUID]*store.Organisation{}
	for i := range orgs {
		byID[orgs[i].ID] = &orgs[i]
	}
	out := make([]ORService, len(svcs))
	for i := range svcs {
		out[i] = serviceSummary(&svcs[i], byID[svcs[i].OrganisationID])
	}
	return out, nil
}

// Services lists services, one-to-one fields only.
func (f *Feed) Services(ctx context.Context, q FeedQuery) (Page[ORService], error) {
	total, err := f.st.CountServices(ctx, q.Filter)
	if err != nil {
		return Page[ORService]{}, err
	}
	rows, err := f.st.ServicesAt(ctx, q.Filter, q.offset(), q.PerPage)
	if err != nil {
		return Page[ORService]{}, err
	}
	items, err := f.summaries(ctx, rows)
	return newPage(items, total, q), err
}

func notFoundErr(err error, what, id string) error {
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%s %s: %w", what, id, fault.NotFound)
	}
	return err
}

// Service returns a fully nested service.
func (f *Feed) Service(ctx context.Context, id uuid.UUID) (ORService, error) {
	s, err := f.st.ServiceByID(ctx, id)
	if err != nil || s.ArchivedAt != nil {
		if err == nil {
			err = store.ErrNotFound
		}
		return ORService{}, notFoundErr(err, "service", id.String())
	}
	ex, err := NewExporter(ctx, f.st.Queries)
	if err != nil {
		return ORService{}, err
	}
	out, err := ex.Services(ctx, []store.Service{*s})
	if err != nil {
		return ORService{}, err
	}
	return out[0], nil
}

// Organisations lists organisations.
func (f *Feed) Organisations(ctx context.Context, q FeedQuery) (Page[OROrganization], error) {
	of := store.OrganisationFilter{Text: q.Filter.Text}
	total, err := f.st.CountOrganisations(ctx, of)
	if err != nil {
		return Page[OROrganization]{}, err
	}
	rows, err := f.st.OrganisationsAt(ctx, of, q.offset(), q.PerPage)
	if err != nil {
		return Page[OROrganization]{}, err
	}
	items := make([]OROrganization, len(rows))
	for i := range rows {
		o := OrganisationJSON(&rows[i])
		o.OrganizationIdentifiers, o.Phones = nil, nil
		items[i] = *o
	}
	return newPage(items, total, q), nil
}

// Organisation returns an organisation with its identifiers and services.
func (f *Feed) Organisation(ctx context.Context, id uuid.UUID) (OROrganization, error) {
	o, err := f.st.OrganisationByID(ctx, id)
	if err != nil || o.ArchivedAt != nil {
		if err == nil {
			err = store.ErrNotFound
		}
		return OROrganization{}, notFoundErr(err, "organization", id.String())
	}
	out := OrganisationJSON(o)
	svcs, err := f.st.ServicesAt(ctx, store.ServiceFilter{OrganisationID: &id}, 0, 1000)
	if err != nil {
		return OROrganization{}, err
	}
	for i := range svcs {
		s := serviceSummary(&svcs[i], o)
		s.Organization = nil
		out.Services = append(out.Services, s)
	}
	return *out, nil
}

// Taxonomies lists taxonomies.
func (f *Feed) Taxonomies(ctx context.Context, q FeedQuery) (Page[ORTaxonomy], error) {
	total, err := f.st.CountTaxonomies(ctx)
	if err != nil {
		return Page[ORTaxonomy]{}, err
	}
	rows, err := f.st.TaxonomiesAt(ctx, q.offset(), q.PerPage)
	if err != nil {
		return Page[ORTaxonomy]{}, err
	}
	items := make([]ORTaxonomy, len(rows))
	for i := range rows {
		items[i] = TaxonomyJSON(&rows[i])
	}
	return newPage(items, total, q), nil
}

// Taxonomy returns a taxonomy with its terms.
func (f *Feed) Taxonomy(ctx context.Context, id uuid.UUID) (ORTaxonomy, error) {
	t, err := f.st.TaxonomyByID(ctx, id)
	if err != nil {
		return ORTaxonomy{}, notFoundErr(err, "taxonomy", id.String())
	}
	out := TaxonomyJSON(t)
	terms, _, err := f.st.AllTermsAt(ctx, &id, 0, 100000)
	if err != nil {
		return ORTaxonomy{}, err
	}
	ex := &Exporter{taxonomies: map[uuid.UUID]store.Taxonomy{t.ID: *t}}
	for i := range terms {
		out.TaxonomyTerms = append(out.TaxonomyTerms, ex.Term(&terms[i]))
	}
	return out, nil
}

// Terms lists taxonomy terms, of one taxonomy when taxonomy_id is given.
func (f *Feed) Terms(ctx context.Context, q FeedQuery) (Page[ORTerm], error) {
	rows, total, err := f.st.AllTermsAt(ctx, q.Filter.TaxonomyID, q.offset(), q.PerPage)
	if err != nil {
		return Page[ORTerm]{}, err
	}
	ex, err := NewExporter(ctx, f.st.Queries)
	if err != nil {
		return Page[ORTerm]{}, err
	}
	items := make([]ORTerm, len(rows))
	for i := range rows {
		items[i] = ex.Term(&rows[i])
	}
	return newPage(items, total, q), nil
}

// Term returns one taxonomy term.
func (f *Feed) Term(ctx context.Context, id uuid.UUID) (ORTerm, error) {
	t, err := f.st.TermByID(ctx, id)
	if err != nil {
		return ORTerm{}, notFoundErr(err, "taxonomy term", id.String())
	}
	ex, err := NewExporter(ctx, f.st.Queries)
	if err != nil {
		return ORTerm{}, err
	}
	return ex.Term(t), nil
}

// ServiceAtLocations lists service-at-locations with their location and
// service (one-to-one fields).
func (f *Feed) ServiceAtLocations(ctx context.Context, q FeedQuery) (Page[ORServiceAtLocation], error) {
	rows, total, err := f.st.ServiceAtLocationsAt(ctx, q.Filter, q.offset(), q.PerPage)
	if err != nil {
		return Page[ORServiceAtLocation]{}, err
	}
	items, err := f.sals(ctx, rows, false)
	return newPage(items, total, q), err
}

// ServiceAtLocation returns one, with its location and full service.
func (f *Feed) ServiceAtLocation(ctx context.Context, id uuid.UUID) (ORServiceAtLocation, error) {
	row, err := f.st.ServiceAtLocationByID(ctx, id)
	if err != nil {
		return ORServiceAtLocation{}, notFoundErr(err, "service_at_location", id.String())
	}
	items, err := f.sals(ctx, []store.ServiceAtLocationRow{*row}, true)
	if err != nil {
		return ORServiceAtLocation{}, err
	}
	if len(items) == 0 {
		return ORServiceAtLocation{}, notFoundErr(store.ErrNotFound, "service_at_location", id.String())
	}
	return items[0], nil
}

func (f *Feed) sals(ctx context.Context, rows []store.ServiceAtLocationRow, full bool) ([]ORServiceAtLocation, error) {
	var svcIDs, locIDs []uuid.UUID
	for _, r := range rows {
		svcIDs = append(svcIDs, r.ServiceID)
		locIDs = append(locIDs, r.LocationID)
	}
	svcs, err := f.st.ServicesByIDs(ctx, svcIDs)
	if err != nil {
		return nil, err
	}
	var listed []store.Service
	for _, s := range svcs {
		if s.ArchivedAt == nil {
			listed = append(listed, s)
		}
	}
	var orService []ORService
	if full {
		ex, err := NewExporter(ctx, f.st.Queries)
		if err != nil {
			return nil, err
		}
		orService, err = ex.Services(ctx, listed)
		if err != nil {
			return nil, err
		}
	} else if orService, err = f.summaries(ctx, listed); err != nil {
		return nil, err
	}
	svcByID := map[string]*ORService{}
	for i := range orService {
		svcByID[orService[i].ID] = &orService[i]
	}
	locs, err := f.st.LocationsByIDs(ctx, locIDs)
	if err != nil {
		return nil, err
	}
	locByID := map[uuid.UUID]*store.Location{}
	for i := range locs {
		locByID[locs[i].ID] = &locs[i]
	}
	var out []ORServiceAtLocation
	for _, r := range rows {
		s, l := svcByID[r.ServiceID.String()], locByID[r.LocationID]
		if s == nil || l == nil {
			continue
		}
		out = append(out, ORServiceAtLocation{ID: r.ID.String(), ServiceID: s.ID, LocationID: l.ID.String(),
			Location: location(l), Service: s})
	}
	return out, nil
}
