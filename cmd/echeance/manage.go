package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/echeance/echeance/config"
	"github.com/echeance/echeance/notify"
	"github.com/echeance/echeance/offer"
	"github.com/echeance/echeance/roster"
	"github.com/echeance/echeance/scheduler"
	"github.com/echeance/echeance/search"
	"github.com/echeance/echeance/store"
)

// matcher has new subscribers follow the stored offers that match their
// saved searches (offers added later are matched by the scheduler). It
// reads the offers once, on first use.
type matcher struct {
	st     *store.Store
	offers []store.Offer
	loaded bool
}

func (m *matcher) follow(ctx context.Context, id int64, queries []string, now time.Time) (int, error) {
	if len(queries) == 0 {
		return 0, nil
	}
	var parsed []search.Query
	for _, q := range queries {
		p, err := search.Parse(q)
		if err != nil {
			return 0, err
		}
		parsed = append(parsed, p)
	}
	if !m.loaded {
		var err error
		if m.offers, err = m.st.Offers(ctx); err != nil {
			return 0, err
		}
		m.loaded = true
	}
	var ids []int64
	for _, o := range m.offers {
		for _, q := range parsed {
			if q.Match(o.Offer) {
				ids = append(ids, o.ID)
				break
			}
		}
	}
	if len(ids) == 0 {
		return 0, nil
	}
	return len(ids), m.st.FollowOffers(ctx, id, ids, now)
}

func oneArg(fs interface{ Name() string }, pos []string, what string) (string, error) {
	if len(pos) != 1 {
		return "", usagef("%s: want exactly one %s", fs.Name(), what)
	}
	return pos[0], nil
}

// withSubscriber runs a subcommand that takes exactly one EMAIL and no
// flags, with the store open.
func withSubscriber(ctx context.Context, e *env, name string, args []string, do func(st *store.Store, email string) error) error {
	fs := newFlagSet(name, e)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	email, err := oneArg(fs, pos, "EMAIL")
	if err != nil {
		return err
	}
	st, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	return do(st, email)
}

func cmdOfferSetDeadline(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("offer set-deadline", e)
	at := fs.String("time", "", "closing time on that day, HH:MM (default: the end of the day)")
	none := fs.Bool("none", false, "the offer states no deadline: drop its reminders")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if *none {
		if len(pos) != 1 || *at != "" {
			return usagef("offer set-deadline: --none takes an ID alone")
		}
		id, err := offerID("offer set-deadline", pos[0])
		if err != nil {
			return err
		}
		st, err := openStore(ctx, e)
		if err != nil {
			return err
		}
		defer st.Close()
		if err := st.SetNoDeadline(ctx, id, cliActor(), e.now()); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "offer %d: no deadline; its reminders are dropped\n", id)
		return nil
	}
	if len(pos) != 2 {
		return usagef("offer set-deadline: want ID and DATE (the last day to apply, YYYY-MM-DD), or ID --none")
	}
	id, err := offerID("offer set-deadline", pos[0])
	if err != nil {
		return err
	}
	loc := e.cfg.Schedule.Location
	day, err := time.ParseInLocation("2006-01-02", pos[1], loc)
	if err != nil {
		return usagef("offer set-deadline: invalid date %q: want YYYY-MM-DD", pos[1])
	}
	// The offer did not say this date: the career service did. Students
	// are told so (Basis), and no phrase is quoted as the offer's.
	d := offer.Deadline{Kind: offer.KindExplicit, Date: pos[1], LastDay: pos[1], Basis: notify.BasisStaff}
	due := time.Date(day.Year(), day.Month(), day.Day(), 23, 59, 59, 0, loc)
	if *at != "" {
		t, err := time.Parse("15:04", *at)
		if err != nil {
			return usagef("offer set-deadline: --time: want HH:MM, not %q", *at)
		}
		due = time.Date(day.Year(), day.Month(), day.Day(), t.Hour(), t.Minute(), 0, 0, loc)
		d.Time = *at
	}
	d.DueAt = &due
	st, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.SetDeadline(ctx, id, d, e.now()); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "offer %d: last day to apply set to %s, %s (applications close %s); followers will be told\n",
		id, day.Weekday(), pos[1], due.Format(time.RFC3339))
	return nil
}

func cmdSubscriberShow(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("subscriber show", e)
	asJSON := fs.Bool("json", false, "one JSON object, reminders included")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	email, err := oneArg(fs, pos, "EMAIL")
	if err != nil {
		return err
	}
	st, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	if *asJSON {
		return writeSubscriberJSON(ctx, e, st, email)
	}
	return showSubscriber(ctx, e, st, email)
}

