package web

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/echeance/echeance/catalog"
)

func TestHealthz(t *testing.T) {
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Deps{Catalog: cat, Now: func() time.Time { return now }, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	var reason error
	s.SetHealth(func(context.Context) error { return reason })
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	check := func(wantCode int, wantBody string) {
		t.Helper()
		resp, err := http.Get(srv.URL + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != wantCode || !strings.Contains(string(body), wantBody) || resp.Header.Get("Server") != "echeance" {
			t.Errorf("healthz: %s %q (Server %q), want %d %q", resp.Status, body, resp.Header.Get("Server"), wantCode, wantBody)
		}
	}
	check(http.StatusOK, "ok")
	reason = errors.New("store: ping e.db: no such file")
	check(http.StatusServiceUnavailable, "store: ping e.db: no such file")
	reason = nil
	check(http.StatusOK, "ok")
}
