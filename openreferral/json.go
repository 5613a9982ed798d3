package openreferral

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
)

// jsonReader turns HSDS 3 / ORUK JSON records into a Dataset.
type jsonReader struct {
	ds       *Dataset
	orgs     map[string]*Organisation
	locs     map[string]*Location
	svcs     map[string]*Service
	terms    map[string]*Term // by the file's term id
	taxByID  map[string]string
	pending  []pendingLink
	file     string
	parentOf map[*Term]string // term → parent term id
	// audiences are the pc_targetAudience terms, by code.
	audiences map[string]*Term
}

type pendingLink struct {
	origin Origin
	svc    *Service
	termID string
	value  string
}

func readJSONFiles(fsys fs.FS, files []string) (*Dataset, error) {
	r := &jsonReader{ds: &Dataset{Rows: map[string]int{}}, orgs: map[string]*Organisation{},
		locs: map[string]*Location{}, svcs: map[string]*Service{}, terms: map[string]*Term{},
		taxByID: map[string]string{}, parentOf: map[*Term]string{}, audiences: map[string]*Term{}}
	for _, f := range files {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		r.file = path.Base(f)
		if err := r.readDocument(b); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
	}
	r.finish()
	return r.ds, nil
}

func (r *jsonReader) origin(p string) Origin { return Origin{File: r.file, Path: p} }

func (r *jsonReader) readDocument(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return fmt.Errorf("the file is empty")
	}
	if b[0] == '[' {
		var items []json.RawMessage
		if err := json.Unmarshal(b, &items); err != nil {
			return fmt.Errorf("not valid JSON: %w", err)
		}
		for i, it := range items {
			r.record(it, fmt.Sprintf("[%d]", i), "")
		}
		return nil
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		return fmt.Errorf("not valid JSON: %w", err)
	}
	if taxes, ok := top["taxonomies"]; ok && has(top, "contents") {
		var items []ORTaxonomy
		if err := json.Unmarshal(taxes, &items); err != nil {
			return fmt.Errorf("taxonomies is not a list of taxonomies: %w", err)
		}
		for i, t := range items {
			r.taxonomy(t, fmt.Sprintf("taxonomies[%d]", i))
		}
	}
	if c, ok := top["contents"]; ok {
		var items []json.RawMessage
		if err := json.Unmarshal(c, &items); err != nil {
			return fmt.Errorf("contents is not a list: %w", err)
		}
		for i, it := range items {
			r.record(it, fmt.Sprintf("contents[%d]", i), "")
		}
		return nil
	}
	r.record(b, "", "")
	return nil
}

func has(m map[string]json.RawMessage, keys ...string) bool {
	for _, k := range keys {
		if v, ok := m[k]; ok && string(v) != "null" {
			return true
		}
	}
	return false
}

// record reads one object, recognising what it is by its properties.
func (r *jsonReader) record(raw json.RawMessage, p, parentOrg string) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		r.ds.skip(r.origin(p), "unreadable record", "not a JSON object: %v", err)
		return
	}
	decode := func(dst any) bool {
		if err := json.Unmarshal(raw, dst); err != nil {
			r.ds.skip(r.origin(p), "unreadable record", "%v", err)
			return false
		}
		return true
	}
	switch {
	case has(m, "location") && has(m, "service"):
		var sal ORServiceAtLocation
		if decode(&sal) && sal.Service != nil {
			svc := *sal.Service
			svc.ServiceAtLocations = append(svc.ServiceAtLocations, ORServiceAtLocation{ID: sal.ID, Location: sal.Location,
				Description: sal.Description, Schedules: sal.Schedules})
			r.service(svc, p+".service", parentOrg)
		}
	case has(m, "status", "service_at_locations", "fees", "cost_options") || has(m, "organization") && !has(m, "services"):
		var s ORService
		if decode(&s) {
			r.service(s, p, parentOrg)
		}
	case has(m, "services", "organization_identifiers", "website", "logo", "parent_organization_id"):
		var o OROrganization
		if decode(&o) {
			if r.organisation(&o, p) {
				for i, s := range o.Services {
					r.service(s, fmt.Sprintf("%s.services[%d]", p, i), o.ID)
				}
			}
		}
	case has(m, "taxonomy_terms") || has(m, "uri", "version") && !has(m, "taxonomy", "term", "term_uri"):
		var t ORTaxonomy
		if decode(&t) {
			r.taxonomy(t, p)
		}
	case has(m, "term", "term_uri", "taxonomy", "taxonomy_id", "parent_id", "code"):
		var t ORTerm
		if decode(&t) {
			r.term(t, p)
		}
	default:
		r.ds.skip(r.origin(p), "unrecognised record", "neither a service, organisation, location, taxonomy nor term")
	}
}

