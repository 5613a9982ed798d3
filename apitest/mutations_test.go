package apitest

import (
	"testing"
)

const createOrg = `mutation($in: OrganisationInput!) {
  createOrganisation(input: $in) { id name website email phone version archivedAt }
}`

const serviceFields = `id name description status free version archivedAt assuredDate assurer
  organisation { id name }
  eligibility { minimumAge maximumAge description }
  costs { option amount currency amountDescription }
  deliveryModes accessRoutes acceptingReferrals spaces accessibility languages
  needs { code label }
  terms { code taxonomy { name } }
  locations { description location { id name postcode latitude longitude accessibility } }
  schedules { frequency interval days opensAt closesAt note location { name } }
  contacts { name title email phone }`

const createService = `mutation($org: ID!, $in: ServiceInput!) { createService(organisationId: $org, input: $in) { ` + serviceFields + ` } }`

type org struct {
	ID         string  `json:"id"`
	Name       string  `json:"name"`
	Website    string  `json:"website"`
	Version    int     `json:"version"`
	ArchivedAt *string `json:"archivedAt"`
}

type service struct {
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	Status      string  `json:"status"`
	Free        bool    `json:"free"`
	Version     int     `json:"version"`
	ArchivedAt  *string `json:"archivedAt"`
	AssuredDate *string `json:"assuredDate"`
	Assurer     string  `json:"assurer"`
	Eligibility struct {
		MinimumAge *int `json:"minimumAge"`
		MaximumAge *int `json:"maximumAge"`
	} `json:"eligibility"`
	Costs []struct {
		Amount   *float64 `json:"amount"`
		Currency string   `json:"currency"`
	} `json:"costs"`
	DeliveryModes []string `json:"deliveryModes"`
	AccessRoutes  []string `json:"accessRoutes"`
	Languages     []string `json:"languages"`
	Needs         []struct {
		Code string `json:"code"`
	} `json:"needs"`
	Terms []struct {
		Code     string `json:"code"`
		Taxonomy struct {
			Name string `json:"name"`
		} `json:"taxonomy"`
	} `json:"terms"`
	Locations []struct {
		Description string `json:"description"`
		Location    struct {
			ID        string   `json:"id"`
			Name      string   `json:"name"`
			Postcode  string   `json:"postcode"`
			Latitude  *float64 `json:"latitude"`
			Longitude *float64 `json:"longitude"`
		} `json:"location"`
	} `json:"locations"`
	Schedules []struct {
		Frequency string   `json:"frequency"`
		Days      []string `json:"days"`
		OpensAt   string   `json:"opensAt"`
		ClosesAt  string   `json:"closesAt"`
		Note      string   `json:"note"`
		Location  *struct {
			Name string `json:"name"`
		} `json:"location"`
	} `json:"schedules"`
	Contacts []struct {
		Name  string `json:"name"`
		Email string `json:"email"`
	} `json:"contacts"`
	Organisation struct {
		ID string `json:"id"`
	} `json:"organisation"`
}

func (e *env) newOrg(name string) org {
	e.t.Helper()
	var out struct{ CreateOrganisation org }
	e.ok(createOrg, map[string]any{"in": map[string]any{"name": name, "website": "https://example.org"}}, &out)
	return out.CreateOrganisation
}

func validService() map[string]any {
	return map[string]any{
		"name":          "Tuesday Lunch Club",
		"description":   "A hot lunch and good company.",
		"eligibility":   map[string]any{"minimumAge": 60, "description": "Older people living alone"},
		"costs":         []any{map[string]any{"option": "lunch", "amount": 3.5, "amountDescription": "£3.50 for two courses"}},
		"deliveryModes": []any{"IN_PERSON"},
		"accessRoutes":  []any{"SELF_REFERRAL", "LINK_WORKER_REFERRAL"},
		"languages":     []any{"English"},
		"needs":         []any{"loneliness", "food"},
		"contacts":      []any{map[string]any{"name": "Pat Smith", "email": "pat@example.org", "phone": "01434 600101"}},
		"locations": []any{map[string]any{
			"description": "Main hall",
			"location": map[string]any{"name": "Community Centre", "address1": "12 Market Street",
				"postcode": "ne461bg", "latitude": 54.96845, "longitude": -2.10096},
			"schedules": []any{map[string]any{"days": []any{"TUESDAY"}, "opensAt": "12:00", "closesAt": "14:00"}},
		}},
		"schedules": []any{map[string]any{"frequency": "MONTHLY", "days": []any{"FRIDAY"}, "opensAt": "10:00",
			"closesAt": "11:00", "note": "first Friday"}},
	}
}

