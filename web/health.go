package web

import (
	"context"
	"fmt"
	"net/http"
)

// HealthFunc says whether the daemon is healthy: nil, or the reason it is
// not (the database does not answer, runs are late).
type HealthFunc func(ctx context.Context) error

// SetHealth has /healthz answer with check; without one it answers "ok"
// as long as the server serves.
func (s *Server) SetHealth(check HealthFunc) { s.health = check }

// healthz answers 200 "ok", or 503 with the reason, in plain text. The
// Server header lets echeance doctor tell its own daemon on a busy port.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Server", "echeance")
	if s.health != nil {
		if err := s.health(r.Context()); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, err)
			return
		}
	}
	fmt.Fprintln(w, "ok")
}
