// Command testprogress reads `go test -json` on stdin and prints what a
// person watching CI needs: each package's summary line as go test prints
// it ("ok  pkg  12.3s", "FAIL pkg ..."), the whole output of every test
// that failed, build errors, and, while a long package runs, each test
// that took more than -slow as it ends, so that no package is silent for
// minutes. It exits 0; go test's exit status is the verdict.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"
)

// event is one line of go test -json (cmd/test2json).
type event struct {
	Action  string
	Package string
	Test    string
	Elapsed float64
	Output  string
}

func main() {
	slow := flag.Duration("slow", 10*time.Second, "print tests that take longer than this as they end")
	flag.Parse()
	outputs := map[string][]string{} // package/test -> its output lines
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	for in.Scan() {
		var e event
		if json.Unmarshal(in.Bytes(), &e) != nil {
			fmt.Println(in.Text()) // not JSON: go's own message
			continue
		}
		key := e.Package + "/" + e.Test
		switch e.Action {
		case "output", "build-output":
			if e.Test != "" || e.Action == "build-output" {
				outputs[key] = append(outputs[key], e.Output)
			} else if !summaryLine(e.Output) {
				outputs[key] = append(outputs[key], e.Output)
			}
		case "pass", "skip":
			if e.Test != "" && e.Action == "pass" && time.Duration(e.Elapsed*float64(time.Second)) > *slow {
				fmt.Printf("    %s %s (%.1fs)\n", short(e.Package), e.Test, e.Elapsed)
			}
			if e.Test == "" {
				fmt.Printf("ok  \t%s\t%.3fs\n", e.Package, e.Elapsed)
			}
			delete(outputs, key)
		case "fail", "build-fail":
			fmt.Print(strings.Join(outputs[key], ""))
			if e.Test == "" {
				fmt.Printf("FAIL\t%s\t%.3fs\n", e.Package, e.Elapsed)
			}
			delete(outputs, key)
		}
	}
}

// summaryLine is a package-level line that go test -json reports again as
// the package's pass or fail.
func summaryLine(s string) bool {
	return strings.HasPrefix(s, "ok  \t") || strings.HasPrefix(s, "FAIL\t") || s == "PASS\n" || s == "FAIL\n" ||
		strings.HasPrefix(s, "?   \t") || strings.HasPrefix(s, "coverage:")
}

func short(pkg string) string { return pkg[strings.LastIndex(pkg, "/")+1:] }
