package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPlotRejectsBadRuns(t *testing.T) {
	dir := t.TempDir()
	corrupt := filepath.Join(dir, "corrupt")
	os.Mkdir(corrupt, 0o755)
	os.WriteFile(filepath.Join(corrupt, "results.json"), []byte(`{"schema": "concbench/results/v1", "cells": [`), 0o644)
	empty := filepath.Join(dir, "empty")
	os.Mkdir(empty, 0o755)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no folder", []string{"plot"}, "bench: plot: want one run folder or results.json, got 0 arguments"},
		{"a missing folder", []string{"plot", filepath.Join(dir, "nope")}, "no such file or directory"},
		{"a folder without results.json", []string{"plot", empty}, "results.json: no such file or directory"},
		{"a corrupt results.json", []string{"plot", corrupt}, "not a valid results file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := bench(t, context.Background(), tt.args...)
			if code != 2 || !strings.Contains(stderr, tt.want) || strings.Count(stderr, "\n") != 1 || stdout != "" {
				t.Errorf("exit %d, stderr %q; want exit 2 and one line containing %q", code, stderr, tt.want)
			}
		})
	}
	for _, d := range []string{corrupt, empty} {
		if entries, _ := os.ReadDir(d); len(entries) > 1 {
			t.Errorf("%s: plot wrote files for bad input", d)
		}
	}
}

// TestPlotRedrawsFromResultsAlone runs a small plan, deletes every derived
// file, and redraws them from results.json, which stays byte for byte.
func TestPlotRedrawsFromResultsAlone(t *testing.T) {
	out := t.TempDir()
	if code, _, stderr := bench(t, context.Background(), "-quick", "-workloads", "io", "-strategies", "pool,unbounded", "-limits", "2,4", "-out", out); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	dirs, _ := filepath.Glob(filepath.Join(out, "*"))
	run := dirs[0]
	before, _ := os.ReadFile(filepath.Join(run, "results.json"))
	derived, _ := filepath.Glob(filepath.Join(run, "*.*"))
	var removed []string
	for _, f := range derived {
		if b := filepath.Base(f); b != "results.json" && b != "results.csv" {
			os.Remove(f)
			removed = append(removed, b)
		}
	}
	if len(removed) != 17 { // 7 charts (a sweep adds scaling) x 2 formats, summary.md, report.html, bench.txt
		t.Fatalf("the run wrote %d derived files, want 17: %v", len(removed), removed)
	}
	code, stdout, stderr := bench(t, context.Background(), "plot", filepath.Join(run, "results.json"))
	if code != 0 || !strings.Contains(stdout, "redrew charts") {
		t.Fatalf("plot: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	for _, f := range removed {
		if fi, err := os.Stat(filepath.Join(run, f)); err != nil || fi.Size() == 0 {
			t.Errorf("%s not redrawn: %v", f, err)
		}
	}
	after, _ := os.ReadFile(filepath.Join(run, "results.json"))
	if !bytes.Equal(before, after) {
		t.Error("plot changed results.json")
	}
}
