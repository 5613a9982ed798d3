// Package seed loads the demo town's directory through the directory's own
// rules, so demo data is valid data.
package seed

import (
	"bufio"
	"context"
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/signpost/signpost/directory"
	"github.com/signpost/signpost/postcodes"
	"github.com/signpost/signpost/store"
)

//go:embed demo.txt
var demoText string

// DemoSource names the demo data as a source.
const DemoSource = "signpost-demo"

// Result says what a seed did.
type Result struct {
	Loaded        bool
	Organisations int
	Services      int
}

// DemoIfEmpty loads the demo directory only when the directory has no
// organisations at all.
func DemoIfEmpty(ctx context.Context, dir *directory.Directory, st *store.Store) (Result, error) {
	n, err := st.CountOrganisations(ctx, store.OrganisationFilter{IncludeArchived: true})
	if err != nil || n > 0 {
		return Result{}, err
	}
	return Demo(ctx, dir, st)
}

// Demo loads the demo directory unless it is already loaded.
func Demo(ctx context.Context, dir *directory.Directory, st *store.Store) (Result, error) {
	data, err := parseDemo(demoText)
	if err != nil {
		return Result{}, err
	}
	have, err := st.CountOrganisationsFromSource(ctx, DemoSource)
	if err != nil {
		return Result{}, err
	}
	switch {
	case have == len(data.orgs):
		return Result{}, nil
	case have > 0:
		return Result{}, fmt.Errorf("the demo directory is only partly loaded (%d of %d organisations); archive or remove it and seed again", have, len(data.orgs))
	}
	var res Result
	// One transaction: the demo directory is loaded whole or not at all.
	err = st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		res, err = load(ctx, dir.Within(q), q, data)
		return err
	})
	if err != nil {
		return Result{}, err
	}
	return res, nil
}

func load(ctx context.Context, dir *directory.Directory, q store.Queries, data *demoData) (Result, error) {
	// The demo carries the postcodes it uses, so proximity searches work
	// without a postcode file.
	var points []store.PostcodePoint
	for _, v := range data.venues {
		if compact, _, ok := postcodes.Normalise(v.Postcode); ok && v.Latitude != nil {
			points = append(points, store.PostcodePoint{Code: compact, Latitude: *v.Latitude, Longitude: *v.Longitude})
		}
	}
	if err := q.UpsertPostcodes(ctx, points); err != nil {
		return Result{}, err
	}
	venueIDs := map[string]uuid.UUID{}
	today := time.Now().UTC().Truncate(24 * time.Hour)
	res := Result{Loaded: true}
	for oi, o := range data.orgs {
		o.in.Source, o.in.SourceID = DemoSource, fmt.Sprintf("org-%03d", oi+1)
		org, err := dir.CreateOrganisation(ctx, o.in)
		if err != nil {
			return res, fmt.Errorf("organisation %q: %w", o.in.Name, err)
		}
		res.Organisations++
		for _, s := range o.services {
			in := s.in
			in.Source, in.SourceID = DemoSource, fmt.Sprintf("service-%03d", res.Services+1)
			if s.venue != "" {
				v, ok := data.venues[s.venue]
				if !ok {
					return res, fmt.Errorf("service %q: unknown venue %q", in.Name, s.venue)
				}
				id, ok := venueIDs[s.venue]
				if !ok {
					// The town's venues host many groups: shared
					// locations, owned by no organisation.
					loc, err := dir.CreateSharedLocation(ctx, v)
					if err != nil {
						return res, fmt.Errorf("venue %q: %w", s.venue, err)
					}
					id = loc.ID
					venueIDs[s.venue] = id
				}
				in.Locations = []directory.ServiceLocationInput{{LocationID: &id, Schedules: in.Schedules}}
				in.Schedules = nil
			}
			svc, err := dir.CreateService(ctx, org.ID, in)
			if err != nil {
				return res, fmt.Errorf("service %q: %w", in.Name, err)
			}
			res.Services++
			// Listings were checked at different times; a few are stale.
			checked := today.AddDate(0, 0, -((res.Services * 37) % 420))
			if _, err := dir.VerifyService(ctx, svc.ID, svc.Version, &checked, "directory@ashbridge.example.org"); err != nil {
				return res, fmt.Errorf("service %q: %w", in.Name, err)
			}
		}
	}
	return res, nil
}

type demoService struct {
	in    directory.ServiceInput
	venue string
}

type demoOrg struct {
	in       directory.OrganisationInput
	services []demoService
}

type demoData struct {
	venues map[string]directory.LocationInput
	orgs   []*demoOrg
}

func parseDemo(text string) (*demoData, error) {
	d := &demoData{venues: map[string]directory.LocationInput{}}
	sc := bufio.NewScanner(strings.NewReader(text))
	line := 0
	for sc.Scan() {
		line++
		l := strings.TrimSpace(sc.Text())
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		f := strings.Split(l, "|")
		var err error
		switch f[0] {
		case "V":
			err = d.venue(f)
		case "O":
			err = d.org(f)
		case "S":
			err = d.service(f)
		default:
			err = fmt.Errorf("unknown record kind %q", f[0])
		}
		if err != nil {
			return nil, fmt.Errorf("demo.txt line %d: %w", line, err)
		}
	}
	return d, sc.Err()
}

