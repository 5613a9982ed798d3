// Package matcher ranks services for a person's needs, goals and
// circumstances. It is a library: build or open an index, apply changes,
// and Rank. It knows nothing of Postgres or HTTP.
//
// The index is a Bleve index on disk (scorch, explicit mapping, BM25) for
// text and keyword search, plus compact features of every service held in
// memory for hard filters and scoring. Which needs a service addresses is
// worked out when it is indexed: from its need tags, from taxonomy terms
// mapped to needs, and from related words found in its text.
//
// A person's goals and interests are read in context before they are
// searched for (goalReading, text*.go): idioms first ("get out of the
// house" is going out, not housing), then rule-outs scoped to their clause
// ("not a group where we talk about feelings" demotes talking therapies;
// "nothing online" keeps to services in person), then a conversational
// stop list ("want", "people", "meet", "help"); adjacent words count more
// as a phrase, and a curated synonym table (synonyms.go) adds choir for
// singing at half weight.
package matcher

import (
	"sort"
	"time"
)

// Document is what the index knows of one service.
type Document struct {
	ID               string
	Name             string
	Description      string
	OrganisationID   string
	OrganisationName string
	Status           string // active, inactive, defunct, temporarily closed
	MinimumAge       *int
	MaximumAge       *int
	// Eligibility is the service's eligibility in words, as published.
	Eligibility string
	// ConfirmedAudience is whom the organisation says the service is for;
	// when set it replaces what DeriveAudience would find.
	ConfirmedAudience *Audience
	Free              bool
	CostText          string   // the first price, in words, when charged
	DeliveryModes     []string // in_person, online, telephone
	AccessRoutes      []string
	AcceptingRefs     bool
	Languages         []string
	Accessibility     []string // of the service and its locations
	Terms             []Term
	Locations         []Location
	Sessions          []Session
	AssuredDate       *time.Time
	History           History
}

// Term is a taxonomy term a service is tagged with.
type Term struct {
	ID       string
	Taxonomy string
	Code     string
	Label    string
}

// Location is a place where a service happens.
type Location struct {
	Name      string
	Postcode  string
	Latitude  float64
	Longitude float64
}

// Session is a recurring time when a service happens.
type Session struct {
	Days     []string // MO … SU
	Opens    string   // HH:MM, or empty
	Closes   string
	Monthly  bool
	Location string // the location's name, when at one
	Note     string
}

// History is what referrals to a service have shown so far.
type History struct {
	Sent, Accepted, Attended int
}

func sortStrings(s []string) { sort.Strings(s) }
