package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/echeance/echeance/search"
)

func TestRecordSignUp(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	due := t0.AddDate(0, 0, 20)
	res, err := s.AddOffer(ctx, testOffer("Stage de médiation à Grenoble", &due), t0)
	if err != nil {
		t.Fatal(err)
	}
	active, err := s.AddSubscriber(ctx, Subscriber{Email: "active@example.org"}, t0)
	if err != nil {
		t.Fatal(err)
	}
	gone, _ := s.AddSubscriber(ctx, Subscriber{Email: "gone@example.org"}, t0)
	if err := s.Unsubscribe(ctx, gone); err != nil {
		t.Fatal(err)
	}
	at := t0
	sign := func(kind, email, client string) string {
		t.Helper()
		at = at.Add(time.Minute)
		got, err := s.RecordSignUp(ctx, SignUp{Kind: kind, Email: email, Client: client, Offer: res.ID, Offsets: []int{5}, Search: "médiation 38"}, at)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	for _, c := range []struct{ kind, email, client, want string }{
		{SignUpSubscribe, "New@Example.org", "c1", SignedUpConfirm},
		{SignUpSubscribe, "new@example.org", "c2", SignedUpQuiet},   // one message a day
		{SignUpLink, "new@example.org", "c3", SignedUpQuiet},        // the link too
		{SignUpSubscribe, "active@example.org", "c1", SignedUpLink}, // a signed-up student gets their link
		{SignUpLink, "active@example.org", "c4", SignedUpQuiet},
		{SignUpLink, "nobody@example.org", "c1", SignedUpQuiet},
		{SignUpLink, "gone@example.org", "c1", SignedUpQuiet},
		{SignUpSubscribe, "gone@example.org", "c2", SignedUpConfirm}, // back, pending
		{SignUpSubscribe, "other@example.org", "c1", SignedUpConfirm},
		{SignUpSubscribe, "third@example.org", "c1", SignedUpLimited}, // c1's sixth request today
	} {
		if got := sign(c.kind, c.email, c.client); got != c.want {
			t.Errorf("%s %s from %s: %s, want %s", c.kind, c.email, c.client, got, c.want)
		}
	}
	n, err := s.SubscriberByEmail(ctx, "new@example.org")
	if err != nil || n.State != StatePending || len(n.Offers) != 1 || n.Offers[0] != res.ID || len(n.Searches) != 1 || n.Offsets[0] != 5 {
		t.Errorf("new student: %+v %v", n, err)
	}
	if g, _ := s.SubscriberByEmail(ctx, "gone@example.org"); g.State != StatePending {
		t.Errorf("unsubscribed student who signs up again: %s, want pending", g.State)
	}
	if _, err := s.SubscriberByEmail(ctx, "third@example.org"); err == nil {
		t.Error("a limited sign-up was stored")
	}
	links, _ := s.LinksToSend(ctx, 10)
	if len(links) != 1 || links[0].ID != active || links[0].LinkOffer != res.ID {
		t.Fatalf("links to send: %+v", links)
	}
	if err := s.MarkLinkSent(ctx, active); err != nil {
		t.Fatal(err)
	}
	if links, _ := s.LinksToSend(ctx, 10); len(links) != 0 {
		t.Errorf("links after sending: %+v", links)
	}
	// A day later, the new student may be asked to confirm again, and c1
	// may ask again.
	at = at.Add(SignUpWindow)
	if got := sign(SignUpSubscribe, "new@example.org", "c1"); got != SignedUpConfirm {
		t.Errorf("a day later: %s", got)
	}
	if err := s.PurgeSignUps(ctx, at.Add(SignUpWindow+time.Minute)); err != nil {
		t.Fatal(err)
	}
	var left int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM signups`).Scan(&left); err != nil || left != 0 {
		t.Errorf("%d sign-up records a day later (%v), want none", left, err)
	}
	for _, bad := range []SignUp{{Kind: SignUpSubscribe, Email: "x"}, {Kind: SignUpSubscribe, Email: "a@b.org", Offsets: []int{400}},
		{Kind: SignUpSubscribe, Email: "a@b.org", Search: "type:rien"}, {Kind: "other", Email: "a@b.org"}} {
		if _, err := s.RecordSignUp(ctx, bad, at); err == nil || !strings.HasPrefix(err.Error(), "store: sign-up") {
			t.Errorf("%+v: %v", bad, err)
		}
	}
}

func TestOpenCards(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	late, early, past := t0.AddDate(0, 0, 30), t0.AddDate(0, 0, 10), t0.AddDate(0, 0, -1)
	for _, o := range []struct {
		text string
		due  *time.Time
	}{{"Stage de médiation scientifique", &late}, {"Alternance comptable à Voiron", &early}, {"Offre close", &past}, {"Bénévolat sans date", nil}} {
		off := testOffer(o.text, o.due)
		off.File = o.text
		if _, err := s.AddOffer(ctx, off, t0); err != nil {
			t.Fatal(err)
		}
	}
	cards, total, err := s.OpenCards(ctx, t0, nil, 2, 0)
	if err != nil || total != 3 || len(cards) != 2 || cards[0].LastDay > cards[1].LastDay {
		t.Fatalf("first page: %+v %d %v", cards, total, err)
	}
	cards, _, _ = s.OpenCards(ctx, t0, nil, 2, 2)
	if len(cards) != 1 || cards[0].Kind != "none" {
		t.Errorf("second page: %+v (the offer without deadline last)", cards)
	}
	q, _ := search.Parse("mediation")
	cards, total, err = s.OpenCards(ctx, t0, &q, 10, 0)
	if err != nil || total != 1 || len(cards) != 1 {
		t.Errorf("mediation: %+v %d %v", cards, total, err)
	}
	// An archived offer (filled, withdrawn) leaves the students' list,
	// filtered or not.
	if err := s.ArchiveOffer(ctx, cards[0].ID, "test", t0); err != nil {
		t.Fatal(err)
	}
	if _, total, _ := s.OpenCards(ctx, t0, nil, 10, 0); total != 2 {
		t.Errorf("after archiving: %d open offers listed, want 2", total)
	}
	if cards, total, _ := s.OpenCards(ctx, t0, &q, 10, 0); total != 0 || len(cards) != 0 {
		t.Errorf("after archiving, mediation still finds %+v", cards)
	}
}

// TestEraseLeavesNoByte: after EraseSubscriber, the database file and its
// log hold nothing of the student's address or name.
func TestEraseLeavesNoByte(t *testing.T) {
	s, path := newTestStore(t)
	ctx := context.Background()
	due := t0.AddDate(0, 0, 20)
	res, _ := s.AddOffer(ctx, testOffer("Stage", &due), t0)
	id, err := s.AddSubscriber(ctx, Subscriber{Email: "zoe.quintal@example.org", Name: "Zoé Quintal", Offers: []int64{res.ID},
		Searches: []string{"quintalsearch"}}, t0)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := s.AddSubscriber(ctx, Subscriber{Email: "keep@example.org"}, t0)
	if _, err := s.RecordSignUp(ctx, SignUp{Kind: SignUpLink, Email: "zoe.quintal@example.org", Client: "clientdigest"}, t0); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordBounce(ctx, id, false, "mailbox of zoe.quintal@example.org full", t0); err != nil {
		t.Fatal(err)
	}
	x, err := s.ExportSubscriber(ctx, id)
	if err != nil || x.Email != "zoe.quintal@example.org" || x.Name != "Zoé Quintal" || len(x.Follows) != 1 || len(x.Searches) != 1 ||
		len(x.SignUps) != 1 || x.Bounces.Soft != 1 {
		t.Fatalf("export: %+v %v", x, err)
	}
	if err := s.EraseSubscriber(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := s.EraseSubscriber(ctx, id); !errors.Is(err, ErrNotFound) {
		t.Errorf("erasing twice: %v", err)
	}
	if _, err := s.SubscriberByID(ctx, other); err != nil {
		t.Errorf("the other student: %v", err)
	}
	for _, p := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		for _, needle := range []string{"zoe.quintal", "Quintal", "quintalsearch", "clientdigest"} {
			if bytes.Contains(b, []byte(needle)) {
				t.Errorf("%s still holds %q", p, needle)
			}
		}
	}
}
