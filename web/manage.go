package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/echeance/echeance/notify"
	"github.com/echeance/echeance/store"
	"github.com/echeance/echeance/token"
)

// manageView is a student's own page.
type manageView struct {
	Action               string
	Email, State         string
	Paused, Pending      bool
	Follows              []followView
	Offsets, OffsetsHint string
	Langs                []option
	Weekly               bool
	Searches             []searchView
	NewSearch            string
	DeleteNote           string
	// FollowID and FollowTitle are the offer ?follow= names, offered with
	// a button (a link alone never follows anything).
	FollowID    int64
	FollowTitle string
}

type followView struct {
	ID                       int64
	URL, Title, Organisation string
	LastDay, Status, Next    string
	Following                bool
}

type searchView struct {
	ID    int64
	Query string
}

// manageClaim checks the token of /manage/{token}: a manage link of a
// student who is still there and has not unsubscribed.
func (s *Server) manageClaim(w http.ResponseWriter, r *http.Request) (store.Subscriber, string, bool) {
	tok := r.PathValue("token")
	c, sub, err := s.verify(r.Context(), tok)
	if err == nil && (c.Action != token.Manage || sub.State == store.StateUnsubscribed) {
		err = token.ErrInvalid
	}
	if err != nil {
		s.refuse(w, r, sub, err)
		return store.Subscriber{}, "", false
	}
	return sub, tok, true
}

// showManage serves a student's own page: GET only shows.
func (s *Server) showManage(w http.ResponseWriter, r *http.Request) {
	sub, tok, ok := s.manageClaim(w, r)
	if !ok {
		return
	}
	notice := ""
	if r.URL.Query().Get("saved") == "1" {
		notice = s.cat.Lang(sub.Lang).T("manage_saved")
	}
	s.managePage(w, r, http.StatusOK, sub, tok, "", notice, "")
}

func (s *Server) managePage(w http.ResponseWriter, r *http.Request, status int, sub store.Subscriber, tok, problem, notice, typed string) {
	l := s.cat.Lang(sub.Lang)
	ctx := r.Context()
	follows, err := s.store.FollowsOf(ctx, sub.ID)
	var searches []store.Search
	if err == nil {
		searches, err = s.store.SearchesOf(ctx, sub.ID)
	}
	if err != nil {
		s.log.Error("manage page", "subscriber_id", sub.ID, "error", err)
		http.Error(w, "temporary failure", http.StatusServiceUnavailable)
		return
	}
	m := &manageView{Action: s.links.base + "/manage/" + tok, Email: sub.Email, Weekly: sub.Weekly,
		Paused: sub.State == store.StatePaused, Pending: sub.State == store.StatePending,
		Offsets: formatDays(sub.Offsets), NewSearch: typed, DeleteNote: l.T("manage_delete_warning")}
	switch sub.State {
	case store.StatePaused:
		m.State = l.T("manage_state_paused")
	case store.StatePending:
		m.State = l.T("manage_state_pending")
	default:
		m.State = l.T("manage_state_active")
	}
	m.OffsetsHint = l.T("manage_offsets_default", "site", s.siteName(l), "days", formatDays(s.offsets))
	for _, tag := range s.cat.Tags() {
		m.Langs = append(m.Langs, option{Value: tag, Text: s.cat.Lang(tag).Name, Selected: tag == sub.Lang})
	}
	for _, f := range follows {
		fv := followView{ID: f.OfferID, Title: l.Typeset(notify.Visible(f.Title)), Organisation: l.Typeset(notify.Visible(f.Organisation)),
			Status: l.T("status_" + f.Status), Following: f.Status == store.Following, Next: l.T("manage_next_none")}
		if strings.TrimSpace(fv.Title) == "" {
			fv.Title = l.T("page_offer_title", "id", f.OfferID)
		}
		if s.links.public {
			fv.URL = fmt.Sprintf("%s/offers/%d", s.links.base, f.OfferID)
		} else {
			fv.URL, _, _ = s.links.OfferLinks(sub.ID, sub.LinkKey, f.OfferID)
		}
		if d, ok := parseDay(f.LastDay); ok {
			fv.LastDay = l.LongDate(d)
			if f.Kind == "estimated" {
				fv.LastDay += " (" + l.T("home_estimated") + ")"
			}
		} else {
			fv.LastDay = l.T("home_no_deadline")
		}
		switch {
		case f.Next != nil && fv.Following:
			fv.Next = l.LongDate(f.Next.In(s.loc()))
		case fv.Following && !f.Planned && f.Kind != "none" && sub.State == store.StateActive:
			fv.Next = l.T("manage_next_unplanned")
		}
		m.Follows = append(m.Follows, fv)
	}
	for _, q := range searches {
		m.Searches = append(m.Searches, searchView{ID: q.ID, Query: q.Query})
	}
	if id, _ := strconv.ParseInt(r.URL.Query().Get("follow"), 10, 64); id > 0 && r.Method == http.MethodGet {
		following := false
		for _, f := range follows {
			following = following || f.OfferID == id && f.Status == store.Following
		}
		if o, err := s.store.Offer(ctx, id); err == nil && !following {
			m.FollowID, m.FollowTitle = id, nameOf(l, &o).Title
			if strings.TrimSpace(m.FollowTitle) == "" {
				m.FollowTitle = l.T("page_offer_title", "id", id)
			}
		}
	}
	s.renderStudents(w, status, l, studentView{Page: "manage", Title: l.T("manage_title"), Manage: m,
		Form: s.formToken(manageBind(sub.ID, tok)), Error: problem, Notice: notice})
}

