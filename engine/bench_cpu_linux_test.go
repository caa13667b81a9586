package engine

import (
	"syscall"
	"time"
)

// processCPU is the process's user and system CPU time so far, all
// threads: on a shared machine the wall clock varies with the other load,
// CPU time much less.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
