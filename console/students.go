package console

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/echeance/echeance/roster"
	"github.com/echeance/echeance/store"
)

type studentsPage struct {
	base
	Q        string
	Students []store.StudentRow
	Pager    pager
}

func (c *Console) showStudents(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	p := page(r)
	rows, err := c.st.ListStudents(r.Context(), q, (p-1)*PageSize, PageSize+1)
	if err != nil {
		c.oops(w, r, err)
		return
	}
	more := len(rows) > PageSize
	if more {
		rows = rows[:PageSize]
	}
	c.render(w, r, http.StatusOK, "students", studentsPage{base: c.base(r, "console_students_title", "students"), Q: q,
		Students: rows, Pager: newPager(r, p, more)})
}

func studentObject(id int64) string { return fmt.Sprintf("student %d", id) }

// addStudent subscribes one student (active at once: the career service
// vouches for the address), following every offer, or the offers a search
// finds.
func (c *Console) addStudent(w http.ResponseWriter, r *http.Request) {
	sess, _ := sessionOf(r)
	now := c.now()
	email, err := store.NormalizeEmail(r.PostFormValue("email"))
	if err != nil {
		c.badInput(w, r, Prefix+"students", err)
		return
	}
	sub := store.Subscriber{Email: email, Name: strings.TrimSpace(r.PostFormValue("name")), Lang: r.PostFormValue("lang")}
	if sub.Lang != "en" {
		sub.Lang = "fr"
	}
	if o := strings.TrimSpace(r.PostFormValue("offsets")); o != "" {
		if sub.Offsets, err = roster.ParseOffsets(o); err != nil {
			c.badInput(w, r, Prefix+"students", err)
			return
		}
	}
	if err := store.CheckName(sub.Name); err != nil {
		c.badInput(w, r, Prefix+"students", err)
		return
	}
	q := strings.TrimSpace(r.PostFormValue("search"))
	sub.FollowAll = q == ""
	id, err := c.st.AddSubscriber(r.Context(), sub, now)
	if errors.Is(err, store.ErrExists) {
		c.badInput(w, r, Prefix+"students", fmt.Errorf("%s: %w", email, store.ErrExists))
		return
	}
	if err != nil {
		c.oops(w, r, err)
		return
	}
	if q != "" {
		// Through EditSubscriber: the search is checked, saved, and the
		// stored offers it matches are followed at once.
		if err := c.st.EditSubscriber(r.Context(), id, store.SubscriberEdit{AddSearches: []string{q}}, now); err != nil {
			c.st.RemoveSubscriber(r.Context(), email)
			c.badInput(w, r, Prefix+"students", err)
			return
		}
	}
	if err := c.st.Audit(r.Context(), store.AuditEntry{Admin: sess.Email, Action: "student.add", Object: studentObject(id),
		SubscriberID: id, Detail: email}, now); err != nil {
		c.oops(w, r, err)
		return
	}
	done(w, r, fmt.Sprintf("%sstudents/%d/", Prefix, id), "console_done_student_added")
}

type importPage struct {
	base
	Added    int
	Rejected []string
	Ran      bool
}

func (c *Console) showImport(w http.ResponseWriter, r *http.Request) {
	c.render(w, r, http.StatusOK, "import", importPage{base: c.base(r, "console_import_title", "students")})
}

// doImport imports a roster (package roster): good rows are added, bad
// ones listed by line; nothing is half-added.
func (c *Console) doImport(w http.ResponseWriter, r *http.Request) {
	sess, _ := sessionOf(r)
	now := c.now()
	v := importPage{base: c.base(r, "console_import_title", "students"), Ran: true}
	if r.MultipartForm == nil || len(r.MultipartForm.File["file"]) != 1 {
		v.Error = v.L.T("console_import_nofile")
		c.render(w, r, http.StatusBadRequest, "import", v)
		return
	}
	fh := r.MultipartForm.File["file"][0]
	f, err := fh.Open()
	if err != nil {
		c.oops(w, r, err)
		return
	}
	defer f.Close()
	name := fh.Filename
	rows, bad, err := roster.Read(f, name)
	if err != nil {
		v.Error = err.Error()
		c.render(w, r, http.StatusBadRequest, "import", v)
		return
	}
	subs := make([]store.Subscriber, len(rows))
	for i, row := range rows {
		subs[i] = row.Sub
	}
	ids, errs, err := c.st.ImportSubscribers(r.Context(), subs, now)
	if err != nil {
		c.oops(w, r, err)
		return
	}
	for i, row := range rows {
		if errs[i] != nil {
			bad = append(bad, fmt.Errorf("%s:%d: %w", name, row.Line, errs[i]))
			continue
		}
		v.Added++
		if len(row.Sub.Searches) > 0 {
			// Saved again through EditSubscriber, which follows the stored
			// offers the search matches (the search is kept once).
			if err := c.st.EditSubscriber(r.Context(), ids[i], store.SubscriberEdit{AddSearches: row.Sub.Searches}, now); err != nil {
				c.oops(w, r, err)
				return
			}
		}
	}
	for _, e := range bad {
		v.Rejected = append(v.Rejected, e.Error())
	}
	// One row for the import, without personal data.
	if err := c.st.Audit(r.Context(), store.AuditEntry{Admin: sess.Email, Action: "student.import", Object: "students",
		Detail: fmt.Sprintf("%s: %d added, %d rejected", name, v.Added, len(bad))}, now); err != nil {
		c.oops(w, r, err)
		return
	}
	c.render(w, r, http.StatusOK, "import", v)
}

