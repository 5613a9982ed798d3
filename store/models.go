package store

import (
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// Organisation is a row of organisations.
type Organisation struct {
	bun.BaseModel `bun:"table:organisations,alias:o"`

	ID          uuid.UUID `bun:"id,pk,type:uuid"`
	Name        string    `bun:"name"`
	Description string    `bun:"description"`
	// DescriptionSource is the imported original of Description when
	// cleaning changed it (HTML); empty otherwise or once edited.
	DescriptionSource string     `bun:"description_source"`
	Website           string     `bun:"website"`
	Email             string     `bun:"email"`
	Phone             string     `bun:"phone"`
	CharityNumber     string     `bun:"charity_number"`
	CompanyNumber     string     `bun:"company_number"`
	Source            string     `bun:"source"`
	SourceID          string     `bun:"source_id"`
	SourceHash        string     `bun:"source_hash"`
	ArchivedAt        *time.Time `bun:"archived_at"`
	Version           int        `bun:"version"`
	CreatedAt         time.Time  `bun:"created_at"`
	UpdatedAt         time.Time  `bun:"updated_at"`
}

// Service status values, as HSDS spells them.
const (
	StatusActive            = "active"
	StatusInactive          = "inactive"
	StatusDefunct           = "defunct"
	StatusTemporarilyClosed = "temporarily closed"
)

// Service is a row of services.
type Service struct {
	bun.BaseModel `bun:"table:services,alias:s"`

	ID             uuid.UUID `bun:"id,pk,type:uuid"`
	OrganisationID uuid.UUID `bun:"organisation_id,type:uuid"`
	Name           string    `bun:"name"`
	Description    string    `bun:"description"`
	// DescriptionSource and EligibilityDescriptionSource are the imported
	// originals (HTML) of the cleaned texts, for lossless export; empty
	// when the text was plain or has been edited in Signpost.
	DescriptionSource            string     `bun:"description_source"`
	EligibilityDescriptionSource string     `bun:"eligibility_description_source"`
	URL                          string     `bun:"url"`
	Email                        string     `bun:"email"`
	Status                       string     `bun:"status"`
	MinimumAge                   *int       `bun:"minimum_age"`
	MaximumAge                   *int       `bun:"maximum_age"`
	EligibilityDescription       string     `bun:"eligibility_description"`
	Free                         bool       `bun:"free"`
	CostDescription              string     `bun:"cost_description"`
	DeliveryModes                []string   `bun:"delivery_modes,array"`
	AccessRoutes                 []string   `bun:"access_routes,array"`
	AcceptingReferrals           bool       `bun:"accepting_referrals"`
	Spaces                       *int       `bun:"spaces"`
	Accessibility                []string   `bun:"accessibility,array"`
	Languages                    []string   `bun:"languages,array"`
	AssuredDate                  *time.Time `bun:"assured_date,type:date"`
	Assurer                      string     `bun:"assurer"`
	Source                       string     `bun:"source"`
	SourceID                     string     `bun:"source_id"`
	SourceHash                   string     `bun:"source_hash"`
	ArchivedAt                   *time.Time `bun:"archived_at"`
	Version                      int        `bun:"version"`
	CreatedAt                    time.Time  `bun:"created_at"`
	UpdatedAt                    time.Time  `bun:"updated_at"`

	// Audience is whom the organisation says the service is for; nil while
	// only the audience derived from its words applies.
	Audience *Audience `bun:"audience,type:jsonb"`
}

// Audience is a service's audience as its organisation confirmed or
// corrected it: an age range, a gender ("women", "men" or "" for anyone)
// and the circumstance codes of the closed groups it is only for.
type Audience struct {
	MinimumAge *int     `json:"minimumAge"`
	MaximumAge *int     `json:"maximumAge"`
	Gender     string   `json:"gender"`
	Groups     []string `json:"groups"`
}

// Location is a row of locations: a place where services are delivered.
type Location struct {
	bun.BaseModel `bun:"table:locations"`

	ID             uuid.UUID  `bun:"id,pk,type:uuid"`
	OrganisationID *uuid.UUID `bun:"organisation_id,type:uuid"`
	Name           string     `bun:"name"`
	Description    string     `bun:"description"`
	// DescriptionSource is the imported original of Description when
	// cleaning changed it (HTML); empty otherwise or once edited.
	DescriptionSource string    `bun:"description_source"`
	Address1          string    `bun:"address_1"`
	Address2          string    `bun:"address_2"`
	City              string    `bun:"city"`
	Region            string    `bun:"region"`
	Postcode          string    `bun:"postcode"`
	Country           string    `bun:"country"`
	Latitude          *float64  `bun:"latitude"`
	Longitude         *float64  `bun:"longitude"`
	Accessibility     []string  `bun:"accessibility,array"`
	Source            string    `bun:"source"`
	SourceID          string    `bun:"source_id"`
	SourceHash        string    `bun:"source_hash"`
	Version           int       `bun:"version"`
	CreatedAt         time.Time `bun:"created_at"`
	UpdatedAt         time.Time `bun:"updated_at"`
}

// ServiceAtLocation links a service to a location where it is delivered.
type ServiceAtLocation struct {
	bun.BaseModel `bun:"table:service_at_locations"`

	ID          uuid.UUID `bun:"id,pk,type:uuid"`
	ServiceID   uuid.UUID `bun:"service_id,type:uuid"`
	LocationID  uuid.UUID `bun:"location_id,type:uuid"`
	Description string    `bun:"description"`
	Position    int       `bun:"position"`
	SourceID    string    `bun:"source_id"`
}

// ServiceLocation is a location as seen from one service.
type ServiceLocation struct {
	Location
	ServiceID      uuid.UUID `bun:"service_id,type:uuid"`
	SALID          uuid.UUID `bun:"sal_id,type:uuid"`
	SALDescription string    `bun:"sal_description"`
}

// Schedule is a recurring session of a service.
type Schedule struct {
	bun.BaseModel `bun:"table:schedules"`

	ID          uuid.UUID  `bun:"id,pk,type:uuid"`
	ServiceID   uuid.UUID  `bun:"service_id,type:uuid"`
	LocationID  *uuid.UUID `bun:"location_id,type:uuid"`
	Freq        string     `bun:"freq"`
	Interval    int        `bun:"interval"`
	ByDay       []string   `bun:"byday,array"`
	OpensAt     *string    `bun:"opens_at,type:time"`
	ClosesAt    *string    `bun:"closes_at,type:time"`
	ValidFrom   *time.Time `bun:"valid_from,type:date"`
	ValidTo     *time.Time `bun:"valid_to,type:date"`
	Description string     `bun:"description"`
	Position    int        `bun:"position"`
}

// CostOption is one price of a service.
type CostOption struct {
	bun.BaseModel `bun:"table:cost_options"`

	ID                uuid.UUID `bun:"id,pk,type:uuid"`
	ServiceID         uuid.UUID `bun:"service_id,type:uuid"`
	Option            string    `bun:"option"`
	Amount            *float64  `bun:"amount"`
	Currency          string    `bun:"currency"`
	AmountDescription string    `bun:"amount_description"`
	Position          int       `bun:"position"`
}

// Contact is a named person or role to contact about a service.
type Contact struct {
	bun.BaseModel `bun:"table:contacts"`

	ID             uuid.UUID  `bun:"id,pk,type:uuid"`
	ServiceID      *uuid.UUID `bun:"service_id,type:uuid"`
	OrganisationID *uuid.UUID `bun:"organisation_id,type:uuid"`
	Name           string     `bun:"name"`
	Title          string     `bun:"title"`
	Email          string     `bun:"email"`
	Phone          string     `bun:"phone"`
	Position       int        `bun:"position"`
}

// Taxonomy is a vocabulary of terms.
type Taxonomy struct {
	bun.BaseModel `bun:"table:taxonomies,alias:x"`

	ID          uuid.UUID `bun:"id,pk,type:uuid"`
	Name        string    `bun:"name"`
	Description string    `bun:"description"`
	URI         string    `bun:"uri"`
	Version     string    `bun:"version"`
	BuiltIn     bool      `bun:"built_in"`
	CreatedAt   time.Time `bun:"created_at"`
}

// TaxonomyTerm is one term of a taxonomy.
type TaxonomyTerm struct {
	bun.BaseModel `bun:"table:taxonomy_terms,alias:t"`

	ID          uuid.UUID  `bun:"id,pk,type:uuid"`
	TaxonomyID  uuid.UUID  `bun:"taxonomy_id,type:uuid"`
	Code        string     `bun:"code"`
	Name        string     `bun:"name"`
	Description string     `bun:"description"`
	ParentID    *uuid.UUID `bun:"parent_id,type:uuid"`
	SourceID    string     `bun:"source_id"`
	CreatedAt   time.Time  `bun:"created_at"`
}

// ServiceTerm is a term as attached to one service.
type ServiceTerm struct {
	TaxonomyTerm
	ServiceID uuid.UUID `bun:"service_id,type:uuid"`
}

// serviceTermLink is a row of service_terms.
type serviceTermLink struct {
	bun.BaseModel `bun:"table:service_terms"`

	ServiceID uuid.UUID `bun:"service_id,type:uuid"`
	TermID    uuid.UUID `bun:"term_id,type:uuid"`
}

// NeedsTaxonomyID identifies the built-in needs vocabulary (seeded by the
// first migration).
var NeedsTaxonomyID = uuid.MustParse("5e1c7a7e-0000-4000-8000-000000000001")
