//go:build unix

package rundir

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestFilesFollowTheUmask: under umask 077 a new file is its owner's
// only, as the folders are, not forced to 0644.
func TestFilesFollowTheUmask(t *testing.T) {
	old := syscall.Umask(0o077)
	defer syscall.Umask(old)
	defer func(m os.FileMode) { fileMode = m }(fileMode)
	fileMode = modeUnderUmask()
	path := filepath.Join(t.TempDir(), "results.json")
	if err := WriteFile(path, []byte("{}")); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, %v; want 0600 under umask 077", fi.Mode().Perm(), err)
	}
}
