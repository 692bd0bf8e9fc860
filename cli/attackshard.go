package cli

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/concbench/concbench/harness/load"
)

// shardIndexEnv is the variable through which a Kubernetes Indexed Job
// gives each pod its index.
const shardIndexEnv = "JOB_COMPLETION_INDEX"

// MaxShards is the most shards an attack splits into.
const MaxShards = 1000

// validateShard checks -shards, -shard and -start-at and sets the
// process's shard, its run folder's label, and the slot of each attack:
// the duration, the slowest response and a second to write the files.
func (o *attackOptions) validateShard(p load.Plan) error {
	if o.shards < 1 || o.shards > MaxShards {
		return o.bad("shards", "%d is out of range 1..%d", o.shards, MaxShards)
	}
	if o.shards == 1 {
		switch {
		case o.set["shard"]:
			return o.bad("shard", "takes -shards above 1")
		case o.startAt != "":
			return o.bad("start-at", "takes -shards above 1")
		}
		return nil
	}
	switch {
	case p.Users != nil:
		return o.bad("shards", "closed-loop users follow no schedule to split; shard an open-loop attack (-rate, -rates, -stages)")
	case p.Search:
		return o.bad("shards", "an SLO search chooses its rates as it goes, so shards would part ways; give -rates")
	case o.target == "":
		return o.bad("shards", "shards attack one target: give -target (bench serve starts one on loopback)")
	}
	index := o.shardIndex
	if !o.set["shard"] {
		env, ok := os.LookupEnv(shardIndexEnv)
		if !ok {
			return o.bad("shard", "give this generator's shard, 0 to %d, or set %s as an Indexed Job does", o.shards-1, shardIndexEnv)
		}
		n, err := strconv.Atoi(env)
		if err != nil || n < 0 || n >= o.shards {
			return usagef("%s: %q: want a shard from 0 to %d", shardIndexEnv, env, o.shards-1)
		}
		index = n
	}
	if index < 0 || index >= o.shards {
		return o.bad("shard", "%d is out of range 0..%d", index, o.shards-1)
	}
	o.shard = load.Shard{Index: index, Count: o.shards, Slot: p.Duration + p.Timeout + time.Second}
	if o.startAt != "" {
		t, err := time.Parse(time.RFC3339, o.startAt)
		if err != nil {
			return o.bad("start-at", "%q: want a time in RFC 3339, such as 2026-11-24T12:00:00Z", o.startAt)
		}
		if time.Until(t) > 24*time.Hour {
			return o.bad("start-at", "%s is more than a day away", o.startAt)
		}
		o.shard.StartAt = t
	}
	suffix := fmt.Sprintf("shard%dof%d", index, o.shards)
	o.shardsLabel = o.label
	if o.label == "" {
		o.label = suffix
	} else {
		o.label += "-" + suffix
	}
	return nil
}

// announceShard says which part of the schedule this shard sends, and
// when it begins.
func (o *attackOptions) announceShard(stdout, stderr io.Writer, progress *progress) {
	if sh := o.shard; sh.Sharded() {
		fmt.Fprintf(stdout, "shard %d of %d: every %d%s request of the schedule, from request %d\n", sh.Index, sh.Count, sh.Count, ordinal(sh.Count), sh.Index)
		if late := time.Since(sh.StartAt); !sh.StartAt.IsZero() && late > 0 {
			fmt.Fprintf(stderr, "warning: -start-at was %v ago: beginning at once, late; bench merge will say by how much\n", late.Round(time.Millisecond))
		} else if !sh.StartAt.IsZero() {
			progress.note("shard %d of %d: waiting %v for -start-at %s; later attacks begin every %v", sh.Index, sh.Count, time.Until(sh.StartAt).Round(time.Second), o.startAt, sh.Slot)
		}
	}
}

// ordinal is the suffix of n's ordinal: "st" for 1, "th" for 4.
func ordinal(n int) string {
	switch {
	case n%100 >= 11 && n%100 <= 13:
		return "th"
	case n%10 == 1:
		return "st"
	case n%10 == 2:
		return "nd"
	case n%10 == 3:
		return "rd"
	}
	return "th"
}
