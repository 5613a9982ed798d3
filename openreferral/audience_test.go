package openreferral_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/signpost/signpost/openreferral"
	"github.com/signpost/signpost/pgtest"
	"github.com/signpost/signpost/store"
)

// TestConfirmedAudienceRoundTrip: an audience an organisation confirmed is
// exported (its ages in minimum_age and maximum_age, everything as
// signpost-audience attributes), the export still meets the ORUK schema,
// and importing it gives the same confirmed audience back, in the JSON
// and the data package alike; services with no confirmed audience come
// back with none.
func TestConfirmedAudienceRoundTrip(t *testing.T) {
	ctx := context.Background()
	st := demoStore(t)
	svcs, err := st.ServicesPage(ctx, store.ServiceFilter{}, nil, 3)
	if err != nil || len(svcs) < 3 {
		t.Fatalf("demo services: %d, %v", len(svcs), err)
	}
	fifty, ninety := 50, 90
	answers := []*store.Audience{
		{MinimumAge: &fifty, MaximumAge: &ninety, Gender: "women", Groups: []string{"carer", "dementia"}},
		{Groups: []string{}}, // confirmed: for everyone
	}
	for i, a := range answers {
		s := &svcs[i]
		s.Audience = a
		if err := st.SetServiceAudience(ctx, s, s.Version); err != nil {
			t.Fatal(err)
		}
	}
	export := exportJSON(t, st)

	var page struct{ Contents []map[string]any }
	if err := json.Unmarshal(export, &page); err != nil {
		t.Fatal(err)
	}
	schema := compileSchema(t, "service.json")
	for _, c := range page.Contents {
		if c["id"] != svcs[0].ID.String() {
			continue
		}
		if c["minimum_age"] != 50.0 || c["maximum_age"] != 90.0 {
			t.Errorf("exported ages %v–%v, want the confirmed 50–90", c["minimum_age"], c["maximum_age"])
		}
		raw, _ := json.Marshal(c)
		v, _ := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if err := schema.Validate(v); err != nil {
			t.Errorf("a service with a confirmed audience fails the ORUK schema: %v", err)
		}
	}

	for _, f := range []openreferral.Format{openreferral.FormatJSON, openreferral.FormatDataPackage} {
		t.Run(string(f), func(t *testing.T) {
			roundTrip(t, st, f)
			fresh := pgtest.NewStore(t)
			importPath(t, fresh, exportFile(t, st, f), "round-trip")
			got, err := fresh.ServicesPage(ctx, store.ServiceFilter{}, nil, 100)
			if err != nil {
				t.Fatal(err)
			}
			bySource := map[string]*store.Audience{}
			for _, s := range got {
				bySource[s.SourceID] = s.Audience
			}
			for i, want := range answers {
				if a := bySource[svcs[i].ID.String()]; a == nil || !reflect.DeepEqual(*a, *want) {
					t.Errorf("service %d came back with audience %+v, want %+v", i, a, want)
				}
			}
			if a := bySource[svcs[2].ID.String()]; a != nil {
				t.Errorf("a service with no confirmed audience came back with %+v", a)
			}
			if !slices.Equal(bySource[svcs[0].ID.String()].Groups, []string{"carer", "dementia"}) {
				t.Errorf("groups out of order or lost")
			}
		})
	}
}

// exportFile writes st's export in a format to a file and returns its path.
func exportFile(t *testing.T, st *store.Store, f openreferral.Format) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "export.json")
	if f == openreferral.FormatDataPackage {
		path = filepath.Join(filepath.Dir(path), "export.zip")
		if _, err := openreferral.WriteDataPackage(context.Background(), st, path, openreferral.ExportOptions{}); err != nil {
			t.Fatal(err)
		}
		return path
	}
	if err := os.WriteFile(path, exportJSON(t, st), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
