package openreferral

import "encoding/json"

// HSDS 3.0 JSON, as profiled by Open Referral UK. Export writes every ORUK
// property Signpost holds, plus the standard HSDS 3 properties that ORUK
// leaves out but Signpost stores (language names, contact e-mails and
// phones, address_2, eligibility_description, currency), so nothing is lost.

// ORService is a full HSDS 3 service.
type ORService struct {
	ID                     string                `json:"id"`
	OrganizationID         string                `json:"organization_id,omitempty"`
	Name                   string                `json:"name"`
	Description            string                `json:"description,omitempty"`
	URL                    string                `json:"url,omitempty"`
	Email                  string                `json:"email,omitempty"`
	Status                 string                `json:"status"`
	Fees                   string                `json:"fees,omitempty"`
	FeesDescription        string                `json:"fees_description,omitempty"`
	EligibilityDescription string                `json:"eligibility_description,omitempty"`
	MinimumAge             *float64              `json:"minimum_age,omitempty"`
	MaximumAge             *float64              `json:"maximum_age,omitempty"`
	AssuredDate            string                `json:"assured_date,omitempty"`
	AssurerEmail           string                `json:"assurer_email,omitempty"`
	LastModified           string                `json:"last_modified,omitempty"`
	Schedules              []ORSchedule          `json:"schedules,omitempty"`
	ServiceAtLocations     []ORServiceAtLocation `json:"service_at_locations,omitempty"`
	Languages              []ORLanguage          `json:"languages,omitempty"`
	Organization           *OROrganization       `json:"organization,omitempty"`
	CostOptions            []ORCostOption        `json:"cost_options,omitempty"`
	Contacts               []ORContact           `json:"contacts,omitempty"`
	Phones                 []ORPhone             `json:"phones,omitempty"`
	Attributes             []ORAttribute         `json:"attributes,omitempty"`
	// TargetAudience is ORUK's pc_targetAudience extension, read on import
	// (into the oruk-target-audience taxonomy) and never written: the
	// export carries those terms as attributes.
	TargetAudience json.RawMessage `json:"pc_targetAudience,omitempty"`
}

// ORSchedule is a recurring time.
type ORSchedule struct {
	ID                  string `json:"id"`
	ServiceID           string `json:"service_id,omitempty"`
	ServiceAtLocationID string `json:"service_at_location_id,omitempty"`
	LocationID          string `json:"location_id,omitempty"`
	ValidFrom           string `json:"valid_from,omitempty"`
	ValidTo             string `json:"valid_to,omitempty"`
	Freq                string `json:"freq,omitempty"`
	Interval            *int   `json:"interval,omitempty"`
	Byday               string `json:"byday,omitempty"`
	Description         string `json:"description,omitempty"`
	OpensAt             string `json:"opens_at,omitempty"`
	ClosesAt            string `json:"closes_at,omitempty"`
	Notes               string `json:"notes,omitempty"`
}

// ORServiceAtLocation links a service and a location.
type ORServiceAtLocation struct {
	ID          string       `json:"id"`
	ServiceID   string       `json:"service_id,omitempty"`
	LocationID  string       `json:"location_id,omitempty"`
	Description string       `json:"description,omitempty"`
	Location    *ORLocation  `json:"location,omitempty"`
	Service     *ORService   `json:"service,omitempty"`
	Schedules   []ORSchedule `json:"schedules,omitempty"`
}

// ORLocation is a place.
type ORLocation struct {
	ID             string            `json:"id"`
	OrganizationID string            `json:"organization_id,omitempty"`
	LocationType   string            `json:"location_type"`
	Name           string            `json:"name,omitempty"`
	Description    string            `json:"description,omitempty"`
	Latitude       *float64          `json:"latitude,omitempty"`
	Longitude      *float64          `json:"longitude,omitempty"`
	Addresses      []ORAddress       `json:"addresses,omitempty"`
	Accessibility  []ORAccessibility `json:"accessibility,omitempty"`
}

// ORAddress is an address.
type ORAddress struct {
	ID            string `json:"id"`
	LocationID    string `json:"location_id,omitempty"`
	Attention     string `json:"attention,omitempty"`
	Address1      string `json:"address_1"`
	Address2      string `json:"address_2,omitempty"`
	City          string `json:"city"`
	Region        string `json:"region,omitempty"`
	StateProvince string `json:"state_province"`
	PostalCode    string `json:"postal_code"`
	Country       string `json:"country"`
	AddressType   string `json:"address_type"`
}

