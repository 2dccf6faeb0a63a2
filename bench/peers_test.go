package bench

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/echeance/echeance/offer"
	dps "github.com/markusmobius/go-dateparser"
)

// This file compares how echeance reads deadlines with what a developer
// would pick off the shelf: chrono-node (npm, French and English parsers)
// and go-dateparser's search, each wrapped in the same simple deadline
// rule. All three read the same offers, the seven deadline corpora of
// offer/testdata, in the same run; each is scored on those corpora's .want
// files and timed per offer.

// corpora are the deadline corpora and the reference time each was written
// for, as offer/deadlines_test.go reads them.
var corpora = []struct {
	dir string
	now string
}{
	{"deadlines", "2025-10-01T12:00:00+02:00"},
	{"deadlines2", "2025-11-15T12:00:00+01:00"},
	{"deadlines3", "2025-11-20T10:00:00+01:00"},
	{"deadlines4", "2025-11-25T09:00:00+01:00"},
	{"deadlines5", "2025-11-28T14:00:00+01:00"},
	{"deadlines6", "2025-11-30T10:00:00+01:00"},
	{"deadlines7", "2025-12-01T09:00:00+01:00"},
}

// speedRounds is how many times the corpora are read for the timing, so
// that each reader reads over a thousand offers and extract's start-up,
// paid once per process, weighs as it does on a real batch.
const speedRounds = 5

// startRuns is how many times extract is run on one offer to time its
// start-up (the median is kept).
const startRuns = 7

// speedRuns is how many times each reader reads all the rounds, the three
// in turn; each keeps its median, so that one run slowed by the machine
// does not make a ratio.
const speedRuns = 3

// median is the middle of ds (which it sorts).
func median(ds []time.Duration) time.Duration {
	slices.Sort(ds)
	return ds[len(ds)/2]
}

// offerCase is one offer of a corpus.
type offerCase struct {
	path, now string
	// text is what the peers read: the offer decoded, turned from HTML
	// into text and normalised, as offer.Parse reads it.
	text string
	// stated is the deadline the .want file states (YYYY-MM-DD), "" when
	// it states none (no deadline, or an estimate).
	stated string
}

func loadCorpora(tb testing.TB) []offerCase {
	tb.Helper()
	var cases []offerCase
	for _, c := range corpora {
		wants, err := filepath.Glob(filepath.Join("..", "offer", "testdata", c.dir, "*.want"))
		if err != nil || len(wants) == 0 {
			tb.Fatalf("no corpus in ../offer/testdata/%s: %v", c.dir, err)
		}
		for _, w := range wants {
			base := strings.TrimSuffix(w, ".want")
			inputs, _ := filepath.Glob(base + ".*")
			var input string
			for _, p := range inputs {
				if p != w {
					input = p
				}
			}
			spec, err := os.ReadFile(w)
			if err != nil {
				tb.Fatal(err)
			}
			fields := strings.Fields(string(spec))
			data, err := os.ReadFile(input)
			if err != nil {
				tb.Fatal(err)
			}
			text, err := offer.Decode(data)
			if err != nil {
				tb.Fatal(err)
			}
			if strings.HasSuffix(input, ".html") || strings.HasSuffix(input, ".htm") {
				text = offer.HTMLToText(text)
			}
			abs, err := filepath.Abs(input)
			if err != nil {
				tb.Fatal(err)
			}
			oc := offerCase{path: abs, now: c.now, text: offer.Normalize(text)}
			if fields[0] == offer.KindExplicit {
				oc.stated = fields[1]
			}
			cases = append(cases, oc)
		}
	}
	return cases
}

// score counts the offers whose deadline a reader got right: the stated
// date, or none when the offer states none.
func score(cases []offerCase, got []string) int {
	n := 0
	for i, c := range cases {
		if got[i] == c.stated {
			n++
		}
	}
	return n
}

// ruleCues are the cues of the simple deadline rule the peers are wrapped
// in; bench/chrono/deadline.mjs holds the same list.
var ruleCues = []string{
	"date limite", "date-limite", "limite de candidature", "clôture", "avant le", "avant", "jusqu'au",
	"jusqu'à", "au plus tard", "candidatures", "dépôt", "délai",
	"deadline", "closing date", "apply by", "applications close", "no later than", "before", "until", "by",
	"due",
}

