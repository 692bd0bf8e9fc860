package rundir

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBundlesSurviveALog(t *testing.T) {
	src := t.TempDir()
	var logs [2][]string
	for i := range 2 {
		dir := filepath.Join(src, fmt.Sprintf("20261124-120000-shard%dof2", i))
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		r := rand.New(rand.NewPCG(uint64(i), 1)) // random digits: gzip leaves several lines of them
		big := ""
		for range 3000 {
			big += fmt.Sprint(r.Uint32())
		}
		for name, body := range map[string]string{"results.json": big, "hdr-1000pers-1.hlog": "log " + fmt.Sprint(i), "vegeta-1000pers-1.gob": "not bundled"} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		var b bytes.Buffer
		fmt.Fprintln(&b, "a table the attack printed")
		if err := WriteBundle(&b, dir); err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(strings.TrimSpace(b.String()), "\n") {
			logs[i] = append(logs[i], fmt.Sprintf("[pod/concbench-%d-x/bench] %s", i, l))
		}
	}
	if len(logs[0]) < 4 {
		t.Fatalf("bundle of %d lines: want several, to interleave", len(logs[0]))
	}
	var mixed []string
	for k := range max(len(logs[0]), len(logs[1])) {
		for i := range 2 {
			if k < len(logs[i]) {
				mixed = append(mixed, logs[i][k])
			}
		}
	}
	log := strings.Join(mixed, "\n") + "\n"

	dst := t.TempDir()
	dirs, err := ReadBundles(context.Background(), strings.NewReader(log), dst)
	if err != nil || len(dirs) != 2 {
		t.Fatalf("read %v, %v", dirs, err)
	}
	for i, dir := range dirs {
		for _, name := range []string{"results.json", "hdr-1000pers-1.hlog"} {
			got, err := os.ReadFile(filepath.Join(dir, name))
			want, _ := os.ReadFile(filepath.Join(src, filepath.Base(dir), name))
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("bundle %d: %s differs (%v)", i, name, err)
			}
		}
		if _, err := os.Stat(filepath.Join(dir, "vegeta-1000pers-1.gob")); err == nil {
			t.Errorf("bundle %d carried the vegeta results", i)
		}
	}
	if _, err := ReadBundles(context.Background(), strings.NewReader(log), dst); err == nil {
		t.Error("unpacked over folders already there")
	}
	cut := strings.Join(logs[0][:len(logs[0])-1], "\n")
	altered := strings.Replace(strings.Join(logs[0], "\n"), "concbench-bundle 20261124-120000-shard0of2 1 ", "concbench-bundle 20261124-120000-shard0of2 1 AAAA", 1)
	for what, text := range map[string]string{"cut short": cut, "altered": altered} {
		fresh := t.TempDir()
		if _, err := ReadBundles(context.Background(), strings.NewReader(text), fresh); err == nil {
			t.Errorf("%s: read", what)
		}
		if entries, _ := os.ReadDir(fresh); len(entries) != 0 {
			t.Errorf("%s: wrote %d entries", what, len(entries))
		}
	}
}

// bundleOf writes files into a new folder and returns its bundle.
func bundleOf(t *testing.T, files map[string][]byte) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "20261130-080000-shard0of1")
	os.Mkdir(dir, 0o755)
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := WriteBundle(&b, dir); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestBundleBoundsRefuseBombs: a bundle that inflates beyond 100 times
// its size (a gzip bomb of 64 MiB of zeros in 64 KiB) and one of more
// than MaxBundleFiles files are refused, and write nothing.
func TestBundleBoundsRefuseBombs(t *testing.T) {
	bomb := bundleOf(t, map[string][]byte{"results.json": []byte("{}"), "hdr-1-1.hlog": make([]byte, 64<<20)})
	many := map[string][]byte{"results.json": []byte("{}")}
	for i := range MaxBundleFiles {
		many[fmt.Sprintf("hdr-%d-1.hlog", i)] = []byte("x")
	}
	for name, log := range map[string]string{"bomb": bomb, "many files": bundleOf(t, many)} {
		dst := t.TempDir()
		_, err := ReadBundles(context.Background(), strings.NewReader(log), dst)
		if err == nil || !strings.Contains(err.Error(), "refused") {
			t.Errorf("%s (%d KiB of log): %v; want refused", name, len(log)>>10, err)
		}
		if entries, _ := os.ReadDir(dst); len(entries) != 0 {
			t.Errorf("%s: wrote %d entries", name, len(entries))
		}
	}
}

// TestBundlesAfterLongLines reads a bundle after a 3 MiB log line, which
// a line scanner could not hold.
func TestBundlesAfterLongLines(t *testing.T) {
	log := strings.Repeat("x", 3<<20) + "\n" + bundleOf(t, map[string][]byte{"results.json": []byte(`{"a":1}`)})
	dirs, err := ReadBundles(context.Background(), strings.NewReader(log), t.TempDir())
	if err != nil || len(dirs) != 1 {
		t.Errorf("read %v, %v; want the bundle after the long line", dirs, err)
	}
}
