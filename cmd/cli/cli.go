// Package cli is rouei's command line: it parses flags, runs the engine
// and maps the report to an exit status. It holds no scanning logic.
package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/rouei/rouei/detectors"
	"github.com/rouei/rouei/engine"
	"github.com/rouei/rouei/history"
	"github.com/rouei/rouei/report"
	"github.com/rouei/rouei/scanners/pdf"
)

// Exit statuses of the contract.
const (
	ExitOK         = 0 // nothing at or above --fail-on
	ExitFindings   = 1 // at least one finding at or above --fail-on
	ExitUsage      = 2 // usage error, or nothing could be scanned
	ExitIncomplete = 3 // nothing at or above --fail-on, but something could not be scanned completely
)

const usageText = `usage: rouei scan [flags] TARGET...
       rouei baseline -o FILE [flags] TARGET...
       rouei merge [-o FILE] [--format F] [--pretty] [--fail-on S] [--state FILE] REPORT.json|DIR...   (shard reports → one report)
       rouei allow-hash --key KEY < VALUES    (lines "category value": prints keyed hashes for allow.values)
       rouei version

TARGET is a directory, a file, or an FTP endpoint (ftp://[user[:password]@]host[:port][/path]).

Exit status: 0 nothing at or above --fail-on; 1 findings at or above it;
2 usage error or nothing could be scanned; 3 no such findings, but the scan was incomplete.

flags:
`

// Run runs rouei with args (without the program name) and returns the exit status.
func Run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usageText)
		return ExitUsage
	}
	switch args[0] {
	case "version", "--version", "-version":
		fmt.Fprintf(stdout, "rouei %s\n", engine.Version)
		return ExitOK
	case "scan":
		return runScan(args[1:], stdout, stderr)
	case "baseline":
		return runBaseline(args[1:], stdout, stderr)
	case "merge":
		return runMerge(args[1:], stdout, stderr)
	case "allow-hash":
		return runAllowHash(args[1:], os.Stdin, stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usageText)
		newScanFlags(stdout).fs.PrintDefaults()
		return ExitOK
	}
	fmt.Fprintf(stderr, "rouei: unknown command %q\n%s", args[0], usageText)
	return ExitUsage
}

// scanFlags are the flags of `rouei scan`.
type scanFlags struct {
	fs             *flag.FlagSet
	format         string
	output         string
	failOn         string
	noProgress     bool
	reveal         bool
	ftpWriteCheck  bool
	ftpInsecureTLS bool
	baseline       string
	config         string
	targets        string
	state          string
	lang           string
	maxFindings    int
	pretty         bool
	cpuProfile     string
	memProfile     string
	sweep          sweepFlags // --shard, --exit-zero (shard.go)
	customer       listFlag   // --customer AREA, repeatable
}

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func newScanFlags(out io.Writer) *scanFlags {
	f := &scanFlags{fs: flag.NewFlagSet("rouei scan", flag.ContinueOnError)}
	fs := f.fs
	fs.SetOutput(out)
	fs.StringVar(&f.format, "format", "text", "report format: text|json|sarif|html")
	fs.StringVar(&f.output, "output", "", "write the report to `FILE` (created 0600) instead of stdout")
	fs.StringVar(&f.output, "o", "", "shorthand for --output")
	fs.StringVar(&f.failOn, "fail-on", "high", "lowest severity that makes the exit status 1: critical|high|medium|low|never")
	fs.BoolVar(&f.noProgress, "no-progress", false, "no progress bar (also off when stderr is not a terminal or CI is set)")
	fs.BoolVar(&f.reveal, "reveal", false, "show unmasked evidence (prints a warning to stderr)")
	fs.BoolVar(&f.ftpWriteCheck, "ftp-write-check", false, "test whether an anonymous FTP user can write (uploads a canary file)")
	fs.BoolVar(&f.ftpInsecureTLS, "ftp-insecure-tls", false, "go on with ftps:// endpoints whose certificate does not verify (the problem is still reported)")
	fs.StringVar(&f.baseline, "baseline", "", "`FILE` of accepted fingerprints: matching findings are reported as baselined and do not fail the run")
	fs.StringVar(&f.config, "config", "", "policy `FILE`")
	fs.StringVar(&f.state, "state", "", "history `FILE` (SQLite): report what is new, still present and resolved since the last run over the same targets")
	fs.StringVar(&f.targets, "targets", "", "read more targets from `FILE`, one per line ('#' comments)")
	fs.StringVar(&f.lang, "lang", "", "language of the text report: ja|en (default: from LC_ALL/LC_MESSAGES/LANG)")
	fs.IntVar(&f.maxFindings, "max-findings-per-file", engine.DefaultMaxFindingsPerFile, "findings listed per file in the report (all are counted)")
	fs.Var(&f.customer, "customer", "`AREA` the delivery or server belongs to: a municipality (name, or local government code) or a prefecture; repeatable. Lists whose people live mostly elsewhere are other_customer and critical")
	fs.BoolVar(&f.pretty, "pretty", false, "indent the json and sarif reports (default: compact, one line)")
	fs.StringVar(&f.cpuProfile, "cpuprofile", "", "write a CPU profile of the run to `FILE` (go tool pprof; holds no scanned content)")
	fs.StringVar(&f.memProfile, "memprofile", "", "write a heap profile at the end of the run to `FILE` (go tool pprof)")
	f.sweep.register(fs)
	return f
}

