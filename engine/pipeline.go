package engine

import (
	"runtime"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/rouei/rouei/detectors"
)

// The chunk pipeline of one large file. A file is read on one goroutine
// (decoding, decompression, string extraction: whatever its reader does),
// cut into chunks exactly as in a serial scan; the detectors, which are
// stateless and safe for concurrent use, search several chunks at once;
// and the record analysis (detectors.Analyzer), which carries state from
// line to line, takes the chunks' lines and matches one chunk after the
// other in file order on a goroutine of its own. Every chunk is cut,
// searched and analysed as the serial scan does it, so persons,
// classification, findings and their order are the serial answer's.
//
// A file is scanned serially until pipeMin bytes of its text were
// searched: small files keep the one-file-per-worker parallelism of
// scanItems, at no cost of their own. The searches of every pipelined
// file share detectSlots, one for each processor, so that several large
// files at once do not oversubscribe the machine.

// pipeMin is how many bytes of text a file has had searched, serially,
// before its further chunks are pipelined.
var pipeMin = 4 << 20

// pipeForce pipelines even with one processor (tests).
var pipeForce = false

// detectSlots bounds the chunk searches running at once, over all files.
var detectSlots = make(chan struct{}, max(runtime.GOMAXPROCS(0), 1))

// pipelining says whether a file that has had searched bytes of text is
// worth pipelining from here on.
func pipelining(searched int) bool {
	return searched >= pipeMin && (pipeForce || runtime.GOMAXPROCS(0) > 1)
}

// chunkJob is one chunk of a file on its way through the pipeline.
type chunkJob struct {
	// A text chunk: raw[:cut] (of which raw[:rescan] was seen with the
	// previous chunk), whose first line is baseLine. raw is the job's own
	// read buffer.
	raw                   []byte
	cut, rescan, baseLine int
	unesc                 []byte
	soft                  []int
	// A batch of a binary's strings: text, with the start of each string
	// in it and the string's offset in the file.
	binary  bool
	starts  []int
	offsets []int64

	text []byte // what is searched: the normalised chunk, or the batch
	skip int    // text[:skip] was seen with the previous chunk
	ms   []detectors.Match
	err  error     // the first failure of a fallible detector
	fail pipePanic // a panic while searching
	done chan struct{}
}

// pipePanic is a panic recovered on a goroutine of the pipeline, raised
// again on the file's own goroutine (scanTreeMem recovers it there).
type pipePanic string

var jobPool sync.Pool // of *chunkJob

// pipeStarts counts the pipelines started (tests).
var pipeStarts atomic.Int64

// pipeline is the pipeline of one file being scanned.
type pipeline struct {
	f     *fileScan
	size  int            // read buffer size of a text job
	free  chan *chunkJob // jobs not in flight
	order chan *chunkJob // jobs in flight, in file order
	over  chan struct{}  // the analysis has taken every job
	fail  pipePanic      // the first panic, after which nothing is analysed
	jobs  []*chunkJob
}

// startPipeline starts the pipeline of f; size is the read buffer each
// text job needs (0 for a binary's batches).
func (f *fileScan) startPipeline(size int) *pipeline {
	n := min(runtime.GOMAXPROCS(0), 8) + 2
	p := &pipeline{f: f, size: size, free: make(chan *chunkJob, n),
		order: make(chan *chunkJob, n), over: make(chan struct{})}
	for range n {
		j, _ := jobPool.Get().(*chunkJob)
		if j == nil {
			j = &chunkJob{}
		}
		if size > 0 && len(j.raw) != size {
			j.raw = make([]byte, size)
		}
		p.jobs = append(p.jobs, j)
		p.free <- j
	}
	pipeStarts.Add(1)
	go p.analyse()
	return p
}

// job returns a job not in flight (waiting for one when all are).
func (p *pipeline) job() *chunkJob {
	return <-p.free
}

// submit searches j as soon as a slot is free, and queues it for the
// analysis.
func (p *pipeline) submit(j *chunkJob) {
	j.done = make(chan struct{})
	j.err, j.fail = nil, ""
	p.order <- j // never blocks: it holds as many as there are jobs
	detectSlots <- struct{}{}
	go p.search(j)
}

// search runs the detectors over one job.
func (p *pipeline) search(j *chunkJob) {
	defer func() {
		if r := recover(); r != nil {
			j.fail = pipePanic(panicReason(r))
		}
		<-detectSlots
		close(j.done)
	}()
	if !j.binary {
		j.text, j.unesc, j.soft, j.skip = prepareText(j.text, j.unesc, j.soft, j.raw[:j.cut], j.rescan)
	}
	j.ms, j.err = findMatches(p.f.opt, j.ms[:0], j.text)
}

// analyse hands the jobs' lines to the analyzer in file order.
func (p *pipeline) analyse() {
	defer close(p.over)
	for j := range p.order {
		<-j.done
		if p.fail == "" && j.fail != "" {
			p.fail = j.fail
		}
		if p.fail == "" {
			p.feed(j)
		}
		p.free <- j
	}
}

// feed is analyse for one job; a panic stops the analysis.
func (p *pipeline) feed(j *chunkJob) {
	defer func() {
		if r := recover(); r != nil {
			p.fail = pipePanic(panicReason(r))
		}
	}()
	f := p.f
	if j.err != nil && f.ruleErr == nil {
		f.ruleErr = j.err
	}
	if !j.binary {
		f.feedLines(j.text, j.ms, j.skip, j.baseLine, nil, j.soft)
		return
	}
	starts, offsets := j.starts, j.offsets
	f.feedLines(j.text, j.ms, 0, 0, func(pos int) int64 {
		i := sort.Search(len(starts), func(i int) bool { return starts[i] > pos }) - 1
		return offsets[max(i, 0)]
	}, nil)
}

// close waits for every job submitted to be analysed and lets go of the
// jobs. A panic on one of the pipeline's goroutines is raised again here.
func (p *pipeline) close() {
	if p.order == nil {
		return
	}
	close(p.order)
	<-p.over
	p.order = nil
	for _, j := range p.jobs {
		if cap(j.text) > 4*p.f.opt.ChunkSize+(1<<20) {
			continue // grown on odd input: not kept
		}
		j.done = nil
		jobPool.Put(j)
	}
	p.jobs = nil
	if p.fail != "" {
		panic(p.fail)
	}
}