func (d *demoData) venue(f []string) error {
	if len(f) != 8 {
		return fmt.Errorf("venue needs 8 fields, has %d", len(f))
	}
	lat, err1 := strconv.ParseFloat(f[5], 64)
	lon, err2 := strconv.ParseFloat(f[6], 64)
	if err1 != nil || err2 != nil {
		return fmt.Errorf("venue %s: bad coordinates", f[1])
	}
	d.venues[f[1]] = directory.LocationInput{Name: f[2], Address1: f[3], City: "Ashbridge", Region: "Northumberland",
		Postcode: f[4], Country: "GB", Latitude: &lat, Longitude: &lon, Accessibility: splitList(f[7])}
	return nil
}

func (d *demoData) org(f []string) error {
	if len(f) != 6 {
		return fmt.Errorf("organisation needs 6 fields, has %d", len(f))
	}
	email := ""
	if host := strings.TrimPrefix(f[3], "https://"); host != f[3] {
		email = "hello@" + host
	}
	d.orgs = append(d.orgs, &demoOrg{in: directory.OrganisationInput{Name: f[1], Description: f[2], Website: f[3],
		Email: email, Phone: f[4], CharityNumber: f[5]}})
	return nil
}

var (
	modeLetters   = map[rune]string{'P': directory.DeliveryInPerson, 'O': directory.DeliveryOnline, 'T': directory.DeliveryTelephone}
	accessLetters = map[rune]string{'S': directory.AccessSelfReferral, 'L': directory.AccessLinkWorkerReferral,
		'G': directory.AccessGPReferral, 'R': directory.AccessProfessionalReferral}
)

func (d *demoData) service(f []string) error {
	if len(f) != 11 {
		return fmt.Errorf("service needs 11 fields, has %d", len(f))
	}
	if len(d.orgs) == 0 {
		return fmt.Errorf("service before any organisation")
	}
	in := directory.ServiceInput{Name: f[2], Description: f[3], NeedCodes: strings.Split(f[1], ","),
		AcceptingReferrals: true, Languages: []string{"English"}}
	for _, r := range f[4] {
		in.DeliveryModes = append(in.DeliveryModes, modeLetters[r])
	}
	for _, r := range f[5] {
		in.AccessRoutes = append(in.AccessRoutes, accessLetters[r])
	}
	cost, note, _ := strings.Cut(f[6], ":")
	if cost == "free" {
		in.Free, in.CostDescription = true, note
	} else {
		amount, err := strconv.ParseFloat(cost, 64)
		if err != nil {
			return fmt.Errorf("service %q: bad cost %q", f[2], f[6])
		}
		in.Costs = []directory.CostInput{{Option: note, Amount: &amount, Currency: "GBP",
			AmountDescription: fmt.Sprintf("£%.2f %s", amount, note)}}
	}
	if f[7] != "" {
		lo, hi, _ := strings.Cut(f[7], "-")
		if lo != "" {
			v, err := strconv.Atoi(lo)
			if err != nil {
				return fmt.Errorf("service %q: bad ages %q", f[2], f[7])
			}
			in.MinimumAge = &v
		}
		if hi != "" {
			v, err := strconv.Atoi(hi)
			if err != nil {
				return fmt.Errorf("service %q: bad ages %q", f[2], f[7])
			}
			in.MaximumAge = &v
		}
	}
	for _, spec := range splitList(f[9]) {
		s, err := parseSession(spec)
		if err != nil {
			return fmt.Errorf("service %q: %w", f[2], err)
		}
		in.Schedules = append(in.Schedules, s)
	}
	if f[10] != "" {
		in.Languages = splitList(f[10])
	}
	if strings.Contains(strings.ToLower(f[3]), "referral") && !strings.Contains(f[5], "S") {
		in.EligibilityDescription = "By referral only."
	}
	venue := f[8]
	if venue == "-" {
		venue = ""
	}
	o := d.orgs[len(d.orgs)-1]
	o.services = append(o.services, demoService{in: in, venue: venue})
	return nil
}

// parseSession reads "[M ]DAYS HH:MM-HH:MM[ note]".
func parseSession(spec string) (directory.ScheduleInput, error) {
	s := directory.ScheduleInput{Frequency: "WEEKLY", Interval: 1}
	if rest, ok := strings.CutPrefix(spec, "M "); ok {
		s.Frequency, spec = "MONTHLY", rest
	}
	parts := strings.SplitN(spec, " ", 3)
	if len(parts) < 2 {
		return s, fmt.Errorf("bad session %q", spec)
	}
	s.Days = strings.Split(parts[0], ",")
	var ok bool
	if s.OpensAt, s.ClosesAt, ok = strings.Cut(parts[1], "-"); !ok {
		return s, fmt.Errorf("bad session times %q", parts[1])
	}
	if len(parts) == 3 {
		s.Note = parts[2]
	}
	return s, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ";") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func newUUID() uuid.UUID { return uuid.Must(uuid.NewV7()) }
