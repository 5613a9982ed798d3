package matcher_test

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"sort"
	"testing"
	"time"

	"github.com/signpost/signpost/matcher"
	"github.com/signpost/signpost/openreferral"
	"github.com/signpost/signpost/shareddata"
)

// miamiDocs turns the real 211 package into documents, without Postgres.
func miamiDocs(tb testing.TB) []matcher.Document {
	tb.Helper()
	ds, _, err := openreferral.Read(shareddata.Path(tb, "hsds-miami-211", "datapackage.zip"))
	if err != nil {
		tb.Fatal(err)
	}
	locs := map[string]*openreferral.Location{}
	for _, l := range ds.Locations {
		locs[l.SourceID] = l
	}
	labels := map[openreferral.TermRef]string{}
	for _, t := range ds.Terms {
		labels[openreferral.TermRef{Taxonomy: t.Taxonomy, Code: t.Code}] = t.Name
	}
	orgs := map[string]string{}
	for _, o := range ds.Organisations {
		orgs[o.SourceID] = o.Name
	}
	docs := make([]matcher.Document, 0, len(ds.Services))
	for _, s := range ds.Services {
		d := matcher.Document{ID: s.SourceID, Name: s.Name, Description: s.Description, OrganisationID: s.OrgSourceID,
			OrganisationName: orgs[s.OrgSourceID], Status: s.Status, MinimumAge: s.MinimumAge, MaximumAge: s.MaximumAge,
			Free: s.Free, DeliveryModes: s.DeliveryModes, AcceptingRefs: s.AcceptingReferrals, Languages: s.Languages}
		for _, sal := range s.Locations {
			if l := locs[sal.LocationSourceID]; l != nil {
				d.Accessibility = append(d.Accessibility, l.Accessibility...)
				if l.Latitude != nil {
					d.Locations = append(d.Locations, matcher.Location{Name: l.Name, Postcode: l.Postcode, Latitude: *l.Latitude, Longitude: *l.Longitude})
				}
			}
		}
		for _, sc := range s.Schedules {
			d.Sessions = append(d.Sessions, matcher.Session{Days: sc.ByDay, Opens: sc.OpensAt, Closes: sc.ClosesAt, Note: sc.Description})
		}
		for _, t := range s.Terms {
			d.Terms = append(d.Terms, matcher.Term{ID: t.Taxonomy + "/" + t.Code, Taxonomy: t.Taxonomy, Code: t.Code, Label: labels[t]})
		}
		docs = append(docs, d)
	}
	return docs
}

// scaled repeats docs to n services with new ids and shifted coordinates.
func scaled(docs []matcher.Document, n int) []matcher.Document {
	out := make([]matcher.Document, 0, n)
	for k := 0; len(out) < n; k++ {
		for _, d := range docs {
			if len(out) == n {
				break
			}
			c := d
			c.ID = fmt.Sprintf("%s-%d", d.ID, k)
			c.OrganisationID = fmt.Sprintf("%s-%d", d.OrganisationID, k)
			c.Locations = nil
			for _, l := range d.Locations {
				l.Latitude += float64(k) * 0.05
				l.Longitude += float64(k%3) * 0.05
				c.Locations = append(c.Locations, l)
			}
			out = append(out, c)
		}
	}
	return out
}

func build(tb testing.TB, docs []matcher.Document) *matcher.Index {
	tb.Helper()
	ix, err := matcher.Open(filepath.Join(tb.TempDir(), "index"))
	if err != nil {
		tb.Fatal(err)
	}
	if err := ix.Apply(context.Background(), docs, nil); err != nil {
		tb.Fatal(err)
	}
	return ix
}

func BenchmarkIndexBuild(b *testing.B) {
	base := miamiDocs(b)
	for _, n := range []int{len(base), 50000} {
		docs := scaled(base, n)
		b.Run(fmt.Sprintf("services=%d", n), func(b *testing.B) {
			for b.Loop() {
				start := time.Now()
				ix := build(b, docs)
				b.ReportMetric(float64(n)/time.Since(start).Seconds(), "services/s")
				ix.Close()
			}
		})
	}
}

func intp(n int) *int           { return &n }
func floatp(f float64) *float64 { return &f }

// profileMix is a spread of requests like link workers make: one or two
// needs, free text, with and without place, age and availability.
func profileMix() []matcher.Profile {
	miami := &matcher.Point{Latitude: 25.7743, Longitude: -80.1937}
	return []matcher.Profile{
		{Needs: []string{"food"}},
		{Needs: []string{"loneliness", "food"}, Age: intp(75), Location: miami, MaxDistanceKm: floatp(10)},
		{Needs: []string{"mental-wellbeing"}, Goals: []string{"I feel anxious and low most days"}},
		{Needs: []string{"debt", "housing"}, Goals: []string{"behind on rent and credit cards"}, Location: miami},
		{Interests: []string{"swimming", "dance"}},
		{Needs: []string{"alcohol-and-drugs"}, Age: intp(40), AcceptsRemote: new(bool)},
		{Needs: []string{"carers"}, Availability: []matcher.Availability{{Day: "TU", From: "09:00", To: "12:00"}}},
		{Needs: []string{"employment", "learning-and-skills"}, Goals: []string{"job training, English classes"}, Location: miami, MaxDistanceKm: floatp(20)},
		{Needs: []string{"legal-advice"}, Goals: []string{"immigration lawyer"}, Languages: []string{"Spanish"}},
		{Needs: []string{"long-term-conditions", "physical-activity"}, Age: intp(68), FreeOnly: true},
	}
}

func BenchmarkRank(b *testing.B) {
	base := miamiDocs(b)
	for _, n := range []int{len(base), 50000} {
		// Build, then close and reopen: ranking is measured on a settled
		// index, not while Bleve still merges the segments just written.
		built := build(b, scaled(base, n))
		dir := built.Dir()
		built.Close()
		var before runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		opened := time.Now()
		ix, err := matcher.Open(dir)
		if err != nil || ix.Len() != n {
			b.Fatalf("reopening: %v (%d services)", err, ix.Len())
		}
		openTook := time.Since(opened)
		runtime.GC()
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		profiles := profileMix()
		b.Run(fmt.Sprintf("services=%d", n), func(b *testing.B) {
			var lat []time.Duration
			i := 0
			for b.Loop() {
				start := time.Now()
				if _, err := ix.Rank(context.Background(), profiles[i%len(profiles)], matcher.Options{Limit: 10}); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(start))
				i++
			}
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
			b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "index-heap-MB")
			b.ReportMetric(openTook.Seconds(), "open-s")
		})
		ix.Close()
	}
}