// parse parses flags and positional arguments in any order.
func (f *scanFlags) parse(args []string) ([]string, error) {
	var targets []string
	for {
		if err := f.fs.Parse(args); err != nil {
			return nil, err
		}
		args = f.fs.Args()
		if len(args) == 0 {
			return targets, nil
		}
		if args[0] == "--" {
			return append(targets, args[1:]...), nil
		}
		targets = append(targets, args[0])
		args = args[1:]
	}
}

// scanJob is a parsed scan command line: flags, targets, policy, and
// the engine options they make. scan and baseline share it.
type scanJob struct {
	f       *scanFlags
	targets []string
	pol     *policy
	opt     engine.Options
	plan    *plan // with --shard: this part of the sweep (shard.go)
	// customer is --customer, else the policy's [customer] areas.
	customer *report.Customer
}

// setupScan parses a scan-like command line. ok is false when the command
// is done (help, or a usage error, with the exit status in code).
func setupScan(args []string, stderr io.Writer) (j *scanJob, code int, ok bool) {
	f := newScanFlags(stderr)
	targets, err := f.parse(args)
	if errors.Is(err, flag.ErrHelp) {
		return nil, ExitOK, false
	}
	if err != nil {
		return nil, ExitUsage, false
	}
	usage := func(format string, a ...any) (*scanJob, int, bool) {
		fmt.Fprintf(stderr, "rouei: "+format+"\n", a...)
		return nil, ExitUsage, false
	}
	if f.targets != "" {
		more, err := readTargets(f.targets)
		if err != nil {
			return usage("%v", err)
		}
		targets = append(targets, more...)
	}
	if len(targets) == 0 {
		return usage("at least one TARGET is needed")
	}
	j = &scanJob{f: f, targets: targets}
	if f.config != "" {
		if j.pol, err = loadPolicy(f.config); err != nil {
			return usage("%v", err)
		}
		set := map[string]bool{}
		f.fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
		if !set["fail-on"] && j.pol.FailOn != "" {
			f.failOn = j.pol.FailOn
		}
		if !set["lang"] && j.pol.Lang != "" {
			f.lang = j.pol.Lang
		}
	}
	if f.maxFindings < 1 {
		return usage("--max-findings-per-file must be at least 1")
	}
	j.opt = engine.Options{Reveal: f.reveal, MaxFindingsPerFile: f.maxFindings}
	j.opt.FTP.WriteCheck = f.ftpWriteCheck
	j.opt.FTP.InsecureTLS = f.ftpInsecureTLS
	if pol := j.pol; pol != nil {
		j.opt.FTP = pol.ftpOptions(j.opt.FTP)
		j.opt.Limits = pol.limits()
		pdf.Configure(pol.pdfConfig())
		if len(pol.Allow.Paths) > 0 {
			j.opt.AllowPath = pol.allowPath
		}
		if len(pol.Allow.Values) > 0 {
			j.opt.AllowValue = pol.allowValue
		}
		if len(pol.siteRules) > 0 {
			j.opt.Detectors = append(detectors.All(), pol.siteRules...)
		}
	}
	specs := []string(f.customer)
	if len(specs) == 0 && j.pol != nil {
		specs = j.pol.Customer.Areas
	}
	if j.customer, err = report.ParseCustomer(specs); err != nil {
		return usage("%v", err)
	}
	if err := j.setupSweep(); err != nil {
		return usage("%v", err)
	}
	return j, 0, true
}

