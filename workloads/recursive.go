package workloads

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/param"
)

// Bounds on recursion, checked before anything runs.
const (
	// MaxLeaves bounds the leaves of one tree.
	MaxLeaves = 1 << 20
	// MaxChainDepth bounds a chain. Direct recursion to this depth uses a
	// few tens of MiB of goroutine stack, far below Go's 1 GiB maximum,
	// past which the process aborts (not a panic).
	MaxChainDepth = 100_000
	// MaxTrampolineDepth bounds any chain: a trampoline runs in constant
	// stack, one small heap allocation per level.
	MaxTrampolineDepth = 100_000_000
)

func init() {
	Register(Spec{
		Name:  "recursive",
		Doc:   "each task is a tree whose parents spawn children and sum their leaves' values, a nested list walked the same way, or a chain a->b->a...",
		Tasks: 4,
		Define: func(fs *flag.FlagSet) func() (harness.Workload, error) {
			w := &recursiveWorkload{io: defineIO(fs, 5*time.Millisecond)} // above timer resolution (about 1 ms)
			w.shape = param.NewChoice(fs, "shape", []string{"tree", "list", "chain"}, "a fan-out tree, a nested list (see list), or a chain of mutual recursion")
			fs.StringVar(&w.listJSON, "list", "[1,[2,3,[4,5]],6]", "list: a JSON nested list of integers; each list is a task that spawns its elements, each integer a leaf that waits the latency and reports itself")
			fs.IntVar(&w.fanout, "fanout", 4, "tree: children per parent")
			fs.IntVar(&w.depth, "depth", 3, "tree: levels below the root; chain: calls from top to bottom")
			w.call = param.NewChoice(fs, "call", []string{"spawn", "direct", "trampoline"}, "chain: each level a child task, a plain call on the same goroutine (the stack grows), or a trampoline (each call returns the next as a thunk that a loop runs: constant stack)")
			return func() (harness.Workload, error) { return w, w.validate() }
		},
	})
}

type recursiveWorkload struct {
	io     *simulatedIO
	shape  *param.Choice
	fanout int
	depth  int
	call   *param.Choice
	leaves int // per tree or list, or 1 for a chain

	listJSON string
	list     *listNode // the parsed list
	listSum  int64
}

// listNode is one element of a nested list: a leaf (its value, and its
// index among the leaves) or a list of elements.
type listNode struct {
	value int64
	leaf  int
	elems []*listNode // nil for a leaf
}

// directFrameBytes is about what one level of the direct chain keeps on
// the stack (two frames of direct and directB); Go doubles a stack as it
// grows, so a chain can briefly hold twice its frames.
const directFrameBytes = 2 * 96

// MaxListDepth bounds how deeply lists nest.
const MaxListDepth = 64

// parseList reads a JSON nested list of integers.
func (w *recursiveWorkload) parseList() error {
	dec := json.NewDecoder(strings.NewReader(w.listJSON))
	dec.UseNumber()
	var root any
	if err := dec.Decode(&root); err != nil {
		return badParam("list", "%q is not JSON: %v", w.listJSON, err)
	}
	if _, ok := root.([]any); !ok {
		return badParam("list", "%q is not a list", w.listJSON)
	}
	w.leaves, w.listSum = 0, 0
	var build func(v any, depth int) (*listNode, error)
	build = func(v any, depth int) (*listNode, error) {
		switch v := v.(type) {
		case json.Number:
			n, err := v.Int64()
			if err != nil {
				return nil, fmt.Errorf("%v is not an integer", v)
			}
			if w.leaves++; w.leaves > MaxLeaves {
				return nil, fmt.Errorf("more than %d numbers", MaxLeaves)
			}
			w.listSum += n
			return &listNode{value: n, leaf: w.leaves - 1}, nil
		case []any:
			if depth > MaxListDepth {
				return nil, fmt.Errorf("lists nest deeper than %d", MaxListDepth)
			}
			node := &listNode{elems: make([]*listNode, 0, len(v))}
			for _, e := range v {
				child, err := build(e, depth+1)
				if err != nil {
					return nil, err
				}
				node.elems = append(node.elems, child)
			}
			return node, nil
		default:
			return nil, fmt.Errorf("%v is neither an integer nor a list", v)
		}
	}
	list, err := build(root, 1)
	if err != nil {
		return badParam("list", "%v", err)
	}
	if w.leaves == 0 {
		return badParam("list", "%q has no number", w.listJSON)
	}
	w.list = list
	return nil
}

