package openreferral

import (
	"cmp"
	"strings"
)

// buildFromTables joins the tables into a Dataset.
func buildFromTables(tables map[string]*table) *Dataset {
	j := &joiner{ds: &Dataset{Rows: map[string]int{}}, tables: tables, termsByID: map[string]*Term{},
		orgs: map[string]*Organisation{}, locs: map[string]*Location{}, svcs: map[string]*Service{},
		taxonomyNames: map[string]string{}, salByID: map[string][2]string{}, contactOf: map[string]*[2]int{}}
	j.taxonomies()
	j.terms()
	j.termParents()
	addTaxonomiesOfTerms(j.ds)
	j.organisations()
	j.organisationIdentifiers()
	j.locations()
	j.addresses()
	j.accessibility()
	j.services()
	j.eligibility()
	j.languages()
	j.costOptions()
	j.servicesAtLocations()
	j.contacts()
	j.phones()
	j.schedules()
	j.termLinks()
	j.ds.checkReferences(j.orgs, j.locs)
	return j.ds
}

// joiner joins the rows of a tabular package (HSDS CSV or a Data Package)
// into a Dataset, one table group per method. The methods run in the
// order buildFromTables calls them: each looks up by id what the earlier
// ones kept, and skips, with a reason, a row that points at nothing.
type joiner struct {
	ds     *Dataset
	tables map[string]*table

	taxonomyNames map[string]string // taxonomy id → name
	termsByID     map[string]*Term
	orgs          map[string]*Organisation
	locs          map[string]*Location
	svcs          map[string]*Service
	salByID       map[string][2]string // service at location id → service id, location id
	contactOf     map[string]*[2]int   // contact id → service index, contact index
}

// table returns a table by its canonical name, counting its rows; a table
// the package lacks is empty.
func (j *joiner) table(name string) *table {
	if t := j.tables[name]; t != nil {
		j.ds.Rows[name] = len(t.rows)
		return t
	}
	return &table{cols: map[string]int{}}
}

// taxonomies keeps the named taxonomies.
func (j *joiner) taxonomies() {
	ds, taxonomyNames := j.ds, j.taxonomyNames
	tax := j.table("taxonomies")
	for i := range tax.rows {
		name := tax.get(i, "name")
		if name == "" {
			ds.skip(tax.origin(i), "taxonomy without a name", "taxonomy %q has no name", tax.get(i, "id"))
			continue
		}
		taxonomyNames[tax.get(i, "id")] = name
		ds.Taxonomies = append(ds.Taxonomies, &Taxonomy{Name: name, Description: tax.get(i, "description"),
			URI: tax.get(i, "uri"), Version: tax.get(i, "version")})
	}
}

// terms keeps the taxonomy terms, in the taxonomy their row names.
func (j *joiner) terms() {
	ds, taxonomyNames, termsByID := j.ds, j.taxonomyNames, j.termsByID
	terms := j.table("taxonomy_terms")
	for i := range terms.rows {
		id := terms.get(i, "id")
		name := terms.get(i, "name", "term")
		taxName := terms.get(i, "vocabulary", "taxonomy")
		if n, ok := taxonomyNames[terms.get(i, "taxonomy_id")]; ok {
			taxName = n
		}
		if taxName == "" {
			taxName = "imported"
		}
		code := terms.get(i, "code")
		if code == "" {
			code = id
		}
		switch {
		case id == "" && code == "":
			ds.skip(terms.origin(i), "taxonomy term without an id", "the term %q has no id or code", name)
			continue
		case name == "":
			ds.skip(terms.origin(i), "taxonomy term without a name", "term %q has no name", id)
			continue
		case termsByID[id] != nil:
			ds.skip(terms.origin(i), "duplicate id", "taxonomy term %q appears twice", id)
			continue
		}
		t := &Term{SourceID: id, Taxonomy: taxName, Code: code, Name: name, Description: terms.get(i, "description"),
			ParentCode: terms.get(i, "parent_id"), Origin: terms.origin(i)}
		termsByID[id] = t
		ds.Terms = append(ds.Terms, t)
	}
}

