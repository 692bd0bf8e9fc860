package results

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestReadResultsRejects(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name, path, want string
	}{
		{"a missing file", filepath.Join(dir, "nope.json"), "no such file"},
		{"a truncated file", write("trunc.json", `{"schema": "concbench/results/v1", "cells": [`), "not a valid results file"},
		{"another schema", write("v9.json", `{"schema": "concbench/results/v9"}`), `schema "concbench/results/v9"`},
		{"not JSON at all", write("text.json", "hello"), "not a valid results file"},
		{"trailing text", write("tail.json", `{"schema": "concbench/results/v1"} garbage`), "not a valid results file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(tt.path)
			if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("Read = %v, want one line containing %q", err, tt.want)
			}
			if _, err := ReadHeader(tt.path); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ReadHeader = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestReadHeaderIsReads: the header of a results file with histograms is
// what Read finds in it.
func TestReadHeaderIsReads(t *testing.T) {
	z := NewSummarizer()
	for i := range 100 {
		z.Add(Sample{Intended: 0, Start: 0, End: time.Duration(i+1) * time.Millisecond, Done: true})
	}
	res := &Results{Schema: Schema, Complete: true, Env: Environment{Start: time.Date(2026, 11, 30, 1, 2, 3, 0, time.UTC), CommandLine: []string{"bench", "attack"}},
		Cells: []CellResult{{Workload: "w", Strategy: "s", Repetitions: []Repetition{z.Repetition(100, time.Second)}}}}
	js, err := Encode(res)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), FileName)
	if err := os.WriteFile(path, js, 0o644); err != nil {
		t.Fatal(err)
	}
	whole, err := Read(path)
	if err != nil || whole.Cells[0].Repetitions[0].Histograms == nil {
		t.Fatalf("Read: %v", err)
	}
	h, err := ReadHeader(filepath.Dir(path))
	if err != nil || h.Schema != Schema || !h.Complete || !h.Env.Start.Equal(whole.Env.Start) || !slices.Equal(h.Env.CommandLine, whole.Env.CommandLine) {
		t.Errorf("ReadHeader = %+v, %v; Read found complete %v, %v", h, err, whole.Complete, whole.Env)
	}
}