// cued reports whether a deadline cue stands within 40 bytes before
// text[at:].
func cued(text string, at int) bool {
	before := strings.ToLower(text[max(0, at-40):at])
	for _, c := range ruleCues {
		if strings.Contains(before, c) {
			return true
		}
	}
	return false
}

// dateparserDeadline reads one offer with go-dateparser's search (French
// and English) and the simple rule: the first date found after a cue.
func dateparserDeadline(p *dps.Parser, c offerCase) string {
	now, _ := time.Parse(time.RFC3339, c.now)
	cfg := &dps.Configuration{Languages: []string{"fr", "en"}, CurrentTime: now, PreferredDateSource: dps.Future}
	_, res, err := p.Search(cfg, c.text)
	if err != nil {
		return ""
	}
	from := 0
	for _, r := range res {
		at := strings.Index(c.text[from:], r.Text)
		if at < 0 {
			continue
		}
		at += from
		from = at + len(r.Text)
		if cued(c.text, at) && !r.Date.IsZero() {
			return r.Date.Time.In(now.Location()).Format(time.DateOnly)
		}
	}
	return ""
}

// chronoDeadlines reads the offers with bench/chrono/deadline.mjs and
// returns its answers and the time it spent reading, in-process.
func chronoDeadlines(tb testing.TB, cases []offerCase) ([]string, time.Duration) {
	tb.Helper()
	if _, err := os.Stat(filepath.Join("chrono", "node_modules", "chrono-node")); err != nil {
		tb.Skip("chrono-node is not installed: run make bench (npm ci --prefix bench/chrono)")
	}
	var in bytes.Buffer
	enc := json.NewEncoder(&in)
	for i, c := range cases {
		if err := enc.Encode(map[string]any{"id": i, "now": c.now, "text": c.text}); err != nil {
			tb.Fatal(err)
		}
	}
	cmd := exec.Command("node", "deadline.mjs")
	cmd.Dir = "chrono"
	cmd.Env = append(os.Environ(), "TZ=Europe/Paris")
	cmd.Stdin = &in
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("chrono-node: %v: %s", err, stderr.String())
	}
	got := make([]string, len(cases))
	var spent time.Duration
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var line struct {
			ID   *int    `json:"id"`
			Date string  `json:"date"`
			MS   float64 `json:"ms"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			tb.Fatalf("chrono-node: %q: %v", sc.Text(), err)
		}
		if line.ID == nil {
			spent = time.Duration(line.MS * float64(time.Millisecond))
			continue
		}
		got[*line.ID] = line.Date
	}
	return got, spent
}

// buildEcheance builds the binary into dir, in the main module (..), whose
// go.sum holds the daemon's dependencies.
func buildEcheance(tb testing.TB, dir string) string {
	tb.Helper()
	bin := filepath.Join(dir, "echeance")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/echeance")
	cmd.Dir = ".."
	out, err := cmd.CombinedOutput()
	if err != nil {
		tb.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// extract runs echeance extract --json on paths and returns the stated
// deadline of each (in order) and how long the run took.
func extract(tb testing.TB, bin, now string, paths []string) ([]string, time.Duration) {
	tb.Helper()
	args := append([]string{"--now", now, "extract", "--json"}, paths...)
	cmd := exec.Command(bin, args...)
	cmd.Dir = tb.TempDir() // no config file, the embedded defaults
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	out, err := cmd.Output()
	spent := time.Since(start)
	if err != nil {
		tb.Fatalf("extract: %v: %s", err, stderr.String())
	}
	var got []string
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var o offer.Offer
		if err := dec.Decode(&o); err != nil {
			tb.Fatal(err)
		}
		d := ""
		if o.Deadline.Kind == offer.KindExplicit {
			d = o.Deadline.Date
		}
		got = append(got, d)
	}
	if len(got) != len(paths) {
		tb.Fatalf("extract read %d offers of %d", len(got), len(paths))
	}
	return got, spent
}

// BenchmarkVersusPeers reads the corpora with echeance extract (one
// process over all the files, as a user would run it), chrono-node and
// go-dateparser's search, and reports for each the time per offer and the
// share of deadlines right, and how many times faster extract is. Each
// reader's time is the median of speedRuns runs, the readers in turn. Run it
// once: go test -run '^$' -bench VersusPeers -benchtime 1x.
func BenchmarkVersusPeers(b *testing.B) {
	cases := loadCorpora(b)
	bin := buildEcheance(b, b.TempDir())
	var rounds []offerCase
	for range speedRounds {
		rounds = append(rounds, cases...)
	}
	for b.Loop() {
		// Accuracy: each corpus read on its own day.
		var ours []string
		for _, c := range corpora {
			var paths []string
			for _, oc := range cases {
				if filepath.Base(filepath.Dir(oc.path)) == c.dir {
					paths = append(paths, oc.path)
				}
			}
			got, _ := extract(b, bin, c.now, paths)
			ours = append(ours, got...)
		}
		// Speed: one run over every offer, speedRounds times over, by
		// each reader in turn, speedRuns times.
		var paths []string
		for _, oc := range rounds {
			paths = append(paths, oc.path)
		}
		var oursTimes, chronoTimes, dpTimes []time.Duration
		var chronoGot, dpGot []string
		p := &dps.Parser{}
		for range speedRuns {
			_, d := extract(b, bin, corpora[0].now, paths)
			oursTimes = append(oursTimes, d)

			chronoGot, d = chronoDeadlines(b, rounds)
			chronoTimes = append(chronoTimes, d)

			dpGot = make([]string, len(rounds))
			start := time.Now()
			for i, oc := range rounds {
				dpGot[i] = dateparserDeadline(p, oc)
			}
			dpTimes = append(dpTimes, time.Since(start))
		}
		oursTime, chronoTime, dpTime := median(oursTimes), median(chronoTimes), median(dpTimes)
		// The start-up: the same process on one offer, the median of a few
		// runs. What is left of the whole run, shared by the other offers,
		// is what each offer costs once the process runs.
		var starts []time.Duration
		for range startRuns {
			_, d := extract(b, bin, corpora[0].now, paths[:1])
			starts = append(starts, d)
		}
		startTime := median(starts)
		afterStart := max(oursTime-startTime, 0)

		n := len(rounds)
		per := func(d time.Duration) float64 { return float64(d.Microseconds()) / float64(n) }
		perAfter := float64(afterStart.Microseconds()) / float64(n-1)
		pct := func(k int) float64 { return 100 * float64(k) / float64(len(cases)) }
		oursOK, chronoOK, dpOK := score(cases, ours), score(cases, chronoGot[:len(cases)]), score(cases, dpGot[:len(cases)])
		b.ReportMetric(per(oursTime), "µs/offer-extract")
		b.ReportMetric(per(chronoTime), "µs/offer-chrono")
		b.ReportMetric(per(dpTime), "µs/offer-dateparser")
		b.ReportMetric(float64(chronoTime)/float64(oursTime), "x-faster-than-chrono")
		b.ReportMetric(float64(dpTime)/float64(oursTime), "x-faster-than-dateparser")
		b.ReportMetric(float64(startTime.Microseconds())/1000, "ms-extract-start")
		b.ReportMetric(perAfter, "µs/offer-extract-after-start")
		fmt.Printf("deadlines of %d offers (%d read for the timing, each reader the median of %d runs), same texts, same run:\n", len(cases), n, speedRuns)
		fmt.Printf("  echeance extract  %8.0f µs/offer  %3d/%d right (%.0f%%)  (the whole process, over all the files)\n", per(oursTime), oursOK, len(cases), pct(oursOK))
		fmt.Printf("  chrono-node       %8.0f µs/offer  %3d/%d right (%.0f%%)  (in-process) — extract %.1f× faster\n", per(chronoTime), chronoOK, len(cases), pct(chronoOK), float64(chronoTime)/float64(oursTime))
		fmt.Printf("  go-dateparser     %8.0f µs/offer  %3d/%d right (%.0f%%)  (in-process search) — extract %.1f× faster\n", per(dpTime), dpOK, len(cases), pct(dpOK), float64(dpTime)/float64(oursTime))
		fmt.Printf("  extract's start-up (the process on one offer, median of %d): %.1f ms; after it, %.0f µs/offer: %.1f× chrono-node, %.1f× go-dateparser (the peers are timed without their start-up)\n",
			startRuns, float64(startTime.Microseconds())/1000, perAfter, per(chronoTime)/perAfter, per(dpTime)/perAfter)
	}
}
