// dom.js finds elements the way a user does: a form control by the text of its
// <label>, a button or a link by its visible text, a field's error by what is
// shown beside it. The harness evaluates this expression with Runtime.evaluate
// (which the page's CSP does not govern, and which works with JavaScript
// disabled) and calls one method on it, e.g. (<this file>).controls("CPR-nummer"),
// or one on a lookup narrowed to a group:
// (<this file>).within(["Fysiske lidelser"]).controls("Beskrivelse").
// It defines nothing on the page.
({
  // root is where the lookups search: the document, or one group (within).
  root: document,

  // within narrows the lookups to a group, and within that to the next, …:
  // each name is a fieldset's legend or the accessible name (aria-label,
  // aria-labelledby) of a section, region or group, as a screen reader
  // announces a field with its group ("Beskrivelse, Fysiske lidelser,
  // gruppe"). Unless each name picks out exactly one group, nothing is found;
  // counts says how many groups each name picked out, for error messages.
  within(names) {
    let d = this;
    const counts = [];
    for (const name of names) {
      const gs = d.groups(name);
      counts.push(gs.length);
      d = Object.assign(Object.create(d), { root: gs.length === 1 ? gs[0] : document.createDocumentFragment() });
    }
    return Object.assign(Object.create(d), { counts: counts });
  },

  // groups: the groups inside root named name (see within).
  groups(name) {
    const out = this.fieldsets(name);
    for (const el of this.root.querySelectorAll('section[aria-label], section[aria-labelledby], [role=group], [role=region], nav, form[aria-label]')) {
      if (!out.includes(el) && this.name(el) === name) out.push(el);
    }
    return out;
  },

  norm(s) {
    return (s || '').replace(/\s+/g, ' ').trim();
  },

  // visible: rendered and not hidden (display, visibility, zero size).
  visible(el) {
    if (!el.getClientRects().length) return false;
    const cs = getComputedStyle(el);
    return cs.visibility !== 'hidden' && cs.display !== 'none';
  },

  // ownText is an element's text without that of its child elements, so the
  // label "Fornavn(e) <span>(*skal udfyldes)</span>" is found as "Fornavn(e)".
  ownText(el) {
    return this.norm([...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join(' '));
  },

  labelSays(label, text) {
    return this.norm(label.textContent) === text || this.ownText(label) === text;
  },

  // controls: the form controls labelled text by a <label> or an aria-label.
  controls(text) {
    const out = [];
    for (const l of this.root.querySelectorAll('label')) {
      if (this.labelSays(l, text) && l.control && !out.includes(l.control)) out.push(l.control);
    }
    for (const el of this.root.querySelectorAll('input[aria-label], select[aria-label], textarea[aria-label]')) {
      if (this.norm(el.getAttribute('aria-label')) === text && !out.includes(el)) out.push(el);
    }
    return out;
  },

  // fieldsets: the fieldsets whose legend says legend.
  fieldsets(legend) {
    return [...this.root.querySelectorAll('fieldset')].filter((fs) => {
      const lg = fs.querySelector(':scope > legend');
      return lg && this.labelSays(lg, legend);
    });
  },

  // choices: the radios or checkboxes labelled label in the fieldset whose
  // legend says legend.
  choices(legend, label) {
    return this.fieldsets(legend).flatMap((fs) =>
      [...fs.querySelectorAll('label')].filter((l) => this.labelSays(l, label) && l.control).map((l) => l.control),
    );
  },

  // chosen: the label of the checked radio in fieldset fs ('' if none).
  chosen(fs) {
    const r = fs.querySelector('input[type=radio]:checked');
    return r && r.labels.length ? this.norm(r.labels[0].textContent) : '';
  },

  buttons(text) {
    return [...this.root.querySelectorAll('button, input[type=submit], input[type=button], [role=button]')].filter(
      (b) => this.visible(b) && (this.norm(b.innerText || b.value) === text || this.norm(b.getAttribute('aria-label')) === text),
    );
  },

  links(text) {
    return [...this.root.querySelectorAll('a[href]')].filter(
      (a) => this.visible(a) && (this.norm(a.innerText) === text || this.norm(a.getAttribute('aria-label')) === text),
    );
  },

  summaries(text) {
    return [...this.root.querySelectorAll('details > summary')].filter((s) => this.visible(s) && this.norm(s.innerText) === text);
  },

  // available lists what a user could pick of a kind, for error messages.
  available(kind) {
    const names = {
      control: () => [...this.root.querySelectorAll('label')].filter((l) => l.control).map((l) => this.ownText(l) || this.norm(l.textContent)),
      button: () => [...this.root.querySelectorAll('button, input[type=submit], input[type=button], [role=button]')].filter((b) => this.visible(b)).map((b) => this.norm(b.innerText || b.value)),
      link: () => [...this.root.querySelectorAll('a[href]')].filter((a) => this.visible(a)).map((a) => this.norm(a.innerText)),
      summary: () => [...this.root.querySelectorAll('details > summary')].map((s) => this.norm(s.innerText)),
      group: () => [...this.root.querySelectorAll('fieldset > legend')].map((l) => this.ownText(l) || this.norm(l.textContent)),
    }[kind];
    return names ? names() : [];
  },

  // fieldError: the error shown beside the control (the .form-error-message in
  // its form group) and whether the control points at it with
  // aria-describedby, so screen readers read it too.
  fieldError(el) {
    const group = el.closest('.form-group');
    const msg = group && group.querySelector('.form-error-message');
    if (!msg) return { text: '', described: false, invalid: el.getAttribute('aria-invalid') === 'true' };
    const ids = (el.getAttribute('aria-describedby') || '').split(/\s+/);
    const fs = el.closest('fieldset');
    const fsIds = fs ? (fs.getAttribute('aria-describedby') || '').split(/\s+/) : [];
    return {
      text: this.norm(msg.textContent),
      described: !!msg.id && (ids.includes(msg.id) || fsIds.includes(msg.id)),
      invalid: el.getAttribute('aria-invalid') === 'true',
    };
  },

  // name: roughly the accessible name a screen reader announces.
  name(el) {
    const aria = el.getAttribute('aria-label');
    if (aria) return this.norm(aria);
    const by = el.getAttribute('aria-labelledby');
    if (by) return this.norm(by.split(/\s+/).map((id) => (document.getElementById(id) || {}).textContent || '').join(' '));
    if (el.labels && el.labels.length) return this.ownText(el.labels[0]) || this.norm(el.labels[0].textContent);
    if (el.tagName === 'INPUT' && ['submit', 'button'].includes(el.type)) return this.norm(el.value);
    return this.norm(el.innerText || el.title || '');
  },

  // ring: the computed style draws a focus ring (outline or box-shadow).
  ring(cs) {
    if (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) return cs.outlineWidth + ' ' + cs.outlineStyle + ' ' + cs.outlineColor;
    if (cs.boxShadow && cs.boxShadow !== 'none') return 'box-shadow ' + cs.boxShadow;
    return '';
  },

  // focused describes document.activeElement: what it is, its name, the
  // focus indicator it draws (on itself, its ::before/::after, or, for a
  // visually hidden radio or checkbox, its label's ::before) and whether it
  // is inside the viewport.
  focused() {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) {
      return { tag: 'body', name: '', indicator: '', inView: false, html: '' };
    }
    let indicator = this.ring(getComputedStyle(el)) || this.ring(getComputedStyle(el, '::before')) || this.ring(getComputedStyle(el, '::after'));
    if (!indicator && el.labels) {
      for (const l of el.labels) indicator = indicator || this.ring(getComputedStyle(l, '::before')) || this.ring(getComputedStyle(l));
    }
    const r = el.getBoundingClientRect();
    const inView = r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
    return {
      tag: el.tagName.toLowerCase(),
      type: el.getAttribute('type') || '',
      id: el.id,
      name: this.name(el),
      indicator: indicator,
      inView: inView,
      html: el.outerHTML.slice(0, 160),
    };
  },
})