// ORAccessibility is an accessibility feature of a location.
type ORAccessibility struct {
	ID          string `json:"id"`
	LocationID  string `json:"location_id,omitempty"`
	Description string `json:"description,omitempty"`
	Details     string `json:"details,omitempty"`
	URL         string `json:"url,omitempty"`
}

// ORLanguage is a language a service is offered in.
type ORLanguage struct {
	ID        string `json:"id"`
	ServiceID string `json:"service_id,omitempty"`
	Name      string `json:"name,omitempty"`
	Code      string `json:"code,omitempty"`
	Note      string `json:"note,omitempty"`
}

// OROrganization is an organisation.
type OROrganization struct {
	ID                      string         `json:"id"`
	Name                    string         `json:"name"`
	Description             string         `json:"description"`
	Email                   string         `json:"email,omitempty"`
	Website                 string         `json:"website,omitempty"`
	URL                     string         `json:"url,omitempty"`
	OrganizationIdentifiers []ORIdentifier `json:"organization_identifiers,omitempty"`
	Phones                  []ORPhone      `json:"phones,omitempty"`
	Services                []ORService    `json:"services,omitempty"`
}

// ORIdentifier is a registration number.
type ORIdentifier struct {
	ID               string `json:"id"`
	OrganizationID   string `json:"organization_id,omitempty"`
	IdentifierScheme string `json:"identifier_scheme,omitempty"`
	IdentifierType   string `json:"identifier_type"`
	Identifier       string `json:"identifier"`
}

// ORCostOption is a price.
type ORCostOption struct {
	ID                string   `json:"id"`
	ServiceID         string   `json:"service_id,omitempty"`
	Option            string   `json:"option,omitempty"`
	Amount            *float64 `json:"amount,omitempty"`
	Currency          string   `json:"currency,omitempty"`
	AmountDescription string   `json:"amount_description,omitempty"`
}

// ORContact is a person or role.
type ORContact struct {
	ID        string    `json:"id"`
	ServiceID string    `json:"service_id,omitempty"`
	Name      string    `json:"name,omitempty"`
	Title     string    `json:"title,omitempty"`
	Email     string    `json:"email,omitempty"`
	Phones    []ORPhone `json:"phones,omitempty"`
}

// ORPhone is a telephone number.
type ORPhone struct {
	ID          string `json:"id"`
	Number      string `json:"number"`
	Extension   any    `json:"extension,omitempty"`
	Type        string `json:"type,omitempty"`
	Description string `json:"description,omitempty"`
}

// ORAttribute tags an entity with a taxonomy term.
type ORAttribute struct {
	ID             string  `json:"id"`
	LinkID         string  `json:"link_id,omitempty"`
	TaxonomyTermID string  `json:"taxonomy_term_id,omitempty"`
	LinkType       string  `json:"link_type,omitempty"`
	Value          string  `json:"value,omitempty"`
	TaxonomyTerm   *ORTerm `json:"taxonomy_term,omitempty"`
}

// ORTerm is a taxonomy term.
type ORTerm struct {
	ID          string `json:"id"`
	Code        string `json:"code,omitempty"`
	Name        string `json:"name"`
	Description string `json:"description"`
	ParentID    string `json:"parent_id,omitempty"`
	Taxonomy    string `json:"taxonomy,omitempty"`
	TaxonomyID  string `json:"taxonomy_id,omitempty"`
	TermURI     string `json:"term_uri,omitempty"`
	Term        string `json:"term,omitempty"`
}

// ORTaxonomy is a taxonomy.
type ORTaxonomy struct {
	ID            string   `json:"id"`
	Name          string   `json:"name"`
	Description   string   `json:"description"`
	URI           string   `json:"uri,omitempty"`
	Version       string   `json:"version,omitempty"`
	TaxonomyTerms []ORTerm `json:"taxonomy_terms,omitempty"`
}

// Page is the ORUK paged list envelope.
type Page[T any] struct {
	TotalItems int  `json:"total_items"`
	TotalPages int  `json:"total_pages"`
	PageNumber int  `json:"page_number"`
	Size       int  `json:"size"`
	FirstPage  bool `json:"first_page"`
	LastPage   bool `json:"last_page"`
	Empty      bool `json:"empty"`
	Contents   []T  `json:"contents"`
}
