package relevance

import (
	"fmt"
	"go/format"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/signpost/signpost/matcher"
)

// The fit works on every float64 field of matcher.Weights, found by
// reflection, so a weight added or renamed there is fitted without a
// change here.

// WeightNames are the float64 fields of matcher.Weights in declaration
// order: the coordinates of a weight vector.
func WeightNames() []string {
	t := reflect.TypeFor[matcher.Weights]()
	var out []string
	for i := range t.NumField() {
		if f := t.Field(i); f.IsExported() && f.Type.Kind() == reflect.Float64 {
			out = append(out, f.Name)
		}
	}
	return out
}

// WeightVector returns w's float64 fields in WeightNames order.
func WeightVector(w matcher.Weights) []float64 {
	v := reflect.ValueOf(w)
	names := WeightNames()
	out := make([]float64, len(names))
	for i, n := range names {
		out[i] = v.FieldByName(n).Float()
	}
	return out
}

// WeightsFrom returns base with its float64 fields set from x (in
// WeightNames order); fields of other kinds keep base's values.
func WeightsFrom(base matcher.Weights, x []float64) matcher.Weights {
	v := reflect.ValueOf(&base).Elem()
	for i, n := range WeightNames() {
		v.FieldByName(n).SetFloat(x[i])
	}
	return base
}

// RoundWeights rounds every weight to 3 decimals, as the printed literal
// gives them, so the figures reported are those of the weights pasted.
func RoundWeights(w matcher.Weights) matcher.Weights {
	x := WeightVector(w)
	for i := range x {
		x[i] = math.Round(x[i]*1000) / 1000
	}
	return WeightsFrom(w, x)
}

// WeightsLiteral is w as gofmt'ed Go source to paste into
// matcher/weights.go, after comment lines (each given without its "// ").
func WeightsLiteral(w matcher.Weights, comment ...string) string {
	var b strings.Builder
	for _, c := range comment {
		fmt.Fprintf(&b, "// %s\n", c)
	}
	b.WriteString("var DefaultWeights = Weights{\n")
	x := WeightVector(w)
	for i, n := range WeightNames() {
		fmt.Fprintf(&b, "\t%s: %s,\n", n, strconv.FormatFloat(x[i], 'f', -1, 64))
	}
	b.WriteString("}\n")
	src, err := format.Source([]byte(b.String()))
	if err != nil {
		// Unreachable: names are Go identifiers and numbers Go literals.
		return b.String()
	}
	return string(src)
}
