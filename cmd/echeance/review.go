package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os/user"
	"slices"
	"strconv"
	"strings"

	"github.com/echeance/echeance/offer"
	"github.com/echeance/echeance/store"
)

// reviewPolicy is offers.review as the store applies it to each offer it
// stores: "off" holds none, "all" every one, "uncertain" those whose
// deadline echeance is not sure of.
func reviewPolicy(mode string) store.ReviewPolicy {
	switch mode {
	case "off":
		return nil
	case "all":
		return func(o offer.Offer) (bool, []string) { return true, append(doubts(o), "all") }
	}
	return func(o offer.Offer) (bool, []string) {
		d := doubts(o)
		return len(d) > 0, d
	}
}

// doubts are what makes a deadline uncertain: an estimate, and the doubts
// the reader named when it read the deadline with confidence review
// ("doubt:competing" gives "competing"), once each. A deadline that had
// passed when it was read ("doubt:past") holds nothing by itself: no
// reminder is ahead of it to hold, and an offer stored late, or replayed
// with tick --now, keeps the reminders of its virtual dates.
func doubts(o offer.Offer) []string {
	var out []string
	if o.Deadline.Kind == offer.KindEstimated {
		out = append(out, "estimated")
	}
	if o.Deadline.Confidence != offer.ConfidenceReview {
		return out
	}
	for _, r := range o.Deadline.Reasons {
		if d, ok := strings.CutPrefix(r, "doubt:"); ok && d != "past" && !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	return out
}

// cliActor names who decides from the command line, for the offer's record.
func cliActor() string {
	if u, err := user.Current(); err == nil {
		return "cli:" + u.Username
	}
	return "cli"
}

func offerID(cmd, s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id < 1 {
		return 0, usagef("%s: invalid offer ID %q", cmd, s)
	}
	return id, nil
}

// reviewJSON is one line of review --json.
type reviewJSON struct {
	ID           int64    `json:"id"`
	Title        string   `json:"title"`
	Organisation string   `json:"organisation"`
	File         string   `json:"file"`
	Kind         string   `json:"kind"`
	LastDay      string   `json:"last_day"`
	Phrase       string   `json:"phrase"`
	Reasons      []string `json:"reasons"`
}

func cmdReview(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("review", e)
	asJSON := fs.Bool("json", false, "one JSON object per offer")
	if pos, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usagef("review takes no arguments")
	}
	st, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	queue, err := st.ReviewQueue(ctx)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	w := e.stdout
	if !*asJSON {
		fmt.Fprintf(w, "%d offer(s) to review; their reminders are held (offer confirm ID, offer set-deadline ID DATE|--none)\n", len(queue))
	}
	for _, o := range queue {
		if *asJSON {
			if err := enc.Encode(reviewJSON{ID: o.ID, Title: o.Title, Organisation: o.Organisation, File: o.File,
				Kind: o.Deadline.Kind, LastDay: o.Deadline.LastDay, Phrase: o.Deadline.Phrase, Reasons: o.Reasons}); err != nil {
				return err
			}
			continue
		}
		fmt.Fprintf(w, "\n%d\t%s\n  organisation: %s\n  file:         %s\n  read:         %s\n", o.ID, orDefault(o.Title, "-"),
			orDefault(o.Organisation, "-"), o.File, deadlineSummary(o.Deadline))
		if o.Deadline.Phrase != "" {
			fmt.Fprintf(w, "  sentence:     %q\n", o.Deadline.Phrase)
		}
		fmt.Fprintf(w, "  why:          %s\n", strings.Join(o.Reasons, ", "))
	}
	return nil
}

func cmdOfferConfirm(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("offer confirm", e)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("offer confirm: want exactly one ID")
	}
	id, err := offerID("offer confirm", pos[0])
	if err != nil {
		return err
	}
	st, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	expired, err := st.ConfirmOffer(ctx, id, cliActor(), e.now())
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "offer %d confirmed: its reminders go out", id)
	if expired > 0 {
		fmt.Fprintf(e.stdout, " (%d held past their time expired; the next ones ahead go)", expired)
	}
	fmt.Fprintln(e.stdout)
	return nil
}
