package main

import (
	"bufio"
	"context"
	"debug/elf"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestDockerfileBuildsAStaticBinary runs the Dockerfile's build line, with
// its environment, and checks that the binary needs no dynamic loader and
// no shared library: the distroless static image has neither.
func TestDockerfileBuildsAStaticBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	exe, err := elf.Open(imageBench(t))
	if err != nil {
		t.Fatal(err)
	}
	defer exe.Close()
	for _, p := range exe.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("the binary asks for a dynamic loader")
		}
	}
	if libs, _ := exe.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("the binary needs %v", libs)
	}
}

// image is the command as the Dockerfile builds it, built once.
var image struct {
	once sync.Once
	bin  string
	err  error
}

// imageBench builds the command with the Dockerfile's own build line and
// environment (once) and returns its path: the image's binary, and the
// plain build (no race detector) that the tests which need a generator's
// full speed run.
func imageBench(t *testing.T) string {
	t.Helper()
	image.once.Do(func() { image.bin, image.err = buildAsDockerfile() })
	if image.err != nil {
		t.Fatal(image.err)
	}
	return image.bin
}

func buildAsDockerfile() (string, error) {
	f, err := os.Open("../../Dockerfile")
	if err != nil {
		return "", err
	}
	defer f.Close()
	var line []string
	for sc := bufio.NewScanner(f); sc.Scan(); {
		if fields := strings.Fields(sc.Text()); len(fields) > 2 && fields[0] == "RUN" && strings.Contains(sc.Text(), " go build ") {
			line = fields[1:]
		}
	}
	if line == nil {
		return "", errors.New("the Dockerfile has no RUN ... go build line")
	}
	var env []string
	for len(line) > 0 && strings.Contains(line[0], "=") {
		env, line = append(env, line[0]), line[1:]
	}
	dir, err := builtDir()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "bench-image")
	for i := range line {
		if line[i] == "-o" && i+1 < len(line) {
			line[i+1] = bin
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, line[0], line[1:]...)
	cmd.Dir = "../.."
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("%v: %v\n%s", line, err, out)
	}
	return bin, nil
}
