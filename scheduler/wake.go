package scheduler

import (
	"context"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/echeance/echeance/notify"
)

// LinkNotifier builds the message that carries a student's manage link; a
// Notifier that is one sends those links.
type LinkNotifier interface {
	BuildManageLink(c notify.ManageLink) (*gomail.Msg, error)
	ManageLinkID(subscriberID int64, now time.Time) string
}

// ManageLinker writes the link to a student's own page; a Linker that is
// one has every confirmation carry it and sends it on request.
type ManageLinker interface {
	ManageLink(subscriberID int64, key []byte) string
}

// Wake asks the daemon's loop to send the confirmations and manage links
// asked for on the web now, not at the next scheduled run. It never
// blocks: a wake already waiting covers this one.
func (s *Scheduler) Wake() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// wakeLoop runs the web mail pass each time Wake is called, until ctx ends.
func (s *Scheduler) wakeLoop(ctx, jobCtx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.wake:
		}
		start := time.Now()
		rep := Report{Now: s.now()}
		if err := s.webMail(jobCtx, rep.Now, &rep); err != nil {
			s.log.Error("web mail pass failed", "job", "web_mail", "error", err)
			continue
		}
		s.ops.mu.Lock()
		s.ops.stats.Confirmations += int64(rep.Confirmations)
		s.ops.mu.Unlock()
		s.log.Info("web mail pass", "job", "web_mail", "confirmations", rep.Confirmations,
			"manage_links", rep.ManageLinks, "retrying", rep.MessagesRetrying, "duration", time.Since(start))
	}
}

// webMail sends what the web pages asked for: confirmations to pending
// students, then manage links. One pass at a time.
func (s *Scheduler) webMail(ctx context.Context, now time.Time, rep *Report) error {
	s.webMailing.Lock()
	defer s.webMailing.Unlock()
	if err := s.askConfirmations(ctx, now, rep); err != nil {
		return err
	}
	if err := s.sendManageLinks(ctx, now, rep); err != nil {
		return err
	}
	// The sign-up records count for a day: none is kept longer.
	return s.store.PurgeSignUps(ctx, now)
}

// manageLink is the student's manage link, "" when links cannot write one.
func (s *Scheduler) manageLink(sub int64, key []byte) string {
	if ml, ok := s.links.(ManageLinker); ok {
		return ml.ManageLink(sub, key)
	}
	return ""
}

// sendManageLinks sends each student who asked for it on the web, once,
// the link to their own page.
func (s *Scheduler) sendManageLinks(ctx context.Context, now time.Time, rep *Report) error {
	ln, ok := s.notifier.(LinkNotifier)
	if s.links == nil || !ok {
		return nil
	}
	subs, err := s.store.LinksToSend(ctx, s.batch)
	if err != nil || len(subs) == 0 {
		return err
	}
	msgs := make([]*gomail.Msg, 0, len(subs))
	for _, sub := range subs {
		link := s.manageLink(sub.ID, sub.LinkKey)
		if link == "" {
			return nil
		}
		if sub.LinkOffer > 0 {
			// The page then offers to follow it; the link alone follows nothing.
			link += "?follow=" + strconv.FormatInt(sub.LinkOffer, 10)
		}
		msg, err := ln.BuildManageLink(notify.ManageLink{To: sub.Email, Name: sub.Name, Lang: sub.Lang, Now: now,
			MessageID: ln.ManageLinkID(sub.ID, now), ManageURL: link})
		if err != nil {
			return err
		}
		msgs = append(msgs, msg)
	}
	for i, err := range s.notifier.Send(ctx, msgs) {
		if err != nil {
			rep.MessagesRetrying++
			s.log.Warn("manage link not sent", "to", subs[i].Email, "error", err)
			continue
		}
		if err := s.store.MarkLinkSent(ctx, subs[i].ID); err != nil {
			return err
		}
		rep.ManageLinks++
	}
	return nil
}
