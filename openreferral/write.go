package openreferral

import (
	"archive/zip"
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/signpost/signpost/store"
)

// ExportOptions choose what to export.
type ExportOptions struct {
	// OrganisationID limits the export to one organisation's services.
	OrganisationID *uuid.UUID
	// Progress, when set, is told how many services are done.
	Progress func(Progress)
}

const exportBatch = 500

// eachServicePage calls fn with successive batches of listed services.
func eachServicePage(ctx context.Context, st *store.Store, opts ExportOptions, fn func([]ORService) error) (int, error) {
	f := store.ServiceFilter{OrganisationID: opts.OrganisationID}
	total, err := st.CountServices(ctx, f)
	if err != nil {
		return 0, err
	}
	ex, err := NewExporter(ctx, st.Queries)
	if err != nil {
		return 0, err
	}
	var after *store.CursorKey
	done := 0
	for {
		rows, err := st.ServicesPage(ctx, f, after, exportBatch)
		if err != nil {
			return done, err
		}
		if len(rows) == 0 {
			break
		}
		svcs, err := ex.Services(ctx, rows)
		if err != nil {
			return done, err
		}
		if err := fn(svcs); err != nil {
			return done, err
		}
		done += len(rows)
		if opts.Progress != nil {
			opts.Progress(Progress{Stage: "services", Done: done, Total: total})
		}
		key := rows[len(rows)-1].CursorKey()
		after = &key
	}
	return done, nil
}

// exportTaxonomies returns the taxonomies of the given terms with all their
// terms, so hierarchies survive a round trip.
func exportTaxonomies(ctx context.Context, st *store.Store, used map[string]bool) ([]ORTaxonomy, error) {
	all, err := st.AllTaxonomies(ctx)
	if err != nil {
		return nil, err
	}
	ex, err := NewExporter(ctx, st.Queries)
	if err != nil {
		return nil, err
	}
	var ids []uuid.UUID
	for _, t := range all {
		if used[t.ID.String()] {
			ids = append(ids, t.ID)
		}
	}
	terms, err := st.TermsOfTaxonomies(ctx, ids)
	if err != nil {
		return nil, err
	}
	byTax := map[uuid.UUID][]ORTerm{}
	for i := range terms {
		byTax[terms[i].TaxonomyID] = append(byTax[terms[i].TaxonomyID], ex.Term(&terms[i]))
	}
	var out []ORTaxonomy
	for i := range all {
		if !used[all[i].ID.String()] {
			continue
		}
		t := TaxonomyJSON(&all[i])
		t.TaxonomyTerms = byTax[all[i].ID]
		sort.Slice(t.TaxonomyTerms, func(a, b int) bool { return t.TaxonomyTerms[a].Code < t.TaxonomyTerms[b].Code })
		out = append(out, t)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Name < out[b].Name })
	return out, nil
}

// WriteJSON writes the listed services (all, or one organisation's) as one
// ORUK list page of full services. The page also carries, under
// "taxonomies", the taxonomies its terms belong to with all their terms,
// so that term hierarchies survive a round trip; readers that do not know
// the property ignore it.
func WriteJSON(ctx context.Context, st *store.Store, w io.Writer, opts ExportOptions) (int, error) {
	total, err := st.CountServices(ctx, store.ServiceFilter{OrganisationID: opts.OrganisationID})
	if err != nil {
		return 0, err
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, `{"total_items":%d,"total_pages":%d,"page_number":1,"size":%d,"first_page":true,"last_page":true,"empty":%t,"contents":[`,
		total, min(total, 1), total, total == 0)
	used := map[string]bool{}
	first := true
	n, err := eachServicePage(ctx, st, opts, func(svcs []ORService) error {
		for _, s := range svcs {
			for _, a := range s.Attributes {
				if a.TaxonomyTerm != nil && !isFacetTaxonomy(a.TaxonomyTerm.Taxonomy) {
					used[a.TaxonomyTerm.TaxonomyID] = true
				}
			}
			b, err := json.Marshal(s)
			if err != nil {
				return err
			}
			if !first {
				bw.WriteString(",")
			}
			first = false
			bw.WriteString("\n")
			bw.Write(b)
		}
		return nil
	})
	if err != nil {
		return n, err
	}
	taxes, err := exportTaxonomies(ctx, st, used)
	if err != nil {
		return n, err
	}
	tb, err := json.Marshal(taxes)
	if err != nil {
		return n, err
	}
	if taxes == nil {
		tb = []byte("[]")
	}
	fmt.Fprintf(bw, "\n],\"taxonomies\":%s}\n", tb)
	return n, bw.Flush()
}

