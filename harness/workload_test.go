package harness

import (
	"reflect"
	"testing"
	"time"
)

func TestIdeal(t *testing.T) {
	const ms = time.Millisecond
	io := Cost{Units: 200, Wait: 200 * 5 * ms, Critical: 5 * ms}     // 200 tasks parked 5 ms
	cpu := Cost{Units: 100, Compute: 100 * ms, Critical: ms}         // 100 tasks of 1 ms CPU
	block := Cost{Units: 10, Block: 10 * 20 * ms, Critical: 20 * ms} // 10 blocking calls of 20 ms
	mixed := Cost{Units: 10, Wait: 10 * 4 * ms, Compute: 10 * ms, Critical: 5 * ms}
	locked := Cost{Units: 100, Wait: 100 * 4 * ms, Critical: 4 * ms, Serial: 100 * ms} // 1 ms of each 4 under one lock
	tests := []struct {
		name string
		cost Cost
		k    Capacity
		want time.Duration
	}{
		{"io, one at a time, is the sum", io, Capacity{Tasks: 1, Compute: 1, Block: 1}, 1000 * ms},
		{"io, limit 8, is ceil-free n/limit x latency", io, Capacity{Tasks: 8, Compute: 8, Block: 8}, 125 * ms},
		{"io, unbounded, is one latency", io, Capacity{}, 5 * ms},
		{"cpu, unbounded, spreads over GOMAXPROCS", cpu, Capacity{}, 50 * ms},
		{"cpu, limit 1, is the sum", cpu, Capacity{Tasks: 1, Compute: 1, Block: 1}, 100 * ms},
		{"cpu, limit 8, is still GOMAXPROCS-bound", cpu, Capacity{Tasks: 8, Compute: 8, Block: 8}, 50 * ms},
		{"blocking calls over 2 blocking slots", block, Capacity{Compute: 2, Block: 2}, 100 * ms},
		{"mixed, unbounded, is the critical path", mixed, Capacity{}, 5 * ms},
		{"mixed, limit 2, spreads all work over 2", mixed, Capacity{Tasks: 2, Compute: 2, Block: 2}, 25 * ms},
		{"a lock, limit 2, is all work over 2", locked, Capacity{Tasks: 2, Compute: 2, Block: 2}, 200 * ms},
		{"a lock, limit 16, is its serial sections (Amdahl's 1/f)", locked, Capacity{Tasks: 16, Compute: 16, Block: 16}, 100 * ms},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.cost.Ideal(tt.k, 2); got != tt.want {
				t.Errorf("Ideal = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCostWithinATimeout(t *testing.T) {
	const ms = time.Millisecond
	io := Cost{Units: 10, Wait: 10 * 5 * ms, Critical: 5 * ms}
	tests := []struct {
		name    string
		timeout time.Duration
		want    Cost
	}{
		{"no timeout changes nothing", 0, io},
		{"a timeout above every task changes nothing", 10 * ms, io},
		{"a timeout cuts the work and the critical path", ms, Cost{Units: 10, Wait: 10 * ms, Critical: ms}},
	}
	for _, tt := range tests {
		if got := io.Within(tt.timeout); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: %+v, want %+v", tt.name, got, tt.want)
		}
	}
	mixed := Cost{Units: 2, Wait: 6 * ms, Compute: 2 * ms, Critical: 4 * ms}.Within(2 * ms) // 8 ms of work cut to 4 ms, 3:1
	if mixed.Wait != 3*ms || mixed.Compute != ms || mixed.Critical != 2*ms {
		t.Errorf("mixed: %+v", mixed)
	}
	// Known units: one slow task of 40 ms among nine of 2 ms, cut at 10 ms,
	// does 10 ms of work, not the 40 ms that fit under 10 x 10 ms.
	each := Cost{Units: 10, Wait: 58 * ms, Critical: 40 * ms, Each: []time.Duration{2 * ms, 2 * ms, 2 * ms, 2 * ms, 2 * ms, 2 * ms, 2 * ms, 2 * ms, 2 * ms, 40 * ms}}
	if cut := each.Within(10 * ms); cut.Wait != 28*ms || cut.Critical != 10*ms {
		t.Errorf("each unit cut: %+v, want 28ms of wait and a 10ms critical path", cut)
	}
}
