package web

import (
	"fmt"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/echeance/echeance/internal/browsertest"
)

// TestPageScreenshots renders an offer page and a one-click page, in both
// languages, at phone and desktop widths, light and dark, into
// test-artifacts/web/ for a person to look at; none may overflow sideways.
func TestPageScreenshots(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	f := newFixture(t)
	artifacts := browsertest.Artifacts(t, "web")
	pages := map[string]string{
		"offer.fr": fmt.Sprintf("%s/offers/%d?lang=fr", f.srv.URL, f.offer),
		"offer.en": fmt.Sprintf("%s/offers/%d?lang=en", f.srv.URL, f.offer),
		"pause.fr": f.subLinks(t, f.alice).Pause,
		"pause.en": f.subLinks(t, f.bob).Pause,
		// The students' pages, light and dark (the end-to-end test shoots
		// them at 360 and 1280 px in light).
		"home.fr":      f.srv.URL + "/?lang=fr",
		"subscribe.en": fmt.Sprintf("%s/subscribe?offer=%d&lang=en", f.srv.URL, f.offer),
		"link.fr":      f.srv.URL + "/link?lang=fr",
		"manage.fr":    f.links.ManageLink(f.alice, f.key(t, f.alice)),
		"manage.en":    f.links.ManageLink(f.bob, f.key(t, f.bob)),
	}
	ctx := browsertest.Start(t)
	for name, u := range pages {
		if code, _ := get(t, u); code != http.StatusOK {
			t.Fatalf("%s: %d", name, code)
		}
		for _, width := range []int{320, 1024} {
			for _, dark := range []bool{false, true} {
				shot := fmt.Sprintf("%s.%d", name, width)
				if dark {
					shot += ".dark"
				}
				if sw := browsertest.ShootAt(t, ctx, u, width, dark, filepath.Join(artifacts, shot+".png")); sw > width {
					t.Errorf("%s: %d px wide at %d", shot, sw, width)
				}
				for _, v := range browsertest.Serious(browsertest.Axe(t, ctx)) {
					t.Errorf("%s: %s", shot, v)
				}
			}
		}
	}
}
