// Package ingest owns getting offers in: it reads offer sources (files,
// folders, http(s) URLs and standard input, and the texts and attachments
// that packages mailbox and feed hand it), takes the text out of PDF, DOCX
// and ODT documents (package document), has package offer understand
// them, and stores them with where they came from. For the inbox folder it remembers which files it
// has read, so that each run reads only new or changed files.
//
// A source that cannot be read or understood is reported by name and
// stored not at all; the other sources go on.
//
// Only regular files are read. In a folder (the inbox, or a folder given to
// `offer add`), symbolic links, devices, FIFOs and sockets are refused by
// name: a link dropped into the inbox must not turn a file the daemon can
// read (a password, a key) into an offer shown to students. A file the
// administrator names on the command line may be a symbolic link to a
// regular file: they chose it.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/echeance/echeance/document"
	"github.com/echeance/echeance/offer"
	"github.com/echeance/echeance/store"
)

// Store is where offers go.
type Store interface {
	AddOfferFrom(ctx context.Context, o offer.Offer, src store.Source, now time.Time) (store.AddResult, error)
}

// OfferFile reports whether a name is one read from folders, by its
// extension; other files are left alone. It does not look at the disk.
func OfferFile(name string) bool {
	if strings.HasPrefix(filepath.Base(name), ".") {
		return false
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".txt", ".text", ".md", ".markdown", ".html", ".htm":
		return true
	}
	return document.Supported(name)
}

// Source is one offer source read: its name and bytes.
type Source struct {
	Name string
	Data []byte
	// ContentType is the media type the source declared, "" if none.
	ContentType string
	// Ref, when set, is the reference time for dates written without a
	// year: a mail's date. Zero means the time of reading.
	Ref time.Time
	// Origin is where the offer came from, recorded with it; empty means
	// the file, URL or standard input Name says.
	Origin store.Source
}

// Parse reads the offer in src with opts: the text of a document first
// (PDF, DOCX, ODT), then package offer. A document with no text (a
// scanned PDF) is an error wrapping document.ErrNoText.
func Parse(ctx context.Context, docs document.Reader, src Source, opts offer.Options) (offer.Offer, error) {
	text, _, err := docs.Text(ctx, src.Name, src.ContentType, src.Data)
	if err != nil {
		return offer.Offer{}, fmt.Errorf("ingest: %w", err)
	}
	if !src.Ref.IsZero() {
		opts.Now = src.Ref
	}
	return offer.Parse(src.Name, text, opts)
}

// Expand turns paths (files, folders, URLs, "-") into the list of sources
// to read, folders expanded to their offer files in name order.
func Expand(paths []string) ([]string, error) {
	var out []string
	var errs []error
	for _, p := range paths {
		if p == "-" || isURL(p) {
			out = append(out, p)
			continue
		}
		info, err := os.Stat(p)
		if err != nil {
			errs = append(errs, fmt.Errorf("ingest: %w", err))
			continue
		}
		if !info.IsDir() {
			out = append(out, p)
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			errs = append(errs, fmt.Errorf("ingest: %w", err))
			continue
		}
		var names []string
		for _, e := range entries {
			if e.IsDir() || !OfferFile(e.Name()) {
				continue
			}
			path := filepath.Join(p, e.Name())
			if !e.Type().IsRegular() {
				errs = append(errs, notRegular(path, e.Type()))
				continue
			}
			names = append(names, path)
		}
		sort.Strings(names)
		out = append(out, names...)
	}
	return out, errors.Join(errs...)
}

func isURL(p string) bool {
	return strings.HasPrefix(p, "http://") || strings.HasPrefix(p, "https://")
}

// Load reads one source: a file, a URL or "-" for stdin. At most
// document.MaxSize bytes are read; package offer accepts at most
// offer.MaxSize of text.
func Load(ctx context.Context, name string, stdin io.Reader) (Source, error) {
	var r io.Reader
	switch {
	case name == "-":
		r = stdin
	case isURL(name):
		return fetch(ctx, name)
	default:
		return readRegular(name, true)
	}
	return readAll(r, name)
}

// readAll reads a source, refusing one larger than document.MaxSize.
func readAll(r io.Reader, name string) (Source, error) {
	data, err := io.ReadAll(io.LimitReader(r, document.MaxSize+1))
	if err != nil {
		return Source{}, fmt.Errorf("ingest: %s: %w", name, err)
	}
	if len(data) > document.MaxSize {
		return Source{}, fmt.Errorf("ingest: %s: larger than %d bytes", name, document.MaxSize)
	}
	return Source{Name: name, Data: data}, nil
}

// ErrFolder is wrapped by Load's error for a path that is a folder: Load
// reads one file, Expand lists a folder's.
var ErrFolder = errors.New("a folder")

