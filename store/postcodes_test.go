package store_test

import (
	"context"
	"testing"

	"github.com/signpost/signpost/pgtest"
	"github.com/signpost/signpost/store"
)

func TestPostcodes(t *testing.T) {
	ctx := context.Background()
	st := pgtest.NewStore(t)
	must(t, st.UpsertPostcodes(ctx, []store.PostcodePoint{{Code: "LE651AA", Latitude: 52.7, Longitude: -1.4}}))
	// An upsert moves a known postcode rather than adding it twice.
	must(t, st.UpsertPostcodes(ctx, []store.PostcodePoint{{Code: "LE651AA", Latitude: 52.75, Longitude: -1.45}}))
	must(t, st.UpsertDistricts(ctx, []store.PostcodePoint{{Code: "LE65", Latitude: 52.74, Longitude: -1.47}}))

	cases := []struct {
		name        string
		lookup      func(context.Context, string) (float64, float64, bool, error)
		code        string
		lat, lon    float64
		wantPresent bool
	}{
		{"postcode", st.PostcodeCoordinates, "LE651AA", 52.75, -1.45, true},
		{"unknown postcode", st.PostcodeCoordinates, "LE659ZZ", 0, 0, false},
		{"district", st.DistrictCoordinates, "LE65", 52.74, -1.47, true},
		{"unknown district", st.DistrictCoordinates, "ZZ1", 0, 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lat, lon, ok, err := c.lookup(ctx, c.code)
			if err != nil || ok != c.wantPresent || lat != c.lat || lon != c.lon {
				t.Fatalf("= %v, %v, %v, %v; want %v, %v, %v", lat, lon, ok, err, c.lat, c.lon, c.wantPresent)
			}
		})
	}
	if codes, districts, err := st.CountPostcodes(ctx); err != nil || codes != 1 || districts != 1 {
		t.Fatalf("CountPostcodes = %d, %d, %v; want 1, 1", codes, districts, err)
	}
}
