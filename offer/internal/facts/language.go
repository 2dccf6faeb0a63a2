package facts

import "github.com/echeance/echeance/offer/internal/text"

// readLanguage tells French from English by their function words, as
// text counts them; French wins ties and texts without words.
func readLanguage(w text.FunctionWords) string {
	if w.English > w.French {
		return "en"
	}
	return "fr"
}
