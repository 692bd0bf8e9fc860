package isolate

import (
	"os/exec"
	"syscall"
)

// detach puts the child in a process group of its own, so that a Ctrl-C
// at the terminal reaches only the parent, which then interrupts the child
// once (a second signal would kill it before it wrote what it measured);
// and has the kernel kill the child when the parent dies (Pdeathsig), so
// that no cell outlives a killed run. Pdeathsig follows the thread that
// started the child: the caller locks it while starting.
func detach(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
