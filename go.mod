module github.com/concbench/concbench

go 1.26.8

require (
	github.com/agnivade/levenshtein v1.2.2
	github.com/gammazero/deque v1.2.3
	github.com/montanaflynn/stats v0.14.0
	golang.org/x/sync v0.24.0
	golang.org/x/sys v0.49.0
	golang.org/x/term v0.47.0
)

require go.uber.org/goleak v1.3.0 // indirect