// packageTables are the CSV tables of an HSDS 3 tabular data package, with
// their columns, in the order written.
var packageTables = []struct {
	name string
	cols []string
}{
	{"organizations", []string{"id", "name", "description", "email", "website"}},
	{"organization_identifiers", []string{"id", "organization_id", "identifier_scheme", "identifier_type", "identifier"}},
	{"services", []string{"id", "organization_id", "name", "description", "url", "email", "status", "fees_description",
		"eligibility_description", "minimum_age", "maximum_age", "assured_date", "assurer_email", "last_modified"}},
	{"locations", []string{"id", "organization_id", "location_type", "name", "description", "latitude", "longitude"}},
	{"addresses", []string{"id", "location_id", "address_1", "address_2", "city", "region", "postal_code", "country", "address_type"}},
	{"accessibility", []string{"id", "location_id", "description"}},
	{"service_at_locations", []string{"id", "service_id", "location_id", "description"}},
	{"schedules", []string{"id", "service_id", "service_at_location_id", "freq", "interval", "byday", "opens_at", "closes_at",
		"valid_from", "valid_to", "description"}},
	{"cost_options", []string{"id", "service_id", "option", "amount", "currency", "amount_description"}},
	{"contacts", []string{"id", "service_id", "name", "title", "email"}},
	{"phones", []string{"id", "organization_id", "service_id", "contact_id", "number", "description"}},
	{"languages", []string{"id", "service_id", "name"}},
	{"taxonomies", []string{"id", "name", "description", "uri", "version"}},
	{"taxonomy_terms", []string{"id", "taxonomy_id", "code", "name", "description", "parent_id"}},
	{"attributes", []string{"id", "link_id", "link_type", "taxonomy_term_id", "value"}},
}

type rowSet struct {
	rows map[string][][]string
	seen map[string]bool
}

func (r *rowSet) add(table, id string, vals ...string) {
	if r.seen[table+"\x00"+id] {
		return
	}
	r.seen[table+"\x00"+id] = true
	r.rows[table] = append(r.rows[table], append([]string{id}, vals...))
}

