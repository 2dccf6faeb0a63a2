package notify

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkBuildReminder builds the reminders of the scheduler's
// BenchmarkSendDue (one offer each, closing at 23:00 in Paris, three
// students in four writing in French): the CPU echeance spends per message
// before the relay sees it.
func BenchmarkBuildReminder(b *testing.B) {
	m := newMailer(b, nil)
	now := time.Date(2025, 10, 31, 10, 0, 0, 0, time.UTC)
	deadline := time.Date(2025, 11, 1, 22, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		lang := "fr"
		if i%4 == 0 {
			lang = "en"
		}
		r := Reminder{To: fmt.Sprintf("student%d@example.org", i), Name: fmt.Sprintf("Student %d", i), Lang: lang,
			Now: now, MessageID: m.MessageID([]int64{int64(i)}), SubscriberID: int64(i),
			Items: []Item{{Title: fmt.Sprintf("Stage %d", i), Organisation: fmt.Sprintf("Organisation %d", i%997),
				Phrase: "jusqu'au 2025-11-01", LastDay: "2025-11-01", DeadlineAt: deadline,
				Contacts: []string{fmt.Sprintf("rh%d@example.org", i)}, Source: fmt.Sprintf("bench/%d.txt", i),
				OfferID: int64(i%1000 + 1), Revision: 1}}}
		if _, err := m.Build(r); err != nil {
			b.Fatal(err)
		}
	}
}
