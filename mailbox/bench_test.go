package mailbox_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/echeance/echeance/document/doctest"
	"github.com/echeance/echeance/mailbox"
	"github.com/echeance/echeance/mailbox/dovecottest"
)

// BenchmarkRead1000 reads 1,000 messages from Dovecot into a new database:
// a quarter plain offers, a quarter forwarded ones, a quarter with a PDF
// and a DOCX attached, a quarter auto-replies, over the offers of the
// deadline corpora. Delivering them is not timed; reading, parsing (PDFs
// through pdftotext), storing and moving them is. The same mix with a
// DOCX alone in place of the PDF and the DOCX, side by side, says what the
// PDFs cost.
func BenchmarkRead1000(b *testing.B) {
	for _, withPDF := range []bool{true, false} {
		name := "with-pdf"
		if !withPDF {
			name = "without-pdf"
		}
		b.Run(name, func(b *testing.B) { benchRead(b, withPDF) })
	}
}

func benchRead(b *testing.B, withPDF bool) {
	var texts []string
	for _, dir := range []string{"deadlines2", "deadlines3", "deadlines4", "deadlines5"} {
		paths, _ := filepath.Glob(filepath.Join("..", "offer", "testdata", dir, "*.txt"))
		for _, p := range paths {
			t, err := os.ReadFile(p)
			if err != nil {
				b.Fatal(err)
			}
			texts = append(texts, string(t))
		}
	}
	// Typesetting is slow: one PDF and one DOCX per text, reused.
	pdfs := make([][]byte, 40)
	docxs := make([][]byte, 40)
	for i := range pdfs {
		pdfs[i] = doctest.PDF(b, texts[i], 1+i%2)
		docxs[i] = doctest.DOCX(b, texts[len(texts)-1-i])
	}
	srv := dovecottest.Start(b)
	ctx := context.Background()
	date := time.Date(2025, 9, 30, 9, 0, 0, 0, time.UTC)
	const n = 1000
	b.ResetTimer()
	for it := 0; b.Loop(); it++ {
		b.StopTimer()
		e := newEnv(b)
		for i := range n {
			m := dovecottest.Mail{ID: fmt.Sprintf("b%d-%d@rh.example", it, i), From: "rh@rh.example", To: "offres@carrieres.example.org",
				Subject: fmt.Sprintf("Offre %d", i), Date: date}
			text := texts[i%len(texts)]
			switch i % 4 {
			case 0:
				m.Text = text
			case 1:
				m.Subject = "TR: " + m.Subject
				m.Text = "À diffuser.\n\n-------- Message transféré --------\nDe : RH <rh@rh.example>\nDate : lun. 29 sept. 2025\nObjet : Offre\n\n" + quote(text)
			case 2:
				m.Text = "Bonjour, ci-joint deux offres."
				m.Files = []dovecottest.File{{Name: "offre.docx", Type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", Data: docxs[i%len(docxs)]}}
				if withPDF {
					m.Files = append(m.Files, dovecottest.File{Name: "offre.pdf", Type: "application/pdf", Data: pdfs[i%len(pdfs)]})
				}
			case 3:
				m.Subject = "Réponse automatique : absent"
				m.Headers = []string{"Auto-Submitted: auto-replied"}
				m.Text = "Je suis absent jusqu'au 15 octobre."
			}
			srv.Deliver(b, m.Bytes())
		}
		acct := account(srv, b)
		r := mailbox.New(acct, e.in, nil, false, func() time.Time { return now }, e.log)
		b.StartTimer()
		start := time.Now()
		cpu0 := cpuTime()
		rep, err := r.ReadOnce(ctx)
		if err != nil {
			b.Fatal(err)
		}
		el := time.Since(start)
		// CPU time of echeance and of the pdftotext it ran (not Dovecot's):
		// what a machine of its own would need, whatever else shares this one.
		cpu := cpuTime() - cpu0
		b.ReportMetric(float64(cpu.Microseconds())/1000/n, "cpu-ms/message")
		if rep.Messages != n {
			b.Fatalf("read %d messages, want %d", rep.Messages, n)
		}
		b.ReportMetric(float64(n)/el.Seconds(), "messages/s")
		b.ReportMetric(float64(rep.Created), "offers")
	}
}

// cpuTime is the CPU time used by this process and its finished children.
func cpuTime() time.Duration {
	var self, children syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	syscall.Getrusage(syscall.RUSAGE_CHILDREN, &children)
	d := func(t syscall.Timeval) time.Duration { return time.Duration(t.Nano()) }
	return d(self.Utime) + d(self.Stime) + d(children.Utime) + d(children.Stime)
}
