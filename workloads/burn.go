package workloads

import (
	"crypto/sha256"
	"flag"
	"sync"
	"time"

	"github.com/concbench/concbench/harness"
)

// burner does real CPU work: chained SHA-256 rounds over a buffer, with the
// number of rounds calibrated on this machine to a target duration.
type burner struct {
	cost   time.Duration
	size   int
	rounds int           // set by calibrate
	actual time.Duration // what rounds take at the calibrated rate
	bufs   sync.Pool     // *[]byte of size: one a running task, reused
}

func defineBurner(fs *flag.FlagSet, cost time.Duration) *burner {
	b := &burner{}
	fs.DurationVar(&b.cost, "cost", cost, "CPU time per task, calibrated on this machine")
	fs.IntVar(&b.size, "size", 1024, "bytes hashed per SHA-256 round")
	return b
}

// calibrate validates the parameters and sets the number of rounds.
func (b *burner) calibrate() error {
	switch {
	case b.cost <= 0 || b.cost > harness.MaxLatency:
		return badParam("cost", "%v is out of range (0, %v]", b.cost, harness.MaxLatency)
	case b.size < 32 || b.size > 1<<20:
		return badParam("size", "%d is out of range 32..%d", b.size, 1<<20)
	}
	perRound := roundTime(b.size)
	b.rounds = max(1, int(b.cost/perRound))
	b.actual = time.Duration(b.rounds) * perRound
	return nil
}

// burn runs the calibrated rounds over buf (len size) and returns the last
// digest's first byte, so the work cannot be optimised away.
func (b *burner) burn(buf []byte) byte {
	return hashRounds(buf, b.rounds)
}

// burnPooled burns over a buffer of its own while it runs, taken from
// the burner's pool and given back: tasks in flight hold a buffer each,
// and a batch allocates about as many as run at once, not one a task.
func (b *burner) burnPooled() {
	p, _ := b.bufs.Get().(*[]byte)
	if p == nil {
		buf := make([]byte, b.size)
		p = &buf
	}
	(*p)[0] ^= b.burn(*p)
	b.bufs.Put(p)
}

func hashRounds(buf []byte, rounds int) byte {
	var sum [sha256.Size]byte
	for range rounds {
		sum = sha256.Sum256(buf)
		copy(buf, sum[:])
	}
	return sum[0]
}

var calibrated sync.Map // size -> time.Duration per round

// roundTime measures one round over size bytes, once per size per process:
// after a 50 ms warm-up (which also sizes the trials), the fastest of seven
// trials of about 10 ms each. The fastest is the machine's best rate, so
// calibrated work never runs faster than its cost and the ideal bound stays
// a lower bound.
func roundTime(size int) time.Duration {
	if d, ok := calibrated.Load(size); ok {
		return d.(time.Duration)
	}
	buf := make([]byte, size)
	rounds, start := 0, time.Now()
	for time.Since(start) < 50*time.Millisecond {
		hashRounds(buf, 16)
		rounds += 16
	}
	rounds /= 5 // about 10 ms
	best := time.Duration(1<<63 - 1)
	for range 7 {
		start := time.Now()
		hashRounds(buf, rounds)
		best = min(best, time.Since(start))
	}
	d := max(best/time.Duration(rounds), 1)
	calibrated.Store(size, d)
	return d
}
