package browsertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/helhed/helhed/internal/testlimit"
)

// Screenshot saves a full-page PNG of the current page as name.png and
// returns its path. The directory is HELHED_SCREENSHOTS when set (relative
// paths are relative to the module root, so HELHED_SCREENSHOTS=docs/screenshots
// works from anywhere), else a temporary directory of the test.
func (p *Page) Screenshot(name string) string {
	p.t.Helper()
	dir := os.Getenv("HELHED_SCREENSHOTS")
	if dir == "" {
		if p.shots == "" {
			p.shots = p.t.TempDir()
		}
		dir = p.shots
	}
	path, err := p.saveScreenshot(dir, name)
	if err != nil {
		p.fatalf("screenshot %s: %v", name, err)
	}
	p.t.Logf("screenshot of %s: %s", p.where(), path)
	return path
}

func (p *Page) saveScreenshot(dir, name string) (string, error) {
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(moduleRoot(), dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(p.ctx, testlimit.Scale(10*time.Second))
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // quality 100 = PNG
	if err != nil {
		return "", fmt.Errorf("capture: %w", err)
	}
	path := filepath.Join(dir, name+".png")
	return path, os.WriteFile(path, png, 0o644)
}