func (w *recursiveWorkload) validate() error {
	if err := w.io.validate(); err != nil {
		return err
	}
	switch w.shape.Value() {
	case "chain":
		if w.depth < 1 || w.depth > MaxTrampolineDepth {
			return badParam("depth", "%d is out of range 1..%d for a chain", w.depth, MaxTrampolineDepth)
		}
		w.leaves = 1
		return nil
	case "list":
		return w.parseList()
	}
	if w.fanout < 1 || w.fanout > 64 {
		return badParam("fanout", "%d is out of range 1..64", w.fanout)
	}
	if w.depth < 0 {
		return badParam("depth", "%d must be >= 0", w.depth)
	}
	w.leaves = 1
	for range w.depth {
		w.leaves *= w.fanout
		if w.leaves > MaxLeaves {
			return badParam("depth", "fanout %d to depth %d makes more than %d leaves", w.fanout, w.depth, MaxLeaves)
		}
	}
	return nil
}

var _ harness.Hazardous = (*recursiveWorkload)(nil)

// Hazard refuses a chain deeper than MaxChainDepth by direct calls or by
// spawned children, unless the plan is forced; a trampoline's stack does
// not grow. See harness.Hazardous.
func (w *recursiveWorkload) Hazard() error {
	if w.shape.Value() == "chain" && w.call.Value() != "trampoline" && w.depth > MaxChainDepth {
		return badParam("depth", "%d is out of range 1..%d for a chain (deeper may overflow the goroutine stack, which aborts the process)", w.depth, MaxChainDepth)
	}
	return nil
}

// WrongResultError reports a root whose fan-in result is not the expected one.
type WrongResultError struct{ Got, Want int64 }

func (e *WrongResultError) Error() string {
	return fmt.Sprintf("recursive result %d, want %d", e.Got, e.Want)
}

// Kind reports "wrong-result"; see results.ErrorKind.
func (e *WrongResultError) Kind() string { return "wrong-result" }

func (w *recursiveWorkload) Batch(n, rep int) (harness.Batch, error) {
	if n*w.leaves > harness.MaxTasks {
		return harness.Batch{}, fmt.Errorf("%d tasks of %d leaves is more than %d leaves", n, w.leaves, harness.MaxTasks)
	}
	r := w.io.rng(rep)
	b := harness.Batch{Tasks: make([]harness.Task, n), Cost: harness.Cost{Units: n * w.leaves}}
	for i := range b.Tasks {
		lat := make([]time.Duration, w.leaves)
		for k := range lat {
			lat[k] = w.io.draw(r)
			w.io.addTo(&b.Cost, lat[k])
			b.Cost.Critical = max(b.Cost.Critical, lat[k])
		}
		var run func(context.Context, harness.Exec, *int64) error
		var want int64
		switch {
		case w.shape.Value() == "list":
			run = func(ctx context.Context, x harness.Exec, out *int64) error {
				return w.walk(w.list, lat)(ctx, x, out)
			}
			want = w.listSum
		case w.shape.Value() == "tree":
			run = func(ctx context.Context, x harness.Exec, out *int64) error {
				return w.node(0, 0, lat)(ctx, x, out)
			}
			want = int64(w.leaves) * int64(w.leaves+1) / 2
		case w.call.Value() == "trampoline":
			run = func(ctx context.Context, x harness.Exec, out *int64) error {
				return w.trampoline(ctx, x, lat[0], out)
			}
			want = chainSum(w.depth)
		case w.call.Value() == "direct":
			run = func(ctx context.Context, x harness.Exec, out *int64) error { return w.direct(ctx, x, 0, lat[0], out) }
			want = chainSum(w.depth)
		default:
			run = func(ctx context.Context, x harness.Exec, out *int64) error { return w.link(0, lat[0], out)(ctx, x) }
			want = chainSum(w.depth)
		}
		b.Tasks[i] = func(ctx context.Context, x harness.Exec) error {
			var got int64
			if err := run(ctx, x, &got); err != nil {
				return err
			}
			if got != want {
				return &WrongResultError{Got: got, Want: want}
			}
			return nil
		}
	}
	return b, nil
}

// node returns the task of the tree node at level whose leftmost leaf is
// leaf: a leaf waits its latency and reports leaf+1; a parent spawns its
// children and reports the sum of theirs.
func (w *recursiveWorkload) node(level, leaf int, lat []time.Duration) func(context.Context, harness.Exec, *int64) error {
	return func(ctx context.Context, x harness.Exec, out *int64) error {
		if level == w.depth {
			if err := w.io.wait(ctx, x, lat[leaf]); err != nil {
				return err
			}
			*out = int64(leaf + 1)
			return nil
		}
		span := len(lat)
		for range level + 1 {
			span /= w.fanout
		}
		vals := make([]int64, w.fanout)
		children := make([]harness.Task, w.fanout)
		for k := range children {
			child := w.node(level+1, leaf+k*span, lat)
			children[k] = func(ctx context.Context, x harness.Exec) error { return child(ctx, x, &vals[k]) }
		}
		if err := x.Spawn(children...).Wait(); err != nil {
			return err
		}
		for _, v := range vals {
			*out += v
		}
		return nil
	}
}