// termParents links terms to their parents. Parents are given by id; the
// dataset links them by code.
func (j *joiner) termParents() {
	ds, termsByID := j.ds, j.termsByID
	// Parents are given by id; the dataset links them by code.
	for _, t := range ds.Terms {
		if t.ParentCode == "" {
			continue
		}
		if p := termsByID[t.ParentCode]; p != nil && p.Taxonomy == t.Taxonomy {
			t.ParentCode = p.Code
		} else {
			ds.warn(t.Origin, "taxonomy term with an unknown parent", "parent_id", "no term %q in the same taxonomy; kept without a parent", t.ParentCode)
			t.ParentCode = ""
		}
	}
}

// organisations keeps the organisations.
func (j *joiner) organisations() {
	ds, orgs := j.ds, j.orgs
	ot := j.table("organizations")
	for i := range ot.rows {
		o := &Organisation{SourceID: ot.get(i, "id"), Name: ot.get(i, "name"), Origin: ot.origin(i)}
		o.Description, o.DescriptionSource = sourceText(ot.get(i, "description"))
		o.Website = ds.cleanURL(o.Origin, "organisation", "url", ot.get(i, "website", "url"))
		o.Email = ds.cleanEmail(o.Origin, "organisation", "email", ot.get(i, "email"))
		if !ds.keep(o.Origin, "organisation", o.SourceID, o.Name, orgs[o.SourceID] != nil) {
			continue
		}
		orgs[o.SourceID] = o
		ds.Organisations = append(ds.Organisations, o)
	}
}

// organisationIdentifiers applies identifiers (charity and company
// numbers) to their organisations.
func (j *joiner) organisationIdentifiers() {
	ds, orgs := j.ds, j.orgs
	ids := j.table("organization_identifiers")
	for i := range ids.rows {
		o := orgs[ids.get(i, "organization_id")]
		if o == nil {
			ds.skip(ids.origin(i), "identifier of an unknown organisation", "organization_id %q is not in organizations", ids.get(i, "organization_id"))
			continue
		}
		applyIdentifier(o, ids.get(i, "identifier_scheme"), ids.get(i, "identifier_type"), ids.get(i, "identifier"))
	}
}

// locations keeps the locations, with their coordinates.
func (j *joiner) locations() {
	ds, locs := j.ds, j.locs
	lt := j.table("locations")
	for i := range lt.rows {
		l := &Location{SourceID: lt.get(i, "id"), OrgSourceID: lt.get(i, "organization_id"), Name: lt.get(i, "name"),
			Origin: lt.origin(i)}
		l.Description, l.DescriptionSource = sourceText(lt.get(i, "description"))
		if l.SourceID == "" {
			ds.skip(l.Origin, "location without an id", "a location has no id")
			continue
		}
		if locs[l.SourceID] != nil {
			ds.skip(l.Origin, "duplicate id", "location %q appears twice", l.SourceID)
			continue
		}
		ds.setCoordinates(l, lt.get(i, "latitude"), lt.get(i, "longitude"))
		locs[l.SourceID] = l
		ds.Locations = append(ds.Locations, l)
	}
}

// addresses gives each location its first address.
func (j *joiner) addresses() {
	ds, locs := j.ds, j.locs
	for _, name := range []string{"addresses", "postal_addresses"} {
		at := j.table(name)
		for i := range at.rows {
			l := locs[at.get(i, "location_id")]
			if l == nil {
				ds.skip(at.origin(i), "address of an unknown location", "location_id %q is not in locations", at.get(i, "location_id"))
				continue
			}
			if l.Address1 != "" || l.Postcode != "" {
				continue // the first address wins; physical before postal
			}
			ds.setAddress(l, at.get(i, "address_1"), joinNonEmpty(", ", at.get(i, "address_2"), at.get(i, "address_3"), at.get(i, "address_4")),
				at.get(i, "city"), at.get(i, "region", "state_province"), at.get(i, "postal_code"), at.get(i, "country"))
		}
	}
}

