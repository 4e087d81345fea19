package redis_test

import (
	"os/exec"
	"syscall"
)

// dieWithTest makes the kernel kill the server when the test process
// dies, so that a test binary that panics or times out leaves no Redis
// behind (TestMain's cleanup does not run then).
func dieWithTest(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