// notRegular is the error for a folder entry that is not a regular file.
func notRegular(path string, mode fs.FileMode) error {
	kind := "not a regular file"
	switch {
	case mode.IsDir():
		return fmt.Errorf("ingest: %s: refused: %w, not a regular file", path, ErrFolder)
	case mode&fs.ModeSymlink != 0:
		kind = "a symbolic link"
	case mode&fs.ModeNamedPipe != 0:
		kind = "a FIFO"
	case mode&fs.ModeDevice != 0:
		kind = "a device"
	case mode&fs.ModeSocket != 0:
		kind = "a socket"
	}
	return fmt.Errorf("ingest: %s: refused: %s, not a regular file", path, kind)
}

// readRegular reads a file whole, refusing anything but a regular file:
// it is opened with O_NONBLOCK, so that a FIFO cannot block the open, and,
// without follow, with O_NOFOLLOW, so that a symbolic link is refused
// before it is followed; fstat on the open descriptor then tells a regular
// file and its size, and the file is read into one buffer of that size, in
// one read and one more that finds the end. A file that changed size
// meanwhile is still read whole, up to document.MaxSize.
//
// The descriptor is the system's, not an os.File: an os.File offers a
// regular file to the runtime's poller, which refuses it, and sets up its
// locks and its cleanup, as long again as opening and reading a short
// offer (extract reads hundreds in one run).
func readRegular(name string, follow bool) (Source, error) {
	flags := syscall.O_RDONLY | syscall.O_NONBLOCK | syscall.O_CLOEXEC
	if !follow {
		flags |= syscall.O_NOFOLLOW
	}
	fd, err := retryEINTR(func() (int, error) { return syscall.Open(name, flags, 0) })
	if err == syscall.ELOOP {
		return Source{}, notRegular(name, fs.ModeSymlink)
	}
	if err != nil {
		return Source{}, fmt.Errorf("ingest: %w", &fs.PathError{Op: "open", Path: name, Err: err})
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if _, err := retryEINTR(func() (int, error) { return 0, syscall.Fstat(fd, &st) }); err != nil {
		return Source{}, fmt.Errorf("ingest: %s: %w", name, &fs.PathError{Op: "stat", Path: name, Err: err})
	}
	if mode := fileMode(st.Mode); !mode.IsRegular() {
		return Source{}, notRegular(name, mode)
	}
	data := make([]byte, 0, min(st.Size, document.MaxSize)+1)
	for {
		n, err := retryEINTR(func() (int, error) { return syscall.Read(fd, data[len(data):cap(data)]) })
		if err != nil {
			return Source{}, fmt.Errorf("ingest: %s: %w", name, &fs.PathError{Op: "read", Path: name, Err: err})
		}
		if n == 0 {
			break
		}
		data = data[:len(data)+n]
		if len(data) > document.MaxSize {
			return Source{}, fmt.Errorf("ingest: %s: larger than %d bytes", name, document.MaxSize)
		}
		if int64(len(data)) == st.Size {
			// The file is read as large as it was when opened: the read
			// that would find its end is one more system call of the
			// five a file took. A file the stat gives no size (those of
			// /proc) is read to its end.
			break
		}
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)] // it grew: make room
		}
	}
	return Source{Name: name, Data: data}, nil
}

// retryEINTR calls f again while a signal interrupts it, as os does.
func retryEINTR(f func() (int, error)) (int, error) {
	for {
		n, err := f()
		if err != syscall.EINTR {
			return n, err
		}
	}
}

// fileMode is the fs.FileMode of a stat mode's file type, as os.Stat
// gives it, for the kinds notRegular names.
func fileMode(m uint32) fs.FileMode {
	switch m & syscall.S_IFMT {
	case syscall.S_IFREG:
		return 0
	case syscall.S_IFDIR:
		return fs.ModeDir
	case syscall.S_IFLNK:
		return fs.ModeSymlink
	case syscall.S_IFIFO:
		return fs.ModeNamedPipe
	case syscall.S_IFSOCK:
		return fs.ModeSocket
	case syscall.S_IFCHR:
		return fs.ModeDevice | fs.ModeCharDevice
	case syscall.S_IFBLK:
		return fs.ModeDevice
	}
	return fs.ModeIrregular
}

// loadInboxFile reads an inbox file, refusing symbolic links.
func loadInboxFile(path string) (Source, error) { return readRegular(path, false) }

func fetch(ctx context.Context, url string) (Source, error) {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return Source{}, fmt.Errorf("ingest: %s: %w", url, err)
	}
	req.Header.Set("Accept", "text/html, text/plain;q=0.9, application/pdf;q=0.8, "+docxType+";q=0.8, "+odtType+";q=0.8")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return Source{}, fmt.Errorf("ingest: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Source{}, fmt.Errorf("ingest: %s: HTTP %s", url, resp.Status)
	}
	ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	switch ct {
	case "", "text/html", "text/plain", "application/xhtml+xml", "application/pdf", docxType, odtType:
	default:
		return Source{}, fmt.Errorf("ingest: %s: content type %q is not HTML, text, PDF, DOCX or ODT", url, ct)
	}
	src, err := readAll(resp.Body, url)
	src.ContentType = ct
	return src, err
}

