package scheduler

import (
	"context"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/echeance/echeance/notify"
	"github.com/echeance/echeance/store"
)

// weekStart returns the latest weekly slot at or before now: the weekly day
// at the send time, in local time.
func (s *Scheduler) weekStart(now time.Time) time.Time {
	local := now.In(s.clock.Location)
	back := (int(local.Weekday()) - int(s.weekly) + 7) % 7
	y, m, d := local.Date()
	slot := time.Date(y, m, d-back, s.clock.Hour, s.clock.Minute, 0, 0, s.clock.Location)
	if slot.After(now) {
		slot = time.Date(y, m, d-back-7, s.clock.Hour, s.clock.Minute, 0, 0, s.clock.Location)
	}
	return slot
}

// sendWeekly sends, once a week, the students who asked for it the list of
// the offers they follow whose last day to apply falls within the seven
// days from the weekly slot. A student with nothing due that week gets no
// message; one who had a reminder email in this run gets the summary at
// the next run. A summary the relay refused is tried again at the next run.
func (s *Scheduler) sendWeekly(ctx context.Context, now time.Time, rep *Report) error {
	if !s.hasWeekly {
		return nil
	}
	slot := s.weekStart(now)
	day := slot.Format("2006-01-02")
	until := slot.AddDate(0, 0, 7).Format("2006-01-02") // exclusive
	today := s.clock.day(now)
	var after int64
	for {
		subs, err := s.store.WeeklyDue(ctx, slot, after, s.batch)
		if err != nil || len(subs) == 0 {
			return err
		}
		after = subs[len(subs)-1].ID
		var msgs []*gomail.Msg
		var who []store.Subscriber
		for _, sub := range subs {
			if rep.mailed[sub.ID] {
				// One email per run: this student just had their
				// reminders; the summary goes at the next run.
				continue
			}
			followed, err := s.store.FollowedOffers(ctx, sub.ID)
			if err != nil {
				return err
			}
			r := notify.Reminder{To: sub.Email, Name: sub.Name, Lang: sub.Lang, Now: now, SubscriberID: sub.ID,
				Summary: true, WeekStart: slot, MessageID: s.notifier.SummaryID(sub.ID, day)}
			if s.links != nil {
				r.Links = s.links.SubscriberLinks(sub.ID, sub.LinkKey)
			}
			for _, f := range followed {
				if f.DeadlineAt.After(now) && f.LastDay >= day && f.LastDay < until {
					r.Items = append(r.Items, s.item(sub.ID, sub.LinkKey, f))
				}
			}
			if len(r.Items) == 0 {
				if err := s.store.MarkWeeklySent(ctx, sub.ID, now, ""); err != nil {
					return err
				}
				continue
			}
			msg, err := s.notifier.Build(r)
			if err != nil {
				return err
			}
			msgs, who = append(msgs, msg), append(who, sub)
		}
		for i, err := range s.notifier.Send(ctx, msgs) {
			if err != nil {
				// Not recorded: it stays due, and the next run tries again.
				rep.MessagesRetrying++
				s.log.Warn("weekly summary not sent", "to", who[i].Email, "error", err)
				continue
			}
			if err := s.store.MarkWeeklySent(ctx, who[i].ID, now, today); err != nil {
				return err
			}
			rep.Summaries++
		}
		if len(subs) < s.batch {
			return nil
		}
	}
}

// askConfirmations sends each pending subscriber, once, the message with
// the link that confirms their subscription (double opt-in). Without links
// (no web server) nobody can confirm, so nothing is sent.
func (s *Scheduler) askConfirmations(ctx context.Context, now time.Time, rep *Report) error {
	if s.links == nil {
		return nil
	}
	subs, err := s.store.ToConfirm(ctx, s.batch)
	if err != nil || len(subs) == 0 {
		return err
	}
	msgs := make([]*gomail.Msg, len(subs))
	for i, sub := range subs {
		msgs[i], err = s.notifier.BuildConfirmation(notify.Confirmation{To: sub.Email, Name: sub.Name,
			Lang: sub.Lang, Now: now, MessageID: s.notifier.ConfirmationID(sub.ID),
			ConfirmURL: s.links.ConfirmLink(sub.ID, sub.LinkKey), ManageURL: s.manageLink(sub.ID, sub.LinkKey),
			ByWeb: sub.ByWeb})
		if err != nil {
			return err
		}
	}
	for i, err := range s.notifier.Send(ctx, msgs) {
		if err != nil {
			// Not recorded: the next run asks again.
			rep.MessagesRetrying++
			s.log.Warn("confirmation not sent", "to", subs[i].Email, "error", err)
			continue
		}
		if err := s.store.MarkConfirmationSent(ctx, subs[i].ID, now); err != nil {
			return err
		}
		rep.Confirmations++
	}
	return nil
}