func TestCreateAndReadService(t *testing.T) {
	e := newEnv(t, envOptions{})
	o := e.newOrg("Ashbridge Community Association")
	if o.Version != 1 || o.Website != "https://example.org" || o.ArchivedAt != nil {
		t.Fatalf("created organisation = %+v", o)
	}
	var out struct{ CreateService service }
	e.ok(createService, map[string]any{"org": o.ID, "in": validService()}, &out)
	s := out.CreateService
	if s.Name != "Tuesday Lunch Club" || s.Status != "ACTIVE" || s.Version != 1 || s.Organisation.ID != o.ID {
		t.Fatalf("service = %+v", s)
	}
	if s.Eligibility.MinimumAge == nil || *s.Eligibility.MinimumAge != 60 || s.Eligibility.MaximumAge != nil {
		t.Errorf("eligibility = %+v", s.Eligibility)
	}
	if len(s.Costs) != 1 || *s.Costs[0].Amount != 3.5 || s.Costs[0].Currency != "GBP" {
		t.Errorf("costs = %+v", s.Costs)
	}
	if len(s.Needs) != 2 || len(s.Terms) != 2 || s.Terms[0].Taxonomy.Name != "signpost-needs" {
		t.Errorf("needs = %+v, terms = %+v", s.Needs, s.Terms)
	}
	if len(s.Locations) != 1 || s.Locations[0].Location.Postcode != "NE46 1BG" || s.Locations[0].Description != "Main hall" {
		t.Errorf("locations = %+v (postcode must be normalised)", s.Locations)
	}
	if len(s.Schedules) != 2 {
		t.Fatalf("schedules = %+v", s.Schedules)
	}
	at, off := s.Schedules[0], s.Schedules[1]
	if at.Days[0] != "TUESDAY" || at.OpensAt != "12:00" || at.ClosesAt != "14:00" || at.Location == nil || at.Location.Name != "Community Centre" {
		t.Errorf("schedule at location = %+v", at)
	}
	if off.Frequency != "MONTHLY" || off.Location != nil || off.Note != "first Friday" {
		t.Errorf("schedule without location = %+v", off)
	}
	if len(s.Contacts) != 1 || s.Contacts[0].Email != "pat@example.org" {
		t.Errorf("contacts = %+v", s.Contacts)
	}

	// The same service through service(id) and node(id).
	var byID struct {
		Service service
		Node    struct {
			Typename string `json:"__typename"`
			Name     string `json:"name"`
		}
	}
	e.ok(`query($id: ID!) { service(id: $id) { `+serviceFields+` } node(id: $id) { __typename ... on Service { name } } }`,
		map[string]any{"id": s.ID}, &byID)
	if byID.Service.ID != s.ID || byID.Node.Typename != "Service" || byID.Node.Name != s.Name {
		t.Fatalf("read back = %+v", byID)
	}
	// Each kind of node resolves, and unknown ids are null.
	var nodes struct {
		O, L, Missing, Garbage *struct {
			Typename string `json:"__typename"`
		}
	}
	e.ok(`query($o: ID!, $l: ID!, $m: ID!) { o: node(id: $o) { __typename } l: node(id: $l) { __typename }
		missing: node(id: $m) { __typename } garbage: node(id: "nonsense") { __typename } }`,
		map[string]any{"o": o.ID, "l": s.Locations[0].Location.ID, "m": "U2VydmljZTowMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDA"}, &nodes)
	if nodes.O == nil || nodes.O.Typename != "Organisation" || nodes.L == nil || nodes.L.Typename != "Location" || nodes.Missing != nil || nodes.Garbage != nil {
		t.Fatalf("nodes = %+v %+v %+v %+v", nodes.O, nodes.L, nodes.Missing, nodes.Garbage)
	}
	// Every write left an outbox row for the matcher.
	if c := e.counts(); c["outbox"] != 2 {
		t.Errorf("outbox rows = %d, want 2 (organisation and service)", c["outbox"])
	}
}

