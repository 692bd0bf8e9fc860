// Command custom is concbench with a workload (fib) and a strategy (lifo)
// of its own: every bench subcommand, with them beside the built-ins.
//
//	go run . list
//	go run . run -workloads fib -strategies sequential,unbounded,semaphore,lifo -limits 2
package main

import (
	"context"
	"os"

	_ "example.com/custom/fib"
	_ "example.com/custom/lifo"
	"github.com/concbench/concbench/cli"
)

func main() { os.Exit(cli.Main(context.Background(), os.Args[1:], os.Stdout, os.Stderr)) }