// accessibility adds accessibility notes to locations.
func (j *joiner) accessibility() {
	ds, locs := j.ds, j.locs
	acc := j.table("accessibility")
	for i := range acc.rows {
		l := locs[acc.get(i, "location_id")]
		a := joinNonEmpty(": ", acc.get(i, "accessibility", "description"), acc.get(i, "details"))
		if a == "" {
			continue
		}
		if l == nil {
			ds.skip(acc.origin(i), "accessibility of an unknown location", "location_id %q is not in locations", acc.get(i, "location_id"))
			continue
		}
		l.Accessibility = appendUnique(l.Accessibility, a)
	}
}

// services keeps the services.
func (j *joiner) services() {
	ds, svcs := j.ds, j.svcs
	st := j.table("services")
	for i := range st.rows {
		s := &Service{SourceID: st.get(i, "id"), OrgSourceID: st.get(i, "organization_id"), Name: st.get(i, "name"),
			AcceptingReferrals: true, Origin: st.origin(i)}
		s.Description, s.DescriptionSource = sourceText(st.get(i, "description"))
		if !ds.keep(s.Origin, "service", s.SourceID, s.Name, svcs[s.SourceID] != nil) {
			continue
		}
		s.URL = ds.cleanURL(s.Origin, "service", "url", st.get(i, "url"))
		s.Email = ds.cleanEmail(s.Origin, "service", "email", st.get(i, "email"))
		s.Status = ds.status(s.Origin, st.get(i, "status"))
		s.CostDescription = cleanText(st.get(i, "fees_description", "fees"))
		applyCosts(s, nil)
		s.EligibilityDescription, s.EligibilityDescriptionSource = sourceText(st.get(i, "eligibility_description"))
		ds.setAges(s, st.get(i, "minimum_age"), st.get(i, "maximum_age"))
		if d := st.get(i, "assured_date"); d != "" {
			if v, err := parseDate(d); err == nil {
				s.AssuredDate = v
			} else {
				ds.warn(s.Origin, "bad date", "assured_date", "%v; dropped", err)
			}
		}
		s.Assurer = ds.cleanEmail(s.Origin, "service", "assurer_email", st.get(i, "assurer_email"))
		if s.Assurer == "" {
			s.Assurer = st.get(i, "assurer")
		}
		svcs[s.SourceID] = s
		ds.Services = append(ds.Services, s)
	}
}

// eligibility adds eligibility rows to their services' descriptions and
// age ranges.
func (j *joiner) eligibility() {
	ds, svcs := j.ds, j.svcs
	el := j.table("eligibility")
	for i := range el.rows {
		text, orig := sourceText(el.get(i, "eligibility", "description"))
		s := svcs[el.get(i, "service_id")]
		switch {
		case s == nil && el.get(i, "service_id") == "":
			ds.skip(el.origin(i), "eligibility row that points at no service", "the row has no service_id")
			continue
		case s == nil:
			ds.skip(el.origin(i), "eligibility of an unknown service", "service_id %q is not in services", el.get(i, "service_id"))
			continue
		}
		if orig != "" || s.EligibilityDescriptionSource != "" {
			// Once any part is HTML, the original is every part as given.
			s.EligibilityDescriptionSource = joinNonEmpty("\n\n", cmp.Or(s.EligibilityDescriptionSource, s.EligibilityDescription),
				cmp.Or(orig, text))
		}
		s.EligibilityDescription = joinNonEmpty("\n\n", s.EligibilityDescription, text)
		ds.setAges(s, el.get(i, "minimum_age"), el.get(i, "maximum_age"))
	}
}

// languages adds the languages services are given in.
func (j *joiner) languages() {
	svcs := j.svcs
	lg := j.table("languages")
	for i := range lg.rows {
		name := lg.get(i, "language", "name", "code")
		if s := svcs[lg.get(i, "service_id")]; s != nil && name != "" {
			s.Languages = appendUnique(s.Languages, name)
		}
	}
}