// run scans, with a progress bar on a terminal, until done or
// interrupted: the first SIGINT or SIGTERM stops the scan, which returns
// the report of what was scanned so far (Complete false); a second one
// exits at once, with no report (see watchSignals).
func (j *scanJob) run(ctx context.Context, stderr io.Writer) (*report.Report, error) {
	opt := j.opt
	var bar *progressBar
	if !j.f.noProgress && progressWanted(stderr) {
		bar = newProgressBar(stderr)
		opt.Progress = bar
	}
	r, err := engine.Scan(ctx, j.scanTargets(), opt)
	r.ApplyCustomer(j.customer)
	j.markShard(r)
	if bar != nil {
		bar.Finish()
	}
	return r, err
}

// watchSignals returns a context that the first SIGINT or SIGTERM
// cancels (the scan then stops and its report is written, marked
// incomplete); a second signal exits the process at once with
// ExitIncomplete. stop ends the watch.
func watchSignals(stderr io.Writer) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-sigs:
			fmt.Fprintf(stderr, "rouei: %v: stopping; the report will hold what was scanned so far (again to quit at once)\n", sig)
			cancel(fmt.Errorf("signal %v", sig))
		case <-done:
			return
		}
		select {
		case sig := <-sigs:
			fmt.Fprintf(stderr, "rouei: %v again: quitting without a report\n", sig)
			removePendingTemp()
			os.Exit(ExitIncomplete)
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(sigs)
		close(done)
		cancel(nil)
	}
}

// interrupted reports whether the scan was stopped by a signal.
func interrupted(err error) bool {
	return errors.Is(err, context.Canceled)
}

func runScan(args []string, stdout, stderr io.Writer) int {
	j, code, ok := setupScan(args, stderr)
	if !ok {
		return code
	}
	f := j.f
	stopProfiles, err := startProfiles(f)
	if err != nil {
		fmt.Fprintf(stderr, "rouei: %v\n", err)
		return ExitUsage
	}
	defer stopProfiles(stderr)
	usage := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "rouei: "+format+"\n", a...)
		return ExitUsage
	}
	failOn, err := parseFailOn(f.failOn)
	if err != nil {
		return usage("%v", err)
	}
	lang := report.LangFromEnv(os.Getenv)
	if f.lang != "" {
		if lang, err = report.ParseLang(f.lang); err != nil {
			return usage("%v", err)
		}
	}
	switch f.format {
	case "text", "json", "sarif", "html":
	default:
		return usage("unknown --format %q (text|json|sarif|html)", f.format)
	}
	var baseline map[string]bool
	if f.baseline != "" {
		if baseline, err = loadBaseline(f.baseline); err != nil {
			return usage("%v", err)
		}
	}
	if f.reveal {
		fmt.Fprintln(stderr, "rouei: WARNING: --reveal prints personal data unmasked; do not share this report")
	}
	ctx, stop := watchSignals(stderr)
	defer stop()
	closeSpool := j.spool(stderr)
	defer closeSpool()
	r, scanErr := j.run(ctx, stderr)
	if r == nil {
		fmt.Fprintf(stderr, "rouei: %v\n", scanErr)
		return ExitUsage
	}
	applyBaseline(r, baseline)
	r.Localize(lang) // files[].reasons in the report's language, every format
	j.sealShard(r, baseline, lang)
	if f.state != "" {
		if err := j.keepHistory(f.state, r); err != nil {
			fmt.Fprintf(stderr, "rouei: %v\n", err)
			return ExitUsage
		}
	}

	write := func(w io.Writer) error {
		switch f.format {
		case "json":
			if f.pretty {
				return report.WriteJSONPretty(w, r)
			}
			return report.WriteJSON(w, r)
		case "sarif":
			if f.pretty {
				return report.WriteSARIFPretty(w, r)
			}
			return report.WriteSARIF(w, r)
		case "html":
			return report.WriteHTML(w, r, report.HTMLOptions{Lang: lang, FailOn: failOn})
		}
		return report.WriteText(w, r, report.TextOptions{Lang: lang, FailOn: failOn})
	}
	if f.output != "" {
		err = writeFileAtomic(f.output, write)
	} else {
		bw := bufio.NewWriter(stdout)
		if err = write(bw); err == nil {
			err = bw.Flush()
		}
	}
	stopProfiles(stderr) // the heap profile with the report still held
	if err != nil {
		fmt.Fprintf(stderr, "rouei: writing the report: %v\n", err)
		return ExitUsage
	}
	if interrupted(scanErr) {
		return ExitIncomplete
	}
	if errors.Is(scanErr, engine.ErrNothingScanned) {
		for _, e := range r.Errors {
			fmt.Fprintf(stderr, "rouei: %s: %s\n", e.Path, e.Error)
		}
		if f.sweep.exitZero {
			return ExitOK
		}
		return ExitUsage
	}
	if f.sweep.exitZero {
		return ExitOK
	}
	switch r.Verdict(failOn) {
	case report.Fail:
		return ExitFindings
	case report.Incomplete:
		return ExitIncomplete
	}
	return ExitOK
}

