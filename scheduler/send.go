package scheduler

import (
	"cmp"
	"context"
	"mime"
	"slices"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/echeance/echeance/notify"
	"github.com/echeance/echeance/search"
	"github.com/echeance/echeance/store"
)

// outgoing is one message to send and the reminders it carries.
type outgoing struct {
	ids []int64
	// id is the message's Message-ID, without angle brackets.
	id  string
	msg *gomail.Msg
	to  string
	sub string
	oid []int64
	due []store.Due
}

// sendDue sends every reminder due at now, one digest per student, in
// batches; each batch is recorded as soon as the relay answered.
func (s *Scheduler) sendDue(ctx context.Context, now time.Time, rep *Report) error {
	dues, err := s.store.DueReminders(ctx, now)
	if err != nil {
		return err
	}
	d := decide(dues, now)
	if len(d.expired) > 0 {
		if err := s.store.SetReminderState(ctx, d.expired, store.ReminderExpired); err != nil {
			return err
		}
	}
	if len(d.skipped) > 0 {
		if err := s.store.SetReminderState(ctx, d.skipped, store.ReminderSkipped); err != nil {
			return err
		}
	}
	rep.Expired, rep.Skipped = len(d.expired), len(d.skipped)
	day := s.clock.day(now)
	send, held := allowance(d.digests, day, s.maxPerDay)
	if len(held) > 0 {
		if err := s.store.Defer(ctx, held, s.clock.nextSend(now)); err != nil {
			return err
		}
		rep.Held = len(held)
	}

	// Students are sent to in the order their reminders were planned (the
	// rows' ids), not in the order of their own ids: the rows a batch
	// marks sent then sit side by side in the reminders table and in its
	// two indexes of state, and a batch's commit writes fewer pages when
	// the reminders were planned offer by offer, as on BenchmarkSendDue's
	// database. When they were planned student by student, both orders are
	// the same.
	slices.SortStableFunc(send, func(a, b []store.Due) int { return cmp.Compare(firstPlanned(a), firstPlanned(b)) })
	var batch []outgoing
	p := newPipeline(func(b []outgoing) error { return s.deliver(ctx, b, now, rep) })
	for _, digest := range send {
		out, err := s.build(ctx, digest, now)
		if err != nil {
			p.wait()
			return err
		}
		batch = append(batch, out)
		if len(batch) == s.batch {
			if err := p.send(batch); err != nil {
				return err
			}
			batch = nil
		}
	}
	if len(batch) > 0 {
		if err := p.send(batch); err != nil {
			return err
		}
	}
	return p.wait()
}

// firstPlanned returns the smallest reminder id of a digest.
func firstPlanned(digest []store.Due) int64 {
	id := digest[0].ID
	for _, d := range digest[1:] {
		id = min(id, d.ID)
	}
	return id
}

func (s *Scheduler) build(ctx context.Context, digest []store.Due, now time.Time) (outgoing, error) {
	first := digest[0]
	r := notify.Reminder{To: first.Email, Name: first.Name, Lang: first.Lang, Now: now,
		SubscriberID: first.SubscriberID}
	if s.links != nil {
		r.Links = s.links.SubscriberLinks(first.SubscriberID, first.LinkKey)
	}
	var out outgoing
	for i, d := range digest {
		out.ids = append(out.ids, d.ID)
		if i == 0 || digest[i-1].OfferID != d.OfferID {
			out.oid = append(out.oid, d.OfferID)
			r.Items = append(r.Items, s.item(d.SubscriberID, d.LinkKey, store.Followed{OfferID: d.OfferID, Revision: d.Revision,
				Title: d.Title, Organisation: d.Organisation, Source: d.Source, DeadlineKind: d.DeadlineKind,
				DeadlinePhrase: d.DeadlinePhrase, LastDay: d.LastDay, DeadlineAt: d.DeadlineAt, Contacts: d.Contacts,
				City: d.City, PreviousLastDay: d.PreviousLastDay, Basis: d.Basis, BasisDate: d.BasisDate}))
		}
		it := &r.Items[len(r.Items)-1]
		switch d.Kind {
		case kindNewOffer:
			it.NewOffer = true
			if err := s.nameSearch(ctx, d, it); err != nil {
				return outgoing{}, err
			}
		case kindDeadlineChanged:
			it.DeadlineChanged = true
		}
	}
	out.id = s.notifier.MessageID(out.ids)
	r.MessageID = out.id
	msg, err := s.notifier.Build(r)
	if err != nil {
		return outgoing{}, err
	}
	out.msg, out.to, out.due = msg, first.Email, digest
	if subj := msg.GetGenHeader(gomail.HeaderSubject); len(subj) > 0 {
		out.sub = subj[0]
		if dec, err := new(mime.WordDecoder).DecodeHeader(subj[0]); err == nil {
			out.sub = dec
		}
	}
	return out, nil
}

