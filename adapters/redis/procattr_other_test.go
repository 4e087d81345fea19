//go:build !linux

package redis_test

import "os/exec"

// dieWithTest does nothing here: only Linux kills a child with its parent.
func dieWithTest(cmd *exec.Cmd) {}
