package cli

import (
	"github.com/concbench/concbench/scenario"
)

// A fileSetting is an option a scenario file set: the flag it stands
// for, and how the file's value applies.
type fileSetting struct {
	flag  string
	apply func() error
}

// overlay applies each option the scenario file set unless the command
// line gave its flag: the one rule by which a command line overrides a
// file, for bench run and bench attack alike.
func overlay(given map[string]bool, file []fileSetting) error {
	for _, s := range file {
		if given[s.flag] {
			continue
		}
		if err := s.apply(); err != nil {
			return err
		}
	}
	return nil
}

// outputSettings are the file's output folder and label.
func outputSettings(f *scenario.File, out, label *string) []fileSetting {
	var file []fileSetting
	if f.Out != "" {
		file = append(file, fileSetting{"out", func() error { *out = f.Out; return nil }})
	}
	if f.Label != "" {
		file = append(file, fileSetting{"label", func() error { *label = f.Label; return checkLabel(f.Path+": output.label", f.Label) }})
	}
	return file
}