// parseFailOn parses --fail-on; "never" is detectors.None.
func parseFailOn(s string) (detectors.Severity, error) {
	if s == "never" {
		return detectors.None, nil
	}
	sev, err := detectors.ParseSeverity(s)
	if err != nil || sev == detectors.None || sev == detectors.Info {
		return detectors.None, fmt.Errorf("unknown --fail-on %q (critical|high|medium|low|never)", s)
	}
	return sev, nil
}

// loadBaseline reads accepted fingerprints: either a rouei JSON report
// (its findings' fingerprints) or a text file with one fingerprint per
// line ('#' starts a comment).
func loadBaseline(path string) (map[string]bool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	set := map[string]bool{}
	trimmed := strings.TrimSpace(string(data))
	if strings.HasPrefix(trimmed, "{") {
		var r struct {
			Findings []struct {
				Fingerprint string `json:"fingerprint"`
			} `json:"findings"`
		}
		if err := json.Unmarshal(data, &r); err != nil {
			return nil, fmt.Errorf("baseline %s: %w", path, err)
		}
		for _, f := range r.Findings {
			set[f.Fingerprint] = true
		}
		return set, nil
	}
	for _, line := range strings.Split(trimmed, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		if line = strings.TrimSpace(line); line != "" {
			set[line] = true
		}
	}
	return set, nil
}

// applyBaseline marks findings whose fingerprint is accepted.
func applyBaseline(r *report.Report, baseline map[string]bool) {
	r.MarkBaselined(baseline)
}

// spool gives the scan a findings spool (a private temp file in the
// system's temp dir, else beside -o), so that memory does not grow with
// the findings; the returned func closes and removes it. Without one
// (no writable temp dir) the findings are kept in memory, with a note.
func (j *scanJob) spool(stderr io.Writer) func() {
	sp, err := report.NewSpool("")
	if err != nil && j.f.output != "" {
		sp, err = report.NewSpool(filepath.Dir(j.f.output))
	}
	if err != nil {
		fmt.Fprintf(stderr, "rouei: note: %v: findings are kept in memory\n", err)
		return func() {}
	}
	j.opt.Spool = sp
	return func() { sp.Close() }
}

// startProfiles starts --cpuprofile; the returned func (once; later
// calls do nothing) stops it and writes --memprofile.
func startProfiles(f *scanFlags) (func(io.Writer), error) {
	var cpu *os.File
	if f.cpuProfile != "" {
		var err error
		if cpu, err = os.Create(f.cpuProfile); err != nil {
			return nil, fmt.Errorf("--cpuprofile: %w", err)
		}
		if err := pprof.StartCPUProfile(cpu); err != nil {
			cpu.Close()
			return nil, fmt.Errorf("--cpuprofile: %w", err)
		}
	}
	var once sync.Once
	return func(stderr io.Writer) { once.Do(func() { stopProfiles(f, cpu, stderr) }) }, nil
}

func stopProfiles(f *scanFlags, cpu *os.File, stderr io.Writer) {
	if cpu != nil {
		pprof.StopCPUProfile()
		if err := cpu.Close(); err != nil {
			fmt.Fprintf(stderr, "rouei: --cpuprofile: %v\n", err)
		}
	}
	if f.memProfile != "" {
		runtime.GC() // the heap as it stands, not as of the last collection
		if err := writeFileAtomic(f.memProfile, pprof.WriteHeapProfile); err != nil {
			fmt.Fprintf(stderr, "rouei: --memprofile: %v\n", err)
		}
	}
}

