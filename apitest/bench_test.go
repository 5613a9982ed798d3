package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/signpost/signpost/openreferral"
	"github.com/signpost/signpost/shareddata"
)

// BenchmarkServicesPage100 times one HTTP request for a page of 100 demo
// services with organisation, locations, schedules, terms, needs, costs and
// contacts: the link worker's list view.
func BenchmarkServicesPage100(b *testing.B) {
	e := newEnv(b, envOptions{demo: true})
	body, _ := json.Marshal(map[string]any{"query": pageQuery, "variables": map[string]any{"first": 100}})
	client := &http.Client{}
	b.ResetTimer()
	for b.Loop() {
		resp, err := client.Post(e.url+"/graphql", "application/json", bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || n < 10000 {
			b.Fatalf("status %d, %d bytes", resp.StatusCode, n)
		}
	}
}

// BenchmarkMatchServicesHTTP times matchServices end to end over HTTP on
// the imported Miami 211 directory.
func BenchmarkMatchServicesHTTP(b *testing.B) {
	e := newEnv(b, envOptions{})
	ds, _, err := openreferral.Read(shareddata.Path(b, "hsds-miami-211", "datapackage.zip"))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := openreferral.Import(context.Background(), e.st, ds, openreferral.Options{Source: "miami"}); err != nil {
		b.Fatal(err)
	}
	e.synced()
	profiles := []map[string]any{
		{"needs": []any{"food"}, "location": map[string]any{"latitude": 25.7743, "longitude": -80.1937}, "maxDistanceKm": 10},
		{"needs": []any{"mental-wellbeing"}, "goals": []any{"I feel anxious and low"}},
		{"needs": []any{"debt", "housing"}, "goals": []any{"behind on rent"}, "age": 40},
		{"interests": []any{"swimming"}},
	}
	bodies := make([][]byte, len(profiles))
	for i, p := range profiles {
		bodies[i], _ = json.Marshal(map[string]any{"query": matchQuery, "variables": map[string]any{"p": p, "first": 10}})
	}
	client := &http.Client{}
	i := 0
	for b.Loop() {
		resp, err := client.Post(e.url+"/graphql", "application/json", bytes.NewReader(bodies[i%len(bodies)]))
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("status %d", resp.StatusCode)
		}
		i++
	}
}
