package openreferral

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/signpost/signpost/store"
)

// hashVersion changes whenever the mapping from input to stored fields
// changes, so that a re-import rewrites records imported by older code.
const hashVersion = "signpost-import-2:"

// ErrStrict is returned by a strict import of input with problems; nothing
// is written.
var ErrStrict = errors.New("the input has problems and --strict is set; nothing was written")

// Options control an import.
type Options struct {
	// Source names where the data came from; records are matched on it and
	// their source id, so importing the same file twice changes nothing.
	Source string
	// ArchiveMissing archives services and organisations of this source that
	// are not in the input (for full re-imports).
	ArchiveMissing bool
	// Strict makes any problem fatal, with nothing written.
	Strict bool
	// BatchSize is how many services are written per transaction.
	BatchSize int
	// Progress, when set, is told how far each stage has got.
	Progress func(Progress)
}

// Progress reports a stage's advance.
type Progress struct {
	Stage string
	Done  int
	Total int
}

// Counts counts what an import did to one kind of record.
type Counts struct {
	Created, Updated, Unchanged, Skipped int
}

// Summary reports an import.
type Summary struct {
	Source        string
	Organisations Counts
	Locations     Counts
	Services      Counts
	Schedules     Counts
	Terms         Counts
	Archived      struct{ Services, Organisations int }
	Problems      []Problem
	Duration      time.Duration
}

type importer struct {
	st    *store.Store
	ds    *Dataset
	opts  Options
	sum   *Summary
	orgs  map[string]uuid.UUID
	locs  map[string]uuid.UUID
	terms map[TermRef]uuid.UUID
}

// Import writes a dataset into the directory. Each batch of services is one
// transaction, and records already imported unchanged are left alone, so an
// interrupted import is resumed by running it again.
func Import(ctx context.Context, st *store.Store, ds *Dataset, opts Options) (*Summary, error) {
	start := time.Now()
	if opts.Source == "" {
		return nil, errors.New("an import needs a source name")
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 500
	}
	sum := &Summary{Source: opts.Source, Problems: ds.Problems}
	countSkips(ds, sum)
	if opts.Strict && len(ds.Problems) > 0 {
		return sum, ErrStrict
	}
	im := &importer{st: st, ds: ds, opts: opts, sum: sum, orgs: map[string]uuid.UUID{},
		locs: map[string]uuid.UUID{}, terms: map[TermRef]uuid.UUID{}}
	steps := []func(context.Context) error{im.taxonomies, im.organisations, im.locations, im.services}
	if opts.ArchiveMissing {
		steps = append(steps, im.archiveMissing)
	}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return sum, err
		}
	}
	sum.Problems = ds.Problems // including any found while writing
	sum.Duration = time.Since(start)
	return sum, nil
}

func countSkips(ds *Dataset, sum *Summary) {
	for _, p := range ds.Problems {
		if !p.Skipped {
			continue
		}
		switch table := tableOf(trimExt(p.Origin.File)); {
		case table == "organizations":
			sum.Organisations.Skipped++
		case table == "locations":
			sum.Locations.Skipped++
		case table == "schedules":
			sum.Schedules.Skipped++
		case table == "taxonomy_terms":
			sum.Terms.Skipped++
		case table == "services" || p.Origin.Path != "" && p.Kind != "empty schedule" && p.Kind != "unsupported schedule":
			sum.Services.Skipped++
		}
	}
}

func trimExt(f string) string {
	for i := len(f) - 1; i >= 0; i-- {
		if f[i] == '.' {
			return f[:i]
		}
	}
	return f
}

func (im *importer) progress(stage string, done, total int) {
	if im.opts.Progress != nil {
		im.opts.Progress(Progress{Stage: stage, Done: done, Total: total})
	}
}

func hashOf(v any) string {
	b, _ := json.Marshal(v)
	h := sha256.Sum256(append([]byte(hashVersion), b...))
	return hex.EncodeToString(h[:16])
}

func (im *importer) organisations(ctx context.Context) error {
	keys, err := im.st.SourceKeys(ctx, "organisations", im.opts.Source)
	if err != nil {
		return err
	}
	total := len(im.ds.Organisations)
	return batches(total, 1000, func(lo, hi int) error {
		err := im.st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
			var fresh []store.Organisation
			var touched []uuid.UUID
			for _, o := range im.ds.Organisations[lo:hi] {
				h := hashOf(o)
				row := store.Organisation{Name: o.Name, Description: o.Description, DescriptionSource: o.DescriptionSource,
					Website: o.Website, Email: o.Email,
					Phone: o.Phone, CharityNumber: o.CharityNumber, CompanyNumber: o.CompanyNumber,
					Source: im.opts.Source, SourceID: o.SourceID, SourceHash: h}
				k, ok := keys[o.SourceID]
				switch {
				case !ok:
					row.ID = newID()
					fresh = append(fresh, row)
					im.sum.Organisations.Created++
				case k.Hash == h && !k.Archived:
					row.ID = k.ID
					im.sum.Organisations.Unchanged++
				default:
					row.ID = k.ID
					if err := q.ReplaceImportedOrganisation(ctx, &row); err != nil {
						return fmt.Errorf("%s: %w", o.Origin, err)
					}
					im.sum.Organisations.Updated++
					touched = append(touched, row.ID)
				}
				im.orgs[o.SourceID] = row.ID
			}
			if err := q.InsertOrganisations(ctx, fresh); err != nil {
				return fmt.Errorf("adding organisations: %w", err)
			}
			for _, r := range fresh {
				touched = append(touched, r.ID)
			}
			return q.AddToOutbox(ctx, store.EntityOrganisation, touched...)
		})
		im.progress("organisations", hi, total)
		return err
	})
}