// runBaseline scans the targets and writes the fingerprints of today's
// findings to the -o file: accepted findings for --baseline. The file
// holds fingerprints, detectors and paths, never evidence.
func runBaseline(args []string, stdout, stderr io.Writer) int {
	j, code, ok := setupScan(args, stderr)
	if !ok {
		return code
	}
	f := j.f
	if f.output == "" {
		fmt.Fprintln(stderr, "rouei: baseline needs -o FILE")
		return ExitUsage
	}
	j.opt.MaxFindingsPerFile = 1 << 30 // every finding's fingerprint
	j.opt.Reveal = false
	stopProfiles, err := startProfiles(f)
	if err != nil {
		fmt.Fprintf(stderr, "rouei: %v\n", err)
		return ExitUsage
	}
	defer stopProfiles(stderr)
	ctx, stop := watchSignals(stderr)
	defer stop()
	closeSpool := j.spool(stderr)
	defer closeSpool()
	r, scanErr := j.run(ctx, stderr)
	if r != nil && interrupted(scanErr) {
		fmt.Fprintln(stderr, "rouei: interrupted: no baseline written")
		return ExitIncomplete
	}
	if r == nil || errors.Is(scanErr, engine.ErrNothingScanned) {
		fmt.Fprintf(stderr, "rouei: %v\n", scanErr)
		return ExitUsage
	}
	if err := writeFileAtomic(f.output, func(w io.Writer) error {
		fmt.Fprintf(w, "# rouei baseline: accepted findings, one fingerprint per line (rouei %s, %s)\n",
			engine.Version, r.FinishedAt.Format(time.RFC3339))
		io.WriteString(w, "# use: rouei scan --baseline FILE TARGET...\n")
		return r.EachFinding(func(fd report.Finding) error {
			_, err := fmt.Fprintf(w, "%s  # %s %s\n", fd.Fingerprint, fd.Detector, fd.Path)
			return err
		})
	}); err != nil {
		fmt.Fprintf(stderr, "rouei: %v\n", err)
		return ExitUsage
	}
	if len(r.Errors) > 0 {
		fmt.Fprintf(stderr, "rouei: note: %d item(s) could not be scanned completely; their findings are not in the baseline\n", len(r.Errors))
	}
	fmt.Fprintf(stdout, "rouei: %d fingerprints written to %s\n", r.FindingCount(), f.output)
	return ExitOK
}

// runAllowHash reads "category value" lines (phone 0564-23-0101) from in
// and prints the keyed hash of each for a policy's allow.values. Values
// are read from standard input, not arguments, to keep them out of shell
// history and process listings.
func runAllowHash(args []string, in io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("rouei allow-hash", flag.ContinueOnError)
	fs.SetOutput(stderr)
	key := fs.String("key", os.Getenv("ROUEI_ALLOW_KEY"), "hash `KEY` (default: $ROUEI_ALLOW_KEY)")
	if err := fs.Parse(args); err != nil || *key == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: rouei allow-hash --key KEY < lines of \"category value\"")
		return ExitUsage
	}
	sc := bufio.NewScanner(in)
	n := 0
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cat, val, ok := strings.Cut(line, " ")
		if !ok {
			fmt.Fprintf(stderr, "rouei: line %d: want \"category value\"\n", n+1)
			return ExitUsage
		}
		n++
		fmt.Fprintf(stdout, "%q, # %s\n", valueHash(*key, cat, strings.TrimSpace(val)), cat)
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintf(stderr, "rouei: %v\n", err)
		return ExitUsage
	}
	return ExitOK
}

// readTargets reads a targets file: one target per line, blank lines and
// '#' comments ignored.
func readTargets(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("targets: %w", err)
	}
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out, nil
}

// keepHistory compares the run with the previous one over the same
// targets in the state file, then records it.
func keepHistory(path string, r *report.Report) error {
	st, err := history.Open(path)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Compare(r); err != nil {
		return err
	}
	if r.Complete != nil && !*r.Complete {
		// an interrupted run is not what the targets hold: the next run
		// compares with the last complete one
		return nil
	}
	return st.Record(r)
}

// pendingTemp is the temp file a report is being written to, removed if
// a second signal ends the process in the middle.
var pendingTemp struct {
	sync.Mutex
	name string
}

func setPendingTemp(name string) {
	pendingTemp.Lock()
	pendingTemp.name = name
	pendingTemp.Unlock()
}

func removePendingTemp() {
	pendingTemp.Lock()
	defer pendingTemp.Unlock()
	if pendingTemp.name != "" {
		os.Remove(pendingTemp.name)
	}
}

// writeFileAtomic writes a report file so that no reader (a later
// --baseline, a dashboard) ever sees it half written: into a private
// temp file (mode 0600) in the same directory, synced, then renamed over
// path. A path that exists and is not a regular file (a device, a FIFO,
// /dev/stdout) is written in place.
func writeFileAtomic(path string, write func(io.Writer) error) (err error) {
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		bw := bufio.NewWriter(f)
		if err = write(bw); err == nil {
			err = bw.Flush()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	setPendingTemp(tmp.Name())
	defer setPendingTemp("")
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = tmp.Chmod(0o600); err != nil {
		return err
	}
	bw := bufio.NewWriter(tmp)
	if err = write(bw); err != nil {
		return err
	}
	if err = bw.Flush(); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	if d, derr := os.Open(filepath.Dir(path)); derr == nil {
		_ = d.Sync() // the rename itself survives a crash
		d.Close()
	}
	return nil
}
