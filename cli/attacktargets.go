package cli

import (
	"flag"
	"os"

	"github.com/concbench/concbench/harness/load"
)

// targetsFlags are bench attack's -targets and -targets-format: a mix of
// requests in vegeta's target formats, with names and weights.
type targetsFlags struct {
	file, format string
	targets      []load.Target // read by read
}

func (t *targetsFlags) define(fs *flag.FlagSet) {
	fs.StringVar(&t.file, "targets", "", "attack a mix of requests from this file, in vegeta's http or json target format; '# name=login weight=3' before a target (json: \"name\", \"weight\") names it for a breakdown and thresholds (login.p99<200ms, login-errors<5) and weighs it; -H and -body apply to each")
	fs.StringVar(&t.format, "targets-format", "", "the targets file's format: http or json (default: json when it begins with '{')")
}

// read reads the targets file, if any; its errors are bad input on
// -targets (or its scenario key), naming the target at fault.
func (t *targetsFlags) read(o *attackOptions, p attackPlan) error {
	if t.file == "" {
		if t.format != "" {
			return o.bad("targets-format", "give it with -targets")
		}
		return nil
	}
	if p.users != nil {
		return o.bad("targets", "closed-loop users (-users) send one request; a mix of targets is open loop only")
	}
	f, err := os.Open(t.file)
	if err != nil {
		return o.bad("targets", "%v", err)
	}
	defer f.Close()
	if t.targets, err = load.ReadTargets(f, t.format); err != nil {
		return o.bad("targets", "%s: %v", t.file, err)
	}
	if o.target == "" {
		o.target = t.targets[0].URL // probed before the attack; no embedded target
	}
	return nil
}