func TestServiceValidationNamesTheFieldAndWritesNothing(t *testing.T) {
	e := newEnv(t, envOptions{})
	o := e.newOrg("Validation Org")
	set := func(mut func(in map[string]any)) map[string]any {
		in := validService()
		mut(in)
		return in
	}
	loc := func(in map[string]any) map[string]any {
		return in["locations"].([]any)[0].(map[string]any)["location"].(map[string]any)
	}
	cases := []struct {
		name  string
		org   string
		in    map[string]any
		field string
	}{
		{"empty name", o.ID, set(func(in map[string]any) { in["name"] = "   " }), "input.name"},
		{"min age above max age", o.ID, set(func(in map[string]any) {
			in["eligibility"] = map[string]any{"minimumAge": 65, "maximumAge": 18}
		}), "input.eligibility.minimumAge"},
		{"negative age", o.ID, set(func(in map[string]any) { in["eligibility"] = map[string]any{"maximumAge": -1} }), "input.eligibility.maximumAge"},
		{"bad postcode", o.ID, set(func(in map[string]any) { loc(in)["postcode"] = "NE46 XYZ" }), "input.locations[0].location.postcode"},
		{"latitude out of range", o.ID, set(func(in map[string]any) { loc(in)["latitude"] = 91.0 }), "input.locations[0].location.latitude"},
		{"longitude out of range", o.ID, set(func(in map[string]any) { loc(in)["longitude"] = -181.0 }), "input.locations[0].location.longitude"},
		{"latitude without longitude", o.ID, set(func(in map[string]any) { delete(loc(in), "longitude") }), "input.locations[0].location.latitude"},
		{"opens after closes", o.ID, set(func(in map[string]any) {
			in["schedules"] = []any{map[string]any{"days": []any{"MONDAY"}, "opensAt": "15:00", "closesAt": "09:00"}}
		}), "input.schedules[0].opensAt"},
		{"bad time", o.ID, set(func(in map[string]any) {
			in["schedules"] = []any{map[string]any{"days": []any{"MONDAY"}, "opensAt": "9am"}}
		}), "input.schedules[0].opensAt"},
		{"no days", o.ID, set(func(in map[string]any) {
			in["schedules"] = []any{map[string]any{"days": []any{}, "opensAt": "09:00"}}
		}), "input.schedules[0].days"},
		{"bad email", o.ID, set(func(in map[string]any) { in["email"] = "not an email" }), "input.email"},
		{"bad contact email", o.ID, set(func(in map[string]any) {
			in["contacts"] = []any{map[string]any{"name": "Pat", "email": "pat@"}}
		}), "input.contacts[0].email"},
		{"bad url", o.ID, set(func(in map[string]any) { in["url"] = "ftp://example.org" }), "input.url"},
		{"unknown need", o.ID, set(func(in map[string]any) { in["needs"] = []any{"loneliness", "world-peace"} }), "input.needs[1]"},
		{"negative price", o.ID, set(func(in map[string]any) { in["costs"] = []any{map[string]any{"amount": -1.0}} }), "input.costs[0].amount"},
		{"free with a price", o.ID, set(func(in map[string]any) { in["free"] = true }), "input.costs[0].amount"},
		{"unknown location id", o.ID, set(func(in map[string]any) {
			in["locations"] = []any{map[string]any{"locationId": "TG9jYXRpb246MDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAw"}}
		}), "input.locations[0].locationId"},
		{"location with nothing", o.ID, set(func(in map[string]any) { in["locations"] = []any{map[string]any{}} }), "input.locations[0].locationId"},
		{"malformed term id", o.ID, set(func(in map[string]any) { in["termIds"] = []any{"rubbish"} }), "input.termIds[0]"},
		{"organisation id of the wrong kind", "U2VydmljZTowMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDA", validService(), "organisationId"},
		{"unknown organisation", "T3JnYW5pc2F0aW9uOjAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMA", validService(), "organisationId"},
		{"bad date", o.ID, set(func(in map[string]any) {
			in["schedules"] = []any{map[string]any{"days": []any{"MONDAY"}, "validFrom": "31/12/2026"}}
		}), "input.schedules[0].validFrom"},
	}
	before := e.counts()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e.t = t
			err := e.fails(createService, map[string]any{"org": tc.org, "in": tc.in}, "BAD_USER_INPUT")
			if err.Extensions["field"] != tc.field {
				t.Errorf("field = %v, want %s (message %q)", err.Extensions["field"], tc.field, err.Message)
			}
			if !contains(err.Message, tc.field) {
				t.Errorf("message %q does not name %s", err.Message, tc.field)
			}
		})
	}
	e.t = t
	if after := e.counts(); !sameCounts(before, after) {
		t.Fatalf("invalid input wrote rows: before %v, after %v", before, after)
	}
}