// The media types of Word and OpenDocument texts.
const (
	docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	odtType  = "application/vnd.oasis.opendocument.text"
)

// Fetch reads the page at url as Load does (20 s, HTML, text, PDF, DOCX or
// ODT), for the sources that find offers on the web.
func Fetch(ctx context.Context, url string) (Source, error) { return fetch(ctx, url) }

// Ingester stores offers, reading the inbox folder incrementally.
type Ingester struct {
	store Store
	opts  offer.Options
	docs  document.Reader
	log   *slog.Logger

	mu          sync.Mutex
	seen        map[string]stamp // inbox files read, by path
	warnedInbox bool             // a missing inbox is logged once
}

type stamp struct {
	size    int64
	modTime time.Time
	mode    fs.FileMode
}

// New returns an Ingester storing into st, reading deadlines in loc with
// the given estimate lead.
func New(st Store, loc *time.Location, lead time.Duration, log *slog.Logger) *Ingester {
	return &Ingester{store: st, opts: offer.Options{Location: loc, EstimateLead: lead}, log: log,
		seen: map[string]stamp{}}
}

// Options returns the parse options for a reference time now.
func (in *Ingester) Options(now time.Time) offer.Options {
	o := in.opts
	o.Now = now
	return o
}

// Result is what adding one source did.
type Result struct {
	store.AddResult
	Offer offer.Offer
}

// Parse reads one source without storing it.
func (in *Ingester) Parse(ctx context.Context, src Source, now time.Time) (offer.Offer, error) {
	return Parse(ctx, in.docs, src, in.Options(now))
}

// Add parses and stores one source.
func (in *Ingester) Add(ctx context.Context, src Source, now time.Time) (Result, error) {
	o, err := in.Parse(ctx, src, now)
	if err != nil {
		return Result{}, err
	}
	return in.Store(ctx, src, o, now)
}

// Store stores an offer read from src.
func (in *Ingester) Store(ctx context.Context, src Source, o offer.Offer, now time.Time) (Result, error) {
	origin := src.Origin
	if origin.Name == "" {
		origin = store.SourceOf(src.Name)
	}
	res, err := in.store.AddOfferFrom(ctx, o, origin, now)
	if err != nil {
		return Result{}, err
	}
	return Result{AddResult: res, Offer: o}, nil
}

// Inbox reads the new or changed offer files of dir. A file that cannot be
// read or understood is logged once, not retried until it changes; only a
// database failure is returned.
func (in *Ingester) Inbox(ctx context.Context, dir string, now time.Time) error {
	in.mu.Lock()
	defer in.mu.Unlock()
	entries, err := os.ReadDir(dir)
	if err != nil {
		if !in.warnedInbox {
			in.log.Warn("cannot read offers inbox", "inbox", dir, "error", err)
			in.warnedInbox = true
		}
		return nil
	}
	in.warnedInbox = false
	added, known := 0, 0
	for _, e := range entries {
		if e.IsDir() || !OfferFile(e.Name()) {
			continue
		}
		path := filepath.Join(dir, e.Name())
		info, err := e.Info() // lstat: a link is seen as a link
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				in.log.Warn("cannot read offer file", "file", path, "error", err)
			}
			continue
		}
		st := stamp{size: info.Size(), modTime: info.ModTime(), mode: info.Mode().Type()}
		if in.seen[path] == st {
			continue
		}
		in.seen[path] = st
		if !info.Mode().IsRegular() {
			in.log.Error("offer file refused", "file", path, "error", notRegular(path, info.Mode()))
			continue
		}
		src, err := loadInboxFile(path)
		var o offer.Offer
		if err == nil {
			o, err = in.Parse(ctx, src, now)
		}
		if err != nil {
			in.log.Error("offer file skipped", "file", path, "error", err)
			continue
		}
		res, err := in.store.AddOfferFrom(ctx, o, store.SourceOf(path), now)
		if err != nil {
			delete(in.seen, path) // try again next run
			return err
		}
		switch {
		case res.Created:
			added++
			in.log.Info("offer added", "offer_id", res.ID, "file", path, "deadline", o.Deadline.Kind,
				"last_day", o.Deadline.LastDay)
		case res.Updated:
			added++
			in.log.Info("offer updated", "offer_id", res.ID, "file", path, "deadline_changed", res.DeadlineChanged,
				"last_day", o.Deadline.LastDay)
		default:
			known++
		}
	}
	if added > 0 {
		in.log.Info("inbox read", "inbox", dir, "added", added, "already_known", known)
	}
	return nil
}
