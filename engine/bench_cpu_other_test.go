//go:build !linux

package engine

import "time"

func processCPU() time.Duration { return 0 }
