package ingest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/echeance/echeance/document"
	"github.com/echeance/echeance/document/doctest"
	"github.com/echeance/echeance/offer"
	"github.com/echeance/echeance/store"
)

var now = time.Date(2025, 10, 1, 10, 0, 0, 0, time.UTC)

func write(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestExpand(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"b.txt", "a.md", "c.html", ".hidden.txt", "notes.xlsx", "d.pdf", "e.docx", "f.odt"} {
		write(t, filepath.Join(dir, n), "x")
	}
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	got, err := Expand([]string{dir, "https://example.org/offre", "-"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "a.md"), filepath.Join(dir, "b.txt"), filepath.Join(dir, "c.html"),
		filepath.Join(dir, "d.pdf"), filepath.Join(dir, "e.docx"), filepath.Join(dir, "f.odt"), "https://example.org/offre", "-"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Expand = %q\nwant %q", got, want)
	}
	if _, err := Expand([]string{filepath.Join(dir, "missing.txt")}); err == nil || !strings.Contains(err.Error(), "missing.txt") {
		t.Errorf("missing file: %v", err)
	}
}

func TestLoadURL(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/offre":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, "<!doctype html><html><body><h1>Stage</h1><p>Candidatures avant le 31 octobre 2025.</p></body></html>")
		case "/cv.pdf":
			w.Header().Set("Content-Type", "application/pdf")
			io.WriteString(w, "%PDF-1.4")
		case "/offre.pdf":
			w.Header().Set("Content-Type", "application/pdf")
			w.Write(doctest.PDF(t, "Stage en médiation\nCandidatures avant le 31 octobre 2025.", 1))
		case "/photo.png":
			w.Header().Set("Content-Type", "image/png")
			io.WriteString(w, "\x89PNG")
		case "/big":
			w.Header().Set("Content-Type", "text/plain")
			w.Write(bytes.Repeat([]byte("a"), offer.MaxSize+10))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	ctx := context.Background()
	src, err := Load(ctx, srv.URL+"/offre", nil)
	if err != nil {
		t.Fatal(err)
	}
	o, err := offer.Parse(src.Name, src.Data, offer.Options{Now: now})
	if err != nil || o.Deadline.LastDay != "2025-10-30" || o.File != srv.URL+"/offre" {
		t.Errorf("parsed URL offer: %+v, %v", o.Deadline, err)
	}
	for path, want := range map[string]string{"/photo.png": "not HTML, text, PDF, DOCX or ODT", "/nope": "404"} {
		if _, err := Load(ctx, srv.URL+path, nil); err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), path) {
			t.Errorf("Load %s: %v, want an error naming it and %q", path, err, want)
		}
	}
	var docs document.Reader
	src, err = Load(ctx, srv.URL+"/offre.pdf", nil)
	if err != nil {
		t.Fatal(err)
	}
	if o, err := Parse(ctx, docs, src, offer.Options{Now: now}); err != nil || o.Deadline.LastDay != "2025-10-30" {
		t.Errorf("a PDF at a URL: %+v, %v", o.Deadline, err)
	}
	src, err = Load(ctx, srv.URL+"/cv.pdf", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Parse(ctx, docs, src, offer.Options{Now: now}); err == nil || !strings.Contains(err.Error(), "/cv.pdf") {
		t.Errorf("a broken PDF at a URL: %v, want an error naming it", err)
	}
	src, err = Load(ctx, srv.URL+"/big", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := offer.Parse(src.Name, src.Data, offer.Options{}); err == nil || !strings.Contains(err.Error(), "/big") {
		t.Errorf("oversized URL: %v", err)
	}
	if _, err := Load(ctx, "http://127.0.0.1:1/unreachable", nil); err == nil {
		t.Error("unreachable URL loaded")
	}
}

func TestInboxReadsOnlyNewOrChanged(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "i.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var logs bytes.Buffer
	in := New(st, time.UTC, 30*24*time.Hour, slog.New(slog.NewTextHandler(&logs, nil)))
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.txt"), "Stage. Candidatures jusqu'au 9 décembre 2025.")
	write(t, filepath.Join(dir, "broken.txt"), "\x00\x01\x02binary")
	if err := in.Inbox(ctx, dir, now); err != nil {
		t.Fatal(err)
	}
	if err := in.Inbox(ctx, dir, now); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(logs.String(), "offer file skipped"); n != 1 || !strings.Contains(logs.String(), "broken.txt") {
		t.Errorf("the broken file was reported %d times, want once:\n%s", n, logs.String())
	}
	offers, _ := st.Offers(ctx)
	if len(offers) != 1 || offers[0].Deadline.LastDay != "2025-12-09" {
		t.Fatalf("offers = %+v", offers)
	}
	// The file changes: the offer is updated, not duplicated.
	later := time.Now().Add(time.Minute)
	write(t, filepath.Join(dir, "a.txt"), "Stage. Candidatures jusqu'au 16 décembre 2025.")
	os.Chtimes(filepath.Join(dir, "a.txt"), later, later)
	if err := in.Inbox(ctx, dir, now); err != nil {
		t.Fatal(err)
	}
	offers, _ = st.Offers(ctx)
	if len(offers) != 1 || offers[0].Deadline.LastDay != "2025-12-16" || offers[0].Revision != 2 {
		t.Errorf("after the edit: %d offers, %+v", len(offers), offers[0].Deadline)
	}
	if err := in.Inbox(ctx, filepath.Join(dir, "gone"), now); err != nil {
		t.Errorf("a missing inbox is not an error: %v", err)
	}
}

// TestInboxRefusesNonRegular: a symbolic link (to a secret the daemon can
// read) and a FIFO dropped into the inbox are refused by name, once, and
// nothing reaches the offers table; the regular file beside them is read.
func TestInboxRefusesNonRegular(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "i.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var logs bytes.Buffer
	in := New(st, time.UTC, 30*24*time.Hour, slog.New(slog.NewTextHandler(&logs, nil)))
	dir := t.TempDir()
	secret := filepath.Join(t.TempDir(), "smtp-password")
	write(t, secret, "Date limite de candidature : 31/12/2025. hunter2")
	if err := os.Symlink(secret, filepath.Join(dir, "link.txt")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.txt"), 0o644); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "real.txt"), "Stage. Candidatures jusqu'au 9 décembre 2025.")
	for range 2 {
		if err := in.Inbox(ctx, dir, now); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"link.txt: refused: a symbolic link", "fifo.txt: refused: a FIFO"} {
		if n := strings.Count(logs.String(), name); n != 1 {
			t.Errorf("%q logged %d times, want once:\n%s", name, n, logs.String())
		}
	}
	offers, _ := st.Offers(ctx)
	if len(offers) != 1 || !strings.HasSuffix(offers[0].File, "real.txt") {
		t.Fatalf("offers = %+v, want only real.txt", offers)
	}
	for _, o := range offers {
		if strings.Contains(o.Text, "hunter2") {
			t.Error("the secret behind the link became an offer")
		}
	}

	// A folder given to offer add refuses them too; a link named on the
	// command line is followed (the administrator chose it), a FIFO never.
	names, err := Expand([]string{dir})
	if err == nil || !strings.Contains(err.Error(), "link.txt") || !strings.Contains(err.Error(), "fifo.txt") {
		t.Errorf("Expand of the inbox: %v, want both refused by name", err)
	}
	if len(names) != 1 || !strings.HasSuffix(names[0], "real.txt") {
		t.Errorf("Expand = %v", names)
	}
	if _, err := Load(ctx, filepath.Join(dir, "link.txt"), nil); err != nil {
		t.Errorf("a link named on the command line: %v", err)
	}
	if _, err := Load(ctx, filepath.Join(dir, "fifo.txt"), nil); err == nil || !strings.Contains(err.Error(), "FIFO") {
		t.Errorf("a FIFO named on the command line: %v", err)
	}
	if _, err := loadInboxFile(filepath.Join(dir, "link.txt")); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("an inbox link swapped in after the listing: %v", err)
	}
}

// TestInboxDocuments: PDF, DOCX and ODT files dropped in the inbox are read
// and stored; a scanned PDF is reported as having no text and stores
// nothing.
func TestInboxDocuments(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "i.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var logs bytes.Buffer
	in := New(st, time.UTC, 30*24*time.Hour, slog.New(slog.NewTextHandler(&logs, nil)))
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.pdf"), doctest.PDF(t, "Stage en médiation culturelle au musée\nCandidatures jusqu'au 9 décembre 2025.", 2), 0o644)
	os.WriteFile(filepath.Join(dir, "b.docx"), doctest.DOCX(t, "Alternance en comptabilité à Lyon\nDate limite de candidature : 12/01/2026"), 0o644)
	os.WriteFile(filepath.Join(dir, "c.odt"), doctest.ODT(t, "Service civique en animation nature\nCandidatures avant le 3 février 2026"), 0o644)
	os.WriteFile(filepath.Join(dir, "scan.pdf"), doctest.ScannedPDF(), 0o644)
	if err := in.Inbox(ctx, dir, now); err != nil {
		t.Fatal(err)
	}
	offers, _ := st.Offers(ctx)
	got := map[string]string{}
	for _, o := range offers {
		got[filepath.Base(o.File)] = o.Deadline.LastDay
	}
	want := map[string]string{"a.pdf": "2025-12-09", "b.docx": "2026-01-12", "c.odt": "2026-02-02"}
	if len(got) != len(want) {
		t.Errorf("offers = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: last day %q, want %q", k, got[k], v)
		}
	}
	if !strings.Contains(logs.String(), "scan.pdf") || !strings.Contains(logs.String(), "no text layer") {
		t.Errorf("the scanned PDF was not reported as such:\n%s", logs.String())
	}
}

