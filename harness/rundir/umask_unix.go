//go:build unix

package rundir

import (
	"os"
	"syscall"
)

// fileMode is what a new file's mode would be under the process's umask:
// 0644 under the usual 022, 0600 under 077. Read once, at start, when
// nothing else creates files.
var fileMode = modeUnderUmask()

func modeUnderUmask() os.FileMode {
	mask := syscall.Umask(0)
	syscall.Umask(mask)
	return 0o666 &^ os.FileMode(mask)
}
