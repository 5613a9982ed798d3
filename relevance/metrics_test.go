package relevance

import (
	"math"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestNDCG(t *testing.T) {
	grades := map[string]int{"a": 3, "b": 2, "c": 0, "z": 1}
	// Ideal: 3, 2, 1 (z, judged for this profile though no one ranks it).
	ideal := 3 + 2/math.Log2(3) + 1/math.Log2(4)
	for _, c := range []struct {
		ranked []string
		want   float64
	}{
		{[]string{"a", "b", "z"}, 1},
		{[]string{"b", "a"}, (2 + 3/math.Log2(3)) / ideal},
		{[]string{"x", "y", "a"}, 3 / math.Log2(4) / ideal}, // unjudged count as 0
		{nil, 0},
	} {
		if got := NDCG(c.ranked, grades); !near(got, c.want) {
			t.Errorf("NDCG(%v) = %f, want %f", c.ranked, got, c.want)
		}
	}
	if got := NDCG([]string{"a"}, map[string]int{"a": 0}); got != 0 {
		t.Errorf("nothing relevant judged: NDCG = %f, want 0", got)
	}
	// Only the top 10 count.
	long := []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "a"}
	if got := NDCG(long, grades); got != 0 {
		t.Errorf("a relevant service at 11 counts: NDCG = %f", got)
	}
}

func TestPrecisionAndJudged(t *testing.T) {
	grades := map[string]int{"a": 3, "b": 2, "c": 1, "d": 0}
	ranked := []string{"a", "c", "b", "x", "d", "e"}
	if got := PrecisionAt5(ranked, grades); !near(got, 0.4) {
		t.Errorf("P@5 = %f, want 0.4 (a and b graded 2 or more)", got)
	}
	if got := PrecisionAt5([]string{"a"}, grades); !near(got, 0.2) {
		t.Errorf("P@5 of a list of one = %f, want 0.2", got)
	}
	if got := JudgedAt10(ranked, grades); !near(got, 4.0/6) {
		t.Errorf("judged@10 = %f, want 4/6", got)
	}
}

func TestSplitByNumber(t *testing.T) {
	held, tune := Split([]Entry{{ID: "nl-01"}, {ID: "nl-02"}, {ID: "nl-10"}, {ID: "mia-7"}})
	if len(held) != 2 || held[0].ID != "nl-02" || held[1].ID != "nl-10" || len(tune) != 2 {
		t.Errorf("held-out %v, tuning %v", held, tune)
	}
	if _, err := Number("nl-x"); err == nil {
		t.Error("an id without a number is accepted")
	}
}
