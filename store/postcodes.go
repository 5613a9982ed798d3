package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/signpost/signpost/fault"
)

// PostcodePoint is a postcode or district with its coordinates.
type PostcodePoint struct {
	Code      string
	Latitude  float64
	Longitude float64
}

// UpsertPostcodes adds or replaces postcodes (compact form, NE461BG).
func (q Queries) UpsertPostcodes(ctx context.Context, ps []PostcodePoint) (err error) {
	defer fault.Wrap(&err, "store.UpsertPostcodes(%d)", len(ps))
	return upsertPoints(ctx, q, "postcodes", "postcode", ps)
}

// UpsertDistricts adds or replaces district centroids (NE46).
func (q Queries) UpsertDistricts(ctx context.Context, ps []PostcodePoint) (err error) {
	defer fault.Wrap(&err, "store.UpsertDistricts(%d)", len(ps))
	return upsertPoints(ctx, q, "postcode_districts", "outcode", ps)
}

func upsertPoints(ctx context.Context, q Queries, table, key string, ps []PostcodePoint) error {
	// One statement cannot set a row twice: keep the last of repeated codes.
	last := make(map[string]int, len(ps))
	for i, p := range ps {
		last[p.Code] = i
	}
	if len(last) < len(ps) {
		dedup := make([]PostcodePoint, 0, len(last))
		for i, p := range ps {
			if last[p.Code] == i {
				dedup = append(dedup, p)
			}
		}
		ps = dedup
	}
	return chunked(ps, 5000, func(c []PostcodePoint) error {
		codes := make([]string, len(c))
		lats := make([]float64, len(c))
		lons := make([]float64, len(c))
		for i, p := range c {
			codes[i], lats[i], lons[i] = p.Code, p.Latitude, p.Longitude
		}
		_, err := q.db.ExecContext(ctx, "INSERT INTO "+table+" ("+key+", latitude, longitude) "+
			"SELECT * FROM unnest(?::text[], ?::float8[], ?::float8[]) "+
			"ON CONFLICT ("+key+") DO UPDATE SET latitude = excluded.latitude, longitude = excluded.longitude",
			pgArray(codes), pgArray(lats), pgArray(lons))
		return err
	})
}

// PostcodeCoordinates returns a postcode's coordinates.
func (q Queries) PostcodeCoordinates(ctx context.Context, compact string) (_ float64, _ float64, _ bool, err error) {
	defer fault.Wrap(&err, "store.PostcodeCoordinates()")
	return point(ctx, q, "SELECT latitude, longitude FROM postcodes WHERE postcode = ?", compact)
}

// DistrictCoordinates returns a district's centre: from the districts
// table, else the mean of its known postcodes.
func (q Queries) DistrictCoordinates(ctx context.Context, outcode string) (_ float64, _ float64, _ bool, err error) {
	defer fault.Wrap(&err, "store.DistrictCoordinates()")
	lat, lon, ok, err := point(ctx, q, "SELECT latitude, longitude FROM postcode_districts WHERE outcode = ?", outcode)
	if ok || err != nil {
		return lat, lon, ok, err
	}
	var n int
	err = q.db.QueryRowContext(ctx, `SELECT count(*), coalesce(avg(latitude), 0), coalesce(avg(longitude), 0) FROM postcodes
		WHERE left(postcode, length(postcode) - 3) = ?`, outcode).Scan(&n, &lat, &lon)
	return lat, lon, n > 0, err
}

func point(ctx context.Context, q Queries, query string, arg string) (float64, float64, bool, error) {
	var lat, lon float64
	err := q.db.QueryRowContext(ctx, query, arg).Scan(&lat, &lon)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, false, nil
	}
	return lat, lon, err == nil, err
}

// CountPostcodes counts the postcodes and districts held.
func (q Queries) CountPostcodes(ctx context.Context) (_ int, _ int, err error) {
	defer fault.Wrap(&err, "store.CountPostcodes()")
	var p, d int
	err = q.db.QueryRowContext(ctx, "SELECT (SELECT count(*) FROM postcodes), (SELECT count(*) FROM postcode_districts)").Scan(&p, &d)
	return p, d, err
}
