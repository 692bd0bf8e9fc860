package results

import (
	"fmt"
	"math"
	"reflect"
	"strings"

	"github.com/montanaflynn/stats"
)

// A scalar metric of a sub-record (an int, a float64, a uint64 or a
// time.Duration) states two rules in its `rule` tag: how it combines over
// a cell's repetitions, then how it merges over an attack's shards, for
// example rule:"median,sum" (a typical repetition's peak; the shards'
// peaks added). The rules: median, sum, max, min, none (left zero).
// Fields without a tag are the sub-record's own business.
const (
	combining = 0 // the first rule of a tag
	merging   = 1 // the second
)

// byRules returns a T whose tagged fields are parts' values reduced by
// the rule in position which of each field's tag.
func byRules[T any](parts []T, which int) T {
	var out T
	ov := reflect.ValueOf(&out).Elem()
	t := ov.Type()
	values := make([]float64, len(parts))
	for i := range t.NumField() {
		tag, ok := t.Field(i).Tag.Lookup("rule")
		if !ok {
			continue
		}
		rules := strings.Split(tag, ",")
		for k := range parts {
			values[k] = number(reflect.ValueOf(parts[k]).Field(i))
		}
		set(ov.Field(i), reduce(rules[which], values))
	}
	return out
}

// reduce applies a rule to values.
func reduce(rule string, values []float64) float64 {
	if len(values) == 0 {
		return 0
	}
	switch rule {
	case "median":
		m, _ := stats.Median(values)
		return m
	case "sum":
		s, _ := stats.Sum(values)
		return s
	case "max":
		m, _ := stats.Max(values)
		return m
	case "min":
		m, _ := stats.Min(values)
		return m
	case "none":
		return 0
	}
	panic(fmt.Sprintf("results: unknown rule %q in a rule tag", rule))
}

func number(v reflect.Value) float64 {
	switch v.Kind() {
	case reflect.Int, reflect.Int64:
		return float64(v.Int())
	case reflect.Uint64:
		return float64(v.Uint())
	case reflect.Float64:
		return v.Float()
	}
	panic("results: a rule tag on a field of kind " + v.Kind().String())
}

func set(v reflect.Value, x float64) {
	switch v.Kind() {
	case reflect.Int, reflect.Int64:
		v.SetInt(int64(math.Round(x)))
	case reflect.Uint64:
		v.SetUint(uint64(math.Round(max(x, 0))))
	case reflect.Float64:
		v.SetFloat(x)
	}
}

// parts projects each repetition onto one of its sub-records.
func parts[T any](reps []Repetition, of func(Repetition) T) []T {
	out := make([]T, len(reps))
	for i, r := range reps {
		out[i] = of(r)
	}
	return out
}
