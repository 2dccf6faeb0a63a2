package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/echeance/echeance/offer"
)

// TestAdminAccounts: a one-time link sets a password once, within a day;
// sessions end when idle, when too old, on logout and with the account.
func TestAdminAccounts(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	secret, err := s.AddAdmin(ctx, "Stages@Univ.example", t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddAdmin(ctx, "stages@univ.example", t0); !errors.Is(err, ErrExists) {
		t.Errorf("second add: %v, want ErrExists", err)
	}
	if _, err := s.AddAdmin(ctx, "not an address", t0); err == nil {
		t.Error("an invalid address was accepted")
	}
	if n := count(t, s, `SELECT count(*) FROM admin_tokens WHERE hash = ?`, []byte(secret)); n != 0 {
		t.Error("the one-time secret is stored as is")
	}
	if _, err := s.SetupAdmin(ctx, secret, t0.Add(SetupLinkTTL)); !errors.Is(err, ErrExpired) {
		t.Errorf("link after 24 h: %v, want ErrExpired", err)
	}
	a, err := s.SetupAdmin(ctx, secret, t0.Add(time.Hour))
	if err != nil || a.Email != "stages@univ.example" {
		t.Fatalf("setup: %+v %v", a, err)
	}
	if _, err := s.SetPassword(ctx, secret, "$argon2id$x", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetPassword(ctx, secret, "$argon2id$y", t0.Add(time.Hour)); !errors.Is(err, ErrNotFound) {
		t.Errorf("the link worked twice: %v", err)
	}
	got, err := s.AdminByEmail(ctx, "STAGES@univ.example")
	if err != nil || got.PasswordHash != "$argon2id$x" || got.PasswordSetAt == nil {
		t.Fatalf("admin: %+v %v", got, err)
	}

	now := t0.Add(2 * time.Hour)
	id, sess, err := s.CreateSession(ctx, a.ID, now)
	if err != nil || len(sess.CSRF) != 64 || len(id) != 64 {
		t.Fatalf("session: %q %+v %v", id, sess, err)
	}
	if n := count(t, s, `SELECT count(*) FROM admin_sessions WHERE hash = ?`, []byte(id)); n != 0 {
		t.Error("the session id is stored as is")
	}
	// Seen every 7 hours, it lives; 8 idle hours end it.
	for i := 1; i <= 3; i++ {
		if got, err := s.SessionFor(ctx, id, now.Add(time.Duration(i)*7*time.Hour)); err != nil || got.Email != a.Email || got.CSRF != sess.CSRF {
			t.Fatalf("session after %d×7 h: %+v %v", i, got, err)
		}
	}
	if _, err := s.SessionFor(ctx, id, now.Add(29*time.Hour+time.Second)); !errors.Is(err, ErrExpired) {
		t.Errorf("idle 8 h: %v, want ErrExpired", err)
	}
	if _, err := s.SessionFor(ctx, id, now.Add(29*time.Hour)); !errors.Is(err, ErrNotFound) {
		t.Errorf("an expired session came back: %v", err)
	}
	// Seen every hour, a session still ends after 7 days.
	id, _, _ = s.CreateSession(ctx, a.ID, now)
	var last error
	for h := 1; h <= 7*24; h++ {
		if _, last = s.SessionFor(ctx, id, now.Add(time.Duration(h)*time.Hour)); last != nil {
			break
		}
	}
	if !errors.Is(last, ErrExpired) {
		t.Errorf("a session outlived 7 days: %v", last)
	}
	id, _, _ = s.CreateSession(ctx, a.ID, now)
	if err := s.EndSession(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionFor(ctx, id, now); !errors.Is(err, ErrNotFound) {
		t.Errorf("after logout: %v", err)
	}
	id, _, _ = s.CreateSession(ctx, a.ID, now)
	if err := s.RemoveAdmin(ctx, a.Email); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionFor(ctx, id, now); !errors.Is(err, ErrNotFound) {
		t.Errorf("the session of a removed admin: %v", err)
	}
	if err := s.RemoveAdmin(ctx, a.Email); !errors.Is(err, ErrNotFound) {
		t.Errorf("second remove: %v", err)
	}
	if _, _, err := s.CreateSession(ctx, a.ID, now); !errors.Is(err, ErrNotFound) {
		t.Errorf("session for a removed admin: %v", err)
	}
}

func namedOffer(file, text string, due *time.Time) offer.Offer {
	o := testOffer(text, due)
	o.File = file
	return o
}

// TestAuditErasure: deleting a student blanks the detail of their audit
// rows (no email left), and keeps the rest of the log.
func TestAuditErasure(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	id, err := s.AddSubscriber(ctx, Subscriber{Email: "ines@example.org", FollowAll: true}, t0)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []AuditEntry{
		{Admin: "a@univ.example", Action: "student.add", Object: "student", SubscriberID: id, Detail: "ines@example.org"},
		{Admin: "a@univ.example", Action: "offer.add", Object: "offer 1", OfferID: 1, Detail: "Stage"},
	} {
		if err := s.Audit(ctx, e, t0); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.RemoveSubscriber(ctx, "ines@example.org"); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, `SELECT count(*) FROM audit WHERE detail LIKE '%ines%' OR object LIKE '%ines%' OR admin LIKE '%ines%'`); n != 0 {
		t.Errorf("%d audit rows still name the removed student", n)
	}
	log, err := s.AuditLog(ctx, AuditFilter{})
	if err != nil || len(log) != 2 || log[0].Action != "offer.add" || log[0].Detail != "Stage" || log[1].Action != "student.add" {
		t.Fatalf("log: %+v %v", log, err)
	}
	page, _ := s.AuditLog(ctx, AuditFilter{Before: log[0].ID, Limit: 1})
	if len(page) != 1 || page[0].ID != log[1].ID {
		t.Errorf("next page: %+v", page)
	}
	if hist, _ := s.AuditLog(ctx, AuditFilter{OfferID: 1}); len(hist) != 1 {
		t.Errorf("offer history: %+v", hist)
	}
}

// TestArchiveAndRemoveOffer: archiving hides an offer from the students'
// list and skips its pending reminders; removing deletes it and its
// reminders; both are in the audit log, and the history outlives removal.
func TestArchiveAndRemoveOffer(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	due := time.Date(2025, 10, 30, 23, 0, 0, 0, time.UTC)
	o1, _ := s.AddOffer(ctx, namedOffer("a.txt", "Stage de médiation culturelle à Grenoble", &due), t0)
	o2, _ := s.AddOffer(ctx, namedOffer("b.txt", "Alternance comptable à Lyon", &due), t0)
	if _, err := s.AddSubscriber(ctx, Subscriber{Email: "a@example.org", FollowAll: true}, t0); err != nil {
		t.Fatal(err)
	}
	follows, _ := s.Unplanned(ctx, 10)
	var plan []NewReminder
	for _, f := range follows {
		plan = append(plan, NewReminder{SubscriberID: f.SubscriberID, OfferID: f.OfferID, OffsetDays: 7, DueAt: t0.Add(time.Hour), State: ReminderPending})
	}
	if err := s.SavePlan(ctx, follows, plan, t0); err != nil {
		t.Fatal(err)
	}
	if err := s.ArchiveOffer(ctx, o1.ID, "a@univ.example", t0); err != nil {
		t.Fatal(err)
	}
	open, _ := s.OpenOffers(ctx, t0)
	if len(open) != 1 || open[0].ID != o2.ID {
		t.Errorf("open offers after archiving: %d", len(open))
	}
	due2, _ := s.DueReminders(ctx, t0.Add(2*time.Hour))
	if len(due2) != 1 || due2[0].OfferID != o2.ID {
		t.Errorf("due after archiving: %+v", due2)
	}
	if n := count(t, s, `SELECT count(*) FROM reminders WHERE offer_id = ? AND state = 'skipped' AND last_error = 'archived'`, o1.ID); n != 1 {
		t.Errorf("%d reminders skipped, want 1", n)
	}
	if st, _ := s.OfferState(ctx, o1.ID); !st.Archived {
		t.Error("not archived")
	}
	if err := s.RenameOffer(ctx, o2.ID, "Alternance en comptabilité", "Cabinet Dupont", "a@univ.example", t0); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Offer(ctx, o2.ID)
	if got.Title != "Alternance en comptabilité" || got.Organisation != "Cabinet Dupont" {
		t.Errorf("extract after rename: %q %q", got.Title, got.Organisation)
	}
	if err := s.RenameOffer(ctx, o2.ID, "", "x", "a", t0); err == nil {
		t.Error("an empty title was accepted")
	}
	if err := s.RemoveOffer(ctx, o2.ID, "a@univ.example", t0); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveOffer(ctx, o2.ID, "a@univ.example", t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("second remove: %v", err)
	}
	if n := count(t, s, `SELECT count(*) FROM reminders WHERE offer_id = ?`, o2.ID); n != 0 {
		t.Errorf("%d reminders of the removed offer left", n)
	}
	hist, _ := s.AuditLog(ctx, AuditFilter{OfferID: o2.ID})
	if len(hist) != 2 || hist[0].Action != "offer.remove" || hist[1].Action != "offer.edit" {
		t.Errorf("history of the removed offer: %+v", hist)
	}
	if err := s.ArchiveOffer(ctx, 999, "a", t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("archive of an unknown offer: %v", err)
	}
}

// TestResendOnlyFailed: a failed reminder goes back to the outbox, due
// now; a sent one is never sent twice.
func TestResendOnlyFailed(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	due := time.Date(2025, 10, 30, 23, 0, 0, 0, time.UTC)
	o1, _ := s.AddOffer(ctx, namedOffer("a.txt", "Stage de médiation culturelle à Grenoble", &due), t0)
	o2, _ := s.AddOffer(ctx, namedOffer("b.txt", "Alternance comptable à Lyon", &due), t0)
	s.AddSubscriber(ctx, Subscriber{Email: "a@example.org", FollowAll: true}, t0)
	follows, _ := s.Unplanned(ctx, 10)
	var plan []NewReminder
	for _, f := range follows {
		plan = append(plan, NewReminder{SubscriberID: f.SubscriberID, OfferID: f.OfferID, OffsetDays: 7, DueAt: t0, State: ReminderPending})
	}
	s.SavePlan(ctx, follows, plan, t0)
	rows, _ := s.ListOutbox(ctx, OutboxDue, t0, 0, 10)
	if len(rows) != 2 {
		t.Fatalf("due: %+v", rows)
	}
	byOffer := map[int64]int64{}
	for _, r := range rows {
		byOffer[r.OfferID] = r.ID
	}
	s.RecordFailure(ctx, []int64{byOffer[o1.ID]}, "550 mailbox unavailable", nil)
	s.MarkSent(ctx, []int64{byOffer[o2.ID]}, "<m@x>", t0)
	failed, _ := s.ListOutbox(ctx, OutboxFailed, t0, 0, 10)
	if len(failed) != 1 || failed[0].LastError != "550 mailbox unavailable" {
		t.Fatalf("failed: %+v", failed)
	}
	if _, err := s.Resend(ctx, byOffer[o2.ID], "a", t0); err == nil {
		t.Error("a sent reminder was put back")
	}
	later := t0.Add(time.Hour)
	if _, err := s.Resend(ctx, byOffer[o1.ID], "a", later); err != nil {
		t.Fatal(err)
	}
	d, _ := s.ListOutbox(ctx, OutboxDue, later, 0, 10)
	if len(d) != 1 || d[0].ID != byOffer[o1.ID] || !d[0].DueAt.Equal(later) {
		t.Errorf("due after resend: %+v", d)
	}
	if _, err := s.ListOutbox(ctx, "bogus", t0, 0, 10); err == nil {
		t.Error("an unknown view was accepted")
	}
}

// TestListStudentsByPrefix: email or name prefix, any case; LIKE's
// wildcards are plain characters.
func TestListStudentsByPrefix(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	for _, sub := range []Subscriber{{Email: "ines@example.org", Name: "Inès Martin"}, {Email: "bob@example.org", Name: "Martin Bob"},
		{Email: "m_x@example.org", Name: ""}} {
		sub.FollowAll = true
		if _, err := s.AddSubscriber(ctx, sub, t0); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		q    string
		want int
	}{{"", 3}, {"MART", 1}, {"ines", 1}, {"i", 1}, {"m_", 1}, {"m\\_", 0}, {"%", 0}, {"b", 1}} {
		got, err := s.ListStudents(ctx, c.q, 0, 10)
		if err != nil || len(got) != c.want {
			t.Errorf("ListStudents(%q) = %d rows %v, want %d", c.q, len(got), err, c.want)
		}
	}
	page, _ := s.ListStudents(ctx, "", 1, 1)
	if len(page) != 1 || page[0].Email != "ines@example.org" {
		t.Errorf("page 2: %+v", page)
	}
}

func TestListOffersSearch(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t)
	o := namedOffer("a.txt", "Stage au Muséum de Grenoble", nil)
	o.Organisation = "Muséum"
	r, _ := s.AddOffer(ctx, o, t0)
	s.AddOffer(ctx, namedOffer("b.txt", "Alternance comptable à Lyon", nil), t0)
	for q, want := range map[string]int{"": 2, "muséum": 1, "MUS": 1, "stage": 2, "100%": 0, "zzz": 0} {
		got, err := s.ListOffers(ctx, q, 0, 10)
		if err != nil || len(got) != want {
			t.Errorf("ListOffers(%q) = %d %v, want %d", q, len(got), err, want)
		}
	}
	page, _ := s.ListOffers(ctx, "", 1, 1)
	if len(page) != 1 || page[0].ID != r.ID {
		t.Errorf("page 2: %+v", page)
	}
}