func (im *importer) locations(ctx context.Context) error {
	keys, err := im.st.SourceKeys(ctx, "locations", im.opts.Source)
	if err != nil {
		return err
	}
	total := len(im.ds.Locations)
	return batches(total, 1000, func(lo, hi int) error {
		err := im.st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
			var fresh []store.Location
			for _, l := range im.ds.Locations[lo:hi] {
				h := hashOf(l)
				row := store.Location{Name: l.Name, Description: l.Description, DescriptionSource: l.DescriptionSource,
					Address1: l.Address1, Address2: l.Address2,
					City: l.City, Region: l.Region, Postcode: l.Postcode, Country: l.Country, Latitude: l.Latitude,
					Longitude: l.Longitude, Accessibility: nonNil(l.Accessibility), Source: im.opts.Source,
					SourceID: l.SourceID, SourceHash: h}
				if id, ok := im.orgs[l.OrgSourceID]; ok {
					row.OrganisationID = &id
				}
				k, ok := keys[l.SourceID]
				switch {
				case !ok:
					row.ID = newID()
					fresh = append(fresh, row)
					im.sum.Locations.Created++
				case k.Hash == h:
					row.ID = k.ID
					im.sum.Locations.Unchanged++
				default:
					row.ID = k.ID
					if err := q.ReplaceImportedLocation(ctx, &row); err != nil {
						return fmt.Errorf("%s: %w", l.Origin, err)
					}
					// Every service held there moves with it, whether or
					// not its own record changed.
					held, err := q.ServiceIDsAtLocation(ctx, row.ID)
					if err != nil {
						return fmt.Errorf("%s: %w", l.Origin, err)
					}
					if err := q.AddToOutbox(ctx, store.EntityService, held...); err != nil {
						return err
					}
					im.sum.Locations.Updated++
				}
				im.locs[l.SourceID] = row.ID
			}
			return q.InsertLocations(ctx, fresh)
		})
		im.progress("locations", hi, total)
		return err
	})
}

func nonNil(vs []string) []string {
	if vs == nil {
		return []string{}
	}
	return vs
}

func batches(total, size int, fn func(lo, hi int) error) error {
	for lo := 0; lo < total; lo += size {
		if err := fn(lo, min(lo+size, total)); err != nil {
			return err
		}
	}
	return nil
}

// serviceHash covers the service and everything it links to, so a change
// to any part rewrites it.
type serviceHash struct {
	*Service
	Locations []ServiceAtLocation
}

func (im *importer) services(ctx context.Context) error {
	keys, err := im.st.SourceKeys(ctx, "services", im.opts.Source)
	if err != nil {
		return err
	}
	total := len(im.ds.Services)
	return batches(total, im.opts.BatchSize, func(lo, hi int) error {
		err := im.st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
			var fresh []store.Service
			var replaced []uuid.UUID
			var parts store.BulkServiceParts
			for _, s := range im.ds.Services[lo:hi] {
				h := hashOf(serviceHash{Service: s, Locations: s.Locations})
				row, err := im.serviceRow(s, h)
				if err != nil {
					return err
				}
				k, ok := keys[s.SourceID]
				switch {
				case !ok:
					row.ID = newID()
					fresh = append(fresh, row)
					im.sum.Services.Created++
					im.sum.Schedules.Created += len(s.Schedules)
				case k.Hash == h && !k.Archived:
					im.sum.Services.Unchanged++
					im.sum.Schedules.Unchanged += len(s.Schedules)
					continue
				default:
					row.ID = k.ID
					if err := q.ReplaceImportedService(ctx, &row); err != nil {
						return fmt.Errorf("%s: %w", s.Origin, err)
					}
					replaced = append(replaced, row.ID)
					im.sum.Services.Updated++
					im.sum.Schedules.Updated += len(s.Schedules)
				}
				im.addParts(&parts, row.ID, s)
			}
			if err := q.InsertServices(ctx, fresh); err != nil {
				return fmt.Errorf("adding services: %w", err)
			}
			if err := q.DeleteServiceParts(ctx, replaced); err != nil {
				return err
			}
			if err := q.InsertServiceParts(ctx, parts); err != nil {
				return fmt.Errorf("adding service parts: %w", err)
			}
			for _, r := range fresh {
				replaced = append(replaced, r.ID)
			}
			return q.AddToOutbox(ctx, store.EntityService, replaced...)
		})
		im.progress("services", hi, total)
		return err
	})
}

