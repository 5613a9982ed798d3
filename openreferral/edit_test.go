package openreferral_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/signpost/signpost/access"
	"github.com/signpost/signpost/directory"
	"github.com/signpost/signpost/pgtest"
	"github.com/signpost/signpost/store"
)

// A partner's edit is the new truth: an export gives back the publisher's
// HTML only while the partner has not changed that text.
func TestAPartnersEditReplacesTheImportedOriginal(t *testing.T) {
	ctx := context.Background()
	st := pgtest.NewStore(t)
	// Cut from North Lincolnshire's feed.
	const html = `<p>Our art club is a really friendly group.</p><p>We welcome everyone from beginners to experienced painters.&nbsp;</p>`
	doc := map[string]any{"id": "1b4e28ba-2fa1-4d2b-883f-0016d3cca427", "name": "Art club", "status": "active",
		"description": html, "eligibility_description": "<p>Adults&nbsp;only</p>",
		"organization": map[string]any{"id": "2b4e28ba-2fa1-4d2b-883f-0016d3cca427", "name": "Arts Trust", "description": ""}}
	b, _ := json.Marshal(doc)
	p := filepath.Join(t.TempDir(), "one.json")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	importPath(t, st, p, "edit-test")
	svcs, err := st.ServicesAt(ctx, store.ServiceFilter{}, 0, 5)
	if err != nil || len(svcs) != 1 {
		t.Fatalf("services %d, %v", len(svcs), err)
	}
	s := svcs[0]
	const clean = "Our art club is a really friendly group.\n\nWe welcome everyone from beginners to experienced painters."
	if s.Description != clean || s.EligibilityDescription != "Adults only" {
		t.Fatalf("imported %q / %q", s.Description, s.EligibilityDescription)
	}
	exported := func() (string, string) {
		var page struct {
			Contents []struct {
				Description            string `json:"description"`
				EligibilityDescription string `json:"eligibility_description"`
			} `json:"contents"`
		}
		if err := json.Unmarshal(exportJSON(t, st), &page); err != nil || len(page.Contents) != 1 {
			t.Fatalf("export: %v", err)
		}
		return page.Contents[0].Description, page.Contents[0].EligibilityDescription
	}
	if d, e := exported(); d != html || e != "<p>Adults&nbsp;only</p>" {
		t.Fatalf("export before any edit: %q, %q", d, e)
	}
	dir := directory.New(st, access.Open{})
	in := directory.ServiceInput{Name: "Art club for all", Description: s.Description, Status: s.Status,
		EligibilityDescription: s.EligibilityDescription, AcceptingReferrals: true}
	edited, err := dir.UpdateService(ctx, s.ID, s.Version, in)
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := exported(); d != html {
		t.Fatalf("a name edit lost the original: %q", d)
	}
	in.Description = "A friendly art club for every ability."
	if _, err := dir.UpdateService(ctx, s.ID, edited.Version, in); err != nil {
		t.Fatal(err)
	}
	if d, e := exported(); d != in.Description || e != "<p>Adults&nbsp;only</p>" {
		t.Fatalf("after editing the description the export says %q, %q", d, e)
	}
}

// A web address that is not a valid URI is stored as given and
// percent-encoded on export, for the ORUK schema's format "uri".
func TestExportEncodesInvalidWebAddresses(t *testing.T) {
	st := pgtest.NewStore(t)
	doc := map[string]any{"id": "1b4e28ba-2fa1-4d2b-883f-0016d3cca427", "name": "Walks", "status": "active",
		"url": "https://example.org/find?q={walks}|all",
		"organization": map[string]any{"id": "2b4e28ba-2fa1-4d2b-883f-0016d3cca427", "name": "Ramblers", "description": "",
			"website": "https://example.org/our groups"}}
	b, _ := json.Marshal(doc)
	p := filepath.Join(t.TempDir(), "one.json")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	importPath(t, st, p, "uri-test")
	var page struct {
		Contents []struct {
			URL          string `json:"url"`
			Organization struct {
				Website string `json:"website"`
			} `json:"organization"`
		} `json:"contents"`
	}
	if err := json.Unmarshal(exportJSON(t, st), &page); err != nil || len(page.Contents) != 1 {
		t.Fatalf("export: %v", err)
	}
	got := page.Contents[0]
	if got.URL != "https://example.org/find?q=%7Bwalks%7D%7Call" || got.Organization.Website != "https://example.org/our%20groups" {
		t.Fatalf("exported %q and %q", got.URL, got.Organization.Website)
	}
}