// TestLoadFileSizes reads files as their size was taken: empty, small,
// exactly the limit (sparse, so the test stays fast) and one byte over,
// which is refused with the file's name.
func TestLoadFileSizes(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		size int64
		err  bool
	}{
		{"empty.txt", 0, false},
		{"small.txt", 606, false},
		{"limit.txt", document.MaxSize, false},
		{"over.txt", document.MaxSize + 1, true},
	} {
		path := filepath.Join(dir, tc.name)
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteString(strings.Repeat("é", int(min(tc.size, 600)/2))); err != nil {
			t.Fatal(err)
		}
		if err := f.Truncate(tc.size); err != nil {
			t.Fatal(err)
		}
		f.Close()
		src, err := Load(context.Background(), path, nil)
		if tc.err {
			if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "larger than") {
				t.Errorf("%s: err = %v, want one naming the file, larger than the limit", tc.name, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(src.Data, want) || src.Name != path {
			t.Errorf("%s: read %d bytes named %q, want %d named %q", tc.name, len(src.Data), src.Name, len(want), path)
		}
	}
}

// TestLoadSizelessFile reads a file whose stat gives no size, as those of
// /proc, to its end: Load stops at the size the stat gave only when it
// gave one.
func TestLoadSizelessFile(t *testing.T) {
	const path = "/proc/self/cmdline"
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Size() != 0 {
		t.Fatalf("%s has a size (%d): the test needs a file without one", path, info.Size())
	}
	src, err := Load(context.Background(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) == 0 || !bytes.Equal(src.Data, want) {
		t.Errorf("read %q, want %q", src.Data, want)
	}
}

// TestLoadRefuses checks what Load says of paths that are no offer file:
// a missing file (an error os.ErrNotExist recognises, naming the path), a
// folder, a FIFO (refused without blocking), a character device and a
// file it may not read; a link to a regular file named on the command line
// is followed.
func TestLoadRefuses(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.txt")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(dir, "secret.txt")
	write(t, secret, "Stage. Candidatures jusqu'au 9 décembre 2025.")
	link := filepath.Join(dir, "link.txt")
	if err := os.Symlink(secret, link); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.txt")
	ctx := context.Background()
	_, err := Load(ctx, missing, nil)
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "ingest: open "+missing+": no such file") {
		t.Errorf("missing file: err = %v, want ingest: open %s: no such file…, an fs.ErrNotExist", err, missing)
	}
	for path, want := range map[string]string{
		dir:         dir + ": refused: a folder, not a regular file",
		fifo:        fifo + ": refused: a FIFO",
		"/dev/null": "/dev/null: refused: a device",
	} {
		_, err := Load(ctx, path, nil)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want %q", path, err, want)
		}
		if errors.Is(err, ErrFolder) != (path == dir) {
			t.Errorf("%s: errors.Is(%v, ErrFolder) = %v", path, err, !(path == dir))
		}
	}
	if src, err := Load(ctx, link, nil); err != nil || !strings.Contains(string(src.Data), "9 décembre") {
		t.Errorf("link: %q, %v: want the file it points to", src.Data, err)
	}
	if os.Geteuid() != 0 {
		locked := filepath.Join(dir, "locked.txt")
		write(t, locked, "x")
		if err := os.Chmod(locked, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := Load(ctx, locked, nil); !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), locked) {
			t.Errorf("unreadable file: err = %v, want an fs.ErrPermission naming it", err)
		}
	}
}
