package openreferral_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/signpost/signpost/openreferral"
	"github.com/signpost/signpost/pgtest"
	"github.com/signpost/signpost/shareddata"
	"github.com/signpost/signpost/store"
)

// northLincsService is a service of the real ORUK feed of North Lincolnshire Council: HTML
// descriptions and pc_targetAudience.
type northLincsService struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Description  string `json:"description"`
	Organization struct {
		ID          string `json:"id"`
		Description string `json:"description"`
	} `json:"organization"`
	Audience []struct {
		AudienceType string `json:"audienceType"`
	} `json:"pc_targetAudience"`
}

func readNorthLincs(t *testing.T) (string, []northLincsService) {
	t.Helper()
	path := shareddata.Path(t, "oruk-north-lincolnshire", "services.json")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var raw []northLincsService
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	return path, raw
}

// markupRE finds what must not survive cleaning: a tag or an entity.
var markupRE = regexp.MustCompile(`<[a-zA-Z/][^>]*>|&[a-zA-Z]+;|&#[0-9]+;`)

func listed(t *testing.T, st *store.Store) []store.Service {
	t.Helper()
	svcs, err := st.ServicesAt(context.Background(), store.ServiceFilter{}, 0, 5000)
	if err != nil {
		t.Fatal(err)
	}
	return svcs
}

func TestNorthLincolnshireImportsCleanAndRoundTrips(t *testing.T) {
	ctx := context.Background()
	path, raw := readNorthLincs(t)
	st := pgtest.NewStore(t)
	sum := importPath(t, st, path, "north-lincs")

	t.Run("every service is imported; problems are reported by kind", func(t *testing.T) {
		// The feed's 738 services all have an id, a name and an
		// organisation, so none is skipped.
		if sum.Services.Created != len(raw) || sum.Services.Skipped != 0 {
			t.Fatalf("services %+v, want %d created and none skipped", sum.Services, len(raw))
		}
		// Its two odd e-mail addresses (a zero-width space before one, a
		// full stop after another) are repaired, so nothing is reported.
		for _, g := range openreferral.GroupProblems(sum.Problems, 1) {
			t.Errorf("%d × %s (skipped %t), e.g. %s", g.Count, g.Kind, g.Skipped, g.Examples[0])
		}
	})

	svcs := listed(t, st)
	bySource := map[string]*store.Service{}
	for i := range svcs {
		bySource[svcs[i].SourceID] = &svcs[i]
	}
	t.Run("no description holds markup; HTML originals are kept", func(t *testing.T) {
		html := 0
		for _, r := range raw {
			s := bySource[r.ID]
			if s == nil {
				t.Fatalf("service %s (%q) was not imported", r.ID, r.Name)
			}
			if m := markupRE.FindString(s.Description); m != "" || strings.ContainsRune(s.Description, '\u00a0') {
				t.Errorf("%q keeps markup %q: %q", s.Name, m, s.Description)
			}
			if strings.Contains(r.Description, "<") {
				html++
				if s.DescriptionSource != r.Description {
					t.Errorf("%q: the original HTML was not kept", s.Name)
				}
			} else if s.DescriptionSource != "" {
				t.Errorf("%q: plain text kept an original %q", s.Name, s.DescriptionSource)
			}
		}
		if html < 700 {
			t.Fatalf("only %d HTML descriptions seen; the test data is not what it expects", html)
		}
		orgs, err := st.OrganisationsAt(ctx, store.OrganisationFilter{}, 0, 5000)
		if err != nil || len(orgs) < 100 {
			t.Fatalf("%d organisations, %v", len(orgs), err)
		}
		for _, o := range orgs {
			if m := markupRE.FindString(o.Description); m != "" {
				t.Errorf("organisation %q keeps markup %q", o.Name, m)
			}
		}
	})

	t.Run("audiences are terms of oruk-target-audience", func(t *testing.T) {
		checkAudiences(t, st, raw, bySource)
	})

	t.Run("export validates and a re-import keeps the original HTML", func(t *testing.T) {
		export := exportJSON(t, st)
		validateExport(t, export)
		p := filepath.Join(t.TempDir(), "export.json")
		if err := os.WriteFile(p, export, 0o644); err != nil {
			t.Fatal(err)
		}
		fresh := pgtest.NewStore(t)
		again := importPath(t, fresh, p, "round-trip")
		if again.Services.Created != len(raw) {
			t.Fatalf("re-import: services %+v", again.Services)
		}
		// Two services may share a name and a clean text (Zumba Gold
		// differs only by a <br>), so texts are counted, not keyed.
		texts := map[[3]string]int{}
		for _, s := range listed(t, fresh) {
			texts[[3]string{s.Name, s.Description, s.DescriptionSource}]++
		}
		for _, s := range svcs {
			k := [3]string{s.Name, s.Description, s.DescriptionSource}
			if texts[k] == 0 {
				t.Fatalf("%q lost its original or its clean text in the round trip", s.Name)
			}
			texts[k]--
		}
		checkAudiences(t, fresh, raw, nil)
	})

	for _, f := range []openreferral.Format{openreferral.FormatJSON, openreferral.FormatDataPackage} {
		t.Run("the round trip is lossless/"+string(f), func(t *testing.T) { roundTrip(t, st, f) })
	}
}

