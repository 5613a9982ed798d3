package store_test

import (
	"context"
	"testing"

	"github.com/signpost/signpost/pgtest"
	"github.com/signpost/signpost/store"
)

// An imported original (HTML) stays beside its cleaned text while edits
// leave the text alone, and goes once an edit changes the text.
func TestEditsClearTheImportedOriginalOnlyWhenTheTextChanges(t *testing.T) {
	ctx := context.Background()
	st := pgtest.NewStore(t)
	org := newOrganisation(t, st, "Victor House")
	svc := &store.Service{ID: newID(), OrganisationID: org.ID, Name: "Art club", Status: store.StatusActive,
		Description: "Art club", DescriptionSource: "<p>Art club&nbsp;</p>",
		EligibilityDescription: "Adults", EligibilityDescriptionSource: "<p>Adults</p>",
		DeliveryModes: []string{}, AccessRoutes: []string{}, Accessibility: []string{}, Languages: []string{}}
	must(t, st.InsertService(ctx, svc))

	t.Run("service", func(t *testing.T) {
		edit := *svc
		edit.Name = "Art club for all"
		must(t, st.UpdateService(ctx, &edit, 1))
		if edit.DescriptionSource == "" || edit.EligibilityDescriptionSource == "" {
			t.Fatalf("a name edit cleared the originals: %q, %q", edit.DescriptionSource, edit.EligibilityDescriptionSource)
		}
		edit.Description = "Painting for everyone"
		must(t, st.UpdateService(ctx, &edit, 2))
		got, err := st.ServiceByID(ctx, svc.ID)
		if err != nil || got.DescriptionSource != "" || got.EligibilityDescriptionSource != "<p>Adults</p>" {
			t.Fatalf("after editing the description: %q, %q, %v", got.DescriptionSource, got.EligibilityDescriptionSource, err)
		}
	})
	t.Run("organisation", func(t *testing.T) {
		o := &store.Organisation{ID: newID(), Name: "Mind", Description: "Help", DescriptionSource: "<b>Help</b>"}
		must(t, st.InsertOrganisation(ctx, o))
		o.Email = "hello@example.org"
		must(t, st.UpdateOrganisation(ctx, o, 1))
		if o.DescriptionSource != "<b>Help</b>" {
			t.Fatalf("an e-mail edit cleared the original: %q", o.DescriptionSource)
		}
		o.Description = "Help and advice"
		must(t, st.UpdateOrganisation(ctx, o, 2))
		if o.DescriptionSource != "" {
			t.Fatalf("the original outlived an edit: %q", o.DescriptionSource)
		}
	})
	t.Run("location", func(t *testing.T) {
		l := &store.Location{ID: newID(), Name: "Hall", Description: "Step free", DescriptionSource: "<p>Step&nbsp;free</p>",
			Accessibility: []string{}}
		must(t, st.InsertLocation(ctx, l))
		l.City = "Scunthorpe"
		must(t, st.UpdateLocation(ctx, l))
		if l.DescriptionSource == "" {
			t.Fatal("a city edit cleared the original")
		}
		l.Description = "Step free, with a lift"
		must(t, st.UpdateLocation(ctx, l))
		if l.DescriptionSource != "" {
			t.Fatalf("the original outlived an edit: %q", l.DescriptionSource)
		}
	})
}
