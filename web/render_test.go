package web

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// browser starts Debian's headless Chromium, driven through chromedp, for
// the test; it fails the test when Chromium is not installed.
func browser(t *testing.T) context.Context {
	t.Helper()
	bin, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium is not installed: the browser tests need it (run make test-deps)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(bin), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.Flag("disable-quic", true), chromedp.UserDataDir(t.TempDir()))
	actx, cancel := chromedp.NewExecAllocator(t.Context(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	ctx, cancel3 := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(cancel3)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// shoot loads url width pixels wide, light or dark, saves a full-page
// screenshot to shot and returns the page's scroll width.
func shoot(t *testing.T, ctx context.Context, url string, width int, dark bool, shot string) int {
	t.Helper()
	scheme := "light"
	if dark {
		scheme = "dark"
	}
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(int64(width), 800),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}})
			return err
		}),
		chromedp.Navigate(url),
	)
	if err != nil {
		t.Fatalf("%s at %d: %v", url, width, err)
	}
	scrollWidth, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	return scrollWidth
}

// TestPageScreenshots renders an offer page and a one-click page, in both
// languages, at phone and desktop widths, light and dark, into
// test-artifacts/web/ for a person to look at; none may overflow sideways.
func TestPageScreenshots(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	f := newFixture(t)
	artifacts, err := filepath.Abs(filepath.Join("..", "test-artifacts", "web"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	pages := map[string]string{
		"offer.fr": fmt.Sprintf("%s/offers/%d?lang=fr", f.srv.URL, f.offer),
		"offer.en": fmt.Sprintf("%s/offers/%d?lang=en", f.srv.URL, f.offer),
		"pause.fr": f.subLinks(t, f.alice).Pause,
		"pause.en": f.subLinks(t, f.bob).Pause,
	}
	ctx := browser(t)
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
				if sw := shoot(t, ctx, u, width, dark, filepath.Join(artifacts, shot+".png")); sw > width {
					t.Errorf("%s: %d px wide at %d", shot, sw, width)
				}
			}
		}
	}
}