type studentPage struct {
	base
	Sub      store.Subscriber
	Searches []store.Search
	Offsets  string
}

func (c *Console) showStudent(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		c.fail(w, r, http.StatusNotFound, "console_not_found")
		return
	}
	sub, err := c.st.SubscriberByID(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		c.fail(w, r, http.StatusNotFound, "console_not_found")
		return
	}
	if err != nil {
		c.oops(w, r, err)
		return
	}
	searches, err := c.st.SearchesOf(r.Context(), id)
	if err != nil {
		c.oops(w, r, err)
		return
	}
	days := make([]string, len(sub.Offsets))
	for i, d := range sub.Offsets {
		days[i] = strconv.Itoa(d)
	}
	v := studentPage{base: c.base(r, "console_student_title", "students"), Sub: sub, Searches: searches, Offsets: strings.Join(days, ",")}
	c.render(w, r, http.StatusOK, "student", v)
}

// studentAction is every button of a student: edit (through
// store.EditSubscriber), pause, resume, remove.
func (c *Console) studentAction(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		c.fail(w, r, http.StatusNotFound, "console_not_found")
		return
	}
	sess, _ := sessionOf(r)
	ctx, now := r.Context(), c.now()
	sub, err := c.st.SubscriberByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		c.fail(w, r, http.StatusNotFound, "console_not_found")
		return
	}
	if err != nil {
		c.oops(w, r, err)
		return
	}
	back := fmt.Sprintf("%sstudents/%d/", Prefix, id)
	entry := store.AuditEntry{Admin: sess.Email, Object: studentObject(id), SubscriberID: id, Detail: sub.Email}
	var key string
	switch r.PathValue("action") {
	case "edit":
		e, detail, err := editOf(r)
		if err == nil {
			err = c.st.EditSubscriber(ctx, id, e, now)
		}
		if err != nil {
			c.badInput(w, r, back, err)
			return
		}
		entry.Action, key = "student.edit", "console_done_saved"
		entry.Detail = sub.Email + ": " + detail
	case "pause", "resume":
		state, verb := store.StatePaused, "student.pause"
		key = "console_done_paused"
		if r.PathValue("action") == "resume" {
			state, verb, key = store.StateActive, "student.resume", "console_done_resumed"
		}
		if err := c.st.SetSubscriberState(ctx, sub.Email, state, ""); err != nil {
			c.badInput(w, r, back, err)
			return
		}
		entry.Action = verb
	case "remove":
		// The audit row first: the deletion's trigger then blanks its
		// detail, as for every row about this student.
		entry.Action = "student.remove"
		if err := c.st.Audit(ctx, entry, now); err != nil {
			c.oops(w, r, err)
			return
		}
		if err := c.st.RemoveSubscriber(ctx, sub.Email); err != nil {
			c.oops(w, r, err)
			return
		}
		done(w, r, Prefix+"students", "console_done_student_removed")
		return
	default:
		c.fail(w, r, http.StatusNotFound, "console_not_found")
		return
	}
	if err := c.st.Audit(ctx, entry, now); err != nil {
		c.oops(w, r, err)
		return
	}
	done(w, r, back, key)
}

// editOf reads the edit form into a SubscriberEdit, and says what it
// changes for the audit log.
func editOf(r *http.Request) (store.SubscriberEdit, string, error) {
	var e store.SubscriberEdit
	var said []string
	if _, ok := r.PostForm["name"]; ok {
		name := strings.TrimSpace(r.PostFormValue("name"))
		e.Name = &name
		said = append(said, fmt.Sprintf("name %q", name))
	}
	if lang := r.PostFormValue("lang"); lang != "" {
		e.Lang = &lang
		said = append(said, "lang "+lang)
	}
	if _, ok := r.PostForm["offsets"]; ok {
		days := []int{}
		if o := strings.TrimSpace(r.PostFormValue("offsets")); o != "" {
			var err error
			if days, err = roster.ParseOffsets(o); err != nil {
				return e, "", err
			}
		}
		e.Offsets = &days
		said = append(said, fmt.Sprintf("offsets %v", days))
	}
	if _, ok := r.PostForm["weekly_shown"]; ok {
		weekly := r.PostFormValue("weekly") == "on"
		e.Weekly = &weekly
		said = append(said, fmt.Sprintf("weekly %v", weekly))
	}
	if q := strings.TrimSpace(r.PostFormValue("search")); q != "" {
		e.AddSearches = []string{q}
		said = append(said, fmt.Sprintf("search + %q", q))
	}
	for _, v := range r.PostForm["remove_search"] {
		sid, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return e, "", fmt.Errorf("invalid search id %q", v)
		}
		e.RemoveSearches = append(e.RemoveSearches, sid)
		said = append(said, fmt.Sprintf("search - %d", sid))
	}
	return e, strings.Join(said, "; "), nil
}
