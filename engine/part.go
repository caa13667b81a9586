package engine

import (
	"strings"

	"github.com/rouei/rouei/scanners"
)

// Sharded sweeps (rouei scan --shard K/N) split a large target by its
// top-level entries: Options.Part says which entries this process scans.
// The helpers here find the entry a path or member belongs to.

// topEntry is the first component of a slash-separated relative path
// ("data/old/a.csv" → "data").
func topEntry(rel string) string {
	rel = strings.TrimLeft(rel, "/")
	if i := strings.IndexByte(rel, '/'); i >= 0 {
		return rel[:i]
	}
	return rel
}

// entryOf is the top-level entry of a display path under target ("" for
// the target itself, or a path not under it).
func entryOf(target, p string) string {
	if p == target || !strings.HasPrefix(p, target) {
		return ""
	}
	rest := p[len(target):]
	if !strings.HasSuffix(target, "/") && !strings.HasPrefix(rest, "/") {
		return "" // "dist2" is not under "dist"
	}
	return topEntry(rest)
}

// partOf returns the selector of the current target's entries, or nil
// when the scan is not sharded.
func (c *collector) partOf(target string) func(entry string) bool {
	if c.part == nil {
		return nil
	}
	return func(entry string) bool { return c.part(target, entry) }
}

// keep reports whether an error or skip at a walked path of the current
// target belongs to this part of the sweep.
func (c *collector) keep(p string) bool {
	if c.part == nil {
		return true
	}
	return c.part(c.target, entryOf(c.target, p))
}

// keepItem is keep for an item. A file target is kept: its members are
// chosen when it is opened (scanTree), and the whole file goes to the
// part that owns the entry "" when it is not a container.
func (c *collector) keepItem(it scanners.Item) bool {
	return c.part == nil || it.Path == c.target || c.keep(it.Path)
}
