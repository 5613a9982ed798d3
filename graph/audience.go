package graph

import (
	"context"

	"github.com/signpost/signpost/directory"
	"github.com/signpost/signpost/graph/model"
	"github.com/signpost/signpost/indexer"
	"github.com/signpost/signpost/matcher"
	"github.com/signpost/signpost/store"
)

var audienceGenderFromMatcher = map[string]model.AudienceGender{
	matcher.GenderWomen: model.AudienceGenderWomen, matcher.GenderMen: model.AudienceGenderMen,
}

var audienceGenderToMatcher = map[model.AudienceGender]string{
	model.AudienceGenderWomen: matcher.GenderWomen, model.AudienceGenderMen: matcher.GenderMen,
}

// circumstancesOf names circumstance codes for people; codes the
// vocabulary no longer holds are left out.
func circumstancesOf(codes []string) []model.Circumstance {
	out := make([]model.Circumstance, 0, len(codes))
	for _, c := range codes {
		if l := matcher.CircumstanceLabel(c); l != "" {
			out = append(out, model.Circumstance{Code: c, Label: l})
		}
	}
	return out
}

// circumstanceVocabulary is the whole circumstance vocabulary, in order.
func circumstanceVocabulary() []model.Circumstance {
	return circumstancesOf(matcher.CircumstanceCodes())
}

func audienceOf(a matcher.Audience, confirmed bool) *model.ServiceAudience {
	out := &model.ServiceAudience{MinimumAge: a.MinimumAge, MaximumAge: a.MaximumAge,
		Groups: circumstancesOf(a.Groups), Evidence: a.Evidence, Confirmed: confirmed,
		GroupsExclude: len(a.Groups) > 0 && (confirmed || !a.Soft)}
	if g, ok := audienceGenderFromMatcher[a.Gender]; ok {
		out.Gender = &g
	}
	if out.Evidence == nil {
		out.Evidence = []string{}
	}
	if len(out.Evidence) > audienceEvidence { // the bound the query cost assumes
		out.Evidence = out.Evidence[:audienceEvidence]
	}
	return out
}

// serviceAudience is whom a service is for: its organisation's answer when
// it gave one, else what matcher.DeriveAudience finds in the fields and
// words the index sees. The terms come through the request's loaders, so a
// page of services costs one query for all their terms.
func (r *Resolver) serviceAudience(ctx context.Context, s *store.Service) (*model.ServiceAudience, error) {
	if a := indexer.ConfirmedAudience(s.Audience); a != nil {
		return audienceOf(*a, true), nil
	}
	l := r.loadersFor(ctx)
	terms, _, err := l.serviceTerms.load(ctx, s.ID)
	if err != nil {
		return nil, err
	}
	d := &matcher.Document{ID: s.ID.String(), Name: s.Name, Description: s.Description,
		Eligibility: s.EligibilityDescription, MinimumAge: s.MinimumAge, MaximumAge: s.MaximumAge}
	for _, t := range terms {
		tax, _, err := l.taxonomy.load(ctx, t.TaxonomyID)
		if err != nil {
			return nil, err
		}
		d.Terms = append(d.Terms, matcher.Term{ID: t.ID.String(), Taxonomy: tax.Name, Code: t.Code, Label: t.Name})
	}
	return audienceOf(matcher.DeriveAudience(d), false), nil
}

func toAudienceInput(in model.ServiceAudienceInput) *directory.AudienceInput {
	out := &directory.AudienceInput{MinimumAge: in.MinimumAge, MaximumAge: in.MaximumAge, Groups: in.Groups}
	if in.Gender != nil {
		out.Gender = audienceGenderToMatcher[*in.Gender]
	}
	return out
}