// doManage acts on a student's own page. The form token is bound to the
// student and to the link the page was served from, so neither a page of
// another student's nor a cross-site form can act.
func (s *Server) doManage(w http.ResponseWriter, r *http.Request) {
	sub, tok, ok := s.manageClaim(w, r)
	if !ok {
		return
	}
	l := s.cat.Lang(sub.Lang)
	switch err := s.checkForm(r, manageBind(sub.ID, tok)); {
	case errors.Is(err, token.ErrExpired):
		s.managePage(w, r, http.StatusBadRequest, sub, tok, l.T("form_expired"), "", "")
		return
	case err != nil:
		s.refuseForm(w, r)
		return
	}
	ctx, now := r.Context(), s.now()
	id := func(name string) int64 {
		n, _ := strconv.ParseInt(r.PostFormValue(name), 10, 64)
		return n
	}
	var err error
	switch op := r.PostFormValue("op"); op {
	case "pause":
		err = s.store.Pause(ctx, sub.ID)
	case "resume":
		err = s.store.Resume(ctx, sub.ID)
	case "settings":
		offsets, perr := parseOffsets(r.PostFormValue("offsets"))
		if perr != nil {
			s.managePage(w, r, http.StatusBadRequest, sub, tok, l.T("form_bad_offsets"), "", "")
			return
		}
		lang, weekly := r.PostFormValue("lang"), r.PostFormValue("weekly") == "1"
		if !s.cat.Has(lang) {
			lang = sub.Lang
		}
		err = s.store.EditSubscriber(ctx, sub.ID, store.SubscriberEdit{Offsets: &offsets, Lang: &lang, Weekly: &weekly}, now)
	case "add_search":
		q := strings.TrimSpace(r.PostFormValue("search"))
		err = s.store.EditSubscriber(ctx, sub.ID, store.SubscriberEdit{AddSearches: []string{q}}, now)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			s.managePage(w, r, http.StatusBadRequest, sub, tok, l.T("form_bad_search", "error", searchProblem(err)), "", q)
			return
		}
	case "remove_search":
		err = s.store.EditSubscriber(ctx, sub.ID, store.SubscriberEdit{RemoveSearches: []int64{id("search")}}, now)
	case store.Following, store.Applied, store.NotInterested:
		err = s.store.FollowByID(ctx, sub.ID, id("offer"), op, now)
		if errors.Is(err, store.ErrNotFound) {
			s.invalid(w, r)
			return
		}
	case "export":
		s.export(w, r, sub)
		return
	case "delete":
		if err := s.store.EraseSubscriber(ctx, sub.ID); err != nil {
			s.log.Error("erase", "subscriber_id", sub.ID, "error", err)
			http.Error(w, "temporary failure, try again", http.StatusServiceUnavailable)
			return
		}
		s.log.Info("student erased their data", "subscriber_id", sub.ID)
		s.render(w, http.StatusOK, l, view{Title: l.T("manage_deleted_title"), Class: "ok", Message: l.T("manage_deleted")})
		return
	default:
		http.Error(w, "unknown action", http.StatusBadRequest)
		return
	}
	if err != nil {
		s.log.Error("manage page", "subscriber_id", sub.ID, "error", err)
		http.Error(w, "temporary failure, try again", http.StatusServiceUnavailable)
		return
	}
	s.log.Info("student changed their reminders", "subscriber_id", sub.ID, "op", r.PostFormValue("op"))
	// Post, redirect, get: reloading the page does not post again.
	http.Redirect(w, r, s.links.base+"/manage/"+tok+"?saved=1", http.StatusSeeOther)
}

// searchProblem is what a student is told of a search the store refused:
// the search package's words, without the store's prefix.
func searchProblem(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, "search "); i >= 0 {
		return msg[i:]
	}
	return msg
}

// export sends everything stored about the student as a JSON download.
func (s *Server) export(w http.ResponseWriter, r *http.Request, sub store.Subscriber) {
	x, err := s.store.ExportSubscriber(r.Context(), sub.ID)
	if err != nil {
		s.log.Error("export", "subscriber_id", sub.ID, "error", err)
		http.Error(w, "temporary failure, try again", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="echeance-data.json"`)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(x); err != nil {
		s.log.Error("export", "subscriber_id", sub.ID, "error", err)
	}
	s.log.Info("student exported their data", "subscriber_id", sub.ID)
}
