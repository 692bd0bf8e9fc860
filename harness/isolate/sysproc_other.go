//go:build !linux

package isolate

import (
	"os/exec"
	"syscall"
)

// detach puts the child in a process group of its own, so that a Ctrl-C
// at the terminal reaches only the parent, which then interrupts the child
// once. (Only Linux also kills the child when the parent dies.)
func detach(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}