func TestSeveralProblemsAreAllReported(t *testing.T) {
	e := newEnv(t, envOptions{})
	o := e.newOrg("Problems Org")
	in := validService()
	in["name"] = ""
	in["email"] = "nope"
	err := e.fails(createService, map[string]any{"org": o.ID, "in": in}, "BAD_USER_INPUT")
	problems, _ := err.Extensions["problems"].([]any)
	if len(problems) != 2 {
		t.Fatalf("problems = %v, want two (name and email)", err.Extensions["problems"])
	}
}

func TestOrganisationValidation(t *testing.T) {
	e := newEnv(t, envOptions{})
	cases := []struct {
		in    map[string]any
		field string
	}{
		{map[string]any{"name": ""}, "input.name"},
		{map[string]any{"name": "X", "website": "example.org"}, "input.website"},
		{map[string]any{"name": "X", "email": "a@b"}, "input.email"},
		{map[string]any{"name": "X", "phone": "call us"}, "input.phone"},
	}
	for _, tc := range cases {
		err := e.fails(createOrg, map[string]any{"in": tc.in}, "BAD_USER_INPUT")
		if err.Extensions["field"] != tc.field {
			t.Errorf("%v: field = %v, want %s", tc.in, err.Extensions["field"], tc.field)
		}
	}
	if c := e.counts(); c["organisations"] != 0 {
		t.Fatalf("%d organisations written by invalid input", c["organisations"])
	}
}

const updateService = `mutation($id: ID!, $v: Int!, $in: ServiceInput!) { updateService(id: $id, version: $v, input: $in) { ` + serviceFields + ` } }`

func TestUpdateServiceReplacesPartsAndDetectsStaleVersions(t *testing.T) {
	e := newEnv(t, envOptions{})
	o := e.newOrg("Update Org")
	var created struct{ CreateService service }
	e.ok(createService, map[string]any{"org": o.ID, "in": validService()}, &created)
	s := created.CreateService

	// Keep the existing location (by id), drop costs and one need, go online too.
	in := validService()
	in["name"] = "Tuesday Lunch and Chat"
	in["needs"] = []any{"loneliness"}
	in["costs"] = []any{}
	in["free"] = true
	in["deliveryModes"] = []any{"IN_PERSON", "ONLINE"}
	in["locations"] = []any{map[string]any{"locationId": s.Locations[0].Location.ID,
		"schedules": []any{map[string]any{"days": []any{"WEDNESDAY"}, "opensAt": "12:30", "closesAt": "14:00"}}}}
	in["schedules"] = []any{}
	var updated struct{ UpdateService service }
	e.ok(updateService, map[string]any{"id": s.ID, "v": s.Version, "in": in}, &updated)
	u := updated.UpdateService
	if u.Version != s.Version+1 || u.Name != "Tuesday Lunch and Chat" || !u.Free || len(u.Costs) != 0 {
		t.Fatalf("updated = %+v", u)
	}
	if len(u.Needs) != 1 || len(u.DeliveryModes) != 2 || len(u.Schedules) != 1 || u.Schedules[0].Days[0] != "WEDNESDAY" {
		t.Fatalf("parts not replaced: %+v", u)
	}
	if len(u.Locations) != 1 || u.Locations[0].Location.ID != s.Locations[0].Location.ID {
		t.Fatalf("location link lost: %+v", u.Locations)
	}
	if c := e.counts(); c["locations"] != 1 {
		t.Errorf("locations = %d, want the one location reused", c["locations"])
	}

	// A second edit based on the old version fails and changes nothing.
	before := e.counts()
	stale := validService()
	stale["name"] = "Lost edit"
	err := e.fails(updateService, map[string]any{"id": s.ID, "v": s.Version, "in": stale}, "CONFLICT")
	if !contains(err.Message, "changed by someone else") {
		t.Errorf("conflict message = %q", err.Message)
	}
	var now struct{ Service service }
	e.ok(`query($id: ID!) { service(id: $id) { `+serviceFields+` } }`, map[string]any{"id": s.ID}, &now)
	if now.Service.Name != "Tuesday Lunch and Chat" || now.Service.Version != u.Version {
		t.Fatalf("stale update changed the service: %+v", now.Service)
	}
	if after := e.counts(); !sameCounts(before, after) {
		t.Fatalf("stale update wrote rows: %v → %v", before, after)
	}

	// Unknown service: NOT_FOUND.
	e.fails(updateService, map[string]any{"id": "U2VydmljZTowMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDA", "v": 1, "in": in}, "NOT_FOUND")
}

