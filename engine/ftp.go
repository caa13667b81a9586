package engine

import (
	"context"
	"strings"
	"sync"

	"github.com/rouei/rouei/report"
	"github.com/rouei/rouei/scanners"
	"github.com/rouei/rouei/scanners/ftp"
)

// isFTP reports whether a target is an FTP endpoint.
func isFTP(target string) bool {
	return strings.HasPrefix(target, "ftp://") || strings.HasPrefix(target, "ftps://")
}

// scanFTP probes the FTP targets (hosts in parallel, each host serially,
// politely) and scans every file an endpoint lets rouei read through the
// same pipeline as a local file. Each fetched file is read while its
// data connection is open: no two data connections to one host.
func scanFTP(ctx context.Context, targets []string, opt *Options) ([]report.Endpoint, [][]fileResult) {
	var (
		mu      sync.Mutex
		results [][]fileResult
		pool    = sync.Pool{New: func() any { return newWorkspace() }}
	)
	eps := ftp.ScanAll(ctx, targets, opt.FTP, func(_ string, it scanners.Item) error {
		ws := pool.Get().(*workspace)
		rs := scanTree(ctx, it, opt, ws, 0, false)
		pool.Put(ws)
		opt.spoolResults(rs)
		mu.Lock()
		results = append(results, rs)
		mu.Unlock()
		return ctx.Err()
	})
	seen := map[string]bool{}
	for _, rs := range results {
		for _, r := range rs {
			for _, e := range r.errors {
				seen[e.Path] = true
			}
		}
	}
	out := make([]report.Endpoint, len(eps))
	for i, e := range eps {
		out[i] = report.Endpoint{
			Target: e.Target, Reachable: e.Reachable, AnonymousLogin: e.AnonymousLogin,
			AnonymousWrite: e.AnonymousWrite, TLS: e.TLS, TLSOffered: e.TLSOffered, TLSError: e.TLSError, Banner: e.Banner,
			ListedFiles: e.ListedFiles, FetchedFiles: e.FetchedFiles, Error: e.Error,
			WritableHints: e.WritableHints,
		}
		for _, w := range e.WriteCheck {
			out[i].WriteCheck = append(out[i].WriteCheck, report.WriteCheck(w))
		}
		// The endpoint's own problems (unreadable directories, files too
		// large, canaries left behind) become error entries; a read error
		// the scan reported already is not repeated.
		var errs []report.Error
		for _, fe := range e.Errors {
			if !seen[fe.Path] {
				errs = append(errs, report.Error{Path: fe.Path, Error: fe.Err})
			}
		}
		if e.Error != "" {
			errs = append(errs, report.Error{Path: e.Target, Error: e.Error})
		}
		if len(errs) > 0 {
			results = append(results, []fileResult{{errors: errs}})
		}
	}
	return out, results
}
