package apitest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
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
