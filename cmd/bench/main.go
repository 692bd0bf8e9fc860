// Command bench runs concbench: workloads under concurrency strategies,
// measured, tabulated and written to a results folder. Package cli holds
// the whole command.
//
//	go run ./cmd/bench            # the default matrix, about a minute
//	go run ./cmd/bench -quick     # a smoke run of the same matrix
//	go run ./cmd/bench list       # workloads, strategies and parameters
//	go run ./cmd/bench plot DIR   # redraw a run folder's charts from results.json
//	go run ./cmd/bench compare A B  # compare two runs for a pull request
package main

import (
	"context"
	"os"

	"github.com/concbench/concbench/cli"
	_ "github.com/concbench/concbench/harness/strategy/pools" // ants, pond, conc and workerpool as strategies
)

func main() { os.Exit(cli.Main(context.Background(), os.Args[1:], os.Stdout, os.Stderr)) }
