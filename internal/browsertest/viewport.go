package browsertest

import (
	"fmt"

	"github.com/chromedp/chromedp"
)

// SetViewport resizes the tab's viewport to width × height CSS pixels, e.g. 320 wide: a
// phone, or a desktop browser at 400 % zoom (1280 / 4), where WCAG 1.4.10 wants content to
// reflow without being cut off. It lasts for the rest of the test.
func (p *Page) SetViewport(width, height int64) {
	p.t.Helper()
	p.run(fmt.Sprintf("set the viewport to %d×%d", width, height), chromedp.EmulateViewport(width, height))
}

// cutOffJS lists what a user cannot see or reach on the page as it is laid out now: every
// visible element or text whose right edge lies beyond the box that clips it — the viewport,
// or an ancestor with overflow hidden or clip (DKFDS sets overflow-x: hidden on <body>, so
// anything wider than the screen is simply lost). Content inside a scrolling ancestor
// (overflow auto or scroll, such as components.TableScroll) can be scrolled to and counts
// as reachable; the scrolling box itself must fit. Text inside SVG charts is left to the
// chart checks, and visually hidden text (.sr-only: clipped to a pixel on purpose) is
// skipped.
const cutOffJS = `(() => {
  const vw = document.documentElement.clientWidth;
  const slack = 1;
  const out = [];
  const seen = new Set();
  const hiddenOnPurpose = (el) => {
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.display === 'none' || cs.visibility === 'hidden') return true;
      const r = e.getBoundingClientRect();
      if (r.width <= 1 && r.height <= 1 && (cs.clipPath !== 'none' || cs.clip !== 'auto' || cs.overflow === 'hidden')) return true;
    }
    return false;
  };
  // clipper is the nearest ancestor that clips or scrolls horizontally, with its kind.
  const clipper = (el) => {
    for (let e = el.parentElement; e; e = e.parentElement) {
      const ox = getComputedStyle(e).overflowX;
      if (ox === 'auto' || ox === 'scroll') return {e, scrolls: true};
      if (ox === 'hidden' || ox === 'clip') return {e, scrolls: false};
    }
    return null;
  };
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    if (el.classList.length) s += '.' + [...el.classList].join('.');
    return s;
  };
  const check = (el, rect, what) => {
    if (rect.width === 0 || rect.height === 0) return;
    const c = clipper(el);
    if (c && c.scrolls) return; // reachable by scrolling its container
    const limit = Math.min(vw, c ? c.e.getBoundingClientRect().right : vw);
    if (rect.right <= limit + slack) return;
    const key = describe(el) + what;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(describe(el) + what + ' reaches ' + Math.round(rect.right) + 'px, beyond ' + Math.round(limit) + 'px' +
      (c ? ' (clipped by ' + describe(c.e) + ')' : ' (the viewport)'));
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  for (let n = walker.currentNode; n; n = walker.nextNode()) {
    if (n.nodeType === Node.TEXT_NODE) {
      const text = n.textContent.trim();
      const el = n.parentElement;
      if (!text || !el || el.closest('svg') || hiddenOnPurpose(el)) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      for (const r of range.getClientRects()) check(el, r, ' text ' + JSON.stringify(text.slice(0, 40)));
      continue;
    }
    if (n.closest('svg') && n.tagName.toLowerCase() !== 'svg') continue;
    if (n === document.body || hiddenOnPurpose(n)) continue;
    check(n, n.getBoundingClientRect(), '');
  }
  return out;
})()`

// CutOff returns, for the page as it is laid out now, each element and text that sticks out
// of the viewport or of an ancestor that clips it, and so cannot be seen or scrolled to; it
// is empty when everything fits or sits in a scrolling container. Use it with SetViewport.
func (p *Page) CutOff() []string {
	p.t.Helper()
	return Eval[[]string](p, cutOffJS)
}
