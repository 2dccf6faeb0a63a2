package console

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/echeance/echeance/document"
	"github.com/echeance/echeance/ingest"
	"github.com/echeance/echeance/notify"
	"github.com/echeance/echeance/offer"
	"github.com/echeance/echeance/store"
)

type offersPage struct {
	base
	Q      string
	Offers []store.OfferRow
	Pager  pager
	// Added lists what the add form did, one line per source.
	Added []addResult
}

type addResult struct {
	ID   int64
	Name string
	// What is the catalogue's word for what happened; Err the failure.
	What, Err string
}

func (c *Console) listOffers(r *http.Request, b base) (offersPage, error) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	p := page(r)
	rows, err := c.st.ListOffers(r.Context(), q, (p-1)*PageSize, PageSize+1)
	if err != nil {
		return offersPage{}, err
	}
	more := len(rows) > PageSize
	if more {
		rows = rows[:PageSize]
	}
	return offersPage{base: b, Q: q, Offers: rows, Pager: newPager(r, p, more)}, nil
}

func (c *Console) showOffers(w http.ResponseWriter, r *http.Request) {
	v, err := c.listOffers(r, c.base(r, "console_offers_title", "offers"))
	if err != nil {
		c.oops(w, r, err)
		return
	}
	c.render(w, r, http.StatusOK, "offers", v)
}

// addOffer reads offers from the add form: pasted text, uploaded files
// (text, HTML, PDF, DOCX, ODT) and a URL, each stored through package
// ingest like `offer add` does, each reported.
func (c *Console) addOffer(w http.ResponseWriter, r *http.Request) {
	sess, _ := sessionOf(r)
	now := c.now()
	var sources []ingest.Source
	var results []addResult
	if text := strings.TrimSpace(r.PostFormValue("text")); text != "" {
		// Pasted text has no name to be updated by: each paste stands alone.
		sources = append(sources, ingest.Source{Name: "-", Data: []byte(text),
			Origin: store.Source{Kind: store.SourceStdin, Name: "console:" + sess.Email}})
	}
	if r.MultipartForm != nil {
		for _, fh := range r.MultipartForm.File["files"] {
			name := filepath.Base(fh.Filename)
			f, err := fh.Open()
			if err != nil {
				results = append(results, addResult{Name: name, Err: err.Error()})
				continue
			}
			data, err := io.ReadAll(io.LimitReader(f, document.MaxSize+1))
			f.Close()
			if err == nil && len(data) > document.MaxSize {
				err = fmt.Errorf("larger than %d MiB", document.MaxSize>>20)
			}
			if err != nil {
				results = append(results, addResult{Name: name, Err: err.Error()})
				continue
			}
			sources = append(sources, ingest.Source{Name: name, Data: data, ContentType: fh.Header.Get("Content-Type"),
				Origin: store.Source{Kind: store.SourceFile, Name: "upload:" + name}})
		}
	}
	if u := strings.TrimSpace(r.PostFormValue("url")); u != "" {
		if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
			results = append(results, addResult{Name: u, Err: "want an http(s) URL"})
		} else if src, err := ingest.Fetch(r.Context(), u); err != nil {
			results = append(results, addResult{Name: u, Err: err.Error()})
		} else {
			sources = append(sources, src)
		}
	}
	l := c.lang(r)
	for _, src := range sources {
		name := src.Name
		if name == "-" {
			name = l.T("console_offer_pasted")
		}
		o, err := c.in.Parse(r.Context(), src, now)
		if err != nil {
			results = append(results, addResult{Name: name, Err: err.Error()})
			continue
		}
		if src.Origin.Name != "" && src.Origin.Kind == store.SourceFile {
			// An upload is not a file on this machine: it updates no
			// offer read from a file of the same name.
			o.File = "-"
		}
		res, err := c.in.Store(r.Context(), src, o, now)
		if err != nil {
			results = append(results, addResult{Name: name, Err: err.Error()})
			continue
		}
		what := "console_offer_known"
		switch {
		case res.Created:
			what = "console_offer_added"
		case res.Updated:
			what = "console_offer_updated"
		case res.Merged:
			what = "console_offer_merged"
		}
		results = append(results, addResult{ID: res.ID, Name: name, What: l.T(what)})
		if err := c.st.Audit(r.Context(), store.AuditEntry{Admin: sess.Email, Action: "offer.add", Object: fmt.Sprintf("offer %d", res.ID),
			OfferID: res.ID, Detail: name + ": " + o.Title}, now); err != nil {
			c.oops(w, r, err)
			return
		}
	}
	b := c.base(r, "console_offers_title", "offers")
	if len(results) == 0 {
		b.Error = l.T("console_offer_nothing")
	}
	v, err := c.listOffers(r, b)
	if err != nil {
		c.oops(w, r, err)
		return
	}
	v.Added = results
	c.render(w, r, http.StatusOK, "offers", v)
}

type offerPage struct {
	base
	Offer   store.Offer
	State   store.OfferRow
	Sources []store.Source
	History []store.AuditEntry
	// Deadline is the last day to apply for the edit form.
	Deadline, Time string
}

