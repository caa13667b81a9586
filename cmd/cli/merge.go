package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/rouei/rouei/detectors"
	"github.com/rouei/rouei/report"
)

// maxReportBytes bounds one shard report read by merge.
const maxReportBytes = 4 << 30

// runMerge is `rouei merge [flags] REPORT.json|DIR...`: it joins the JSON
// reports of the N parts of a sharded sweep (scan --shard K/N --format
// json) into the report one process gives, written in any format, with
// the exit status scan would have given. A directory stands for its
// *.json files (containers have no shell to expand globs).
func runMerge(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("rouei merge", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "text", "report format: text|json|sarif|html")
	var output string
	fs.StringVar(&output, "output", "", "write the report to `FILE` (created 0600) instead of stdout")
	fs.StringVar(&output, "o", "", "shorthand for --output")
	failOnFlag := fs.String("fail-on", "high", "lowest severity that makes the exit status 1: critical|high|medium|low|never")
	langFlag := fs.String("lang", "", "language of the text and HTML report: ja|en (default: from LC_ALL/LC_MESSAGES/LANG)")
	config := fs.String("config", "", "policy `FILE` whose fail_on and lang apply (the shards' own policy)")
	pretty := fs.Bool("pretty", false, "indent the json and sarif reports (default: compact, one line)")
	state := fs.String("state", "", "history `FILE` (SQLite): compare the whole sweep with the previous one over the same targets, as one scan --state does")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: rouei merge [-o FILE] [--format F] [--pretty] [--fail-on S] [--state FILE] REPORT.json|DIR...")
		fs.PrintDefaults()
	}
	var paths []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return ExitOK
			}
			return ExitUsage
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		if args[0] == "--" {
			paths = append(paths, args[1:]...)
			break
		}
		paths = append(paths, args[0])
		args = args[1:]
	}
	usage := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "rouei merge: "+format+"\n", a...)
		return ExitUsage
	}
	if len(paths) == 0 {
		return usage("at least one shard REPORT.json is needed")
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	if *config != "" {
		pol, err := loadPolicy(*config)
		if err != nil {
			return usage("%v", err)
		}
		if !set["fail-on"] && pol.FailOn != "" {
			*failOnFlag = pol.FailOn
		}
		if !set["lang"] && pol.Lang != "" {
			*langFlag = pol.Lang
		}
	}
	failOn, err := parseFailOn(*failOnFlag)
	if err != nil {
		return usage("%v", err)
	}
	lang := report.LangFromEnv(os.Getenv)
	if *langFlag != "" {
		if lang, err = report.ParseLang(*langFlag); err != nil {
			return usage("%v", err)
		}
	}
	switch *format {
	case "text", "json", "sarif", "html":
	default:
		return usage("unknown --format %q (text|json|sarif|html)", *format)
	}
	files, err := expandReports(paths)
	if err != nil {
		return usage("%v", err)
	}
	var in []report.MergeInput
	for _, p := range files {
		r, err := readReport(p)
		if err != nil {
			return usage("%v", err)
		}
		in = append(in, report.MergeInput{Name: p, Report: r})
	}
	var targets []string
	for _, p := range in {
		if p.Report.Shard != nil {
			targets = p.Report.Targets
			break
		}
	}
	m, err := report.Merge(in, report.MergeOptions{EndpointRank: endpointRank(targets)})
	if err != nil {
		var me *report.MergeError
		if errors.As(err, &me) {
			fmt.Fprintln(stderr, "rouei merge: refusing to merge these reports:")
			for _, p := range me.Problems {
				fmt.Fprintf(stderr, "  - %s\n", p)
			}
			return ExitUsage
		}
		return usage("%v", err)
	}
	if *state != "" {
		if err := keepHistory(*state, m); err != nil {
			return usage("%v", err)
		}
	}
	if err := writeMerged(m, *format, *pretty, output, stdout, lang, failOn); err != nil {
		return usage("%v", err)
	}
	return mergedStatus(m, failOn, stderr)
}

// expandReports turns the arguments into report files: a directory
// stands for its *.json files, sorted.
func expandReports(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
		if !fi.IsDir() {
			out = append(out, p)
			continue
		}
		ms, err := filepath.Glob(filepath.Join(p, "*.json"))
		if err != nil {
			return nil, err
		}
		if len(ms) == 0 {
			return nil, fmt.Errorf("%s: no *.json reports in the directory", p)
		}
		sort.Strings(ms)
		out = append(out, ms...)
	}
	return out, nil
}

// readReport reads one JSON report, strictly.
func readReport(path string) (*report.Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxReportBytes+1))
	if err != nil {
		return nil, fmt.Errorf("report %s: %w", path, err)
	}
	if len(data) > maxReportBytes {
		return nil, fmt.Errorf("report %s: larger than %d bytes", path, int64(maxReportBytes))
	}
	if !bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) {
		return nil, fmt.Errorf("report %s: not a JSON report (scan the shards with --format json)", path)
	}
	var r report.Report
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("report %s: %w", path, err)
	}
	if r.Schema == "" {
		return nil, fmt.Errorf("report %s: no schema: not a rouei JSON report", path)
	}
	return &r, nil
}

// writeMerged writes the merged report as scan writes its report: to
// stdout, or atomically to output (writeFileAtomic).
func writeMerged(r *report.Report, format string, pretty bool, output string, stdout io.Writer, lang report.Lang, failOn detectors.Severity) error {
	write := func(w io.Writer) error {
		switch format {
		case "json":
			if pretty {
				return report.WriteJSONPretty(w, r)
			}
			return report.WriteJSON(w, r)
		case "sarif":
			if pretty {
				return report.WriteSARIFPretty(w, r)
			}
			return report.WriteSARIF(w, r)
		case "html":
			return report.WriteHTML(w, r, report.HTMLOptions{Lang: lang, FailOn: failOn})
		}
		return report.WriteText(w, r, report.TextOptions{Lang: lang, FailOn: failOn})
	}
	var err error
	if output == "" {
		bw := bufio.NewWriter(stdout)
		if err = write(bw); err == nil {
			err = bw.Flush()
		}
	} else if err = os.MkdirAll(filepath.Dir(output), 0o700); err == nil {
		err = writeFileAtomic(output, write)
	}
	if err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	return nil
}

// mergedStatus is the exit status one scan of the whole sweep would have
// given: 2 when nothing at all could be read (no file, archive or
// reachable endpoint, and errors), else by the verdict.
func mergedStatus(r *report.Report, failOn detectors.Severity, stderr io.Writer) int {
	read := r.Stats.Files + r.Stats.Archives
	for _, e := range r.Endpoints {
		if e.Reachable {
			read++
		}
	}
	if read == 0 && len(r.Errors) > 0 {
		for _, e := range r.Errors {
			fmt.Fprintf(stderr, "rouei: %s: %s\n", e.Path, e.Error)
		}
		return ExitUsage
	}
	switch r.Verdict(failOn) {
	case report.Fail:
		return ExitFindings
	case report.Incomplete:
		return ExitIncomplete
	}
	return ExitOK
}