// checkAudiences asserts that every service with a pc_targetAudience has
// exactly those audiences as term labels (trimmed, the last part of a
// > path); services are found by source id, or by name when bySource is
// nil (after a round trip the source ids are Signpost's).
func checkAudiences(t *testing.T, st *store.Store, raw []northLincsService, bySource map[string]*store.Service) {
	t.Helper()
	svcs := listed(t, st)
	ids := make([]uuid.UUID, len(svcs))
	for i := range svcs {
		ids[i] = svcs[i].ID
	}
	terms, err := st.TermsOfServices(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	labels := map[uuid.UUID]map[string]bool{}
	for _, tm := range terms {
		if labels[tm.ServiceID] == nil {
			labels[tm.ServiceID] = map[string]bool{}
		}
		labels[tm.ServiceID][tm.Name] = true
	}
	byName := map[string]uuid.UUID{}
	for _, s := range svcs {
		byName[s.Name+"\x00"+s.Description] = s.ID
	}
	with, grandparents := 0, 0
	for _, r := range raw {
		if len(r.Audience) == 0 {
			continue
		}
		with++
		var id uuid.UUID
		if bySource != nil {
			id = bySource[r.ID].ID
		} else {
			for _, s := range svcs {
				if s.Name == strings.TrimSpace(r.Name) && s.SourceID != "" && labels[s.ID] != nil {
					id = s.ID
				}
			}
		}
		for _, a := range r.Audience {
			parts := strings.Split(a.AudienceType, ">")
			want := strings.TrimSpace(parts[len(parts)-1])
			grandparents += btoi(want == "Grandparents")
			if !labels[id][want] {
				t.Errorf("%q: audience %q is not among its terms %v", r.Name, want, labels[id])
			}
		}
	}
	if with != 135 || grandparents == 0 {
		t.Fatalf("%d services with audiences (want 135), %d Grandparents", with, grandparents)
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func validateExport(t *testing.T, export []byte) {
	t.Helper()
	schema := compileSchema(t, "service.json")
	var page struct{ Contents []json.RawMessage }
	if err := json.Unmarshal(export, &page); err != nil {
		t.Fatal(err)
	}
	for _, c := range page.Contents {
		v, err := jsonschema.UnmarshalJSON(strings.NewReader(string(c)))
		if err != nil {
			t.Fatal(err)
		}
		if err := schema.Validate(v); err != nil {
			t.Fatalf("an exported service fails the ORUK schema: %v", err)
		}
	}
}
