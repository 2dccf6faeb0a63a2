// Package browsertest drives Debian's headless Chromium from tests: it
// starts the browser, loads pages at a given width and colour scheme,
// saves full-page screenshots for a person to look at, and runs Deque's
// axe-core (pinned in scripts/package-lock.json) in the page to report
// accessibility violations. Only tests import it.
package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/echeance/echeance/internal/repotest"
)

// Start launches headless Chromium for the test and returns the context
// that drives its first tab; it fails the test when Chromium is not
// installed. The browser stops with the test.
func Start(t testing.TB) context.Context {
	t.Helper()
	bin, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium is not installed: the browser tests need it (run make test-deps)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(bin), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.Flag("disable-quic", true), chromedp.UserDataDir(t.TempDir()))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	ctx, cancel3 := context.WithTimeout(ctx, 5*time.Minute)
	t.Cleanup(cancel3)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("browsertest: start chromium: %v", err)
	}
	return ctx
}

// Artifacts returns (and creates) test-artifacts/<sub> at the root of the
// repository, where screenshots go.
func Artifacts(t testing.TB, sub string) string {
	t.Helper()
	dir := filepath.Join(repotest.Root(t), "test-artifacts", sub)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// Scheme sets the emulated width (800 px high) and colour scheme.
func Scheme(ctx context.Context, width int, dark bool) error {
	scheme := "light"
	if dark {
		scheme = "dark"
	}
	return chromedp.Do(ctx,
		chromedp.EmulateViewport(int64(width), 800),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}})
			return err
		}),
	)
}

// Shoot saves a full-page screenshot of the current page to path and
// returns the page's scroll width, so a caller can check nothing overflows
// sideways.
func Shoot(t testing.TB, ctx context.Context, path string) int {
	t.Helper()
	scrollWidth, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil {
		t.Fatalf("browsertest: scroll width: %v", err)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("browsertest: screenshot: %v", err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	return scrollWidth
}

// ShootAt loads url at width (light or dark), saves a screenshot to path
// and returns the page's scroll width.
func ShootAt(t testing.TB, ctx context.Context, url string, width int, dark bool, path string) int {
	t.Helper()
	if err := Scheme(ctx, width, dark); err != nil {
		t.Fatalf("browsertest: %s at %d: %v", url, width, err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("browsertest: %s at %d: %v", url, width, err)
	}
	return Shoot(t, ctx, path)
}

// Violation is one axe-core rule a page breaks.
type Violation struct {
	ID          string   `json:"id"`
	Impact      string   `json:"impact"`
	Description string   `json:"description"`
	Targets     []string `json:"targets"`
}

func (v Violation) String() string {
	return fmt.Sprintf("%s (%s): %s at %s", v.ID, v.Impact, v.Description, strings.Join(v.Targets, ", "))
}

// Axe runs axe-core in the current page and returns its violations. The
// pages' Content-Security-Policy forbids scripts, so the script is
// evaluated through the DevTools protocol with CSP bypassed for the tab.
func Axe(t testing.TB, ctx context.Context) []Violation {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(repotest.Root(t), "scripts", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		t.Fatalf("browsertest: axe-core is not installed (run make test-deps): %v", err)
	}
	err = chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.SetBypassCSP, page.SetBypassCSPParams{Enabled: true})
		return err
	}))
	if err != nil {
		t.Fatalf("browsertest: bypass CSP: %v", err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](string(src)+";0")); err != nil {
		t.Fatalf("browsertest: load axe-core: %v", err)
	}
	const run = `axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations.map(v => ({
		id: v.id, impact: v.impact, description: v.description,
		targets: v.nodes.map(n => n.target.join(" "))}))))`
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](run, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("browsertest: run axe-core: %v", err)
	}
	var vs []Violation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		t.Fatalf("browsertest: axe-core answer: %v", err)
	}
	return vs
}

// Serious returns the violations of serious or critical impact.
func Serious(vs []Violation) []Violation {
	var out []Violation
	for _, v := range vs {
		if v.Impact == "serious" || v.Impact == "critical" {
			out = append(out, v)
		}
	}
	return out
}