// item describes an offer for a message to subscriber sub, with its links.
func (s *Scheduler) item(sub int64, key []byte, f store.Followed) notify.Item {
	it := notify.Item{Title: f.Title, Organisation: f.Organisation, Phrase: f.DeadlinePhrase,
		Estimated: f.DeadlineKind == "estimated", LastDay: f.LastDay, DeadlineAt: f.DeadlineAt,
		Contacts: f.Contacts, Source: f.Source, OfferID: f.OfferID, Revision: f.Revision, City: f.City,
		PreviousLastDay: f.PreviousLastDay, Basis: f.Basis, BasisDate: f.BasisDate}
	if strings.HasPrefix(f.Source, "https://") || strings.HasPrefix(f.Source, "http://") {
		it.URL = f.Source
	}
	if s.links != nil {
		page, applied, notInterested := s.links.OfferLinks(sub, key, f.OfferID)
		it.Applied, it.NotInterested = applied, notInterested
		if it.URL == "" {
			it.URL = page
		}
	}
	return it
}

// nameSearch tells which of the student's saved searches found the new
// offer of d, with the link that stops it: the notice row does not keep
// it, so the searches are matched again against the offer.
func (s *Scheduler) nameSearch(ctx context.Context, d store.Due, it *notify.Item) error {
	searches, err := s.store.SearchesOf(ctx, d.SubscriberID)
	if err != nil || len(searches) == 0 {
		return err
	}
	o, err := s.store.Offer(ctx, d.OfferID)
	if err != nil {
		return err
	}
	for _, q := range searches {
		p, err := search.Parse(q.Query)
		if err != nil || !p.Match(o.Offer) {
			continue
		}
		it.Search = q.Query
		if s.links != nil {
			it.StopSearch = s.links.StopSearchLink(d.SubscriberID, d.LinkKey, q.ID)
		}
		return nil
	}
	return nil
}

// retryDelay grows with each failed attempt: 5 min, 10, 20, ... up to 6 h.
func retryDelay(attempts int) time.Duration {
	d := 5 * time.Minute
	for i := 0; i < attempts && d < 6*time.Hour; i++ {
		d *= 2
	}
	return min(d, 6*time.Hour)
}

