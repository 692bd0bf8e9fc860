// Package leak finds the goroutines a stretch of code started and left
// running: those alive at the end that were not at a snapshot, once a
// short settle has let the ones already ending end. It reads the
// runtime's own goroutine dump (runtime.Stack), as goleak does, and groups
// what it finds by stack.
package leak

import (
	"bytes"
	"cmp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Snapshot is the set of goroutines alive at one moment.
type Snapshot struct{ ids map[uint64]bool }

// Take records the goroutines alive now. It stops the world while the
// runtime writes every goroutine's stack: about a microsecond a goroutine.
func Take() Snapshot {
	s := Snapshot{ids: map[uint64]bool{}}
	for _, g := range parse(dump()) {
		s.ids[g.id] = true
	}
	return s
}

// Kind is goroutines that share a stack: how many, and one's stack as
// the runtime prints it.
type Kind struct {
	Count int
	Stack string
}

// Since returns the goroutines alive now that were not at s, grouped by
// stack, most first, leaving out any with a frame in a function whose
// name starts with one of ignore (a connection pool's, alive by design).
// While it finds some, it looks again after 1, 2, 4... ms, up to settle
// in all, so that goroutines on their way out are not counted: it
// returns at once when nothing is left running.
func (s Snapshot) Since(settle time.Duration, ignore ...string) []Kind {
	deadline := time.Now().Add(settle)
	for pause := time.Millisecond; ; pause *= 2 {
		kinds := s.left(ignore)
		if len(kinds) == 0 || time.Now().Add(pause).After(deadline) {
			return kinds
		}
		time.Sleep(pause)
	}
}

// Count is the goroutines of kinds.
func Count(kinds []Kind) (n int) {
	for _, k := range kinds {
		n += k.Count
	}
	return n
}

func (s Snapshot) left(ignore []string) []Kind {
	bySig := map[string]*Kind{}
	var order []string
	for _, g := range parse(dump()) {
		if s.ids[g.id] || g.ignored(ignore) {
			continue
		}
		k := bySig[g.signature]
		if k == nil {
			k = &Kind{Stack: g.stack}
			bySig[g.signature] = k
			order = append(order, g.signature)
		}
		k.Count++
	}
	out := make([]Kind, 0, len(order))
	for _, sig := range order {
		out = append(out, *bySig[sig])
	}
	slices.SortStableFunc(out, func(a, b Kind) int { return cmp.Compare(b.Count, a.Count) })
	return out
}

// dump is every goroutine's stack, the caller's first.
func dump() []byte {
	buf := make([]byte, 64<<10)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return buf[:n]
		}
		buf = make([]byte, 2*len(buf))
	}
}

// goroutine is one goroutine of a dump.
type goroutine struct {
	id        uint64
	stack     string   // as printed, header included
	funcs     []string // its frames' functions, innermost first, then its creator
	signature string   // funcs joined: goroutines with one signature are one kind
}

func (g goroutine) ignored(prefixes []string) bool {
	for _, f := range g.funcs {
		for _, p := range prefixes {
			if strings.HasPrefix(f, p) {
				return true
			}
		}
	}
	return false
}

// parse reads a dump of runtime.Stack(buf, true): records separated by a
// blank line, each "goroutine N [state]:" then, for each frame, a
// function line and a tab-indented file line, and last "created by F in
// goroutine M". A record it cannot read is skipped.
func parse(b []byte) []goroutine {
	var out []goroutine
	for _, rec := range bytes.Split(b, []byte("\n\n")) {
		text := strings.TrimSpace(string(rec))
		header, body, _ := strings.Cut(text, "\n")
		rest, ok := strings.CutPrefix(header, "goroutine ")
		if !ok {
			continue
		}
		idText, _, _ := strings.Cut(rest, " ")
		id, err := strconv.ParseUint(idText, 10, 64)
		if err != nil {
			continue
		}
		g := goroutine{id: id, stack: text}
		for _, line := range strings.Split(body, "\n") {
			if line == "" || line[0] == '\t' {
				continue // a frame's file and line
			}
			g.funcs = append(g.funcs, function(line))
		}
		g.signature = strings.Join(g.funcs, "\n")
		out = append(out, g)
	}
	return out
}

// function is the function a frame line names: "main.f(0x1, ...)" is
// "main.f", "created by main.g in goroutine 7" is "created by main.g".
func function(line string) string {
	if created, ok := strings.CutPrefix(line, "created by "); ok {
		name, _, _ := strings.Cut(created, " in goroutine ")
		return "created by " + name
	}
	if i := strings.LastIndex(line, "("); i > 0 {
		return line[:i]
	}
	return line
}
