package graph

import (
	"github.com/signpost/signpost/casework"
	"github.com/signpost/signpost/graph/model"
	"github.com/signpost/signpost/store"
)

// Kinds of the casework objects behind ids.
const (
	kindClient   = "Client"
	kindGoal     = "Goal"
	kindSession  = "ClientSession"
	kindReferral = "Referral"
	kindOutcome  = "OutcomeMeasure"
)

func clientInput(in model.ClientInput) (casework.ClientInput, error) {
	team, err := idOf("input.teamId", kindTeam, in.TeamID)
	if err != nil {
		return casework.ClientInput{}, err
	}
	out := casework.ClientInput{TeamID: team, FirstName: in.FirstName, LastName: deref(in.LastName),
		DateOfBirth: in.DateOfBirth, Postcode: deref(in.Postcode), NHSNumber: deref(in.NhsNumber),
		Email: deref(in.Email), Phone: deref(in.Phone), PreferredContact: deref(in.PreferredContact),
		ReferralSource: in.ReferralSource, ReferralDetail: deref(in.ReferralDetail),
		ConsentHold: in.ConsentToHold, ConsentShare: deref(in.ConsentToShare), MaxDistanceKm: in.MaxDistanceKm,
		RemoteOK: in.RemoteOk == nil || *in.RemoteOk, FreeOnly: deref(in.FreeOnly),
		Languages: in.Languages, Accessibility: in.Accessibility, Interests: in.Interests,
		Gender: deref(in.Gender), Circumstances: in.Circumstances}
	if in.LinkWorkerID != nil {
		lw, err := idOf("input.linkWorkerId", kindAccount, *in.LinkWorkerID)
		if err != nil {
			return out, err
		}
		out.LinkWorkerID = &lw
	}
	for _, n := range in.Needs {
		out.Needs = append(out.Needs, casework.NeedInput{Need: n.Need, Priority: deref(n.Priority)})
	}
	out.Availability = []store.Availability{}
	for _, a := range in.Availability {
		out.Availability = append(out.Availability, store.Availability{Day: weekdayToStore[a.Day], From: deref(a.From), To: deref(a.To)})
	}
	return out, nil
}

func goalInput(in model.GoalInput) casework.GoalInput {
	return casework.GoalInput{Text: in.Text, Needs: in.Needs, Status: deref(in.Status), Progress: deref(in.Progress)}
}

func sessionInput(in model.SessionInput) casework.SessionInput {
	return casework.SessionInput{Date: in.Date, Kind: in.Kind, DurationMinutes: in.DurationMinutes,
		Notes: deref(in.Notes), Attended: in.Attended, ExtensionReason: deref(in.ExtensionReason)}
}
