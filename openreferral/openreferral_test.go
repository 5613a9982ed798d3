package openreferral_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/signpost/signpost/access"
	"github.com/signpost/signpost/directory"
	"github.com/signpost/signpost/openreferral"
	"github.com/signpost/signpost/pgtest"
	"github.com/signpost/signpost/seed"
	"github.com/signpost/signpost/shareddata"
	"github.com/signpost/signpost/store"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// miami is the real 211 package most tests import.
func miami(t *testing.T) string {
	return shareddata.Path(t, "hsds-miami-211", "datapackage.zip")
}

func importPath(t *testing.T, st *store.Store, path, source string) *openreferral.Summary {
	t.Helper()
	ds, _, err := openreferral.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := openreferral.Import(context.Background(), st, ds, openreferral.Options{Source: source})
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

func exportJSON(t *testing.T, st *store.Store) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := openreferral.WriteJSON(context.Background(), st, &buf, openreferral.ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestMiamiImportsCompletelyAndAgainChangesNothing(t *testing.T) {
	st := pgtest.NewStore(t)
	sum := importPath(t, st, miami(t), "miami")
	if sum.Services.Created != 4089 || sum.Services.Skipped != 0 {
		t.Fatalf("services %+v, want all 4089 created", sum.Services)
	}
	if sum.Locations.Created != 4089 || sum.Terms.Created < 1990 || sum.Organisations.Created < 1074 {
		t.Fatalf("summary %+v", sum)
	}
	n, err := st.CountServices(context.Background(), store.ServiceFilter{})
	if err != nil || n != 4089 {
		t.Fatalf("services in the directory = %d, %v", n, err)
	}
	// The quirks are handled: escaped newlines and ###MON### markers are
	// gone, times like 9:00am became sessions, eligibility rows without a
	// service are reported.
	svcs, _ := st.ServicesPage(context.Background(), store.ServiceFilter{Text: "Girl Scouts"}, nil, 5)
	for _, s := range svcs {
		if strings.Contains(s.Description, `\n`) || strings.Contains(s.Description, "###") {
			t.Errorf("%q description keeps escapes or markers: %q", s.Name, s.Description)
		}
	}
	kinds := map[string]int{}
	for _, g := range openreferral.GroupProblems(sum.Problems, 1) {
		kinds[g.Kind] = g.Count
	}
	if kinds["eligibility row that points at no service"] != 2244 {
		t.Errorf("problem kinds = %v", kinds)
	}
	again := importPath(t, st, miami(t), "miami")
	if again.Services.Unchanged != 4089 || again.Services.Created+again.Services.Updated != 0 ||
		again.Organisations.Created+again.Organisations.Updated != 0 || again.Locations.Created+again.Locations.Updated != 0 ||
		again.Terms.Created+again.Terms.Updated != 0 {
		t.Fatalf("second import changed things: %+v", again)
	}
}

// canonical reduces an export to what Signpost stores, without ids,
// timestamps or order, so two exports of the same directory compare equal.
func canonical(t *testing.T, export []byte) string {
	t.Helper()
	var page struct {
		Contents   []openreferral.ORService  `json:"contents"`
		Taxonomies []openreferral.ORTaxonomy `json:"taxonomies"`
	}
	if err := json.Unmarshal(export, &page); err != nil {
		t.Fatal(err)
	}
	codeOf := map[string]string{}
	for _, tx := range page.Taxonomies {
		for _, term := range tx.TaxonomyTerms {
			codeOf[term.ID] = tx.Name + "/" + term.Code
		}
	}
	var svcs []string
	for _, s := range page.Contents {
		svcs = append(svcs, canonicalService(s, codeOf))
	}
	sort.Strings(svcs)
	var taxes []string
	for _, tx := range page.Taxonomies {
		var terms []string
		for _, term := range tx.TaxonomyTerms {
			terms = append(terms, fmt.Sprintf("%s %s %s parent=%s", term.Code, term.Name, term.Description, codeOf[term.ParentID]))
		}
		sort.Strings(terms)
		taxes = append(taxes, tx.Name+" "+tx.Description+"\n"+strings.Join(terms, "\n"))
	}
	sort.Strings(taxes)
	return strings.Join(svcs, "\n\n") + "\n\n" + strings.Join(taxes, "\n\n")
}

// canonicalService is one service of canonical, its parts sorted; codeOf
// names terms by taxonomy and code.
func canonicalService(s openreferral.ORService, codeOf map[string]string) string {
	locByID := map[string]string{}
	var sals []string
	for _, sal := range s.ServiceAtLocations {
		l := *sal.Location
		key := l.Name + "|" + fmt.Sprint(deref(l.Latitude), deref(l.Longitude))
		locByID[sal.ID] = key
		l.ID, l.OrganizationID = "", ""
		for i := range l.Addresses {
			l.Addresses[i].ID, l.Addresses[i].LocationID = "", ""
		}
		for i := range l.Accessibility {
			l.Accessibility[i].ID, l.Accessibility[i].LocationID = "", ""
		}
		b, _ := json.Marshal(l)
		sals = append(sals, sal.Description+"@"+string(b))
	}
	sort.Strings(sals)
	var scheds []string
	for _, sc := range s.Schedules {
		where := locByID[sc.ServiceAtLocationID]
		sc.ID, sc.ServiceID, sc.ServiceAtLocationID = "", "", ""
		b, _ := json.Marshal(sc)
		scheds = append(scheds, where+"@"+string(b))
	}
	sort.Strings(scheds)
	var attrs []string
	for _, a := range s.Attributes {
		term := a.TaxonomyTerm
		parent := codeOf[term.ParentID]
		attrs = append(attrs, fmt.Sprintf("%s/%s=%s (%s; %s; parent %s)", term.Taxonomy, term.Code, a.Value, term.Name, term.Description, parent))
	}
	sort.Strings(attrs)
	var other []string
	for _, c := range s.CostOptions {
		other = append(other, fmt.Sprintf("cost %s %v %s %s", c.Option, deref(c.Amount), c.Currency, c.AmountDescription))
	}
	for _, c := range s.Contacts {
		var phones []string
		for _, p := range c.Phones {
			phones = append(phones, p.Number)
		}
		other = append(other, fmt.Sprintf("contact %s|%s|%s|%v", c.Name, c.Title, c.Email, phones))
	}
	for _, l := range s.Languages {
		other = append(other, "language "+l.Name)
	}
	sort.Strings(other)
	o := *s.Organization
	o.ID = ""
	for i := range o.OrganizationIdentifiers {
		o.OrganizationIdentifiers[i].ID, o.OrganizationIdentifiers[i].OrganizationID = "", ""
	}
	for i := range o.Phones {
		o.Phones[i].ID = ""
	}
	orgJSON, _ := json.Marshal(o)
	s.ID, s.OrganizationID, s.LastModified, s.Organization = "", "", "", nil
	s.ServiceAtLocations, s.Schedules, s.Attributes, s.CostOptions, s.Contacts, s.Languages = nil, nil, nil, nil, nil, nil
	core, _ := json.Marshal(s)
	return strings.Join([]string{string(core), string(orgJSON), strings.Join(sals, "\n"),
		strings.Join(scheds, "\n"), strings.Join(attrs, "\n"), strings.Join(other, "\n")}, "\n")
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// roundTrip exports st in a format, imports that into an empty database
// and exports again; both exports must say the same.
func roundTrip(t *testing.T, st *store.Store, format openreferral.Format) {
	t.Helper()
	first := exportJSON(t, st)
	dir := t.TempDir()
	var path string
	switch format {
	case openreferral.FormatJSON:
		path = filepath.Join(dir, "export.json")
		if err := os.WriteFile(path, first, 0o644); err != nil {
			t.Fatal(err)
		}
	case openreferral.FormatDataPackage:
		path = filepath.Join(dir, "export.zip")
		if _, err := openreferral.WriteDataPackage(context.Background(), st, path, openreferral.ExportOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	fresh := pgtest.NewStore(t)
	sum := importPath(t, fresh, path, "round-trip")
	for _, p := range sum.Problems {
		t.Errorf("re-importing our own %s export: %s (%s)", format, p, p.Kind)
	}
	second := exportJSON(t, fresh)
	a, b := canonical(t, first), canonical(t, second)
	if a != b {
		al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
		for i := 0; i < len(al) && i < len(bl); i++ {
			if al[i] != bl[i] {
				t.Fatalf("%s round trip differs at line %d:\nbefore: %s\nafter:  %s", format, i, al[i], bl[i])
			}
		}
		t.Fatalf("%s round trip differs in length: %d vs %d lines", format, len(al), len(bl))
	}
}

func demoStore(t *testing.T) *store.Store {
	t.Helper()
	st := pgtest.NewStore(t)
	if _, err := seed.Demo(context.Background(), directory.New(st, access.Open{}), st); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestRoundTripIsLossless(t *testing.T) {
	demo := demoStore(t)
	m := pgtest.NewStore(t)
	importPath(t, m, miami(t), "miami")
	for _, tc := range []struct {
		name string
		st   *store.Store
	}{{"demo", demo}, {"miami", m}} {
		for _, f := range []openreferral.Format{openreferral.FormatJSON, openreferral.FormatDataPackage} {
			t.Run(tc.name+"/"+string(f), func(t *testing.T) { roundTrip(t, tc.st, f) })
		}
	}
}

func compileSchema(t *testing.T, name string) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	abs, _ := filepath.Abs(shareddata.Path(t, "oruk-uk-profile-schema", name))
	s, err := c.Compile(abs)
	if err != nil {
		t.Fatalf("compiling %s: %v", name, err)
	}
	return s
}

func TestExportValidatesAgainstTheORUKSchemas(t *testing.T) {
	serviceSchema := compileSchema(t, "service.json")
	listSchema := compileSchema(t, "service_list.json")
	for _, tc := range []struct {
		name string
		st   func(*testing.T) *store.Store
	}{
		{"demo", demoStore},
		{"miami", func(t *testing.T) *store.Store {
			st := pgtest.NewStore(t)
			importPath(t, st, miami(t), "miami")
			return st
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			export := exportJSON(t, tc.st(t))
			page, err := jsonschema.UnmarshalJSON(bytes.NewReader(export))
			if err != nil {
				t.Fatal(err)
			}
			env := page.(map[string]any)
			for _, k := range []string{"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"} {
				if _, ok := env[k]; !ok {
					t.Errorf("the export page lacks %s", k)
				}
			}
			contents := env["contents"].([]any)
			if len(contents) < 150 {
				t.Fatalf("only %d services exported", len(contents))
			}
			bad := 0
			for _, s := range contents {
				if err := serviceSchema.Validate(s); err != nil {
					bad++
					if bad <= 3 {
						t.Errorf("service %v: %v", s.(map[string]any)["name"], err)
					}
				}
				if err := listSchema.Validate(s); err != nil {
					bad++
					if bad <= 3 {
						t.Errorf("service %v: %v", s.(map[string]any)["name"], err)
					}
				}
			}
			if bad > 0 {
				t.Fatalf("%d of %d services fail the ORUK service schema", bad, len(contents))
			}
		})
	}
}

func TestTheSchemaCheckCanFail(t *testing.T) {
	// Guard against a validator that accepts anything.
	s := compileSchema(t, "service.json")
	bad, _ := jsonschema.UnmarshalJSON(strings.NewReader(`{"id": "not-a-uuid", "name": "X", "status": "sleeping"}`))
	if err := s.Validate(bad); err == nil {
		t.Fatal("an invalid service passed the schema")
	}
}

func TestORUKExamplesImport(t *testing.T) {
	st := pgtest.NewStore(t)
	for _, f := range []string{"service_full.json", "service_list.json", "organization_full.json", "service_at_location_full.json"} {
		sum := importPath(t, st, shareddata.Path(t, "oruk-uk-profile-examples", f), "oruk-examples")
		if sum.Services.Created+sum.Services.Updated+sum.Services.Unchanged != 1 {
			t.Errorf("%s: services %+v", f, sum.Services)
		}
	}
	svcs, err := st.ServicesPage(context.Background(), store.ServiceFilter{}, nil, 10)
	if err != nil || len(svcs) != 1 {
		t.Fatalf("services = %d, %v", len(svcs), err)
	}
	s := svcs[0]
	if s.Name != "Community Counselling" || *s.MinimumAge != 12 || *s.MaximumAge != 100 || s.Assurer != "email@example.com" {
		t.Fatalf("service = %+v", s)
	}
	// The example's latitude 100 is outside the globe: dropped, not fatal.
	locs, _ := st.LocationsOfServices(context.Background(), []uuid.UUID{s.ID})
	if len(locs) != 1 || locs[0].Latitude != nil || locs[0].Postcode != "ABC 1234" {
		t.Fatalf("location = %+v", locs)
	}
}

func TestStrictImportWritesNothing(t *testing.T) {
	st := pgtest.NewStore(t)
	ds, _, err := openreferral.Read(miami(t))
	if err != nil {
		t.Fatal(err)
	}
	_, err = openreferral.Import(context.Background(), st, ds, openreferral.Options{Source: "miami", Strict: true})
	if !errors.Is(err, openreferral.ErrStrict) {
		t.Fatalf("err = %v, want ErrStrict", err)
	}
	if n, _ := st.CountServices(context.Background(), store.ServiceFilter{IncludeArchived: true}); n != 0 {
		t.Fatalf("strict import wrote %d services", n)
	}
}

func TestArchiveMissingAndChangedRecords(t *testing.T) {
	ctx := context.Background()
	src := demoStore(t)
	var page struct {
		Contents   []json.RawMessage `json:"contents"`
		Taxonomies json.RawMessage   `json:"taxonomies"`
	}
	if err := json.Unmarshal(exportJSON(t, src), &page); err != nil {
		t.Fatal(err)
	}
	write := func(contents []json.RawMessage) string {
		b, _ := json.Marshal(map[string]any{"contents": contents, "taxonomies": page.Taxonomies})
		p := filepath.Join(t.TempDir(), "page.json")
		os.WriteFile(p, b, 0o644)
		return p
	}
	st := pgtest.NewStore(t)
	importPath(t, st, write(page.Contents), "demo-feed")

	// The next delivery drops ten services and renames one.
	var renamed map[string]any
	json.Unmarshal(page.Contents[10], &renamed)
	renamed["name"] = "Renamed Service"
	b, _ := json.Marshal(renamed)
	next := append([]json.RawMessage{b}, page.Contents[11:]...)
	ds, _, err := openreferral.Read(write(next))
	if err != nil {
		t.Fatal(err)
	}
	sum, err := openreferral.Import(ctx, st, ds, openreferral.Options{Source: "demo-feed", ArchiveMissing: true})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Services.Updated != 1 || sum.Services.Unchanged != len(next)-1 || sum.Archived.Services != 10 {
		t.Fatalf("re-import: services %+v, archived %+v", sum.Services, sum.Archived)
	}
	n, _ := st.CountServices(ctx, store.ServiceFilter{})
	if n != len(next) {
		t.Fatalf("%d services listed, want %d", n, len(next))
	}
	got, _ := st.ServicesPage(ctx, store.ServiceFilter{Text: "Renamed Service"}, nil, 5)
	if len(got) != 1 || got[0].Version != 2 {
		t.Fatalf("renamed service: %+v", got)
	}
	// Without --archive-missing nothing is archived.
	sum, err = openreferral.Import(ctx, st, ds, openreferral.Options{Source: "demo-feed"})
	if err != nil || sum.Archived.Services != 0 || sum.Services.Unchanged != len(next) {
		t.Fatalf("plain re-import: %+v, %v", sum, err)
	}
}

func TestImportNeverChangesTheBuiltInNeeds(t *testing.T) {
	st := pgtest.NewStore(t)
	before, _ := st.NeedTerms(context.Background())
	doc := `{"id": "1b4e28ba-2fa1-4d2b-883f-0016d3cca427", "name": "Lunch club", "status": "active",
	  "organization": {"id": "2b4e28ba-2fa1-4d2b-883f-0016d3cca427", "name": "Org", "description": ""},
	  "attributes": [
	    {"id": "3b4e28ba-2fa1-4d2b-883f-0016d3cca427", "taxonomy_term": {"id": "4b4e28ba-2fa1-4d2b-883f-0016d3cca427",
	      "code": "loneliness", "name": "RENAMED BY AN IMPORT", "description": "", "taxonomy": "signpost-needs"}},
	    {"id": "5b4e28ba-2fa1-4d2b-883f-0016d3cca427", "taxonomy_term": {"id": "6b4e28ba-2fa1-4d2b-883f-0016d3cca427",
	      "code": "not-a-need", "name": "Invented", "description": "", "taxonomy": "signpost-needs"}}]}`
	p := filepath.Join(t.TempDir(), "one.json")
	os.WriteFile(p, []byte(doc), 0o644)
	sum := importPath(t, st, p, "needs-test")
	after, _ := st.NeedTerms(context.Background())
	if len(after) != len(before) {
		t.Fatalf("needs vocabulary grew from %d to %d terms", len(before), len(after))
	}
	for i := range before {
		if before[i].Name != after[i].Name {
			t.Fatalf("need %s renamed to %q", before[i].Code, after[i].Name)
		}
	}
	found := false
	for _, pr := range sum.Problems {
		found = found || pr.Kind == "unknown need code"
	}
	if !found {
		t.Error("the unknown need code was not reported")
	}
	// The service is linked to the real need.
	svcs, _ := st.ServicesPage(context.Background(), store.ServiceFilter{NeedCodes: []string{"loneliness"}}, nil, 5)
	if len(svcs) != 1 {
		t.Fatalf("services tagged loneliness: %d", len(svcs))
	}
}

func TestExportOneOrganisation(t *testing.T) {
	st := demoStore(t)
	orgs, _ := st.OrganisationsPage(context.Background(), store.OrganisationFilter{Text: "Carers Centre"}, nil, 1)
	id := orgs[0].ID
	var buf bytes.Buffer
	n, err := openreferral.WriteJSON(context.Background(), st, &buf, openreferral.ExportOptions{OrganisationID: &id})
	if err != nil {
		t.Fatal(err)
	}
	var page struct{ Contents []openreferral.ORService }
	json.Unmarshal(buf.Bytes(), &page)
	if n == 0 || len(page.Contents) != n {
		t.Fatalf("exported %d, page holds %d", n, len(page.Contents))
	}
	for _, s := range page.Contents {
		if s.Organization.ID != id.String() {
			t.Fatalf("service %q of another organisation exported", s.Name)
		}
	}
}