func (im *importer) serviceRow(s *Service, hash string) (store.Service, error) {
	orgID, ok := im.orgs[s.OrgSourceID]
	if !ok {
		return store.Service{}, fmt.Errorf("%s: organisation %q was not imported", s.Origin, s.OrgSourceID)
	}
	row := store.Service{OrganisationID: orgID, Name: s.Name, Description: s.Description, DescriptionSource: s.DescriptionSource,
		EligibilityDescriptionSource: s.EligibilityDescriptionSource, URL: s.URL, Email: s.Email,
		Status: s.Status, MinimumAge: s.MinimumAge, MaximumAge: s.MaximumAge, EligibilityDescription: s.EligibilityDescription,
		Free: s.Free, CostDescription: s.CostDescription, DeliveryModes: nonNil(s.DeliveryModes),
		AccessRoutes: nonNil(s.AccessRoutes), AcceptingReferrals: s.AcceptingReferrals, Spaces: s.Spaces,
		Accessibility: nonNil(s.Accessibility), Languages: nonNil(s.Languages), Assurer: s.Assurer,
		Source: im.opts.Source, SourceID: s.SourceID, SourceHash: hash, Audience: s.Audience.storeAudience()}
	if s.AssuredDate != "" {
		d, err := time.Parse("2006-01-02", s.AssuredDate)
		if err == nil {
			row.AssuredDate = &d
		}
	}
	return row, nil
}

func (im *importer) addParts(p *store.BulkServiceParts, id uuid.UUID, s *Service) {
	for i, l := range s.Locations {
		if lid, ok := im.locs[l.LocationSourceID]; ok {
			p.Locations = append(p.Locations, store.ServiceAtLocation{ID: newID(), ServiceID: id, LocationID: lid,
				Description: l.Description, Position: i, SourceID: l.SourceID})
		}
	}
	for i, sc := range s.Schedules {
		row := store.Schedule{ID: newID(), ServiceID: id, Freq: sc.Freq, Interval: sc.Interval, ByDay: nonNil(sc.ByDay),
			Description: sc.Description, Position: i}
		if lid, ok := im.locs[sc.LocationSourceID]; ok && sc.LocationSourceID != "" {
			row.LocationID = &lid
		}
		if sc.OpensAt != "" {
			v := sc.OpensAt
			row.OpensAt = &v
		}
		if sc.ClosesAt != "" {
			v := sc.ClosesAt
			row.ClosesAt = &v
		}
		row.ValidFrom, row.ValidTo = dateOrNil(sc.ValidFrom), dateOrNil(sc.ValidTo)
		p.Schedules = append(p.Schedules, row)
	}
	for i, c := range s.Costs {
		cur := c.Currency
		if cur == "" {
			cur = "GBP"
		}
		p.Costs = append(p.Costs, store.CostOption{ID: newID(), ServiceID: id, Option: c.Option, Amount: c.Amount,
			Currency: cur, AmountDescription: c.AmountDescription, Position: i})
	}
	for i, c := range s.Contacts {
		sid := id
		p.Contacts = append(p.Contacts, store.Contact{ID: newID(), ServiceID: &sid, Name: c.Name, Title: c.Title,
			Email: c.Email, Phone: c.Phone, Position: i})
	}
	seen := map[uuid.UUID]bool{}
	for _, ref := range s.Terms {
		if tid, ok := im.terms[ref]; ok && !seen[tid] {
			seen[tid] = true
			p.Terms = append(p.Terms, [2]uuid.UUID{id, tid})
		}
	}
}

func dateOrNil(s string) *time.Time {
	if s == "" {
		return nil
	}
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		return nil
	}
	return &d
}

func (im *importer) archiveMissing(ctx context.Context) error {
	return im.st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		keep := make([]string, len(im.ds.Services))
		for i, s := range im.ds.Services {
			keep[i] = s.SourceID
		}
		ids, err := q.ArchiveMissing(ctx, "services", im.opts.Source, keep)
		if err != nil {
			return err
		}
		im.sum.Archived.Services = len(ids)
		if err := q.AddToOutbox(ctx, store.EntityService, ids...); err != nil {
			return err
		}
		keep = keep[:0]
		for _, o := range im.ds.Organisations {
			keep = append(keep, o.SourceID)
		}
		if ids, err = q.ArchiveMissing(ctx, "organisations", im.opts.Source, keep); err != nil {
			return err
		}
		im.sum.Archived.Organisations = len(ids)
		return q.AddToOutbox(ctx, store.EntityOrganisation, ids...)
	})
}

func newID() uuid.UUID { return uuid.Must(uuid.NewV7()) }
