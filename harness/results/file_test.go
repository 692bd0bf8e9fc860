package results

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
		})
	}
}