// deliver sends a batch and records the outcome: the accepted messages all
// in one transaction (one commit per batch, not per message), then the
// failures. A crash between sending and recording repeats at most this
// batch, under the same Message-IDs.
func (s *Scheduler) deliver(ctx context.Context, batch []outgoing, now time.Time, rep *Report) error {
	msgs := make([]*gomail.Msg, len(batch))
	for i, o := range batch {
		msgs[i] = o.msg
	}
	errs := s.notifier.Send(ctx, msgs)
	var sent []store.SentMessage
	var report []Sent
	day := s.clock.day(now)
	for i, o := range batch {
		if errs[i] == nil {
			sent = append(sent, store.SentMessage{IDs: o.ids, MessageID: "<" + o.id + ">", Day: day})
			report = append(report, Sent{To: o.to, Subject: o.sub, MessageID: o.id, Offers: o.oid})
			if rep.mailed == nil {
				rep.mailed = map[int64]bool{}
			}
			rep.mailed[o.due[0].SubscriberID] = true
		}
	}
	if len(sent) > 0 {
		if err := s.store.MarkSentBatch(ctx, sent, now); err != nil {
			return err
		}
		rep.Sent = append(rep.Sent, report...)
	}
	for i, o := range batch {
		if errs[i] == nil {
			continue
		}
		cause := errs[i].Error()
		if notify.Temporary(errs[i]) {
			retry := now.Add(retryDelay(o.due[0].Attempts))
			if err := s.store.RecordFailure(ctx, o.ids, cause, &retry); err != nil {
				return err
			}
			rep.Retrying += len(o.ids)
			rep.MessagesRetrying++
			s.log.Warn("send failed, will retry", "to", o.to, "retry_at", retry.Format(time.RFC3339), "error", errs[i])
			continue
		}
		if err := s.store.RecordFailure(ctx, o.ids, cause, nil); err != nil {
			return err
		}
		rep.Failed += len(o.ids)
		rep.MessagesFailed++
		s.log.Error("send refused", "to", o.to, "error", errs[i])
	}
	return nil
}

// allowance keeps, of the digests due on the local day (YYYY-MM-DD), those
// their students may still get today: fewer than maxPerDay emails so far,
// or one more when the digest carries an offer whose last day to apply is
// today. The rows of the others are returned to be held until the next
// day's send time, where they join that day's digest.
func allowance(digests [][]store.Due, day string, maxPerDay int) (send [][]store.Due, held []int64) {
	for _, digest := range digests {
		first := digest[0]
		count := 0
		if first.MailDay == day {
			count = first.MailCount
		}
		lastDay := false
		for _, d := range digest {
			lastDay = lastDay || d.LastDay == day
		}
		if count < maxPerDay || lastDay && count < maxPerDay+1 {
			send = append(send, digest)
			continue
		}
		for _, d := range digest {
			held = append(held, d.ID)
		}
	}
	return send, held
}

// decision sorts due reminders into what to send and what to drop.
type decision struct {
	digests [][]store.Due // one per student, most urgent deadline first
	expired []int64
	skipped []int64
}

// Kinds of outbox rows.
const (
	kindReminder        = "reminder"
	kindNewOffer        = "new_offer"
	kindDeadlineChanged = "deadline_changed"
)

// decide is the pure part of a run. Reminders of an offer that has closed
// (or lost its deadline) expire, and so do notices of a closed offer; rows
// of students who stopped are skipped; of several reminders due for the
// same offer (after downtime) only the most urgent goes out. dues come
// grouped by subscriber, then by offer in deadline order, notices before
// reminders, reminders by growing offset.
func decide(dues []store.Due, now time.Time) decision {
	var d decision
	var cur []store.Due
	flush := func() {
		if len(cur) > 0 {
			d.digests = append(d.digests, cur)
			cur = nil
		}
	}
	reminded := map[[2]int64]bool{}
	for i, r := range dues {
		if i > 0 && dues[i-1].SubscriberID != r.SubscriberID {
			flush()
		}
		closed := !r.DeadlineAt.IsZero() && !now.Before(r.DeadlineAt)
		key := [2]int64{r.SubscriberID, r.OfferID}
		switch {
		case closed || r.Kind == kindReminder && r.DeadlineAt.IsZero():
			d.expired = append(d.expired, r.ID)
		case r.SubscriberState != store.StateActive || r.FollowStatus != store.Following:
			d.skipped = append(d.skipped, r.ID)
		case r.Kind == kindReminder && reminded[key]:
			d.skipped = append(d.skipped, r.ID)
		default:
			if r.Kind == kindReminder {
				reminded[key] = true
			}
			cur = append(cur, r)
		}
	}
	flush()
	return d
}
