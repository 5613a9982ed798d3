package matcher

import "testing"

// Free only leaves out a stated charge, not silence about cost: most
// imported listings say nothing of what they cost.
func TestFreeOnlyLeavesOutOnlyStatedCharges(t *testing.T) {
	docs := []Document{
		{ID: "free", Name: "Food bank", Description: "Emergency food parcels.", Status: "active", AcceptingRefs: true, Free: true},
		{ID: "silent", Name: "Food pantry", Description: "Emergency food parcels.", Status: "active", AcceptingRefs: true},
		{ID: "charged", Name: "Community pantry", Description: "Emergency food parcels.", Status: "active", AcceptingRefs: true, CostText: "£3.50 a bag"},
	}
	ix := newIndex(t, docs)
	ms := rank(t, ix, Profile{Needs: []string{"food"}, FreeOnly: true})
	got := map[string]bool{}
	for _, m := range ms {
		got[m.ServiceID] = true
	}
	if !got["free"] || !got["silent"] || got["charged"] {
		t.Fatalf("free only: got %v, want free and silent, never charged", got)
	}
}
