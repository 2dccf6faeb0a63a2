package text

import (
	"strings"
	"testing"
)

// TestReadHTMLDropsChrome checks that the site around an offer is not
// read as the offer: navigation, the site's header and footer, sidebars,
// related posts, cookie banners and share bars, while an article's own
// header stays.
func TestReadHTMLDropsChrome(t *testing.T) {
	doc := `<html><head><title>Stage RH | Jobs</title><meta property="og:site_name" content="Jobs Ouest">
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebPage"},{"@type":"JobPosting","title":"Stage RH","datePosted":"2025-11-20","validThrough":"2026-01-31","hiringOrganization":{"@type":"Organization","name":"Hôtels du Nord"},"jobLocation":[{"@type":"Place","address":{"@type":"PostalAddress","addressLocality":"Lille","postalCode":"59000"}}]}]}</script></head>
<body><div class="cookie-banner">Consentement valable jusqu'au 3 juin 2026</div>
<header><nav><a>Agenda : forum le 4 décembre</a></nav></header>
<main><article><header><h1>Stage assistant RH</h1></header><p>Date limite : 15 janvier 2026</p>
<div class="share-bar">Partager le 2 décembre</div></article>
<section class="related-posts"><h2>À lire aussi</h2><p>Stage : date limite 8 décembre 2025</p></section></main>
<aside>Webinaire le 9 décembre</aside><div role="navigation">Plan</div>
<footer>© 2025 – mise à jour le 28 novembre 2025</footer></body></html>`
	pg := ReadHTML(doc)
	if pg.Text != "Stage assistant RH\n\nDate limite : 15 janvier 2026" {
		t.Errorf("text = %q", pg.Text)
	}
	for _, bad := range []string{"juin", "forum", "Partager", "8 décembre", "Webinaire", "Plan", "28 novembre"} {
		if strings.Contains(pg.Text, bad) {
			t.Errorf("text holds %q of the site around the offer", bad)
		}
	}
	if pg.Title != "Stage RH | Jobs" || pg.SiteName != "Jobs Ouest" || pg.H1 != "Stage assistant RH" {
		t.Errorf("title %q, site name %q, h1 %q", pg.Title, pg.SiteName, pg.H1)
	}
	if two := ReadHTML("<html><body><main><h1>A</h1><p>x</p><h1>B</h1></main></body></html>"); two.H1 != "" {
		t.Errorf("two headings give h1 %q", two.H1)
	}
	jp := pg.JobPosting
	if jp == nil {
		t.Fatal("no JobPosting read")
	}
	want := JobPosting{Title: "Stage RH", Organisation: "Hôtels du Nord", Locality: "Lille", PostalCode: "59000",
		DatePosted: "2025-11-20", ValidThrough: "2026-01-31"}
	if *jp != want {
		t.Errorf("JobPosting = %+v, want %+v", *jp, want)
	}
}

// TestFindJobPostingHostile checks that JSON-LD that is not JSON, too deep
// or of another type gives no JobPosting and no panic.
func TestFindJobPostingHostile(t *testing.T) {
	for _, block := range []string{"", "{", `{"@type":"Event","name":"x"}`, strings.Repeat("[", 100) + strings.Repeat("]", 100),
		`{"@type":["JobPosting"],"title":42,"hiringOrganization":7}`} {
		jp := findJobPosting(block)
		if jp != nil && jp.Title != "" {
			t.Errorf("%.40q: got %+v", block, *jp)
		}
	}
}

// TestReadHTMLKeepsWrappedOffer checks that a wrapper whose class reads
// as chrome does not lose the offer: layout classes ("has-sidebar") are
// not chrome, and a page left nearly empty is read again whole.
func TestReadHTMLKeepsWrappedOffer(t *testing.T) {
	body := "Stage assistant RH. Date limite de candidature : 15 janvier 2026. " + strings.Repeat("Missions du stage. ", 30)
	for _, doc := range []string{
		`<html><body><div class="page has-sidebar"><p>` + body + `</p></div></body></html>`,
		`<html><body><div class="social-impact-jobs"><p>` + body + `</p></div></body></html>`,
		`<html><body><div id="menu-content"><p>` + body + `</p></div></body></html>`,
	} {
		if got := HTMLToText(doc); !strings.Contains(got, "15 janvier 2026") {
			t.Errorf("%.60q: the offer was dropped: %q", doc, got)
		}
	}
}
