package scheduler

import (
	"context"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/echeance/echeance/notify"
	"github.com/echeance/echeance/store"
)

// ReviewLinker writes the buttons of the review email.
type ReviewLinker interface {
	// ReviewLinks returns the links that confirm the offer's revision, say
	// it has no deadline, and open it in the console.
	ReviewLinks(offerID int64, revision int) (confirm, noDeadline, open string)
}

// WithReview mails the offers waiting for review, once a day at the send
// time, to the addresses to, in lang, with buttons written by l.
func WithReview(to []string, lang string, l ReviewLinker) Option {
	return func(s *Scheduler) { s.reviewTo, s.reviewLang, s.reviewLinks = to, lang, l }
}

// reviewDay is the settings key of the day the review email last went out.
const reviewDay = "review_mailed_day"

// sendReview sends the career service, once a day from the send time, the
// list of the offers waiting for review with their buttons. A day whose
// queue is empty sends nothing; a refused email is tried again at the
// next run.
func (s *Scheduler) sendReview(ctx context.Context, now time.Time, rep *Report) error {
	if len(s.reviewTo) == 0 || s.reviewLinks == nil {
		return nil
	}
	local := now.In(s.clock.Location)
	y, m, d := local.Date()
	if local.Before(time.Date(y, m, d, s.clock.Hour, s.clock.Minute, 0, 0, s.clock.Location)) {
		return nil
	}
	today := s.clock.day(now)
	if last, err := s.store.Setting(ctx, reviewDay); err != nil || last == today {
		return err
	}
	queue, err := s.store.ReviewQueue(ctx)
	if err != nil || len(queue) == 0 {
		return err
	}
	digest := notify.ReviewDigest{To: s.reviewTo, Lang: s.reviewLang, Now: now, MessageID: s.notifier.ReviewID(today)}
	for _, o := range queue {
		digest.Items = append(digest.Items, reviewItem(o, s.reviewLinks))
	}
	msg, err := s.notifier.BuildReview(digest)
	if err != nil {
		return err
	}
	if errs := s.notifier.Send(ctx, []*gomail.Msg{msg}); errs[0] != nil {
		s.log.Warn("review email not sent", "to", s.reviewTo, "error", errs[0])
		return nil
	}
	rep.Reviews = len(queue)
	return s.store.SetSetting(ctx, reviewDay, today)
}

func reviewItem(o store.Reviewed, l ReviewLinker) notify.ReviewItem {
	it := notify.ReviewItem{OfferID: o.ID, Title: o.Title, Organisation: o.Organisation, Kind: o.Deadline.Kind,
		LastDay: o.Deadline.LastDay, Phrase: o.Deadline.Phrase, Reasons: o.Reasons}
	if o.Deadline.DueAt != nil {
		it.DeadlineAt = *o.Deadline.DueAt
	}
	it.Confirm, it.NoDeadline, it.Open = l.ReviewLinks(o.ID, o.Revision)
	return it
}
