package openreferral

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func TestTargetAudiencesBecomeTerms(t *testing.T) {
	read := func(t *testing.T, audience string) *Dataset {
		t.Helper()
		doc := `{"id": "s1", "name": "Group", "status": "active", "organization": {"id": "o1", "name": "Org", "description": ""},
		  "pc_targetAudience": ` + audience + `}`
		r := &jsonReader{ds: &Dataset{Rows: map[string]int{}}, orgs: map[string]*Organisation{}, locs: map[string]*Location{},
			svcs: map[string]*Service{}, terms: map[string]*Term{}, taxByID: map[string]string{}, parentOf: map[*Term]string{},
			audiences: map[string]*Term{}, file: "feed.json"}
		if err := r.readDocument([]byte(doc)); err != nil {
			t.Fatal(err)
		}
		r.finish()
		return r.ds
	}
	t.Run("North Lincolnshire's shape: trimmed, a path's last part is the label", func(t *testing.T) {
		ds := read(t, `[{"id": "45529", "audienceType": "Women "}, {"id": "45527", "audienceType": "Parents>Grandparents"},
		  {"id": "x", "audienceType": "Women"}, {"id": "y", "audienceType": " "}]`)
		var got []string
		for _, tm := range ds.Terms {
			got = append(got, fmt.Sprintf("%s/%s=%s^%s", tm.Taxonomy, tm.Code, tm.Name, tm.ParentCode))
		}
		want := "oruk-target-audience/Women=Women^ oruk-target-audience/Parents=Parents^ oruk-target-audience/Parents>Grandparents=Grandparents^Parents"
		if strings.Join(got, " ") != want {
			t.Fatalf("terms %v", got)
		}
		refs := ds.Services[0].Terms
		if len(refs) != 2 || refs[0].Code != "Women" || refs[1].Code != "Parents>Grandparents" {
			t.Fatalf("service linked to %v; the parent alone is not an audience of it", refs)
		}
		if len(ds.Taxonomies) != 1 || ds.Taxonomies[0].Description == "" || len(ds.Problems) != 0 {
			t.Fatalf("taxonomies %v, problems %v", ds.Taxonomies, ds.Problems)
		}
	})
	t.Run("plain strings are read too", func(t *testing.T) {
		ds := read(t, `["Carers", "Cancer "]`)
		if len(ds.Services[0].Terms) != 2 || ds.Terms[1].Name != "Cancer" {
			t.Fatalf("terms %+v", ds.Terms)
		}
	})
	for name, bad := range map[string]string{
		"not a list":       `"Women"`,
		"a number":         `[3]`,
		"too many":         mustJSON(make([]string, maxAudiences+1)),
		"a value too long": mustJSON([]string{strings.Repeat("a", maxAudienceLength+1)}),
	} {
		t.Run("refused: "+name, func(t *testing.T) {
			ds := read(t, bad)
			if len(ds.Services) != 1 || len(ds.Services[0].Terms) != 0 {
				t.Fatalf("service %+v", ds.Services)
			}
			if len(ds.Problems) != 1 || ds.Problems[0].Field != "pc_targetAudience" || ds.Problems[0].Skipped {
				t.Fatalf("problems %v", ds.Problems)
			}
		})
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