func TestUpdateOrganisationConflict(t *testing.T) {
	e := newEnv(t, envOptions{})
	o := e.newOrg("Before")
	const upd = `mutation($id: ID!, $v: Int!, $in: OrganisationInput!) { updateOrganisation(id: $id, version: $v, input: $in) { name version } }`
	var out struct {
		UpdateOrganisation struct {
			Name    string
			Version int
		}
	}
	e.ok(upd, map[string]any{"id": o.ID, "v": 1, "in": map[string]any{"name": "After"}}, &out)
	if out.UpdateOrganisation.Name != "After" || out.UpdateOrganisation.Version != 2 {
		t.Fatalf("update = %+v", out)
	}
	e.fails(upd, map[string]any{"id": o.ID, "v": 1, "in": map[string]any{"name": "Stale"}}, "CONFLICT")
	e.fails(upd, map[string]any{"id": o.ID, "v": 2, "in": map[string]any{"name": ""}}, "BAD_USER_INPUT")
	var got struct{ Organisation org }
	e.ok(`query($id: ID!) { organisation(id: $id) { name version } }`, map[string]any{"id": o.ID}, &got)
	if got.Organisation.Name != "After" || got.Organisation.Version != 2 {
		t.Fatalf("organisation after failed updates = %+v", got.Organisation)
	}
}