func showSubscriber(ctx context.Context, e *env, st *store.Store, email string) error {
	sub, err := st.SubscriberByEmail(ctx, email)
	if err != nil {
		return err
	}
	rows, err := st.Reminders(ctx, nil)
	if err != nil {
		return err
	}
	w := e.stdout
	fmt.Fprintf(w, "email:    %s\nname:     %s\nlanguage: %s\nstate:    %s", sub.Email, orDefault(sub.Name, "-"), sub.Lang, sub.State)
	if sub.StateReason != "" {
		fmt.Fprintf(w, " (%s)", sub.StateReason)
	}
	bounces, err := st.BouncesOf(ctx, sub.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\naddress:  %s", bounceText(bounces, e))
	fmt.Fprintf(w, "\noffsets:  %s\nfollows:  %s\nweekly:   %v\n", offsetsText(sub.Offsets, e.cfg), followsText(sub), sub.Weekly)
	for _, q := range sub.Searches {
		fmt.Fprintf(w, "search:   %s\n", q)
	}
	fmt.Fprintln(w, "reminders:")
	for _, r := range rows {
		if r.Email == sub.Email {
			fmt.Fprintf(w, "  %s  %-8s offer %d %-16s %dd  %s\n", r.DueAt.In(e.cfg.Schedule.Location).Format("2006-01-02 15:04"),
				r.State, r.OfferID, r.Kind, r.OffsetDays, r.Title)
		}
	}
	return nil
}

func offsetsText(days []int, cfg config.Config) string {
	if len(days) == 0 {
		for _, d := range cfg.Reminders.Offsets {
			days = append(days, int(d))
		}
	}
	parts := make([]string, len(days))
	for i, d := range days {
		parts[i] = strconv.Itoa(d) + "d"
	}
	return strings.Join(parts, ",")
}

func followsText(s store.Subscriber) string {
	if s.FollowAll {
		return "every offer"
	}
	ids := make([]string, len(s.Offers))
	for i, id := range s.Offers {
		ids[i] = strconv.FormatInt(id, 10)
	}
	if len(ids) == 0 {
		return "no offer yet"
	}
	return "offers " + strings.Join(ids, ",")
}

func cmdSubscriberState(ctx context.Context, e *env, args []string, verb, state string) error {
	return withSubscriber(ctx, e, "subscriber "+verb, args, func(st *store.Store, email string) error {
		if err := st.SetSubscriberState(ctx, email, state, ""); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "subscriber %s: %s\n", strings.ToLower(email), state)
		return nil
	})
}

func cmdSubscriberImport(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("subscriber import", e)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	name, err := oneArg(fs, pos, "FILE.csv")
	if err != nil {
		return err
	}
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	rows, bad, err := roster.Read(f, name)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	subs := make([]store.Subscriber, len(rows))
	for i, r := range rows {
		subs[i] = r.Sub
	}
	now := e.now()
	ids, errs, err := st.ImportSubscribers(ctx, subs, now)
	if err != nil {
		return err
	}
	added := 0
	m := &matcher{st: st}
	for i, r := range rows {
		if errs[i] != nil {
			bad = append(bad, fmt.Errorf("%s:%d: %w", name, r.Line, errs[i]))
			continue
		}
		added++
		if _, err := m.follow(ctx, ids[i], r.Sub.Searches, now); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.stdout, "%s: %d subscriber(s) added, %d row(s) rejected\n", name, added, len(bad))
	if len(bad) > 0 {
		return errors.Join(bad...)
	}
	return nil
}

func cmdFollow(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("follow", e)
	applied := fs.Bool("applied", false, "the student applied: stop the reminders")
	notInterested := fs.Bool("not-interested", false, "the student is not interested: stop the reminders")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("follow: want EMAIL and OFFER_ID")
	}
	id, err := strconv.ParseInt(pos[1], 10, 64)
	if err != nil || id < 1 {
		return usagef("follow: invalid offer ID %q", pos[1])
	}
	status := store.Following
	switch {
	case *applied && *notInterested:
		return usagef("follow: --applied and --not-interested exclude each other")
	case *applied:
		status = store.Applied
	case *notInterested:
		status = store.NotInterested
	}
	st, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Follow(ctx, pos[0], id, status, e.now()); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: offer %d %s\n", strings.ToLower(pos[0]), id, status)
	return nil
}

func cmdReminder(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "list" {
		return usagef("reminder: want list")
	}
	fs := newFlagSet("reminder list", e)
	due := fs.Bool("due", false, "only the pending reminders due now")
	asJSON := fs.Bool("json", false, "one JSON object per line")
	if pos, err := parseFlags(fs, args[1:]); err != nil {
		return err
	} else if len(pos) > 0 {
		return usagef("reminder list takes no arguments")
	}
	st, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	var dueBy *time.Time
	if *due {
		now := e.now()
		dueBy = &now
	}
	rows, err := st.Reminders(ctx, dueBy)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	for _, r := range rows {
		r.DueAt = r.DueAt.In(e.cfg.Schedule.Location)
		if *asJSON {
			if err := enc.Encode(r); err != nil {
				return err
			}
			continue
		}
		fmt.Fprintf(e.stdout, "%d\t%s\t%s\t%s\toffer %d\t%s %dd\t%s\n", r.ID, r.DueAt.Format("2006-01-02 15:04"),
			r.State, r.Email, r.OfferID, r.Kind, r.OffsetDays, r.Title)
	}
	return nil
}