func (r *jsonReader) taxonomy(t ORTaxonomy, p string) {
	if strings.TrimSpace(t.Name) == "" {
		r.ds.skip(r.origin(p), "taxonomy without a name", "taxonomy %q has no name", t.ID)
		return
	}
	r.ds.Rows["taxonomies"]++
	r.taxByID[t.ID] = t.Name
	r.ds.Taxonomies = append(r.ds.Taxonomies, &Taxonomy{Name: t.Name, Description: t.Description, URI: t.URI, Version: t.Version})
	for i, term := range t.TaxonomyTerms {
		if term.Taxonomy == "" && term.TaxonomyID == "" {
			term.Taxonomy = t.Name
		}
		r.term(term, fmt.Sprintf("%s.taxonomy_terms[%d]", p, i))
	}
}

// term adds a term once, returning it.
func (r *jsonReader) term(t ORTerm, p string) *Term {
	if existing := r.terms[t.ID]; existing != nil && t.ID != "" {
		return existing
	}
	name := strings.TrimSpace(t.Name)
	if name == "" {
		name = strings.TrimSpace(t.Term)
	}
	if t.ID == "" && t.Code == "" || name == "" {
		r.ds.skip(r.origin(p), "taxonomy term without an id or name", "a taxonomy term needs an id (or code) and a name")
		return nil
	}
	tax := t.Taxonomy
	if n, ok := r.taxByID[t.TaxonomyID]; ok {
		tax = n
	}
	if tax == "" {
		tax = "imported"
	}
	code := t.Code
	if code == "" {
		code = t.ID
	}
	r.ds.Rows["taxonomy_terms"]++
	term := &Term{SourceID: t.ID, Taxonomy: tax, Code: code, Name: name, Description: t.Description, Origin: r.origin(p)}
	if t.ID != "" {
		r.terms[t.ID] = term
	}
	if t.ParentID != "" {
		r.parentOf[term] = t.ParentID
	}
	r.ds.Terms = append(r.ds.Terms, term)
	return term
}

func (r *jsonReader) organisation(o *OROrganization, p string) bool {
	if existing := r.orgs[o.ID]; existing != nil {
		return true // organisations repeat inside every service that embeds them
	}
	org := &Organisation{SourceID: o.ID, Name: strings.TrimSpace(o.Name), Origin: r.origin(p)}
	org.Description, org.DescriptionSource = sourceText(o.Description)
	if !r.ds.keep(org.Origin, "organisation", o.ID, org.Name, false) {
		return false
	}
	web := o.Website
	if web == "" {
		web = o.URL
	}
	org.Website = r.ds.cleanURL(org.Origin, "organisation", "website", web)
	org.Email = r.ds.cleanEmail(org.Origin, "organisation", "email", o.Email)
	for _, id := range o.OrganizationIdentifiers {
		applyIdentifier(org, id.IdentifierScheme, id.IdentifierType, id.Identifier)
	}
	if len(o.Phones) > 0 {
		org.Phone = phoneNumber(o.Phones[0])
	}
	r.ds.Rows["organizations"]++
	r.orgs[o.ID] = org
	r.ds.Organisations = append(r.ds.Organisations, org)
	return true
}

func phoneNumber(ph ORPhone) string {
	n := strings.TrimSpace(ph.Number)
	switch ext := ph.Extension.(type) {
	case string:
		if ext != "" {
			n += " ext. " + ext
		}
	case float64:
		n += " ext. " + strconv.FormatFloat(ext, 'f', -1, 64)
	}
	return n
}

func (r *jsonReader) location(l *ORLocation, p, orgID string) *Location {
	if existing := r.locs[l.ID]; existing != nil {
		return existing
	}
	loc := &Location{SourceID: l.ID, OrgSourceID: orgID, Name: strings.TrimSpace(l.Name), Origin: r.origin(p)}
	loc.Description, loc.DescriptionSource = sourceText(l.Description)
	if l.ID == "" {
		r.ds.skip(loc.Origin, "location without an id", "a location has no id")
		return nil
	}
	if l.OrganizationID != "" {
		loc.OrgSourceID = l.OrganizationID
	}
	r.ds.setPoint(loc, l.Latitude, l.Longitude)
	if len(l.Addresses) > 0 {
		a := l.Addresses[0]
		for _, cand := range l.Addresses {
			if cand.AddressType == "" || cand.AddressType == "physical" {
				a = cand
				break
			}
		}
		region := a.Region
		if region == "" {
			region = a.StateProvince
		}
		r.ds.setAddress(loc, a.Address1, a.Address2, a.City, region, a.PostalCode, a.Country)
	}
	for _, acc := range l.Accessibility {
		if text := joinNonEmpty(": ", acc.Description, acc.Details); text != "" {
			loc.Accessibility = appendUnique(loc.Accessibility, text)
		}
	}
	r.ds.Rows["locations"]++
	r.locs[l.ID] = loc
	r.ds.Locations = append(r.ds.Locations, loc)
	return loc
}