func (c *Console) showOffer(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		c.fail(w, r, http.StatusNotFound, "console_not_found")
		return
	}
	o, err := c.st.Offer(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		c.fail(w, r, http.StatusNotFound, "console_not_found")
		return
	}
	if err != nil {
		c.oops(w, r, err)
		return
	}
	v := offerPage{base: c.base(r, "console_offer_title", "offers"), Offer: o, Deadline: o.Deadline.LastDay, Time: o.Deadline.Time}
	v.Title = v.L.T("console_offer_title", "id", id)
	if v.State, err = c.st.OfferState(r.Context(), id); err != nil {
		c.oops(w, r, err)
		return
	}
	if v.Sources, err = c.st.OfferSources(r.Context(), id); err != nil {
		c.oops(w, r, err)
		return
	}
	if v.History, err = c.st.AuditLog(r.Context(), store.AuditFilter{OfferID: id, Limit: 100}); err != nil {
		c.oops(w, r, err)
		return
	}
	c.render(w, r, http.StatusOK, "offer", v)
}

// offerAction is every button of an offer: confirm, no deadline, edit
// (title, organisation, deadline), archive, remove.
func (c *Console) offerAction(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		c.fail(w, r, http.StatusNotFound, "console_not_found")
		return
	}
	sess, _ := sessionOf(r)
	ctx, now := r.Context(), c.now()
	back := fmt.Sprintf("%soffers/%d/", Prefix, id)
	entry := store.AuditEntry{Admin: sess.Email, Object: fmt.Sprintf("offer %d", id), OfferID: id}
	var err error
	var key string
	switch r.PathValue("action") {
	case "confirm":
		_, err = c.st.ConfirmOffer(ctx, id, sess.Email, now)
		entry.Action, key = "offer.confirm", "console_done_confirmed"
	case "nodeadline":
		err = c.st.SetNoDeadline(ctx, id, sess.Email, now)
		entry.Action, key = "offer.no_deadline", "console_done_no_deadline"
	case "archive":
		// Audited by the store, in the same transaction.
		err = c.st.ArchiveOffer(ctx, id, sess.Email, now)
		key = "console_done_archived"
	case "remove":
		if err = c.st.RemoveOffer(ctx, id, sess.Email, now); err == nil {
			done(w, r, Prefix+"offers", "console_done_removed")
			return
		}
	case "edit":
		key = "console_done_saved"
		err = c.editOffer(r, id, entry, now)
	default:
		c.fail(w, r, http.StatusNotFound, "console_not_found")
		return
	}
	if errors.Is(err, store.ErrNotFound) {
		c.fail(w, r, http.StatusNotFound, "console_not_found")
		return
	}
	if err != nil {
		c.badInput(w, r, back, err)
		return
	}
	if entry.Action != "" {
		if err := c.st.Audit(ctx, entry, now); err != nil {
			c.oops(w, r, err)
			return
		}
	}
	done(w, r, back, key)
}

// editOffer saves the edit form: the title and organisation, and the last
// day to apply when it changed (YYYY-MM-DD, an optional closing time), as
// `offer set-deadline` does. The date is checked before anything is saved.
func (c *Console) editOffer(r *http.Request, id int64, entry store.AuditEntry, now time.Time) error {
	day, at := strings.TrimSpace(r.PostFormValue("deadline")), strings.TrimSpace(r.PostFormValue("time"))
	o, err := c.st.Offer(r.Context(), id)
	if err != nil {
		return err
	}
	var d *offer.Deadline
	if day != "" && (day != o.Deadline.LastDay || at != o.Deadline.Time) {
		nd, err := StaffDeadline(day, at, c.loc)
		if err != nil {
			return err
		}
		d = &nd
	}
	if err := c.st.RenameOffer(r.Context(), id, r.PostFormValue("title"), r.PostFormValue("organisation"), entry.Admin, now); err != nil {
		return err
	}
	if d == nil {
		return nil
	}
	if err := c.st.SetDeadline(r.Context(), id, *d, now); err != nil {
		return err
	}
	entry.Action = "offer.deadline"
	entry.Detail = strings.TrimSpace(fmt.Sprintf("last day %s → %s %s", orDash(o.Deadline.LastDay), day, at))
	return c.st.Audit(r.Context(), entry, now)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// StaffDeadline is a deadline the career service set: the last day to
// apply (YYYY-MM-DD) closing at hhmm on that day, or at its end when hhmm
// is "". Students are told the date is the career service's.
func StaffDeadline(day, hhmm string, loc *time.Location) (offer.Deadline, error) {
	t, err := time.ParseInLocation("2006-01-02", day, loc)
	if err != nil {
		return offer.Deadline{}, fmt.Errorf("invalid date %q: want YYYY-MM-DD", day)
	}
	d := offer.Deadline{Kind: offer.KindExplicit, Date: day, LastDay: day, Basis: notify.BasisStaff}
	due := time.Date(t.Year(), t.Month(), t.Day(), 23, 59, 59, 0, loc)
	if hhmm != "" {
		h, err := time.Parse("15:04", hhmm)
		if err != nil {
			return offer.Deadline{}, fmt.Errorf("invalid time %q: want HH:MM", hhmm)
		}
		due = time.Date(t.Year(), t.Month(), t.Day(), h.Hour(), h.Minute(), 0, 0, loc)
		d.Time = hhmm
	}
	d.DueAt = &due
	return d, nil
}

// badInput answers a refused form with the reason and a way back.
func (c *Console) badInput(w http.ResponseWriter, r *http.Request, back string, err error) {
	b := c.base(r, "console_error_title", "")
	c.render(w, r, http.StatusBadRequest, "message", message{base: b, Text: b.L.T("console_refused", "reason", err.Error()), Back: back})
}