func num(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

// WriteDataPackage writes an HSDS 3 tabular data package: a folder, or a
// zip when out ends in .zip. Nothing is left behind if writing fails.
func WriteDataPackage(ctx context.Context, st *store.Store, out string, opts ExportOptions) (int, error) {
	rs := &rowSet{rows: map[string][][]string{}, seen: map[string]bool{}}
	used := map[string]bool{}
	facets := map[string]ORTerm{}
	n, err := eachServicePage(ctx, st, opts, func(svcs []ORService) error {
		for _, s := range svcs {
			addServiceRows(rs, s, used, facets)
		}
		return nil
	})
	if err != nil {
		return n, err
	}
	taxes, err := exportTaxonomies(ctx, st, used)
	if err != nil {
		return n, err
	}
	for _, t := range taxes {
		rs.add("taxonomies", t.ID, t.Name, t.Description, t.URI, t.Version)
		for _, term := range t.TaxonomyTerms {
			rs.add("taxonomy_terms", term.ID, t.ID, term.Code, term.Name, term.Description, term.ParentID)
		}
	}
	facetIDs := make([]string, 0, len(facets))
	for id := range facets {
		facetIDs = append(facetIDs, id)
	}
	sort.Strings(facetIDs)
	for _, id := range facetIDs {
		term := facets[id]
		rs.add("taxonomies", term.TaxonomyID, term.Taxonomy, facetDescriptions[term.Taxonomy], "", "")
		rs.add("taxonomy_terms", term.ID, term.TaxonomyID, term.Code, term.Name, term.Description, "")
	}
	return n, writePackageFiles(out, rs)
}

func addServiceRows(rs *rowSet, s ORService, usedTax map[string]bool, facets map[string]ORTerm) {
	if o := s.Organization; o != nil {
		rs.add("organizations", o.ID, o.Name, o.Description, o.Email, o.Website)
		for _, id := range o.OrganizationIdentifiers {
			rs.add("organization_identifiers", id.ID, o.ID, id.IdentifierScheme, id.IdentifierType, id.Identifier)
		}
		for _, p := range o.Phones {
			rs.add("phones", p.ID, o.ID, "", "", p.Number, p.Description)
		}
	}
	rs.add("services", s.ID, s.OrganizationID, s.Name, s.Description, s.URL, s.Email, s.Status, s.Fees,
		s.EligibilityDescription, num(s.MinimumAge), num(s.MaximumAge), s.AssuredDate, s.AssurerEmail, s.LastModified)
	for _, sal := range s.ServiceAtLocations {
		if l := sal.Location; l != nil {
			rs.add("locations", l.ID, l.OrganizationID, l.LocationType, l.Name, l.Description, num(l.Latitude), num(l.Longitude))
			for _, a := range l.Addresses {
				rs.add("addresses", a.ID, l.ID, a.Address1, a.Address2, a.City, a.Region, a.PostalCode, a.Country, a.AddressType)
			}
			for _, a := range l.Accessibility {
				rs.add("accessibility", a.ID, l.ID, a.Description)
			}
		}
		rs.add("service_at_locations", sal.ID, s.ID, sal.LocationID, sal.Description)
	}
	for _, sc := range s.Schedules {
		interval := ""
		if sc.Interval != nil {
			interval = strconv.Itoa(*sc.Interval)
		}
		rs.add("schedules", sc.ID, s.ID, sc.ServiceAtLocationID, sc.Freq, interval, sc.Byday, sc.OpensAt, sc.ClosesAt,
			sc.ValidFrom, sc.ValidTo, sc.Description)
	}
	for _, c := range s.CostOptions {
		rs.add("cost_options", c.ID, s.ID, c.Option, num(c.Amount), c.Currency, c.AmountDescription)
	}
	for _, c := range s.Contacts {
		rs.add("contacts", c.ID, s.ID, c.Name, c.Title, c.Email)
		for _, p := range c.Phones {
			rs.add("phones", p.ID, "", s.ID, c.ID, p.Number, p.Description)
		}
	}
	for _, l := range s.Languages {
		rs.add("languages", l.ID, s.ID, l.Name)
	}
	for _, a := range s.Attributes {
		rs.add("attributes", a.ID, a.LinkID, a.LinkType, a.TaxonomyTermID, a.Value)
		if t := a.TaxonomyTerm; t != nil {
			if isFacetTaxonomy(t.Taxonomy) {
				facets[t.ID] = *t
			} else {
				usedTax[t.TaxonomyID] = true
			}
		}
	}
}

type resource struct {
	Name    string         `json:"name"`
	Path    string         `json:"path"`
	Profile string         `json:"profile"`
	Format  string         `json:"format"`
	Schema  map[string]any `json:"schema"`
}

func writePackageFiles(out string, rs *rowSet) error {
	files, names, err := packageFiles(rs)
	if err != nil {
		return err
	}
	if strings.HasSuffix(strings.ToLower(out), ".zip") {
		return writeZip(out, files, names)
	}
	return writeFolder(out, files, names)
}

// packageFiles renders the tables as CSV files and describes them in
// datapackage.json, returning the files and their names in order.
func packageFiles(rs *rowSet) (map[string][]byte, []string, error) {
	files := map[string][]byte{}
	desc := map[string]any{"name": "signpost-directory", "title": "Signpost directory export",
		"profile": "tabular-data-package", "description": "An Open Referral HSDS 3 tabular data package exported by Signpost."}
	var resources []resource
	for _, t := range packageTables {
		var buf strings.Builder
		w := csv.NewWriter(&buf)
		w.Write(t.cols)
		rows := rs.rows[t.name]
		w.WriteAll(rows)
		if err := w.Error(); err != nil {
			return nil, nil, err
		}
		path := t.name + ".csv"
		files[path] = []byte(buf.String())
		fields := make([]map[string]string, len(t.cols))
		for i, c := range t.cols {
			fields[i] = map[string]string{"name": c, "type": "string"}
		}
		resources = append(resources, resource{Name: t.name, Path: path, Profile: "tabular-data-resource", Format: "csv",
			Schema: map[string]any{"fields": fields, "primaryKey": "id"}})
	}
	desc["resources"] = resources
	b, err := json.MarshalIndent(desc, "", "  ")
	if err != nil {
		return nil, nil, err
	}
	files["datapackage.json"] = b
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	return files, names, nil
}

// writeZip writes the files to a zip archive, in place only once
// complete.
func writeZip(out string, files map[string][]byte, names []string) (err error) {
	tmp := out + ".partial"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	zw := zip.NewWriter(f)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			f.Close()
			return err
		}
		if _, err := w.Write(files[n]); err != nil {
			f.Close()
			return err
		}
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, out)
}

// writeFolder writes the files to a new or empty folder, in place only
// once complete.
func writeFolder(out string, files map[string][]byte, names []string) (err error) {
	if entries, err := os.ReadDir(out); err == nil && len(entries) > 0 {
		return fmt.Errorf("%s exists and is not empty; choose a new folder or a .zip file", out)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(filepath.Clean(out)), ".signpost-export-")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(tmp, n), files[n], 0o644); err != nil {
			return err
		}
	}
	os.Remove(out) // an empty folder may stand in the way
	return os.Rename(tmp, out)
}
