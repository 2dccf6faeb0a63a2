package console

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/echeance/echeance/store"
)

type dashboardPage struct {
	base
	Now, NextRun time.Time
	Status       store.Status
	Late         string
	Review       []store.Reviewed
}

// showDashboard is what `echeance status` prints, and the review queue.
func (c *Console) showDashboard(w http.ResponseWriter, r *http.Request) {
	now := c.now().In(c.loc)
	dayStart := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, c.loc)
	st, err := c.st.Status(r.Context(), now, dayStart)
	if err != nil {
		c.oops(w, r, err)
		return
	}
	queue, err := c.st.ReviewQueue(r.Context())
	if err != nil {
		c.oops(w, r, err)
		return
	}
	v := dashboardPage{base: c.base(r, "console_dashboard_title", "dashboard"), Now: now, Status: st, Review: queue}
	if c.nextRun != nil {
		v.NextRun = c.nextRun(now)
	}
	if st.OldestUnsent != nil {
		v.Late = now.Sub(*st.OldestUnsent).Round(time.Minute).String()
	}
	c.render(w, r, http.StatusOK, "dashboard", v)
}

type outboxPage struct {
	base
	View  string
	Views []string
	Rows  []store.ReminderRow
	Pager pager
}

var outboxViews = []string{store.OutboxDue, store.OutboxPending, store.OutboxRetrying, store.OutboxFailed, store.OutboxSent}

func (c *Console) showOutbox(w http.ResponseWriter, r *http.Request) {
	view := r.URL.Query().Get("view")
	if view == "" {
		view = store.OutboxDue
	}
	p := page(r)
	rows, err := c.st.ListOutbox(r.Context(), view, c.now(), (p-1)*PageSize, PageSize+1)
	if err != nil {
		c.fail(w, r, http.StatusNotFound, "console_not_found")
		return
	}
	more := len(rows) > PageSize
	if more {
		rows = rows[:PageSize]
	}
	c.render(w, r, http.StatusOK, "outbox", outboxPage{base: c.base(r, "console_outbox_title", "outbox"), View: view,
		Views: outboxViews, Rows: rows, Pager: newPager(r, p, more)})
}

// resend puts a failed reminder back in the outbox, due now.
func (c *Console) resend(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		c.fail(w, r, http.StatusNotFound, "console_not_found")
		return
	}
	sess, _ := sessionOf(r)
	_, err := c.st.Resend(r.Context(), id, sess.Email, c.now())
	if errors.Is(err, store.ErrNotFound) {
		c.fail(w, r, http.StatusNotFound, "console_not_found")
		return
	}
	if err != nil {
		c.badInput(w, r, Prefix+"outbox?view=failed", err)
		return
	}
	done(w, r, Prefix+"outbox?view=due", "console_done_resent")
}

type auditPage struct {
	base
	Rows []store.AuditEntry
	// Older is the link to the next page, "" on the last.
	Older string
}

func (c *Console) showAudit(w http.ResponseWriter, r *http.Request) {
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	rows, err := c.st.AuditLog(r.Context(), store.AuditFilter{Before: before, Limit: PageSize + 1})
	if err != nil {
		c.oops(w, r, err)
		return
	}
	v := auditPage{base: c.base(r, "console_audit_title", "audit")}
	if len(rows) > PageSize {
		rows = rows[:PageSize]
		v.Older = Prefix + "audit?before=" + strconv.FormatInt(rows[len(rows)-1].ID, 10)
	}
	v.Rows = rows
	c.render(w, r, http.StatusOK, "audit", v)
}
