package rundir

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// A bundle carries a shard's run folder through a log, where a pod's
// output ends up: its results.json and interval logs (what bench merge
// needs; not the vegeta results, which can be large), as a gzipped tar in
// base64, one line at a time:
//
//	concbench-bundle <folder> <line> <base64 of up to 3 KiB>
//	concbench-bundle <folder> end <lines> <sha256 of the tar.gz>
//
// Each line names its folder and place, so that bundles survive logs that
// interleave pods or prefix their lines (kubectl logs --prefix).
const bundleMark = "concbench-bundle "

const bundleChunk = 3 << 10

// WriteBundle writes run folder dir as a bundle to w.
func WriteBundle(w io.Writer, dir string) error {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	names, err := filepath.Glob(filepath.Join(dir, "hdr-*.hlog"))
	if err != nil {
		return err
	}
	for _, path := range append([]string{filepath.Join(dir, "results.json")}, names...) {
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if err := tw.WriteHeader(&tar.Header{Name: filepath.Base(path), Mode: 0o644, Size: int64(len(data))}); err != nil {
			return err
		}
		if _, err := tw.Write(data); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	sum := sha256.Sum256(buf.Bytes())
	text := base64.StdEncoding.EncodeToString(buf.Bytes())
	name := filepath.Base(dir)
	bw := bufio.NewWriter(w)
	lines := 0
	for ; len(text) > 0; lines++ {
		n := min(len(text), bundleChunk)
		fmt.Fprintf(bw, "%s%s %d %s\n", bundleMark, name, lines, text[:n])
		text = text[n:]
	}
	fmt.Fprintf(bw, "%s%s end %d %s\n", bundleMark, name, lines, hex.EncodeToString(sum[:]))
	return bw.Flush()
}

// Bounds on what a bundle may unpack to: a log is input from elsewhere,
// and a small one must not fill the disk (a gzip bomb) or take minutes.
const (
	// MaxBundleFiles is the most files one bundle may hold: results.json
	// and an interval log per attack.
	MaxBundleFiles = 4096
	// MaxInflation is how many times its compressed size a bundle may
	// inflate to, beyond MinInflated (results.json and interval logs
	// compress about 5 to 10 times).
	MaxInflation = 100
	MinInflated  = 16 << 20
	// maxLine is the longest log line read whole; longer lines, never a
	// bundle's, are skipped.
	maxLine = 64 << 10
)

// ReadBundles finds every bundle in r, a log that may hold other lines,
// and unpacks each into parent/<its folder>, which must not exist yet. It
// returns the folders, in the order their bundles ended. A bundle cut
// short, altered, or inflating beyond its bounds is an error naming it;
// nothing of it is written. Lines of any length are read. It stops, with
// ctx's error, when ctx is done.
func ReadBundles(ctx context.Context, r io.Reader, parent string) ([]string, error) {
	parts := map[string]map[int]string{}
	var dirs []string
	lines := bufio.NewReaderSize(r, maxLine)
	for {
		if err := ctx.Err(); err != nil {
			return dirs, err
		}
		line, err := readLine(lines)
		if err == io.EOF {
			break
		}
		if err != nil {
			return dirs, err
		}
		i := strings.Index(line, bundleMark)
		if i < 0 {
			continue
		}
		f := strings.Fields(line[i+len(bundleMark):])
		if len(f) < 3 {
			return dirs, fmt.Errorf("bundle line %q: cut short", line)
		}
		name := f[0]
		if name != filepath.Base(name) || name == "." || name == ".." {
			return dirs, fmt.Errorf("bundle %q: not a folder name", name)
		}
		if parts[name] == nil {
			parts[name] = map[int]string{}
		}
		if f[1] != "end" {
			k, err := strconv.Atoi(f[1])
			if err != nil || k < 0 {
				return dirs, fmt.Errorf("bundle %s: line %q is not a line number", name, f[1])
			}
			parts[name][k] = f[2]
			continue
		}
		if len(f) < 4 {
			return dirs, fmt.Errorf("bundle %s: its end line is cut short", name)
		}
		dir := filepath.Join(parent, name)
		if err := ctx.Err(); err != nil {
			return dirs, err
		}
		if err := unpack(dir, parts[name], f[2], f[3]); err != nil {
			return dirs, fmt.Errorf("bundle %s: %w", name, err)
		}
		delete(parts, name)
		dirs = append(dirs, dir)
	}
	if len(parts) > 0 {
		return dirs, fmt.Errorf("bundle %s: no end line: the log was cut short", slices.Sorted(maps.Keys(parts))[0])
	}
	return dirs, nil
}

// readLine reads one line of any length, without its end; a line longer
// than maxLine comes back cut to maxLine, the rest skipped.
func readLine(r *bufio.Reader) (string, error) {
	line, err := r.ReadSlice('\n')
	kept := strings.TrimRight(string(line), "\r\n")
	for err == bufio.ErrBufferFull {
		_, err = r.ReadSlice('\n')
	}
	if err == io.EOF && kept != "" {
		err = nil
	}
	return kept, err
}

// unpack checks a bundle's lines against its end line and writes its
// files into dir.
func unpack(dir string, lines map[int]string, count, sum string) error {
	n, err := strconv.Atoi(count)
	if err != nil || n != len(lines) {
		return fmt.Errorf("%d lines of %s: lines are missing or repeated", len(lines), count)
	}
	var text strings.Builder
	for k := range n {
		chunk, ok := lines[k]
		if !ok {
			return fmt.Errorf("line %d is missing", k)
		}
		text.WriteString(chunk)
	}
	data, err := base64.StdEncoding.DecodeString(text.String())
	if err != nil {
		return err
	}
	if got := sha256.Sum256(data); hex.EncodeToString(got[:]) != sum {
		return fmt.Errorf("checksum %x, not %s: altered", got, sum)
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return err
	}
	files := map[string][]byte{}
	budget := max(int64(MinInflated), MaxInflation*int64(len(data)))
	limited := &io.LimitedReader{R: zr, N: budget}
	tr := tar.NewReader(limited)
	tooBig := fmt.Errorf("inflates beyond %d MiB (%dx its %d KiB): refused", budget>>20, MaxInflation, len(data)>>10)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil && limited.N <= 0 {
			return tooBig
		}
		if err != nil {
			return err
		}
		if h.Name != filepath.Base(h.Name) || h.Typeflag != tar.TypeReg {
			return fmt.Errorf("%q: not a plain file of the folder", h.Name)
		}
		if len(files) == MaxBundleFiles {
			return fmt.Errorf("more than %d files: refused", MaxBundleFiles)
		}
		if h.Size > limited.N {
			return tooBig
		}
		if files[h.Name], err = io.ReadAll(tr); err != nil && limited.N <= 0 {
			return tooBig
		} else if err != nil {
			return err
		}
	}
	if files["results.json"] == nil {
		return fmt.Errorf("no results.json")
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		return err // already there: never overwrite
	}
	for name, b := range files {
		if err := WriteFile(filepath.Join(dir, name), b); err != nil {
			return err
		}
	}
	return nil
}
