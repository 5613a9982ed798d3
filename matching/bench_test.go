package matching_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/signpost/signpost/access"
	"github.com/signpost/signpost/indexer"
	"github.com/signpost/signpost/matching"
	"github.com/signpost/signpost/openreferral"
	"github.com/signpost/signpost/pgtest"
	"github.com/signpost/signpost/shareddata"
	"github.com/signpost/signpost/store"
)

// scaledDirectory imports the Miami package copies times, each under its
// own source with coordinates shifted, into one database.
func scaledDirectory(b *testing.B, copies int) *store.Store {
	st := pgtest.NewStore(b)
	for k := 0; k < copies; k++ {
		ds, _, err := openreferral.Read(shareddata.Path(b, "hsds-miami-211", "datapackage.zip"))
		if err != nil {
			b.Fatal(err)
		}
		for _, l := range ds.Locations {
			if l.Latitude != nil {
				*l.Latitude += float64(k) * 0.05
				*l.Longitude += float64(k%3) * 0.05
			}
		}
		if _, err := openreferral.Import(context.Background(), st, ds, openreferral.Options{Source: fmt.Sprintf("miami-%d", k)}); err != nil {
			b.Fatal(err)
		}
	}
	return st
}

func percentiles(b *testing.B, lat []time.Duration) {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkMatchVersusPostgres answers the judged Miami profiles with the
// matcher (ranking plus loading the services from PostgreSQL) and with
// PostgreSQL full-text search, at 4,089 and 12 x 4,089 services.
func BenchmarkMatchVersusPostgres(b *testing.B) {
	ctx := context.Background()
	profiles := miamiSet()
	for _, copies := range []int{1, 12} {
		st := scaledDirectory(b, copies)
		n, _ := st.CountServices(ctx, store.ServiceFilter{})
		start := time.Now()
		x, err := indexer.Open(ctx, st, filepath.Join(b.TempDir(), "index"), nil, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("%d services: index built from PostgreSQL in %s (%.0f services/s)", n, time.Since(start), float64(n)/time.Since(start).Seconds())
		m := matching.New(st, x.Index(), access.Open{})
		b.Run(fmt.Sprintf("matcher/services=%d", n), func(b *testing.B) {
			var lat []time.Duration
			i := 0
			for b.Loop() {
				t := time.Now()
				if _, err := m.Match(ctx, profiles[i%len(profiles)].p, 10); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(t))
				i++
			}
			percentiles(b, lat)
		})
		b.Run(fmt.Sprintf("postgres-fts/services=%d", n), func(b *testing.B) {
			var lat []time.Duration
			i := 0
			for b.Loop() {
				t := time.Now()
				if _, err := pgSearch(ctx, st, profiles[i%len(profiles)].p, 10); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(t))
				i++
			}
			percentiles(b, lat)
		})
		x.Close()
	}
}
