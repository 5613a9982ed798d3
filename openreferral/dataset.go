// Package openreferral brings Open Referral directories in and out of
// Signpost: HSDS 3 / Open Referral UK JSON, HSDS tabular data packages
// (HSDS 1.x, 2.x and 3 table names), and the read-only ORUK feed.
//
// Readers turn a file into a Dataset, a neutral picture of the directory
// keyed on the source's own ids, recording every problem with where it was
// found. The importer writes a Dataset into the store idempotently.
package openreferral

import (
	"fmt"
	"sort"
	"strings"
)

// Origin is where a record was read: a file and a line (CSV) or a JSON path.
type Origin struct {
	File string
	Line int
	Path string
}

func (o Origin) String() string {
	switch {
	case o.Line > 0:
		return fmt.Sprintf("%s:%d", o.File, o.Line)
	case o.Path != "":
		return o.File + " " + o.Path
	}
	return o.File
}

// Problem is something wrong with the input. Skipped problems dropped a
// whole record; the others dropped or repaired one field.
type Problem struct {
	Origin  Origin
	Kind    string // groups problems in the summary, e.g. "service without a name"
	Field   string
	Reason  string
	Skipped bool
}

func (p Problem) String() string {
	s := p.Origin.String()
	if p.Field != "" {
		s += " " + p.Field
	}
	return s + ": " + p.Reason
}

// Dataset is a directory read from a file, keyed on the source's ids.
type Dataset struct {
	Taxonomies    []*Taxonomy
	Terms         []*Term
	Organisations []*Organisation
	Locations     []*Location
	Services      []*Service
	Problems      []Problem
	// Rows counts the input rows or records read, by table.
	Rows map[string]int
}

func (d *Dataset) problem(o Origin, kind, field, reason string, skipped bool) {
	d.Problems = append(d.Problems, Problem{Origin: o, Kind: kind, Field: field, Reason: reason, Skipped: skipped})
}

// warn records a repaired or dropped field.
func (d *Dataset) warn(o Origin, kind, field, format string, args ...any) {
	d.problem(o, kind, field, fmt.Sprintf(format, args...), false)
}

// skip records a dropped record.
func (d *Dataset) skip(o Origin, kind, format string, args ...any) {
	d.problem(o, kind, "", fmt.Sprintf(format, args...), true)
}

// Taxonomy is a vocabulary, identified by name.
type Taxonomy struct {
	Name        string
	Description string
	URI         string
	Version     string
}

// Term is a taxonomy term, identified by its taxonomy's name and its code.
type Term struct {
	SourceID    string
	Taxonomy    string
	Code        string
	Name        string
	Description string
	// ParentCode is the code of the parent term in the same taxonomy.
	ParentCode string
	Origin     Origin
}

// TermRef points at a term.
type TermRef struct {
	Taxonomy string
	Code     string
}

// Organisation is an organisation as read.
type Organisation struct {
	SourceID    string
	Name        string
	Description string
	// DescriptionSource is the original of Description when cleaning
	// removed markup; empty otherwise.
	DescriptionSource string
	Website           string
	Email             string
	Phone             string
	CharityNumber     string
	CompanyNumber     string
	Origin            Origin `json:"-"`
}

// Location is a place as read.
type Location struct {
	SourceID    string
	OrgSourceID string
	Name        string
	Description string
	// DescriptionSource is the original of Description when cleaning
	// removed markup; empty otherwise.
	DescriptionSource string
	Address1          string
	Address2          string
	City              string
	Region            string
	Postcode          string
	Country           string
	Latitude          *float64
	Longitude         *float64
	Accessibility     []string
	Origin            Origin `json:"-"`
}

// Service is a service with its parts as read.
type Service struct {
	SourceID    string
	OrgSourceID string
	Name        string
	Description string
	// DescriptionSource and EligibilityDescriptionSource are the originals
	// of the cleaned texts when cleaning removed markup; empty otherwise.
	DescriptionSource            string
	EligibilityDescriptionSource string
	URL                          string
	Email                        string
	Status                       string
	MinimumAge                   *int
	MaximumAge                   *int
	EligibilityDescription       string
	Free                         bool
	CostDescription              string
	DeliveryModes                []string
	AccessRoutes                 []string
	AcceptingReferrals           bool
	Spaces                       *int
	Accessibility                []string
	Languages                    []string
	AssuredDate                  string // YYYY-MM-DD
	Assurer                      string
	Terms                        []TermRef
	Locations                    []ServiceAtLocation
	Schedules                    []Schedule
	Costs                        []Cost
	Contacts                     []Contact
	Origin                       Origin `json:"-"`
	// Audience is the organisation's confirmed audience, when the dataset
	// carries one (Signpost's own exports do).
	Audience *Audience `json:",omitempty"`
}

// ServiceAtLocation places a service at a location.
type ServiceAtLocation struct {
	SourceID         string
	LocationSourceID string
	Description      string
}

// Schedule is a recurring session; LocationSourceID is set when it happens
// at one of the service's locations.
type Schedule struct {
	LocationSourceID string
	Freq             string
	Interval         int
	ByDay            []string
	OpensAt          string // HH:MM
	ClosesAt         string
	ValidFrom        string // YYYY-MM-DD
	ValidTo          string
	Description      string
}

// Cost is one price.
type Cost struct {
	Option            string
	Amount            *float64
	Currency          string
	AmountDescription string
}

// Contact is a person, role or number to contact.
type Contact struct {
	Name  string
	Title string
	Email string
	Phone string
}

// ProblemGroup is every problem of one kind.
type ProblemGroup struct {
	Kind     string
	Skipped  bool
	Count    int
	Examples []Problem
}

// GroupProblems groups problems by kind, largest group first, keeping a few
// examples of each.
func GroupProblems(ps []Problem, examples int) []ProblemGroup {
	byKind := map[string]*ProblemGroup{}
	var order []string
	for _, p := range ps {
		g, ok := byKind[p.Kind]
		if !ok {
			g = &ProblemGroup{Kind: p.Kind, Skipped: p.Skipped}
			byKind[p.Kind] = g
			order = append(order, p.Kind)
		}
		g.Count++
		if len(g.Examples) < examples {
			g.Examples = append(g.Examples, p)
		}
	}
	out := make([]ProblemGroup, 0, len(order))
	for _, k := range order {
		out = append(out, *byKind[k])
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Count > out[j].Count })
	return out
}

// cleanText turns HTML into plain text, repairs text exported with
// escaped newlines and stray section markers (###MON###), and trims it.
func cleanText(s string) string {
	if s == "" {
		return ""
	}
	s = htmlToText(s)
	s = strings.ReplaceAll(s, `\r\n`, "\n")
	s = strings.ReplaceAll(s, `\n`, "\n")
	s = strings.ReplaceAll(s, `\t`, " ")
	s = markerRE.ReplaceAllString(s, "")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\r")
	}
	s = strings.Join(lines, "\n")
	s = blankLinesRE.ReplaceAllString(s, "\n\n")
	return strings.TrimSpace(s)
}
