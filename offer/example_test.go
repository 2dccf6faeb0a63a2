package offer_test

import (
	"fmt"
	"time"

	"github.com/echeance/echeance/offer"
)

func ExampleParse() {
	text := "Stage en médiation scientifique.\nEnvoyez votre candidature avant le 31 octobre 2025 à rh@example.org."
	paris, _ := time.LoadLocation("Europe/Paris")
	o, err := offer.Parse("offre.txt", []byte(text), offer.Options{Now: time.Date(2025, 10, 1, 12, 0, 0, 0, paris), Location: paris})
	if err != nil {
		fmt.Println(err)
		return
	}
	d := o.Deadline
	fmt.Println(d.Kind, d.Phrase)
	fmt.Println("last day:", d.LastDay, "closes:", d.DueAt.Format(time.RFC3339))
	fmt.Println(o.Contacts)
	// Output:
	// explicit avant le 31 octobre 2025
	// last day: 2025-10-30 closes: 2025-10-31T00:00:00+01:00
	// [rh@example.org]
}

func ExampleFindDates() {
	ref := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	for _, d := range offer.FindDates("Journées européennes (du 13 au 15/06/2025), entretiens mi-mars.", ref) {
		fmt.Println(d.Text, d.StartString(), d.EndString(), d.Grain)
	}
	// Output:
	// du 13 au 15/06/2025 2025-06-13 2025-06-15 day
	// mi-mars 2025-03-10 2025-03-19 day
}
