package openreferral

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// Canonical table names and the names HSDS 1.x, 2.x and 3 (and real
// publishers) give them.
var tableAliases = map[string][]string{
	"organizations":            {"organizations", "organization", "organisations", "organisation"},
	"organization_identifiers": {"organization_identifiers", "organization_identifier"},
	"services":                 {"services", "service"},
	"locations":                {"locations", "location"},
	"service_at_locations":     {"service_at_locations", "service_at_location", "services_at_location", "services_at_locations"},
	"phones":                   {"phones", "phone"},
	"contacts":                 {"contacts", "contact"},
	"addresses":                {"addresses", "address", "physical_addresses", "physical_address"},
	"postal_addresses":         {"postal_addresses", "postal_address"},
	"schedules":                {"schedules", "schedule", "regular_schedules", "regular_schedule"},
	"taxonomies":               {"taxonomies"},
	"taxonomy_terms":           {"taxonomy_terms", "taxonomy_term", "taxonomy"},
	"service_terms":            {"services_taxonomy", "service_taxonomy", "service_taxonomies", "services_taxonomies"},
	"attributes":               {"attributes", "attribute"},
	"eligibility":              {"eligibility", "eligibilities"},
	"languages":                {"languages", "language"},
	"accessibility":            {"accessibility_for_disabilities", "accessibility", "accessibilities"},
	"cost_options":             {"cost_options", "cost_option"},
}

func tableOf(name string) string {
	name = strings.ToLower(name)
	for canon, aliases := range tableAliases {
		for _, a := range aliases {
			if a == name {
				return canon
			}
		}
	}
	return ""
}

// table is one CSV file read whole.
type table struct {
	file  string
	cols  map[string]int
	rows  [][]string
	lines []int
}

// get returns the first non-empty value among the named columns of row i.
func (t *table) get(i int, names ...string) string {
	for _, n := range names {
		if c, ok := t.cols[n]; ok && c < len(t.rows[i]) {
			if v := strings.TrimSpace(t.rows[i][c]); v != "" {
				return v
			}
		}
	}
	return ""
}

func (t *table) origin(i int) Origin { return Origin{File: t.file, Line: t.lines[i]} }

func readTable(fsys fs.FS, p string) (*table, error) {
	f, err := fsys.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	header, err := r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return &table{file: path.Base(p), cols: map[string]int{}}, nil
		}
		return nil, fmt.Errorf("%s: reading the header: %w", p, err)
	}
	t := &table{file: path.Base(p), cols: map[string]int{}}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := t.cols[h]; !dup {
			t.cols[h] = i
		}
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		line, _ := r.FieldPos(0)
		t.rows = append(t.rows, rec)
		t.lines = append(t.lines, line)
	}
	return t, nil
}

type packageDescriptor struct {
	Name      string `json:"name"`
	Resources []struct {
		Name string `json:"name"`
		Path any    `json:"path"`
	} `json:"resources"`
}

// readPackage reads a tabular data package rooted at root.
func readPackage(fsys fs.FS, root, label string) (*Dataset, error) {
	tables := map[string]*table{}
	found := map[string]string{} // canonical → file
	if b, err := fs.ReadFile(fsys, path.Join(root, "datapackage.json")); err == nil {
		var pd packageDescriptor
		if err := json.Unmarshal(b, &pd); err != nil {
			return nil, fmt.Errorf("datapackage.json: %w", err)
		}
		for _, r := range pd.Resources {
			p, _ := r.Path.(string)
			if p == "" {
				continue
			}
			canon := tableOf(r.Name)
			if canon == "" {
				canon = tableOf(strings.TrimSuffix(path.Base(p), path.Ext(p)))
			}
			if canon != "" && found[canon] == "" {
				if _, err := fs.Stat(fsys, path.Join(root, p)); err == nil {
					found[canon] = path.Join(root, p)
				}
			}
		}
	}
	// CSV files the descriptor does not list (or no descriptor at all).
	entries, _ := fs.Glob(fsys, path.Join(root, "*.csv"))
	more, _ := fs.Glob(fsys, path.Join(root, "data", "*.csv"))
	for _, p := range append(entries, more...) {
		canon := tableOf(strings.TrimSuffix(path.Base(p), ".csv"))
		if canon != "" && found[canon] == "" {
			found[canon] = p
		}
	}
	if found["services"] == "" {
		return nil, fmt.Errorf("%s: the data package has no services table (services.csv)", label)
	}
	names := make([]string, 0, len(found))
	for canon := range found {
		names = append(names, canon)
	}
	sort.Strings(names)
	for _, canon := range names {
		t, err := readTable(fsys, found[canon])
		if err != nil {
			return nil, err
		}
		tables[canon] = t
	}
	return buildFromTables(tables), nil
}

func hasLocation(s *Service, lid string) bool {
	for _, l := range s.Locations {
		if l.LocationSourceID == lid {
			return true
		}
	}
	return false
}

func hasPhone(s *Service, number string) bool {
	for _, c := range s.Contacts {
		if c.Phone == number {
			return true
		}
	}
	return false
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

func appendUnique(vs []string, v string) []string {
	for _, x := range vs {
		if x == v {
			return vs
		}
	}
	return append(vs, v)
}

var dayOrder = map[string]int{"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}

func sortDays(days []string) {
	sort.SliceStable(days, func(i, j int) bool { return dayOrder[days[i]] < dayOrder[days[j]] })
}
