package scheduler

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/echeance/echeance/config"
	"github.com/echeance/echeance/notify"
	"github.com/echeance/echeance/store"
)

// fakeLinks writes recognisable links; the scheduler owns Linker.
type fakeLinks struct{}

func (fakeLinks) SubscriberLinks(sub int64, _ []byte) notify.Links {
	return notify.Links{Unsubscribe: fmt.Sprintf("https://r.example/u/%d", sub)}
}
func (fakeLinks) OfferLinks(sub int64, _ []byte, o int64) (string, string, string) {
	return fmt.Sprintf("https://r.example/o/%d", o), "https://r.example/applied", "https://r.example/no"
}
func (fakeLinks) ConfirmLink(sub int64, _ []byte) string {
	return fmt.Sprintf("https://r.example/c/%d", sub)
}
func (fakeLinks) StopSearchLink(sub int64, _ []byte, q int64) string {
	return fmt.Sprintf("https://r.example/s/%d", q)
}
func (fakeLinks) ManageLink(sub int64, _ []byte) string {
	return fmt.Sprintf("https://r.example/manage/%d", sub)
}

// TestWakeSendsAtOnce: a Wake during Run sends a new student's
// confirmation (with their manage link) and a signed-up student's manage
// link without waiting for the schedule, each once.
func TestWakeSendsAtOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.now = time.Date(2025, 10, 1, 10, 0, 0, 0, time.UTC)
	if _, err := f.st.AddSubscriber(ctx, store.Subscriber{Email: "known@example.org"}, f.now); err != nil {
		t.Fatal(err)
	}
	cfg, _ := config.Default()
	s, err := New(f.st, f.rec, nil, cfg.Schedule, cfg.Reminders, func() time.Time { return f.now }, f.sched.log, WithLinks(fakeLinks{}))
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- s.Run(runCtx) }()
	defer func() {
		stop()
		<-done
	}()
	<-s.Started()
	waitSent := func(n int) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); ; {
			f.rec.mu.Lock()
			got := len(f.rec.sent)
			f.rec.mu.Unlock()
			if got >= n {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d messages sent, want %d", got, n)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	for _, r := range []store.SignUp{{Kind: store.SignUpSubscribe, Email: "new@example.org", Client: "a"},
		{Kind: store.SignUpLink, Email: "known@example.org", Client: "b"}} {
		if _, err := f.st.RecordSignUp(ctx, r, f.now); err != nil {
			t.Fatal(err)
		}
	}
	s.Wake()
	s.Wake() // a second wake while the first waits is the same pass
	waitSent(2)
	time.Sleep(100 * time.Millisecond)
	f.rec.mu.Lock()
	defer f.rec.mu.Unlock()
	if len(f.rec.sent) != 2 {
		t.Fatalf("%d messages, want 2", len(f.rec.sent))
	}
	var b strings.Builder
	for _, m := range f.rec.sent {
		m.WriteTo(&b)
	}
	all := b.String()
	if !strings.Contains(all, "https://r.example/c/") || strings.Count(all, "https://r.example/manage/") < 2 {
		t.Errorf("messages without the confirmation and manage links:\n%s", all)
	}
}