func (r *jsonReader) service(o ORService, p, parentOrg string) {
	origin := r.origin(p)
	s := &Service{SourceID: o.ID, Name: strings.TrimSpace(o.Name), AcceptingReferrals: true, Origin: origin}
	s.Description, s.DescriptionSource = sourceText(o.Description)
	if !r.ds.keep(origin, "service", o.ID, s.Name, r.svcs[o.ID] != nil) {
		return
	}
	r.ds.Rows["services"]++
	switch {
	case o.Organization != nil:
		if !r.organisation(o.Organization, p+".organization") {
			r.ds.skip(origin, "service of an unusable organisation", "service %q: its organisation could not be read", o.ID)
			return
		}
		s.OrgSourceID = o.Organization.ID
	case o.OrganizationID != "":
		s.OrgSourceID = o.OrganizationID
	default:
		s.OrgSourceID = parentOrg
	}
	r.serviceDetails(s, o, origin)
	r.serviceLocations(s, o, p)
	r.serviceLanguagesAndCosts(s, o, p)
	r.serviceContacts(s, o, p)
	r.serviceAttributes(s, o, p)
	r.serviceAudiences(s, o.TargetAudience, p)
	r.svcs[o.ID] = s
	r.ds.Services = append(r.ds.Services, s)
}

// serviceDetails reads a service's own fields.
func (r *jsonReader) serviceDetails(s *Service, o ORService, origin Origin) {
	s.URL = r.ds.cleanURL(origin, "service", "url", o.URL)
	s.Email = r.ds.cleanEmail(origin, "service", "email", o.Email)
	s.Status = r.ds.status(origin, o.Status)
	s.CostDescription = cleanText(joinNonEmpty(" ", o.Fees, o.FeesDescription))
	s.EligibilityDescription, s.EligibilityDescriptionSource = sourceText(o.EligibilityDescription)
	ageStr := func(f *float64) string {
		if f == nil {
			return ""
		}
		return strconv.FormatFloat(*f, 'f', -1, 64)
	}
	r.ds.setAges(s, ageStr(o.MinimumAge), ageStr(o.MaximumAge))
	if o.AssuredDate != "" {
		if d, err := parseDate(o.AssuredDate); err == nil {
			s.AssuredDate = d
		} else {
			r.ds.warn(origin, "bad date", "assured_date", "%v; dropped", err)
		}
	}
	s.Assurer = r.ds.cleanEmail(origin, "service", "assurer_email", o.AssurerEmail)
}

// serviceLocations reads a service's locations and sessions, remembering
// which service-at-location id leads where.
func (r *jsonReader) serviceLocations(s *Service, o ORService, p string) {
	salLocation := map[string]string{}
	for i, sal := range o.ServiceAtLocations {
		sp := fmt.Sprintf("%s.service_at_locations[%d]", p, i)
		lid := sal.LocationID
		if sal.Location != nil {
			if l := r.location(sal.Location, sp+".location", s.OrgSourceID); l != nil {
				lid = l.SourceID
			}
		}
		if lid == "" {
			r.ds.skip(r.origin(sp), "service at location without a location", "no location is given")
			continue
		}
		salLocation[sal.ID] = lid
		if !hasLocation(s, lid) {
			s.Locations = append(s.Locations, ServiceAtLocation{SourceID: sal.ID, LocationSourceID: lid, Description: cleanText(sal.Description)})
		}
		for j, sc := range sal.Schedules {
			r.addSchedule(s, sc, fmt.Sprintf("%s.schedules[%d]", sp, j), lid)
		}
	}
	for i, sc := range o.Schedules {
		lid := salLocation[sc.ServiceAtLocationID]
		if lid == "" && sc.LocationID != "" && hasLocation(s, sc.LocationID) {
			lid = sc.LocationID
		}
		r.addSchedule(s, sc, fmt.Sprintf("%s.schedules[%d]", p, i), lid)
	}
}