// costOptions gives services their costs.
func (j *joiner) costOptions() {
	ds, svcs := j.ds, j.svcs
	co := j.table("cost_options")
	costs := map[*Service][]Cost{}
	for i := range co.rows {
		s := svcs[co.get(i, "service_id")]
		if s == nil {
			ds.skip(co.origin(i), "cost option of an unknown service", "service_id %q is not in services", co.get(i, "service_id"))
			continue
		}
		amount, err := parseFloat(co.get(i, "amount"))
		if err != nil || (amount != nil && *amount < 0) {
			ds.warn(co.origin(i), "bad amount", "amount", "%q is not a price; dropped", co.get(i, "amount"))
			amount = nil
		}
		costs[s] = append(costs[s], Cost{Option: co.get(i, "option"), Amount: amount, Currency: co.get(i, "currency"),
			AmountDescription: co.get(i, "amount_description")})
	}
	for s, cs := range costs {
		applyCosts(s, cs)
	}
}

// servicesAtLocations links services to their locations.
func (j *joiner) servicesAtLocations() {
	ds, svcs, locs, salByID := j.ds, j.svcs, j.locs, j.salByID
	sal := j.table("service_at_locations")
	for i := range sal.rows {
		s, l := svcs[sal.get(i, "service_id")], locs[sal.get(i, "location_id")]
		switch {
		case s == nil:
			ds.skip(sal.origin(i), "service at location of an unknown service", "service_id %q is not in services", sal.get(i, "service_id"))
			continue
		case l == nil:
			ds.skip(sal.origin(i), "service at location of an unknown location", "location_id %q is not in locations", sal.get(i, "location_id"))
			continue
		}
		salByID[sal.get(i, "id")] = [2]string{s.SourceID, l.SourceID}
		if !hasLocation(s, l.SourceID) {
			s.Locations = append(s.Locations, ServiceAtLocation{SourceID: sal.get(i, "id"), LocationSourceID: l.SourceID,
				Description: cleanText(sal.get(i, "description"))})
		}
	}
}

// contacts keeps contacts per service, including those given per service
// at a location.
func (j *joiner) contacts() {
	ds, svcs, salByID, contactOf := j.ds, j.svcs, j.salByID, j.contactOf
	svcIndex := map[string]int{}
	for i, s := range ds.Services {
		svcIndex[s.SourceID] = i
	}
	ct := j.table("contacts")
	for i := range ct.rows {
		sid := ct.get(i, "service_id")
		if sid == "" {
			sid = salByID[ct.get(i, "service_at_location_id")][0]
		}
		s := svcs[sid]
		if s == nil {
			ds.skip(ct.origin(i), "contact not linked to a service", "contact %q is linked to no known service (Signpost keeps contacts per service)", ct.get(i, "id"))
			continue
		}
		c := Contact{Name: ct.get(i, "name"), Title: joinNonEmpty(", ", ct.get(i, "title"), ct.get(i, "department")),
			Email: ds.cleanEmail(ct.origin(i), "contact", "email", ct.get(i, "email")),
			Phone: joinNonEmpty(" ", ct.get(i, "phone_areacode"), ct.get(i, "phone_number"))}
		if ext := ct.get(i, "phone_extension"); ext != "" && c.Phone != "" {
			c.Phone += " ext. " + ext
		}
		if c.Name == "" && c.Title == "" && c.Email == "" && c.Phone == "" {
			continue
		}
		s.Contacts = append(s.Contacts, c)
		contactOf[ct.get(i, "id")] = &[2]int{svcIndex[sid], len(s.Contacts) - 1}
	}
}