func cmdStatus(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("status", e)
	asJSON := fs.Bool("json", false, "one JSON object")
	if pos, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usagef("status takes no arguments")
	}
	st, err := openStore(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	loc := e.cfg.Schedule.Location
	now := e.now().In(loc)
	dayStart := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	s, err := st.Status(ctx, now, dayStart)
	if err != nil {
		return err
	}
	sched, err := config.ParseCron(e.cfg.Schedule.Reminders)
	if err != nil {
		return usagef("schedule.reminders: %v", err)
	}
	if *asJSON {
		return writeStatusJSON(e, s, now, sched.Next(now).In(loc))
	}
	w := e.stdout
	fmt.Fprintf(w, "now:            %s\n", now.Format(time.RFC3339))
	fmt.Fprintf(w, "next run:       %s (%s)\n", sched.Next(now).In(loc).Format(time.RFC3339), e.cfg.Schedule.Reminders)
	fmt.Fprintf(w, "due now:        %d\n", s.DueNow)
	fmt.Fprintf(w, "pending:        %d\n", s.Pending)
	fmt.Fprintf(w, "sent today:     %d\n", s.SentToday)
	fmt.Fprintf(w, "retrying:       %d\n", s.Retrying)
	fmt.Fprintf(w, "failed:         %d\n", s.Failed)
	fmt.Fprintf(w, "expired:        %d\n", s.Expired)
	oldest := "-"
	if s.OldestUnsent != nil {
		oldest = fmt.Sprintf("%s (%s late)", s.OldestUnsent.In(loc).Format(time.RFC3339), now.Sub(*s.OldestUnsent).Round(time.Minute))
	}
	fmt.Fprintf(w, "oldest unsent:  %s\n", oldest)
	fmt.Fprintf(w, "to review:      %d (offers.review = %q; see echeance review)\n", s.ToReview, e.cfg.Offers.Review)
	return nil
}

func cmdPreview(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("preview", e)
	email := fs.String("subscriber", "", "the student's address")
	htmlFile := fs.String("html", "", "also write the HTML part to this file")
	if pos, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(pos) > 0 || *email == "" {
		return usagef("preview: want --subscriber EMAIL")
	}
	d, err := openDaemon(ctx, e)
	if err != nil {
		return err
	}
	defer d.store.Close()
	sub, err := d.store.SubscriberByEmail(ctx, *email)
	if err != nil {
		return err
	}
	msg, err := d.sched.Preview(ctx, sub.ID)
	if errors.Is(err, scheduler.ErrNothingDue) {
		fmt.Fprintf(e.stdout, "nothing due for %s at %s\n", sub.Email, e.now().In(e.cfg.Schedule.Location).Format(time.RFC3339))
		return nil
	}
	if err != nil {
		return err
	}
	var raw bytes.Buffer
	if _, err := msg.WriteTo(&raw); err != nil {
		return fmt.Errorf("preview: %w", err)
	}
	if _, err := e.stdout.Write(raw.Bytes()); err != nil {
		return err
	}
	if *htmlFile == "" {
		return nil
	}
	html, err := htmlPart(raw.Bytes())
	if err != nil {
		return fmt.Errorf("preview: %w", err)
	}
	if err := os.WriteFile(*htmlFile, html, 0o644); err != nil {
		return fmt.Errorf("preview: %w", err)
	}
	return nil
}

// htmlPart finds the decoded text/html part of a MIME message.
func htmlPart(raw []byte) ([]byte, error) {
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	return findHTML(textproto.MIMEHeader(m.Header), m.Body)
}

func findHTML(h textproto.MIMEHeader, body io.Reader) ([]byte, error) {
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		return nil, err
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err == io.EOF {
				return nil, errors.New("the message has no HTML part")
			}
			if err != nil {
				return nil, err
			}
			if b, err := findHTML(p.Header, p); err == nil {
				return b, nil
			}
		}
	}
	if mt != "text/html" {
		return nil, errors.New("not HTML")
	}
	switch strings.ToLower(h.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		return io.ReadAll(quotedprintable.NewReader(body))
	case "base64":
		return io.ReadAll(base64.NewDecoder(base64.StdEncoding, body))
	}
	return io.ReadAll(body)
}