// walk returns the task of a list node: a leaf waits its latency and
// reports its value; a list spawns its elements and reports their sum.
func (w *recursiveWorkload) walk(n *listNode, lat []time.Duration) func(context.Context, harness.Exec, *int64) error {
	return func(ctx context.Context, x harness.Exec, out *int64) error {
		if n.elems == nil {
			if err := w.io.wait(ctx, x, lat[n.leaf]); err != nil {
				return err
			}
			*out = n.value
			return nil
		}
		vals := make([]int64, len(n.elems))
		children := make([]harness.Task, len(n.elems))
		for k, e := range n.elems {
			child := w.walk(e, lat)
			children[k] = func(ctx context.Context, x harness.Exec) error { return child(ctx, x, &vals[k]) }
		}
		if err := x.Spawn(children...).Wait(); err != nil {
			return err
		}
		for _, v := range vals {
			*out += v
		}
		return nil
	}
}

// chainSum is the result of a chain of depth d: even levels (a) add 1, odd
// levels (b) add 2, the bottom adds 0.
func chainSum(d int) int64 { return int64(d/2)*3 + int64(d%2) }

func chainStep(level int) int64 { return 1 + int64(level%2) }

// link returns the task of chain level: a (even levels) and b (odd levels)
// each spawn the next level as a child task and wait for it.
func (w *recursiveWorkload) link(level int, lat time.Duration, out *int64) harness.Task {
	return func(ctx context.Context, x harness.Exec) error {
		if level == w.depth {
			return w.io.wait(ctx, x, lat)
		}
		var below int64
		if err := x.Spawn(w.link(level+1, lat, &below)).Wait(); err != nil {
			return err
		}
		*out = below + chainStep(level)
		return nil
	}
}

// direct is the chain by plain mutual recursion on one goroutine: a calls b
// calls a, the stack growing with every level.
func (w *recursiveWorkload) direct(ctx context.Context, x harness.Exec, level int, lat time.Duration, out *int64) error {
	if level == w.depth {
		return w.io.wait(ctx, x, lat)
	}
	var below int64
	var err error
	if level%2 == 0 {
		err = w.directB(ctx, x, level+1, lat, &below)
	} else {
		err = w.direct(ctx, x, level+1, lat, &below)
	}
	*out = below + chainStep(level)
	return err
}

// A thunk is one step of a trampolined computation: it does the step and
// returns the next, or nil when the computation is done.
type thunk func() thunk

// trampoline is the chain by mutual recursion without stack growth: a
// and b do not call each other; each returns the other as a thunk, and
// one loop runs thunks until none is left. Each level costs a closure on
// the heap instead of a stack frame.
func (w *recursiveWorkload) trampoline(ctx context.Context, x harness.Exec, lat time.Duration, out *int64) error {
	var a, b func(level int) thunk
	var sum int64
	step := func(level int, next func(int) thunk) thunk {
		if level == w.depth {
			return nil
		}
		sum += chainStep(level)
		return func() thunk { return next(level + 1) }
	}
	a = func(level int) thunk { return step(level, b) }
	b = func(level int) thunk { return step(level, a) }
	for t := a(0); t != nil; t = t() {
	}
	if err := w.io.wait(ctx, x, lat); err != nil { // the bottom's I/O
		return err
	}
	*out = sum
	return nil
}

// directB is b of the direct chain; it calls back into a.
func (w *recursiveWorkload) directB(ctx context.Context, x harness.Exec, level int, lat time.Duration, out *int64) error {
	return w.direct(ctx, x, level, lat, out)
}

// Footprint counts every node of every tree (a chain by spawn is depth
// nodes, a list a node per element), each holding a closure and its
// children's values. A chain by direct calls is one task per root whose
// stack holds a frame per level; a trampoline holds one thunk at a time.
func (w *recursiveWorkload) Footprint(n int) (int64, int64) {
	nodes := int64(w.depth + 1)
	switch {
	case w.shape.Value() == "list":
		nodes = 2 * int64(w.leaves)
	case w.shape.Value() == "chain" && w.call.Value() == "direct":
		return int64(n), directFrameBytes * int64(w.depth+1)
	case w.shape.Value() == "chain" && w.call.Value() == "trampoline":
		nodes = 1
	case w.shape.Value() == "tree":
		nodes = 0
		for level, width := 0, int64(1); level <= w.depth; level, width = level+1, width*int64(w.fanout) {
			nodes += width
		}
	}
	return int64(n) * nodes, 64 + 8*int64(w.fanout)
}
