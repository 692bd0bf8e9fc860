package rundir

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestNewRunDirNeverReuses(t *testing.T) {
	parent := t.TempDir()
	at := time.Date(2026, 11, 22, 3, 4, 5, 0, time.UTC)
	var got []string
	for range 3 {
		dir, err := NewRunDir(parent, "base", at)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, filepath.Base(dir))
	}
	want := []string{"20261122-030405-base", "20261122-030405-base-2", "20261122-030405-base-3"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("folders %v, want %v", got, want)
	}
	if _, err := NewRunDir(parent, "../escape", at); err == nil {
		t.Error("a label with a path separator was accepted")
	}
}
