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
	"strconv"
	"strings"

	"github.com/signpost/signpost/fault"
	"github.com/signpost/signpost/store"
)

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
		oc := upperNoSpaces(s)
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

func importCSV(ctx context.Context, q store.Queries, r io.Reader, progress func(done int)) (Summary, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return Summary{}, fmt.Errorf("reading the header: %w", err)
	}
	cols, err := findColumns(header)
	if err != nil {
		return Summary{}, err
	}
	l := &loader{q: q, progress: progress, cols: cols}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return l.sum, err // a csv.ParseError names the line
		}
		line, _ := cr.FieldPos(0)
		if err := l.add(ctx, line, rec); err != nil {
			return l.sum, err
		}
	}
	return l.sum, l.flush(ctx)
}

// columns are the positions of the columns a postcode file needs.
type columns struct{ postcode, lat, lon int }

func findColumns(header []string) (columns, error) {
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
	c := columns{postcode: col(postcodeCols), lat: col(latCols), lon: col(lonCols)}
	if c.postcode < 0 || c.lat < 0 || c.lon < 0 {
		return c, fmt.Errorf("the header %q needs a postcode column (one of %s), a latitude column (%s) and a longitude column (%s)",
			strings.Join(header, ","), strings.Join(postcodeCols, ", "), strings.Join(latCols, ", "), strings.Join(lonCols, ", "))
	}
	return c, nil
}

// batchSize is how many points go to the database at once.
const batchSize = 5000

// loader loads the rows of one file, in batches, keeping its summary.
type loader struct {
	q        store.Queries
	progress func(done int)
	cols     columns
	sum      Summary
	points   []store.PostcodePoint
}

// add loads one row, or skips it with a reason. The first usable row
// decides whether the file holds postcodes or districts.
func (l *loader) add(ctx context.Context, line int, rec []string) error {
	c := l.cols
	if max(c.postcode, c.lat, c.lon) >= len(rec) {
		l.skip(line, "too few columns")
		return nil
	}
	code := upperNoSpaces(rec[c.postcode])
	lat, err1 := strconv.ParseFloat(strings.TrimSpace(rec[c.lat]), 64)
	lon, err2 := strconv.ParseFloat(strings.TrimSpace(rec[c.lon]), 64)
	if err1 != nil || err2 != nil || lat < -90 || lat > 90 || lon < -180 || lon > 180 || lat == noLocation {
		l.skip(line, "%s has no usable coordinates (%q, %q)", code, rec[c.lat], rec[c.lon])
		return nil
	}
	kind := "postcodes"
	if _, _, ok := Normalise(code); !ok {
		if !outcodeRE.MatchString(code) {
			l.skip(line, "%q is not a postcode or district", rec[c.postcode])
			return nil
		}
		kind = "districts"
	}
	if l.sum.Kind == "" {
		l.sum.Kind = kind
	} else if l.sum.Kind != kind {
		l.skip(line, "%q is a %s entry in a file of %s", code, strings.TrimSuffix(kind, "s"), l.sum.Kind)
		return nil
	}
	l.points = append(l.points, store.PostcodePoint{Code: code, Latitude: lat, Longitude: lon})
	if len(l.points) == batchSize {
		return l.flush(ctx)
	}
	return nil
}

// skip counts a skipped row, keeping the first few reasons.
func (l *loader) skip(line int, format string, args ...any) {
	l.sum.Skipped++
	if len(l.sum.Problems) < 5 {
		l.sum.Problems = append(l.sum.Problems, fmt.Sprintf("line %d: %s", line, fmt.Sprintf(format, args...)))
	}
}

// flush writes the batch and reports progress.
func (l *loader) flush(ctx context.Context) error {
	if len(l.points) == 0 {
		return nil
	}
	var err error
	if l.sum.Kind == "districts" {
		err = l.q.UpsertDistricts(ctx, l.points)
	} else {
		err = l.q.UpsertPostcodes(ctx, l.points)
	}
	l.sum.Loaded += len(l.points)
	l.points = l.points[:0]
	if l.progress != nil {
		l.progress(l.sum.Loaded)
	}
	return err
}
