//go:build !linux

package pdf

import "time"

func cpuTime() (time.Duration, bool) { return 0, false }
