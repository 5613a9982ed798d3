package store

import (
	"context"

	"github.com/google/uuid"
	"github.com/signpost/signpost/fault"
	"github.com/uptrace/bun"
)

// ServiceParts are the rows that belong to one service and are replaced
// together when it is edited.
type ServiceParts struct {
	Locations []ServiceAtLocation
	Schedules []Schedule
	Costs     []CostOption
	Contacts  []Contact
	TermIDs   []uuid.UUID
}

// ReplaceServiceParts deletes a service's links, schedules, costs, contacts
// and terms and writes the given ones. Call it inside a transaction.
func (q Queries) ReplaceServiceParts(ctx context.Context, serviceID uuid.UUID, p ServiceParts) (err error) {
	defer fault.Wrap(&err, "store.ReplaceServiceParts(%s)", serviceID)
	for _, table := range []string{"schedules", "service_at_locations", "cost_options", "contacts", "service_terms"} {
		if _, err := q.db.NewDelete().Table(table).Where("service_id = ?", serviceID).Exec(ctx); err != nil {
			return err
		}
	}
	if len(p.Locations) > 0 {
		if _, err := q.db.NewInsert().Model(&p.Locations).Exec(ctx); err != nil {
			return err
		}
	}
	if len(p.Schedules) > 0 {
		if _, err := q.db.NewInsert().Model(&p.Schedules).Exec(ctx); err != nil {
			return err
		}
	}
	if len(p.Costs) > 0 {
		if _, err := q.db.NewInsert().Model(&p.Costs).Exec(ctx); err != nil {
			return err
		}
	}
	if len(p.Contacts) > 0 {
		if _, err := q.db.NewInsert().Model(&p.Contacts).Exec(ctx); err != nil {
			return err
		}
	}
	if len(p.TermIDs) > 0 {
		links := make([]serviceTermLink, len(p.TermIDs))
		for i, t := range p.TermIDs {
			links[i] = serviceTermLink{ServiceID: serviceID, TermID: t}
		}
		if _, err := q.db.NewInsert().Model(&links).On("CONFLICT DO NOTHING").Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// LocationsOfServices returns the locations of the given services, each
// tagged with its service, in the order the service lists them.
func (q Queries) LocationsOfServices(ctx context.Context, serviceIDs []uuid.UUID) (_ []ServiceLocation, err error) {
	defer fault.Wrap(&err, "store.LocationsOfServices(%d)", len(serviceIDs))
	var out []ServiceLocation
	err = q.db.NewRaw(`SELECT l.*, sal.service_id, sal.id AS sal_id, sal.description AS sal_description FROM service_at_locations sal
		JOIN locations l ON l.id = sal.location_id
		WHERE sal.service_id IN (?) ORDER BY sal.service_id, sal.position, l.id`, bun.List(serviceIDs)).Scan(ctx, &out)
	return out, err
}

// SchedulesOfServices returns the schedules of the given services.
func (q Queries) SchedulesOfServices(ctx context.Context, serviceIDs []uuid.UUID) (_ []Schedule, err error) {
	defer fault.Wrap(&err, "store.SchedulesOfServices(%d)", len(serviceIDs))
	var out []Schedule
	err = q.db.NewSelect().Model(&out).Where("service_id IN (?)", bun.List(serviceIDs)).
		Order("service_id", "position", "id").Scan(ctx)
	return out, err
}

// CostOptionsOfServices returns the cost options of the given services.
func (q Queries) CostOptionsOfServices(ctx context.Context, serviceIDs []uuid.UUID) (_ []CostOption, err error) {
	defer fault.Wrap(&err, "store.CostOptionsOfServices(%d)", len(serviceIDs))
	var out []CostOption
	err = q.db.NewSelect().Model(&out).Where("service_id IN (?)", bun.List(serviceIDs)).
		Order("service_id", "position", "id").Scan(ctx)
	return out, err
}

// ContactsOfServices returns the contacts of the given services.
func (q Queries) ContactsOfServices(ctx context.Context, serviceIDs []uuid.UUID) (_ []Contact, err error) {
	defer fault.Wrap(&err, "store.ContactsOfServices(%d)", len(serviceIDs))
	var out []Contact
	err = q.db.NewSelect().Model(&out).Where("service_id IN (?)", bun.List(serviceIDs)).
		Order("service_id", "position", "id").Scan(ctx)
	return out, err
}

// TermsOfServices returns the taxonomy terms attached to the given services.
func (q Queries) TermsOfServices(ctx context.Context, serviceIDs []uuid.UUID) (_ []ServiceTerm, err error) {
	defer fault.Wrap(&err, "store.TermsOfServices(%d)", len(serviceIDs))
	var out []ServiceTerm
	err = q.db.NewRaw(`SELECT t.*, st.service_id FROM service_terms st
		JOIN taxonomy_terms t ON t.id = st.term_id
		WHERE st.service_id IN (?) ORDER BY st.service_id, lower(t.name), t.id`, bun.List(serviceIDs)).Scan(ctx, &out)
	return out, err
}