func TestArchiveAndVerify(t *testing.T) {
	e := newEnv(t, envOptions{})
	o := e.newOrg("Archive Org")
	var a, b struct{ CreateService service }
	e.ok(createService, map[string]any{"org": o.ID, "in": validService()}, &a)
	in := validService()
	in["name"] = "Second Service"
	e.ok(createService, map[string]any{"org": o.ID, "in": in}, &b)

	var verified struct{ VerifyService service }
	e.ok(`mutation($id: ID!, $v: Int!) { verifyService(id: $id, version: $v, assurer: "directory@example.org", assuredDate: "2026-11-01") { version assuredDate assurer } }`,
		map[string]any{"id": a.CreateService.ID, "v": 1}, &verified)
	if verified.VerifyService.AssuredDate == nil || *verified.VerifyService.AssuredDate != "2026-11-01" || verified.VerifyService.Assurer != "directory@example.org" || verified.VerifyService.Version != 2 {
		t.Fatalf("verify = %+v", verified.VerifyService)
	}
	err := e.fails(`mutation($id: ID!) { verifyService(id: $id, version: 2, assurer: "a@example.org", assuredDate: "2999-01-01") { id } }`,
		map[string]any{"id": a.CreateService.ID}, "BAD_USER_INPUT")
	if err.Extensions["field"] != "assuredDate" {
		t.Errorf("future date field = %v", err.Extensions["field"])
	}
	e.fails(`mutation($id: ID!) { verifyService(id: $id, version: 2, assurer: " ") { id } }`, map[string]any{"id": a.CreateService.ID}, "BAD_USER_INPUT")
	e.fails(`mutation($id: ID!) { verifyService(id: $id, version: 2, assurer: "Directory team") { id } }`, map[string]any{"id": a.CreateService.ID}, "BAD_USER_INPUT")
	e.fails(`mutation($id: ID!) { archiveService(id: $id, version: 1) { id } }`, map[string]any{"id": a.CreateService.ID}, "CONFLICT")

	var archived struct{ ArchiveService service }
	e.ok(`mutation($id: ID!) { archiveService(id: $id, version: 2) { id archivedAt version } }`, map[string]any{"id": a.CreateService.ID}, &archived)
	if archived.ArchiveService.ArchivedAt == nil {
		t.Fatal("archivedAt not set")
	}
	var list struct {
		Services struct {
			TotalCount int
			Edges      []struct{ Node service }
		}
		All struct{ TotalCount int }
	}
	e.ok(`{ services { totalCount edges { node { id } } } all: services(filter: {includeArchived: true}) { totalCount } }`, nil, &list)
	if list.Services.TotalCount != 1 || list.Services.Edges[0].Node.ID != b.CreateService.ID || list.All.TotalCount != 2 {
		t.Fatalf("after archiving one service: %+v", list)
	}

	// Archiving the organisation archives its remaining services.
	var ao struct{ ArchiveOrganisation org }
	e.ok(`mutation($id: ID!) { archiveOrganisation(id: $id, version: 1) { archivedAt version } }`, map[string]any{"id": o.ID}, &ao)
	if ao.ArchiveOrganisation.ArchivedAt == nil {
		t.Fatal("organisation archivedAt not set")
	}
	e.ok(`{ services { totalCount edges { node { id } } } all: services(filter: {includeArchived: true}) { totalCount } }`, nil, &list)
	if list.Services.TotalCount != 0 || list.All.TotalCount != 2 {
		t.Fatalf("after archiving the organisation: %+v", list)
	}
	var orgs struct {
		Organisations struct{ TotalCount int }
	}
	e.ok(`{ organisations { totalCount } }`, nil, &orgs)
	if orgs.Organisations.TotalCount != 0 {
		t.Fatalf("archived organisation still listed")
	}
	// A new service cannot be added to an archived organisation.
	err = e.fails(createService, map[string]any{"org": o.ID, "in": validService()}, "BAD_USER_INPUT")
	if err.Extensions["field"] != "organisationId" {
		t.Errorf("field = %v", err.Extensions["field"])
	}
}

// TestConcurrentEditsNeverOverwriteEachOther sends several updates based on
// the same version at once: exactly one wins, the rest get CONFLICT.
func TestConcurrentEditsNeverOverwriteEachOther(t *testing.T) {
	e := newEnv(t, envOptions{})
	o := e.newOrg("Race Org")
	var created struct{ CreateService service }
	e.ok(createService, map[string]any{"org": o.ID, "in": validService()}, &created)
	s := created.CreateService

	const writers = 6
	codes := make(chan string, writers)
	for i := range writers {
		go func() {
			in := validService()
			in["name"] = "Edit " + string(rune('A'+i))
			r := e.do(updateService, map[string]any{"id": s.ID, "v": s.Version, "in": in})
			if len(r.Errors) > 0 {
				codes <- r.Errors[0].Extensions["code"].(string)
				return
			}
			codes <- "OK"
		}()
	}
	got := map[string]int{}
	for range writers {
		got[<-codes]++
	}
	if got["OK"] != 1 || got["CONFLICT"] != writers-1 {
		t.Fatalf("outcomes = %v, want one OK and %d CONFLICT", got, writers-1)
	}
	var now struct{ Service service }
	e.ok(`query($id: ID!) { service(id: $id) { `+serviceFields+` } }`, map[string]any{"id": s.ID}, &now)
	if now.Service.Version != s.Version+1 {
		t.Fatalf("version = %d, want %d", now.Service.Version, s.Version+1)
	}
}