func (r *jsonReader) serviceLanguagesAndCosts(s *Service, o ORService, p string) {
	for _, l := range o.Languages {
		name := strings.TrimSpace(l.Name)
		if name == "" {
			name = strings.TrimSpace(l.Code)
		}
		if name != "" {
			s.Languages = appendUnique(s.Languages, name)
		}
	}
	costs := make([]Cost, 0, len(o.CostOptions))
	for i, c := range o.CostOptions {
		if c.Amount != nil && *c.Amount < 0 {
			r.ds.warn(r.origin(fmt.Sprintf("%s.cost_options[%d]", p, i)), "bad amount", "amount", "%v is not a price; dropped", *c.Amount)
			c.Amount = nil
		}
		costs = append(costs, Cost{Option: c.Option, Amount: c.Amount, Currency: c.Currency, AmountDescription: c.AmountDescription})
	}
	applyCosts(s, costs)
}

// serviceContacts reads contacts: a contact's first phone is its own, the
// others become contacts of their own; the service's phones are contacts
// too.
func (r *jsonReader) serviceContacts(s *Service, o ORService, p string) {
	for i, c := range o.Contacts {
		ct := Contact{Name: strings.TrimSpace(c.Name), Title: strings.TrimSpace(c.Title),
			Email: r.ds.cleanEmail(r.origin(fmt.Sprintf("%s.contacts[%d]", p, i)), "contact", "email", c.Email)}
		for j, ph := range c.Phones {
			if j == 0 {
				ct.Phone = phoneNumber(ph)
			} else {
				s.Contacts = append(s.Contacts, Contact{Name: ct.Name, Title: ct.Title, Phone: phoneNumber(ph)})
			}
		}
		if ct.Name != "" || ct.Title != "" || ct.Email != "" || ct.Phone != "" {
			s.Contacts = append(s.Contacts, ct)
		}
	}
	for _, ph := range o.Phones {
		if n := phoneNumber(ph); n != "" && !hasPhone(s, n) {
			s.Contacts = append(s.Contacts, Contact{Title: joinNonEmpty(", ", ph.Description, ph.Type), Phone: n})
		}
	}
}

// serviceAttributes links a service to the terms its attributes name; a
// term given by id alone is linked once every term is read.
func (r *jsonReader) serviceAttributes(s *Service, o ORService, p string) {
	for i, a := range o.Attributes {
		ap := fmt.Sprintf("%s.attributes[%d]", p, i)
		if lt := strings.ToLower(a.LinkType); lt != "" && lt != "service" && lt != "link_type" {
			continue
		}
		if a.TaxonomyTerm != nil {
			if t := r.term(*a.TaxonomyTerm, ap+".taxonomy_term"); t != nil {
				r.ds.linkTerm(s, t, a.Value)
			}
			continue
		}
		r.pending = append(r.pending, pendingLink{origin: r.origin(ap), svc: s, termID: a.TaxonomyTermID, value: a.Value})
	}
}

func (r *jsonReader) addSchedule(s *Service, sc ORSchedule, p, lid string) {
	fields := map[string]string{"freq": sc.Freq, "byday": sc.Byday, "opens_at": sc.OpensAt, "closes_at": sc.ClosesAt,
		"valid_from": sc.ValidFrom, "valid_to": sc.ValidTo, "description": sc.Description, "notes": sc.Notes}
	if sc.Interval != nil {
		fields["interval"] = strconv.Itoa(*sc.Interval)
	}
	get := func(names ...string) string {
		for _, n := range names {
			if v := strings.TrimSpace(fields[n]); v != "" {
				return v
			}
		}
		return ""
	}
	sch, ok := r.ds.schedule(r.origin(p), get)
	if !ok {
		return
	}
	sch.LocationSourceID = lid
	s.Schedules = append(s.Schedules, sch)
}

func (r *jsonReader) finish() {
	for t, pid := range r.parentOf {
		if p := r.terms[pid]; p != nil && p.Taxonomy == t.Taxonomy {
			t.ParentCode = p.Code
		} else {
			r.ds.warn(t.Origin, "taxonomy term with an unknown parent", "parent_id", "no term %q in the same taxonomy; kept without a parent", pid)
		}
	}
	for _, l := range r.pending {
		if t := r.terms[l.termID]; t != nil {
			r.ds.linkTerm(l.svc, t, l.value)
		} else {
			r.ds.skip(l.origin, "link to an unknown taxonomy term", "taxonomy term %q is not in the input", l.termID)
		}
	}
	addTaxonomiesOfTerms(r.ds)
	r.ds.checkReferences(r.orgs, r.locs)
}
