package cli

import (
	"bytes"
	"strings"
	"testing"
)

func TestProgressBarShowsCountsOnly(t *testing.T) {
	var b bytes.Buffer
	p := newProgressBar(&b)
	p.throttle = 0
	p.Start(2, 2048)
	p.Done(1024)
	p.Done(1024)
	p.Finish()
	out := b.String()
	if !strings.Contains(out, "files 2/2") {
		t.Errorf("progress output %q lacks the file count", out)
	}
	if !strings.Contains(out, "B/s)") {
		t.Errorf("progress output %q lacks the byte rate", out)
	}
}

func TestProgressOffWithoutTerminal(t *testing.T) {
	t.Setenv("CI", "")
	if progressWanted(&bytes.Buffer{}) {
		t.Error("progress wanted on a buffer")
	}
	t.Setenv("CI", "true")
	if progressWanted(nil) {
		t.Error("progress wanted with CI set")
	}
}
