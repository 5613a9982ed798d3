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
	cases := []struct {
		in, compact, outcode string
		ok                   bool
	}{
		{"NE46 1BG", "NE461BG", "NE46", true},
		{"ne461bg", "NE461BG", "NE46", true},
		{" ne46  1bg ", "NE461BG", "NE46", true},
		{"NE46\t1BG", "NE461BG", "NE46", true},
		{"NE46\u00a01BG", "NE461BG", "NE46", true},
		{"SW1A 1AA", "SW1A1AA", "SW1A", true},
		{"M1 1AE", "M11AE", "M1", true},
		{"B33 8TH", "B338TH", "B33", true},
		{"EC1A 1BB", "EC1A1BB", "EC1A", true},
		{"GIR 0AA", "GIR0AA", "GIR", true},
		{"gir0aa", "GIR0AA", "GIR", true},
		// The inward code's letters are never C, I, K, M, O or V.
		{"NE46 1CA", "", "", false},
		{"NE46 1AI", "", "", false},
		{"NE46 1KB", "", "", false},
		{"NE46 1BM", "", "", false},
		{"NE46 1OB", "", "", false},
		{"NE46 1VB", "", "", false},
		{"", "", "", false},
		{"NE46", "", "", false}, // a district, not a postcode
		{"12345", "", "", false},
		{"NE46 1B", "", "", false},
		{"NE46 1BGX", "", "", false},
		{"NOTAPOSTCODE", "", "", false},
		{"N E 4 6", "", "", false},
		{"1NE 1BG", "", "", false},
		{"NEW46 1BG", "", "", false},
	}
	for _, c := range cases {
		compact, outcode, ok := postcodes.Normalise(c.in)
		if ok != c.ok || compact != c.compact || outcode != c.outcode {
			t.Errorf("Normalise(%q) = %q, %q, %v; want %q, %q, %v", c.in, compact, outcode, ok, c.compact, c.outcode, c.ok)
		}
	}
}

func TestDisplay(t *testing.T) {
	for in, want := range map[string]string{"NE461BG": "NE46 1BG", "M11AE": "M1 1AE", "GIR0AA": "GIR 0AA", "NE46": "NE46"} {
		if got := postcodes.Display(in); got != want {
			t.Errorf("Display(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEither(t *testing.T) {
	cases := []struct {
		postcode          string
		hasPoint, require bool
		problem           string
	}{
		{"NE46 1BG", false, true, ""},
		{"", true, true, ""},
		{"", false, false, ""},
		{"NE46 1BG", true, false, "give a postcode or coordinates, not both"},
		{"NE46 1BG", true, true, "give a postcode or coordinates, not both"},
		{"", false, true, "give a postcode or coordinates"},
	}
	for _, c := range cases {
		var ps fault.Problems
		ok := postcodes.Either(&ps, "near.postcode", c.postcode, c.hasPoint, c.require)
		switch {
		case c.problem == "" && (!ok || len(ps) > 0):
			t.Errorf("%+v: problems %v", c, ps)
		case c.problem != "" && (ok || len(ps) != 1 || ps[0].Field != "near.postcode" || ps[0].Message != c.problem):
			t.Errorf("%+v: %v, problems %+v", c, ok, ps)
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
