package postcodes_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/signpost/signpost/fault"
	"github.com/signpost/signpost/pgtest"
	"github.com/signpost/signpost/postcodes"
	"github.com/signpost/signpost/shareddata"
	"github.com/signpost/signpost/store"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestNormalise(t *testing.T) {
	cases := []struct{ in, compact, outcode string }{
		{"NE46 1BG", "NE461BG", "NE46"}, {"ne461bg", "NE461BG", "NE46"}, {" ne46  1bg ", "NE461BG", "NE46"},
		{"SW1A 1AA", "SW1A1AA", "SW1A"}, {"M1 1AE", "M11AE", "M1"}, {"B33 8TH", "B338TH", "B33"}, {"GIR 0AA", "GIR0AA", "GIR"},
	}
	for _, c := range cases {
		compact, outcode, ok := postcodes.Normalise(c.in)
		if !ok || compact != c.compact || outcode != c.outcode {
			t.Errorf("Normalise(%q) = %q, %q, %v", c.in, compact, outcode, ok)
		}
	}
	for _, bad := range []string{"", "NE46", "12345", "NE46 1B", "NOTAPOSTCODE", "N E 4 6"} {
		if _, _, ok := postcodes.Normalise(bad); ok {
			t.Errorf("Normalise(%q) accepted", bad)
		}
	}
}

func load(t *testing.T, st *store.Store, path string) postcodes.Summary {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sum, err := postcodes.ImportCSV(context.Background(), st, f, nil)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

func TestImportRealFilesAndLookUp(t *testing.T) {
	ctx := context.Background()
	st := pgtest.NewStore(t)
	sum := load(t, st, shareddata.Path(t, "uk-postcodes", "NE.csv"))
	if sum.Kind != "postcodes" || sum.Loaded < 46000 || sum.Skipped == 0 || len(sum.Problems) == 0 {
		t.Fatalf("NE.csv: %+v", sum)
	}
	d := load(t, st, shareddata.Path(t, "uk-postcodes", "outcode-centroids.csv"))
	if d.Kind != "districts" || d.Loaded < 3000 {
		t.Fatalf("outcode-centroids.csv: %+v", d)
	}
	p, err := postcodes.Lookup(ctx, st.Queries, "postcode", "ne46 1bg")
	if err != nil || p.Precision != postcodes.PrecisionPostcode || p.Postcode != "NE46 1BG" || p.Latitude < 54.96 || p.Latitude > 54.97 {
		t.Fatalf("NE46 1BG = %+v, %v", p, err)
	}
	// A postcode missing from the list falls back to its district's centre.
	p, err = postcodes.Lookup(ctx, st.Queries, "postcode", "NE46 9ZZ")
	if err != nil || p.Precision != postcodes.PrecisionDistrict || p.Postcode != "NE46" {
		t.Fatalf("NE46 9ZZ = %+v, %v", p, err)
	}
	// A district outside the postcode list but in the centroid file.
	p, err = postcodes.Lookup(ctx, st.Queries, "postcode", "AB10 1AA")
	if err != nil || p.Precision != postcodes.PrecisionDistrict || p.Latitude < 57 || p.Latitude > 57.2 {
		t.Fatalf("AB10 1AA = %+v, %v", p, err)
	}
	for _, bad := range []string{"NOT A POSTCODE", "ZZ99 9ZZ"} {
		_, err := postcodes.Lookup(ctx, st.Queries, "postcode", bad)
		var inv *fault.Invalid
		if !errors.As(err, &inv) || inv.Problems[0].Field != "postcode" {
			t.Errorf("Lookup(%q) = %v, want invalid input naming postcode", bad, err)
		}
	}
}

func TestHeaderVariantsAndAllOrNothing(t *testing.T) {
	ctx := context.Background()
	st := pgtest.NewStore(t)
	nspl := "pcd,pcd2,pcds,dointr,doterm,lat,long\nNE1 1AA,NE1  1AA,NE1 1AA,199001,,54.96772,-1.61579\nNE1 1AB,NE1  1AB,NE1 1AB,199001,,99.999999,0.000000\n"
	sum, err := postcodes.ImportCSV(ctx, st, strings.NewReader(nspl), nil)
	if err != nil || sum.Loaded != 1 || sum.Skipped != 1 {
		t.Fatalf("NSPL layout: %+v, %v", sum, err)
	}
	if _, err := postcodes.ImportCSV(ctx, st, strings.NewReader("name,x,y\na,1,2\n"), nil); err == nil {
		t.Fatal("a file without postcode columns was accepted")
	}
	before, _, _ := st.CountPostcodes(ctx)
	broken := "Postcode,Latitude,Longitude\nNE2 1AA,54.98,-1.6\n\"NE2 1AB,54.98,-1.6\n"
	if _, err := postcodes.ImportCSV(ctx, st, strings.NewReader(broken), nil); err == nil {
		t.Fatal("a broken CSV was accepted")
	}
	after, _, _ := st.CountPostcodes(ctx)
	if after != before {
		t.Fatalf("a failed import left %d rows", after-before)
	}
}
