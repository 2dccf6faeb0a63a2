package mailbox_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/echeance/echeance/config"
	"github.com/echeance/echeance/document/doctest"
	"github.com/echeance/echeance/ingest"
	"github.com/echeance/echeance/mailbox"
	"github.com/echeance/echeance/mailbox/dovecottest"
	"github.com/echeance/echeance/offer"
	"github.com/echeance/echeance/store"
	"github.com/echeance/echeance/token"
)

var now = time.Date(2025, 10, 2, 9, 0, 0, 0, time.UTC)

func seed(t testing.TB, prefix string) string {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join("..", "seeds", prefix+"*.txt"))
	if len(paths) != 1 {
		t.Fatalf("seed %s: %v", prefix, paths)
	}
	b, err := os.ReadFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func account(s *dovecottest.Server, t testing.TB) config.IMAP {
	pw := filepath.Join(t.TempDir(), "pw")
	os.WriteFile(pw, []byte(s.Password+"\n"), 0o600)
	a := config.IMAPDefaults
	a.Host, a.Port, a.Security, a.Username, a.Password, a.PasswordFile = s.Host, s.Port, "none", s.User, s.Password, pw
	return a
}

type env struct {
	st   *store.Store
	in   *ingest.Ingester
	logs *bytes.Buffer
	log  *slog.Logger
}

func newEnv(t testing.TB) env {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return env{st: st, in: ingest.New(st, time.UTC, 30*24*time.Hour, log), logs: &logs, log: log}
}

func quote(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(s, "\n") {
		b.WriteString("> " + l + "\n")
	}
	return b.String()
}

