package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// chromium returns the headless browser the rendering tests use, Debian's
// chromium package, installed by make test-deps.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "/usr/bin/chromium"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("chromium is not installed: the HTML rendering test needs it (run make test-deps)")
	return ""
}

// harness wraps an email's HTML in a page that shows it in a frame width
// pixels wide (headless Chromium will not make a window narrower than 500
// pixels; a frame is a viewport of its own, media queries included) and
// measures it once loaded: the result is written into #result for
// --dump-dom.
func harness(email string, width int, dark bool) string {
	// In dark mode the frame shows the mail client's dark canvas, which a
	// mail that declares color-scheme light dark is drawn on.
	bg, page := "#ffffff", "#d0d0d0"
	if dark {
		bg, page = "#121212", "#303030"
	}
	return fmt.Sprintf(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><meta name="color-scheme" content="light dark"></head>
<body style="margin:0;background:%s;">
<iframe id="mail" style="display:block;width:%dpx;height:2000px;border:0;background:%s;color-scheme:light dark;" srcdoc="%s"></iframe>
<pre id="result">pending</pre>
<script>
window.addEventListener("load", function () {
  var f = document.getElementById("mail");
  var d = f.contentDocument, w = f.contentWindow, root = d.documentElement;
  f.style.height = root.scrollHeight + "px";
  var links = [];
  d.querySelectorAll("a").forEach(function (a) {
    var r = a.getBoundingClientRect(), s = w.getComputedStyle(a);
    links.push({text: a.textContent, href: a.getAttribute("href"), left: r.left, right: r.right,
      width: r.width, height: r.height, visible: s.visibility === "visible" && s.display !== "none" && s.opacity !== "0"});
  });
  var wide = [];
  d.body.querySelectorAll("*").forEach(function (e) {
    var r = e.getBoundingClientRect();
    if (r.right > root.clientWidth + 0.5 || r.left < -0.5) wide.push(e.tagName + ": " + (e.textContent || "").slice(0, 40));
  });
  document.getElementById("result").textContent = JSON.stringify({
    viewport: w.innerWidth, clientWidth: root.clientWidth, scrollWidth: root.scrollWidth,
    bodyScrollWidth: d.body.scrollWidth, links: links, wide: wide});
});
</script>
</body></html>`, page, width, bg, html.EscapeString(email))
}

type rendering struct {
	Viewport, ClientWidth, ScrollWidth, BodyScrollWidth int
	Links                                               []struct {
		Text, Href                 string
		Left, Right, Width, Height float64
		Visible                    bool
	}
	Wide []string
}

var resultRE = regexp.MustCompile(`(?s)<pre id="result">(.*?)</pre>`)

// renderIn loads page in headless Chromium, window wide pixels wide, in
// the dark colour scheme or the light one, and returns the measures, after
// saving a screenshot to shot.
func renderIn(t *testing.T, page string, window int, shot string, dark bool) rendering {
	t.Helper()
	bin := chromium(t)
	run := func(args ...string) []byte {
		ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
		defer cancel()
		base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
			"--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
			"--user-data-dir=" + t.TempDir(), fmt.Sprintf("--window-size=%d,3400", window)}
		if dark {
			// Blink's preferred colour scheme: 0 is dark.
			base = append(base, "--force-dark-mode", "--blink-settings=preferredColorScheme=0")
		}
		cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			t.Fatalf("chromium %v: %v\n%s", args, err, errb.String())
		}
		return out.Bytes()
	}
	url := "file://" + page
	run("--screenshot="+shot, url)
	if st, err := os.Stat(shot); err != nil || st.Size() == 0 {
		t.Fatalf("chromium made no screenshot %s: %v", shot, err)
	}
	dom := run("--dump-dom", url)
	m := resultRE.FindSubmatch(dom)
	if m == nil {
		t.Fatalf("no result in the page:\n%s", dom)
	}
	var r rendering
	if err := json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &r); err != nil {
		t.Fatalf("result %q: %v", m[1], err)
	}
	return r
}

// TestHTMLRendersOnPhoneAndDesktop renders a digest with a very long title,
// organisation and offer address at 320 and 1024 pixels: nothing may
// overflow sideways and every link must be on screen. The pages and
// screenshots stay in test-artifacts/notify/ at the top of the repository.
func TestHTMLRendersOnPhoneAndDesktop(t *testing.T) {
	m := goldenMailer(t)
	artifacts, err := filepath.Abs(filepath.Join("..", "test-artifacts", "notify"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	long := seedItem(m.loc)
	long.Title = "Stage de fin d'études : Ingénieur·e en développement logiciel embarqué " +
		strings.Repeat("Anticonstitutionnellement", 6)
	long.Organisation = "Établissement public de coopération culturelle et scientifique du Grand Ouest"
	long.URL = "https://www.exemple-d-organisation-tres-longue.example/offres/2025/10/" + strings.Repeat("segment-sans-espace-", 8) + "?ref=newsletter&utm_source=echeance"
	long.Contacts = []string{"recrutement.stages.ingenierie.logicielle@etablissement-public-tres-long.example"}
	long.OfferID = 99
	for _, lang := range []string{"fr", "en"} {
		r := goldenReminders(m, lang)["digest"]
		r.Items = append(r.Items, withItemLinks(long, "3"))
		msg, err := m.Build(r)
		if err != nil {
			t.Fatal(err)
		}
		email := parse(t, write(t, msg)).html
		for _, width := range []int{320, 1024} {
			for _, dark := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s/%d/dark=%v", lang, width, dark), func(t *testing.T) {
					name := fmt.Sprintf("digest.%s.%d", lang, width)
					if dark {
						name += ".dark"
					}
					page := filepath.Join(artifacts, name+".html")
					if err := os.WriteFile(page, []byte(harness(email, width, dark)), 0o644); err != nil {
						t.Fatal(err)
					}
					got := renderIn(t, page, max(width, 500), filepath.Join(artifacts, name+".png"), dark)
					if got.Viewport != width || got.ClientWidth != width {
						t.Fatalf("the frame is %d px wide (client %d), want %d", got.Viewport, got.ClientWidth, width)
					}
					if got.ScrollWidth > got.ClientWidth || got.BodyScrollWidth > got.ClientWidth {
						t.Errorf("overflows sideways: scroll width %d (body %d) > %d", got.ScrollWidth, got.BodyScrollWidth, got.ClientWidth)
					}
					if len(got.Wide) > 0 {
						t.Errorf("elements past the edge: %q", got.Wide)
					}
					// 3 offers × (contacts, offer, applied, not interested) +
					// 1 second contact + the site and its contact + feed ×2,
					// manage, pause, language, unsubscribe.
					if len(got.Links) != 3*4+1+2+6 {
						t.Errorf("%d links, want %d", len(got.Links), 3*4+1+2+6)
					}
					for _, l := range got.Links {
						if !l.Visible || l.Width < 1 || l.Height < 1 || l.Left < 0 || l.Right > float64(width)+0.5 {
							t.Errorf("link %q (%s) not fully visible: %+v", l.Text, l.Href, l)
						}
					}
				})
			}
		}
	}
}
