// Package postcodes turns UK postcodes into coordinates: it loads postcode
// lists (ONS Postcode Directory / NSPL layouts, or plain postcode,lat,long
// files) and district centroid files, and looks postcodes up, falling back
// from a full postcode to its district's centre.
package postcodes

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/signpost/signpost/fault"
	"github.com/signpost/signpost/store"
)

var (
	fullRE     = regexp.MustCompile(`^([A-Z]{1,2}[0-9][0-9A-Z]?)([0-9][A-Z]{2})$`)
	outcodeRE  = regexp.MustCompile(`^[A-Z]{1,2}[0-9][0-9A-Z]?$`)
	girRE      = regexp.MustCompile(`^GIR0AA$`)
	spacesRepl = strings.NewReplacer(" ", "", "\t", "", "\u00a0", "")
)

// Normalise returns a full postcode in compact form (NE461BG) and its
// outward code (NE46).
func Normalise(s string) (compact, outcode string, ok bool) {
	c := strings.ToUpper(spacesRepl.Replace(strings.TrimSpace(s)))
	if girRE.MatchString(c) {
		return c, "GIR", true
	}
	m := fullRE.FindStringSubmatch(c)
	if m == nil {
		return "", "", false
	}
	return c, m[1], true
}

// Display formats a compact postcode with its space (NE46 1BG).
func Display(compact string) string {
	if len(compact) < 5 {
		return compact
	}
	return compact[:len(compact)-3] + " " + compact[len(compact)-3:]
}

// Precision says how exact a looked-up point is.
type Precision string

// Precisions.
const (
	PrecisionPostcode Precision = "postcode"
	PrecisionDistrict Precision = "district"
)

// Point is where a postcode is.
type Point struct {
	Postcode  string // as displayed, or the district when only that is known
	Latitude  float64
	Longitude float64
	Precision Precision
}

// Lookup finds a postcode, or an outward code alone (NE46). A malformed
// postcode, or one neither known nor in a known district, is bad input
// naming field.
func Lookup(ctx context.Context, q store.Queries, field, s string) (Point, error) {
	compact, outcode, ok := Normalise(s)
	if !ok {
		oc := strings.ToUpper(spacesRepl.Replace(strings.TrimSpace(s)))
		if !outcodeRE.MatchString(oc) {
			return Point{}, fault.InvalidField(field, "%q is not a UK postcode", s)
		}
		outcode = oc
	} else {
		lat, lon, found, err := q.PostcodeCoordinates(ctx, compact)
		if err != nil {
			return Point{}, err
		}
		if found {
			return Point{Postcode: Display(compact), Latitude: lat, Longitude: lon, Precision: PrecisionPostcode}, nil
		}
	}
	lat, lon, found, err := q.DistrictCoordinates(ctx, outcode)
	if err != nil {
		return Point{}, err
	}
	if !found {
		return Point{}, fault.InvalidField(field, "the postcode %q is not known (load postcodes with `signpost import postcodes`)", s)
	}
	return Point{Postcode: outcode, Latitude: lat, Longitude: lon, Precision: PrecisionDistrict}, nil
}

// Summary reports a postcode import.
type Summary struct {
	Kind     string // "postcodes" or "districts"
	Loaded   int
	Skipped  int
	Problems []string // the first few reasons rows were skipped
}

var (
	postcodeCols = []string{"pcds", "pcd", "pcd2", "postcode", "post_code", "post code", "postcode_district", "outcode", "district", "postcode district"}
	latCols      = []string{"lat", "latitude"}
	lonCols      = []string{"long", "lon", "lng", "longitude"}
	// Live NSPL rows with no grid reference carry these.
	noLocation = 99.999999
)

// ImportCSV loads postcodes or district centroids from CSV, recognising the
// header names of the common layouts and ignoring other columns. Postcodes
// may have a space or not. A file whose codes are outward codes alone is
// loaded as district centroids. Rows without usable coordinates are
// skipped and counted. The file is loaded in one transaction: all or
// nothing.
func ImportCSV(ctx context.Context, st *store.Store, r io.Reader, progress func(done int)) (Summary, error) {
	var sum Summary
	err := st.InTx(ctx, func(ctx context.Context, q store.Queries) error {
		var err error
		sum, err = importCSV(ctx, q, r, progress)
		return err
	})
	return sum, err
}

func importCSV(ctx context.Context, st store.Queries, r io.Reader, progress func(done int)) (Summary, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return Summary{}, fmt.Errorf("reading the header: %w", err)
	}
	col := func(names []string) int {
		for _, n := range names {
			for i, h := range header {
				if strings.EqualFold(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")), n) {
					return i
				}
			}
		}
		return -1
	}
	pc, la, lo := col(postcodeCols), col(latCols), col(lonCols)
	if pc < 0 || la < 0 || lo < 0 {
		return Summary{}, fmt.Errorf("the header %q needs a postcode column (one of %s), a latitude column (%s) and a longitude column (%s)",
			strings.Join(header, ","), strings.Join(postcodeCols, ", "), strings.Join(latCols, ", "), strings.Join(lonCols, ", "))
	}
	var sum Summary
	var points []store.PostcodePoint
	skip := func(line int, format string, args ...any) {
		sum.Skipped++
		if len(sum.Problems) < 5 {
			sum.Problems = append(sum.Problems, fmt.Sprintf("line %d: %s", line, fmt.Sprintf(format, args...)))
		}
	}
	flush := func() error {
		if len(points) == 0 {
			return nil
		}
		var err error
		if sum.Kind == "districts" {
			err = st.UpsertDistricts(ctx, points)
		} else {
			err = st.UpsertPostcodes(ctx, points)
		}
		sum.Loaded += len(points)
		points = points[:0]
		if progress != nil {
			progress(sum.Loaded)
		}
		return err
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return sum, err // a csv.ParseError names the line
		}
		line, _ := cr.FieldPos(0)
		if max(pc, la, lo) >= len(rec) {
			skip(line, "too few columns")
			continue
		}
		code := strings.ToUpper(spacesRepl.Replace(rec[pc]))
		lat, err1 := strconv.ParseFloat(strings.TrimSpace(rec[la]), 64)
		lon, err2 := strconv.ParseFloat(strings.TrimSpace(rec[lo]), 64)
		if err1 != nil || err2 != nil || lat < -90 || lat > 90 || lon < -180 || lon > 180 || lat == noLocation {
			skip(line, "%s has no usable coordinates (%q, %q)", code, rec[la], rec[lo])
			continue
		}
		kind := "postcodes"
		if _, _, ok := Normalise(code); !ok {
			if !outcodeRE.MatchString(code) {
				skip(line, "%q is not a postcode or district", rec[pc])
				continue
			}
			kind = "districts"
		}
		if sum.Kind == "" {
			sum.Kind = kind
		} else if sum.Kind != kind {
			skip(line, "%q is a %s entry in a file of %s", code, strings.TrimSuffix(kind, "s"), sum.Kind)
			continue
		}
		points = append(points, store.PostcodePoint{Code: code, Latitude: lat, Longitude: lon})
		if len(points) == 5000 {
			if err := flush(); err != nil {
				return sum, err
			}
		}
	}
	return sum, flush()
}
