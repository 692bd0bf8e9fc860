package results

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strings"
	"time"
)

// Environment is the machine and build a run measured on.
type Environment struct {
	GoVersion   string    `json:"go_version"`
	GOOS        string    `json:"goos"`
	GOARCH      string    `json:"goarch"`
	GOMAXPROCS  int       `json:"gomaxprocs"`
	NumCPU      int       `json:"num_cpu"`
	CPUModel    string    `json:"cpu_model"`    // "" when unknown
	ClockSource string    `json:"clock_source"` // the kernel clock source, "" when unknown
	Commit      string    `json:"commit"`       // the measured code's commit, "" outside a git checkout
	CommandLine []string  `json:"command_line"`
	Start       time.Time `json:"start"`
}

// CaptureEnvironment reads the environment. It may run `git rev-parse` in
// the working directory (bounded to 2 s) when the build carries no commit.
func CaptureEnvironment(args []string) Environment {
	return Environment{
		GoVersion:   runtime.Version(),
		GOOS:        runtime.GOOS,
		GOARCH:      runtime.GOARCH,
		GOMAXPROCS:  runtime.GOMAXPROCS(0),
		NumCPU:      runtime.NumCPU(),
		CPUModel:    cpuModel(),
		ClockSource: readTrimmed("/sys/devices/system/clocksource/clocksource0/current_clocksource"),
		Commit:      commit(),
		CommandLine: args,
		Start:       time.Now().UTC().Round(time.Second),
	}
}

func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

func readTrimmed(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

func commit() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" {
				return s.Value
			}
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "git", "rev-parse", "HEAD").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}