// parseSeed is what a seed's .txt reads to, with ref as the reference.
func parseSeed(t *testing.T, text string, ref time.Time) offer.Offer {
	t.Helper()
	o, err := offer.Parse("seed.txt", []byte(text), offer.Options{Now: ref, Location: time.UTC, EstimateLead: 30 * 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// TestMailboxOffers delivers a plain offer, a forwarded one, one with a PDF
// and a DOCX attached, a year-less one, an auto-reply and a scanned PDF
// into Dovecot, reads the mailbox, and checks the offers stored (with the
// seeds' deadlines and their provenance) and where each message went.
func TestMailboxOffers(t *testing.T) {
	srv := dovecottest.Start(t)
	e := newEnv(t)
	ctx := context.Background()
	sent := time.Date(2025, 9, 30, 10, 15, 0, 0, time.UTC)
	s000, s001, s003, s004 := seed(t, "000"), seed(t, "001"), seed(t, "003"), seed(t, "004")
	msgs := []dovecottest.Mail{
		{ID: "plain@territoire.example", From: "Ahlem <ahlem@territoire-de-sciences.fr>", To: "offres@carrieres.example.org",
			Subject: "Offre de stage ingénierie culturelle", Date: sent, Text: s000},
		{ID: "fwd@univ.example", From: "Prof <prof@univ.example>", To: "offres@carrieres.example.org",
			Subject: "TR: Stage coopération décentralisée", Date: sent.Add(time.Hour),
			Text: "Bonjour, à diffuser.\n\n-------- Message transféré --------\nDe : Mathilde Lestra <mathilde.lestra@grenoble.fr>\nDate : lun. 29 sept. 2025 à 09:12\nObjet : Stage coopération décentralisée zone Maghreb/Proche-Orient\nÀ : prof@univ.example\n\n" + quote(s003)},
		{ID: "files@rh.example", From: "rh@rh.example", To: "offres@carrieres.example.org", Subject: "Deux offres", Date: sent,
			Text: "Bonjour,\nveuillez trouver ci-joint deux offres.\nCordialement",
			Files: []dovecottest.File{{Name: "traces.pdf", Type: "application/pdf", Data: doctest.PDF(t, s001, 2)},
				{Name: "metro.docx", Type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", Data: doctest.DOCX(t, s004)}}},
		{ID: "yearless@asso.example", From: "asso@asso.example", To: "offres@carrieres.example.org", Subject: "Service civique",
			Date: time.Date(2027, 11, 3, 8, 0, 0, 0, time.UTC),
			Text: "L'association Les Jardins recrute un volontaire en service civique pour animer ses ateliers de jardinage avec les écoles du quartier, accueillir le public et aider les bénévoles. Mission de 8 mois à 24 heures par semaine. Candidatures jusqu'au 9 décembre à contact@jardins.example"},
		{ID: "away@univ.example", From: "absent@univ.example", To: "offres@carrieres.example.org", Subject: "Réponse automatique : absent",
			Date: sent, Headers: []string{"Auto-Submitted: auto-replied"}, Text: "Je suis absent jusqu'au 15 octobre. Pour toute offre de stage, écrivez à stages@univ.example."},
		{ID: "scan@rh.example", From: "rh@rh.example", To: "offres@carrieres.example.org", Subject: "Offre scannée", Date: sent,
			Text: "Ci-joint.", Files: []dovecottest.File{{Name: "scan.pdf", Type: "application/pdf", Data: doctest.ScannedPDF()}}},
	}
	for _, m := range msgs {
		srv.Deliver(t, m.Bytes())
	}
	acct := account(srv, t)
	r := mailbox.New(acct, e.in, nil, false, func() time.Time { return now }, e.log)
	rep, err := r.ReadOnce(ctx)
	if err != nil {
		t.Fatalf("%v\n%s", err, e.logs)
	}
	if rep.Messages != 6 || rep.Created != 5 || rep.Rejected != 2 {
		t.Errorf("report %+v, want 6 messages, 5 offers, 2 rejected\n%s", rep, e.logs)
	}
	if in, done, rej := srv.Count(t, ""), srv.Count(t, acct.DoneFolder), srv.Count(t, acct.RejectedFolder); in != 0 || done != 4 || rej != 2 {
		t.Errorf("INBOX %d, done %d, rejected %d; want 0, 4, 2", in, done, rej)
	}
	for _, want := range []string{`reason="auto-reply (Auto-Submitted: auto-replied)"`, "scan.pdf", "no text layer"} {
		if !strings.Contains(e.logs.String(), want) {
			t.Errorf("the log does not say %q:\n%s", want, e.logs)
		}
	}

	offers, err := e.st.Offers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byFile := map[string]store.Offer{}
	for _, o := range offers {
		byFile[o.File] = o
	}
	for name, text := range map[string]string{"<plain@territoire.example>": s000, "<fwd@univ.example>": s003,
		"<files@rh.example>/traces.pdf": s001, "<files@rh.example>/metro.docx": s004} {
		o, ok := byFile[name]
		if !ok {
			t.Errorf("no offer from %s; offers: %v", name, keys(byFile))
			continue
		}
		ref := sent
		if name == "<fwd@univ.example>" {
			ref = time.Date(2025, 9, 29, 0, 0, 0, 0, time.UTC)
		}
		want := parseSeed(t, text, ref)
		if o.Deadline.Kind != want.Deadline.Kind || o.Deadline.LastDay != want.Deadline.LastDay || o.Organisation != want.Organisation {
			t.Errorf("%s: deadline %s %s, organisation %q; the seed reads %s %s, %q", name, o.Deadline.Kind, o.Deadline.LastDay,
				o.Organisation, want.Deadline.Kind, want.Deadline.LastDay, want.Organisation)
		}
	}
	if o := byFile["<yearless@asso.example>"]; o.Deadline.LastDay != "2027-12-09" {
		t.Errorf("year-less deadline read as %q, want 2027-12-09 (the message's date is the reference)", o.Deadline.LastDay)
	}
	srcs, _ := e.st.OfferSources(ctx, byFile["<fwd@univ.example>"].ID)
	if len(srcs) != 1 || srcs[0].Kind != "mail" || srcs[0].From != "mathilde.lestra@grenoble.fr" ||
		srcs[0].Subject != "Stage coopération décentralisée zone Maghreb/Proche-Orient" || srcs[0].Date == nil ||
		srcs[0].Date.Format("2006-01-02") != "2025-09-29" {
		t.Errorf("the forwarded offer's provenance: %+v", srcs)
	}
	srcs, _ = e.st.OfferSources(ctx, byFile["<plain@territoire.example>"].ID)
	if len(srcs) != 1 || srcs[0].From != "ahlem@territoire-de-sciences.fr" || srcs[0].Subject != "Offre de stage ingénierie culturelle" ||
		srcs[0].Date == nil || !srcs[0].Date.Equal(sent) {
		t.Errorf("the plain offer's provenance: %+v", srcs)
	}

	// The same offer again, from another sender: stored once, both sources listed.
	again := msgs[0]
	again.ID, again.From, again.Subject = "again@univ.example", "prof@univ.example", "TR: Offre de stage ingénierie culturelle"
	again.Text = "À diffuser :\n\n" + s000
	srv.Deliver(t, again.Bytes())
	rep, err = r.ReadOnce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Messages != 1 || rep.Created != 0 || rep.Known != 1 {
		t.Errorf("the same offer again: %+v", rep)
	}
	srcs, _ = e.st.OfferSources(ctx, byFile["<plain@territoire.example>"].ID)
	if len(srcs) != 2 {
		t.Errorf("sources after the second copy: %+v", srcs)
	}
	if n, _ := e.st.Offers(ctx); len(n) != 5 {
		t.Errorf("%d offers after the copy, want 5", len(n))
	}
}

func keys(m map[string]store.Offer) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// dsn writes a delivery status notification for a message sent with
// return path to, about recipient rcpt.
func dsn(id, to, rcpt, action, status string) dovecottest.Mail {
	return dovecottest.Mail{ID: id, From: "MAILER-DAEMON@relay.univ.example", To: to, Subject: "Undelivered Mail Returned to Sender",
		Date:    now,
		Headers: []string{"Auto-Submitted: auto-replied", `Content-Type: multipart/report; report-type=delivery-status; boundary="b"`},
		Raw: "--b\r\nContent-Type: text/plain\r\n\r\nThis is the mail system at host relay.univ.example.\r\nI'm sorry to have to inform you that your message could not be delivered.\r\n" +
			"--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; relay.univ.example\r\nArrival-Date: Thu, 2 Oct 2025 08:00:00 +0200\r\n\r\n" +
			"Final-Recipient: rfc822; " + rcpt + "\r\nOriginal-Recipient: rfc822;" + rcpt + "\r\nAction: " + action + "\r\nStatus: " + status +
			"\r\nDiagnostic-Code: smtp; 550 5.1.1 <" + rcpt + ">: Recipient address rejected: User unknown\r\n\r\n" +
			"--b\r\nContent-Type: text/rfc822-headers\r\n\r\nReturn-Path: <" + to + ">\r\nFrom: echeance <rappels@carrieres.example.org>\r\nTo: " + rcpt + "\r\nSubject: Rappel\r\n\r\n--b--\r\n"}
}

// TestBounces: a DSN to a reminder's VERP address pauses that student and
// says why; a delay is counted; one with a forged token changes nothing.
func TestBounces(t *testing.T) {
	srv := dovecottest.Start(t)
	e := newEnv(t)
	ctx := context.Background()
	signer, err := token.NewSigner([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	forger, _ := token.NewSigner([]byte("not the install's key, another one"))
	verp, err := mailbox.ParseVERP("bounces+{token}@carrieres.example.org")
	if err != nil {
		t.Fatal(err)
	}
	dead, _ := e.st.AddSubscriber(ctx, store.Subscriber{Email: "dead@univ.example", FollowAll: true}, now)
	full, _ := e.st.AddSubscriber(ctx, store.Subscriber{Email: "full@univ.example", FollowAll: true}, now)
	victim, _ := e.st.AddSubscriber(ctx, store.Subscriber{Email: "victim@univ.example", FollowAll: true}, now)
	srv.Deliver(t, dsn("b1@relay", verp.Address(signer.SignBounce(dead)), "dead@univ.example", "failed", "5.1.1").Bytes())
	srv.Deliver(t, dsn("b2@relay", verp.Address(signer.SignBounce(full)), "full@univ.example", "delayed", "4.2.2").Bytes())
	srv.Deliver(t, dsn("b3@relay", verp.Address(forger.SignBounce(victim)), "victim@univ.example", "failed", "5.1.1").Bytes())
	srv.Deliver(t, dsn("b4@relay", verp.Address("00"+signer.SignBounce(victim)[2:]), "victim@univ.example", "failed", "5.1.1").Bytes())
	acct := account(srv, t)
	b := &mailbox.Bounces{VERP: verp, Verify: signer.VerifyBounce, Store: e.st}
	r := mailbox.New(acct, e.in, b, true, func() time.Time { return now }, e.log)
	rep, err := r.ReadOnce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Bounces != 4 || rep.Rejected != 2 {
		t.Errorf("report %+v, want 4 bounces of which 2 forged (rejected)", rep)
	}
	sub, _ := e.st.SubscriberByID(ctx, dead)
	bo, _ := e.st.BouncesOf(ctx, dead)
	if sub.State != store.StatePaused || !strings.Contains(sub.StateReason, "address failed") || !strings.Contains(sub.StateReason, "5.1.1") || bo.FailedAt == nil {
		t.Errorf("the dead address: state %s (%s), bounces %+v", sub.State, sub.StateReason, bo)
	}
	sub, _ = e.st.SubscriberByID(ctx, full)
	bo, _ = e.st.BouncesOf(ctx, full)
	if sub.State != store.StateActive || bo.Soft != 1 || bo.FailedAt != nil {
		t.Errorf("the delayed address: state %s, bounces %+v", sub.State, bo)
	}
	sub, _ = e.st.SubscriberByID(ctx, victim)
	bo, _ = e.st.BouncesOf(ctx, victim)
	if sub.State != store.StateActive || bo.Soft != 0 || bo.FailedAt != nil || bo.Last != "" {
		t.Errorf("forged bounces changed the student: state %s, bounces %+v", sub.State, bo)
	}
	if done, rej := srv.Count(t, acct.DoneFolder), srv.Count(t, acct.RejectedFolder); done != 2 || rej != 2 {
		t.Errorf("done %d, rejected %d; want 2 and 2", done, rej)
	}
	if !strings.Contains(e.logs.String(), "did not sign") {
		t.Errorf("forged bounces not logged:\n%s", e.logs)
	}
}

func TestUnwrap(t *testing.T) {
	body, orig, ok := mailbox.Unwrap("Salut\n\n> ---------- Forwarded message ---------\n> From: RH <rh@x.example>\n> Date: Mon, 29 Sep 2025 09:12:00 +0200\n> Subject: Fwd: Stage\n> To: a@b.example\n>\n> Le texte.\n", now)
	if !ok || body != "Le texte.\n" || orig.From != "rh@x.example" || orig.Subject != "Stage" || orig.Date.Day() != 29 {
		t.Errorf("Unwrap = %q, %+v, %v", body, orig, ok)
	}
	if _, _, ok := mailbox.Unwrap("Une offre sans transfert.\nDate limite : 3 mars.", now); ok {
		t.Error("a text that forwards nothing was unwrapped")
	}
}

func ExampleParseVERP() {
	v, _ := mailbox.ParseVERP("bounces+{token}@example.org")
	fmt.Println(v.Address("0a1b"), v.Token("Bounces+0A1B@example.org"))
	// Output: bounces+0a1b@example.org 0a1b
}

// TestIdle: with IDLE, a message delivered while the reader waits is read
// at once, long before the next scheduled read.
func TestIdle(t *testing.T) {
	srv := dovecottest.Start(t)
	e := newEnv(t)
	acct := account(srv, t)
	acct.Every = config.Duration{Duration: time.Hour}
	logs := &syncBuffer{}
	r := mailbox.New(acct, e.in, nil, false, func() time.Time { return now }, slog.New(slog.NewTextHandler(logs, nil)))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		r.Run(ctx)
		close(done)
	}()
	defer func() {
		cancel()
		<-done
	}()
	for end := time.Now().Add(10 * time.Second); !strings.Contains(logs.String(), "idle=true"); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("the reader did not open the mailbox:\n%s", logs)
		}
	}
	time.Sleep(200 * time.Millisecond) // let it enter IDLE
	srv.Deliver(t, dovecottest.Mail{ID: "idle@rh.example", From: "rh@rh.example", To: "offres@carrieres.example.org",
		Subject: "Offre", Date: now, Text: seed(t, "000")}.Bytes())
	for end := time.Now().Add(20 * time.Second); srv.Count(t, acct.DoneFolder) == 0; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("the message delivered during IDLE was not read:\n%s", logs)
		}
	}
	if offers, _ := e.st.Offers(context.Background()); len(offers) != 1 {
		t.Errorf("%d offers, want 1", len(offers))
	}
}

// syncBuffer is a log written by the reader's goroutine and read by the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestMessageSources: a plain and an HTML alternative give the text once;
// an HTML-only mail is read as text; a brochure attached to an offer
// written in the mail leaves the body as the offer.
func TestMessageSources(t *testing.T) {
	offerText := seed(t, "000")
	m, err := mailbox.Parse(dovecottest.Mail{ID: "alt@x", From: "a@x.example", Subject: "Stage", Date: now,
		Text: offerText, HTML: "<p>" + strings.ReplaceAll(offerText, "\n", "</p><p>") + "</p>"}.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	files, body, reason := m.Sources()
	if len(files) != 0 || body == nil || reason != "" {
		t.Fatalf("alternative: %d files, body %v, %q", len(files), body != nil, reason)
	}
	if n := strings.Count(string(body.Data), "Territoire de Sciences est un"); n != 1 {
		t.Errorf("the text appears %d times in the body, want once", n)
	}
	m, _ = mailbox.Parse(dovecottest.Mail{ID: "html@x", From: "a@x.example", Subject: "Stage", Date: now,
		Headers: []string{"Content-Type: text/html; charset=utf-8"}, Raw: "<html><body><p>" + strings.ReplaceAll(offerText, "\n", "</p><p>") + "</p></body></html>"}.Bytes())
	if _, body, _ := m.Sources(); body == nil || !strings.Contains(string(body.Data), "Territoire de Sciences est un") || strings.Contains(string(body.Data), "<p>") {
		t.Errorf("HTML-only mail: %v", body)
	}

	srv := dovecottest.Start(t)
	e := newEnv(t)
	srv.Deliver(t, dovecottest.Mail{ID: "brochure@x", From: "rh@x.example", To: "o@x.example", Subject: "Stage", Date: now, Text: offerText,
		Files: []dovecottest.File{{Name: "plaquette.pdf", Type: "application/pdf", Data: doctest.PDF(t, "Territoire de Sciences\nLa Casemate", 1)}}}.Bytes())
	r := mailbox.New(account(srv, t), e.in, nil, false, func() time.Time { return now }, e.log)
	if rep, err := r.ReadOnce(context.Background()); err != nil || rep.Created != 1 {
		t.Fatalf("offer with a brochure: %+v, %v\n%s", rep, err, e.logs)
	}
	offers, _ := e.st.Offers(context.Background())
	if len(offers) != 1 || offers[0].File != "<brochure@x>" || offers[0].Deadline.LastDay != "2025-10-30" {
		t.Errorf("offers = %+v", offers)
	}
}
