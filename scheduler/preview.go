package scheduler

import (
	"context"
	"errors"
	"math"
	"sort"

	gomail "github.com/wneessen/go-mail"

	"github.com/echeance/echeance/store"
)

// ErrNothingDue is returned by Preview when the subscriber has nothing due.
var ErrNothingDue = errors.New("scheduler: nothing due")

// Preview builds the message that a run at now would send to the
// subscriber, without sending or recording anything: reminders not planned
// yet are planned in memory only.
func (s *Scheduler) Preview(ctx context.Context, subscriberID int64) (*gomail.Msg, error) {
	now := s.now()
	dues, err := s.store.DueReminders(ctx, now)
	if err != nil {
		return nil, err
	}
	var mine []store.Due
	for _, d := range dues {
		if d.SubscriberID == subscriberID {
			mine = append(mine, d)
		}
	}
	follows, err := s.store.Unplanned(ctx, math.MaxInt32)
	if err != nil {
		return nil, err
	}
	byOffer := map[int64]store.Due{}
	for _, d := range mine {
		byOffer[d.OfferID] = d
	}
	for _, f := range follows {
		if f.SubscriberID != subscriberID {
			continue
		}
		offsets := f.Offsets
		if len(offsets) == 0 {
			offsets = s.offsets
		}
		for _, r := range plan(f, offsets, s.clock, now) {
			if r.State != store.ReminderPending || r.DueAt.After(now) {
				continue
			}
			d, ok := s.describe(ctx, byOffer, r)
			if !ok {
				continue
			}
			mine = append(mine, d)
		}
	}
	sort.SliceStable(mine, func(i, j int) bool {
		a, b := mine[i], mine[j]
		if !a.DeadlineAt.Equal(b.DeadlineAt) {
			return a.DeadlineAt.Before(b.DeadlineAt)
		}
		if a.OfferID != b.OfferID {
			return a.OfferID < b.OfferID
		}
		return a.OffsetDays < b.OffsetDays
	})
	d := decide(mine, now)
	send, _ := allowance(d.digests, s.clock.day(now), s.maxPerDay)
	if len(send) == 0 {
		return nil, ErrNothingDue
	}
	out, err := s.build(ctx, send[0], now)
	if err != nil {
		return nil, err
	}
	return out.msg, nil
}

// describe fills a planned reminder with what a message needs, from a due
// row of the same offer or else from the store.
func (s *Scheduler) describe(ctx context.Context, known map[int64]store.Due, r store.NewReminder) (store.Due, bool) {
	d, ok := known[r.OfferID]
	if !ok {
		sub, err := s.store.SubscriberByID(ctx, r.SubscriberID)
		if err != nil {
			return store.Due{}, false
		}
		o, err := s.store.Offer(ctx, r.OfferID)
		if err != nil || o.Deadline.DueAt == nil {
			return store.Due{}, false
		}
		d = store.Due{SubscriberID: sub.ID, OfferID: o.ID, Email: sub.Email, Name: sub.Name, Lang: sub.Lang, LinkKey: sub.LinkKey,
			SubscriberState: sub.State, FollowStatus: store.Following, Title: o.Title, Organisation: o.Organisation,
			Source: o.File, DeadlineKind: o.Deadline.Kind, DeadlinePhrase: o.Deadline.Phrase,
			LastDay: o.Deadline.LastDay, DeadlineAt: *o.Deadline.DueAt, Contacts: o.Contacts, Revision: o.Revision}
		if len(o.Places) > 0 {
			d.City = o.Places[0].City
		}
	}
	d.ID, d.Kind, d.OffsetDays, d.DueAt = 0, kindReminder, r.OffsetDays, r.DueAt
	return d, true
}
