package casework_test

import (
	"slices"
	"testing"

	"github.com/signpost/signpost/casework"
	"github.com/signpost/signpost/matcher"
)

// TestClientGenderAndCircumstances: a client's gender and circumstances
// are checked (an unknown code names its field and nothing is written),
// kept, edited, reach the matching profile in the matcher's words, are in
// the subject access export, and are cleared by erasure.
func TestClientGenderAndCircumstances(t *testing.T) {
	w := newWorld(t)
	ctx := as(w.worker)

	_, err := w.cw.CreateClient(ctx, casework.ClientInput{TeamID: w.team, FirstName: "Ann", ConsentHold: true,
		ReferralSource: "SELF", PreferredContact: "POST", Gender: "ALIEN", Circumstances: []string{"carer", "wizard"}})
	ps := problems(t, err)
	if ps["input.gender"] == "" || ps["input.circumstances[1]"] == "" || ps["input.circumstances[0]"] != "" {
		t.Errorf("problems %v: want input.gender and input.circumstances[1] only", ps)
	}
	too := make([]string, casework.MaxCircumstances+1)
	for i := range too {
		too[i] = matcher.CircumstanceCodes()[i]
	}
	_, err = w.cw.CreateClient(ctx, casework.ClientInput{TeamID: w.team, FirstName: "Ann", ConsentHold: true,
		ReferralSource: "SELF", PreferredContact: "POST", Circumstances: too})
	if problems(t, err)["input.circumstances"] == "" {
		t.Errorf("%d circumstances: %v", len(too), err)
	}

	c := w.client(t, func(in *casework.ClientInput) {
		in.Gender = " woman "
		in.Circumstances = []string{"carer", " dementia", "carer"}
	})
	if c.Gender != "WOMAN" || !slices.Equal(c.Circumstances, []string{"carer", "dementia"}) {
		t.Fatalf("stored gender %q, circumstances %q", c.Gender, c.Circumstances)
	}
	p, _, err := w.cw.Profile(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if p.Gender != matcher.PersonWoman || !slices.Equal(p.Circumstances, []string{"carer", "dementia"}) {
		t.Errorf("profile gender %q, circumstances %q", p.Gender, p.Circumstances)
	}
	if err := p.Validate(); err != nil {
		t.Errorf("the client's profile does not validate: %v", err)
	}

	// The edit gives the record as the client helper made it, with a new
	// gender and circumstances.
	in := casework.ClientInput{TeamID: w.team, FirstName: c.FirstName, LastName: c.LastName, DateOfBirth: c.DateOfBirth,
		Postcode: c.Postcode, NHSNumber: c.NHSNumber, Phone: c.Phone, ReferralSource: c.ReferralSource,
		ReferralDetail: c.ReferralDetail, ConsentHold: true, Needs: []casework.NeedInput{{Need: "loneliness"}},
		Gender: "NON_BINARY", Circumstances: []string{"veteran"}}
	c, err = w.cw.UpdateClient(ctx, c.ID, c.Version, in)
	if err != nil {
		t.Fatal(err)
	}
	x, err := w.cw.ExportClient(ctx, c.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if x.Client.Gender != "NON_BINARY" || !slices.Equal(x.Client.Circumstances, []string{"veteran"}) {
		t.Errorf("the export holds gender %q, circumstances %q", x.Client.Gender, x.Client.Circumstances)
	}
	erased, err := w.cw.EraseClient(ctx, c.ID, "client's request of 29 November")
	if err != nil {
		t.Fatal(err)
	}
	if erased.Gender != "" || len(erased.Circumstances) != 0 {
		t.Errorf("after erasure: gender %q, circumstances %q", erased.Gender, erased.Circumstances)
	}
}