// phones gives a number to its contact when the contact has none, else
// to its service (as a contact) or its organisation.
func (j *joiner) phones() {
	ds, svcs, orgs, salByID, contactOf := j.ds, j.svcs, j.orgs, j.salByID, j.contactOf
	ph := j.table("phones")
	for i := range ph.rows {
		number := ph.get(i, "number")
		if ext := ph.get(i, "extension"); ext != "" && number != "" {
			number += " ext. " + ext
		}
		if number == "" {
			ds.skip(ph.origin(i), "phone without a number", "the row has no number")
			continue
		}
		if ref := contactOf[ph.get(i, "contact_id")]; ref != nil {
			c := &ds.Services[ref[0]].Contacts[ref[1]]
			if c.Phone == "" {
				c.Phone = number
				continue
			}
		}
		sid := ph.get(i, "service_id")
		if sid == "" {
			sid = salByID[ph.get(i, "service_at_location_id")][0]
		}
		if s := svcs[sid]; s != nil {
			if !hasPhone(s, number) {
				s.Contacts = append(s.Contacts, Contact{Title: ph.get(i, "description", "type"), Phone: number})
			}
			continue
		}
		if o := orgs[ph.get(i, "organization_id")]; o != nil {
			if o.Phone == "" {
				o.Phone = number
			}
			continue
		}
		ds.skip(ph.origin(i), "phone not linked to a service or organisation", "phone %q is linked to no known service or organisation", number)
	}
}

// schedules keeps services' sessions. HSDS 1/2 rows are one weekday each;
// rows with the same times at the same place are merged into one weekly
// session.
func (j *joiner) schedules() {
	ds, svcs, salByID := j.ds, j.svcs, j.salByID
	sc := j.table("schedules")
	type key struct{ svc, loc, opens, closes, desc, freq, from, to string }
	merged := map[key]*Schedule{}
	var order []key
	for i := range sc.rows {
		o := sc.origin(i)
		sid, lid := sc.get(i, "service_id"), sc.get(i, "location_id")
		if salID := sc.get(i, "service_at_location_id"); salID != "" {
			if pair, ok := salByID[salID]; ok {
				sid, lid = pair[0], pair[1]
			}
		}
		s := svcs[sid]
		if s == nil {
			ds.skip(o, "schedule not linked to a service", "schedule linked to no known service (location opening hours are not kept)")
			continue
		}
		if lid != "" && !hasLocation(s, lid) {
			lid = "" // a location the service is not at
		}
		sch, ok := ds.schedule(o, func(names ...string) string { return sc.get(i, names...) })
		if !ok {
			continue
		}
		sch.LocationSourceID = lid
		k := key{sid, lid, sch.OpensAt, sch.ClosesAt, sch.Description, sch.Freq, sch.ValidFrom, sch.ValidTo}
		if m := merged[k]; m != nil && sch.Interval == m.Interval {
			for _, d := range sch.ByDay {
				m.ByDay = appendUnique(m.ByDay, d)
			}
			continue
		}
		cp := sch
		merged[k] = &cp
		order = append(order, k)
	}
	for _, k := range order {
		m := merged[k]
		sortDays(m.ByDay)
		svcs[k.svc].Schedules = append(svcs[k.svc].Schedules, *m)
	}
}

// termLinks links services to terms: HSDS 1/2 services_taxonomy, HSDS 3
// attributes.
func (j *joiner) termLinks() {
	ds, svcs, termsByID := j.ds, j.svcs, j.termsByID
	link := func(o Origin, sid, tid string) {
		s, t := svcs[sid], termsByID[tid]
		switch {
		case s == nil:
			ds.skip(o, "term link of an unknown service", "service_id %q is not in services", sid)
		case t == nil:
			ds.skip(o, "link to an unknown taxonomy term", "taxonomy term %q is not in the taxonomy", tid)
		default:
			ds.linkTerm(s, t, "")
		}
	}
	stt := j.table("service_terms")
	for i := range stt.rows {
		link(stt.origin(i), stt.get(i, "service_id"), stt.get(i, "taxonomy_id", "taxonomy_term_id"))
	}
	at := j.table("attributes")
	for i := range at.rows {
		if lt := strings.ToLower(at.get(i, "link_type")); lt != "" && lt != "service" {
			continue
		}
		s, t := svcs[at.get(i, "link_id")], termsByID[at.get(i, "taxonomy_term_id")]
		if s != nil && t != nil {
			ds.linkTerm(s, t, at.get(i, "value"))
			continue
		}
		link(at.origin(i), at.get(i, "link_id"), at.get(i, "taxonomy_term_id"))
	}
}
