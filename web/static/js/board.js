// Helhed – the meeting board's live updates, for keyboard and screen-reader users.
//
// htmx's SSE extension replaces the live part of the board (#board-live) whenever the
// meeting changes. Two things would be lost with the old content:
//
//  - the keyboard focus, when it was on a control inside the live part (a "Vis … på
//    skærmen" button): it is put back on the same control in the new content, found by
//    the case it shows or the address it links to, or, when the control is gone (the case
//    it showed is now on the screen), on the heading of the case on the screen;
//  - the news: when another case comes on the screen, the polite status region
//    #board-announce says which ("Sag 3 af 7: Anna Jensen"; the text is the server's,
//    data-board-announce, and names the citizen only where the screen does).
//
// Without JavaScript there are no live updates, and nothing here is needed.
(function () {
  "use strict";

  var live = document.getElementById("board-live");
  var status = document.getElementById("board-announce");
  if (!live || !status) {
    return;
  }

  function announcement() {
    var el = live.querySelector("[data-board-announce]");
    return el ? el.getAttribute("data-board-announce") : "";
  }

  // key names a focusable element of the live part in a way that survives its replacement.
  function key(el) {
    var form = el.closest("form");
    var input = form && form.querySelector("input[name=sag]");
    if (input) {
      return "form input[name=sag][value='" + CSS.escape(input.value) + "']";
    }
    if (el.id) {
      return "#" + CSS.escape(el.id);
    }
    if (el.getAttribute("href")) {
      return "a[href='" + CSS.escape(el.getAttribute("href")) + "']";
    }
    return "";
  }

  function find(k) {
    if (!k) {
      return null;
    }
    var el = live.querySelector(k);
    if (el && el.tagName === "INPUT") {
      el = el.form.querySelector("button");
    }
    return el;
  }

  var said = announcement();
  var refocus = null; // the key of the focused element, or "" for one that has no key

  live.addEventListener("htmx:sseBeforeMessage", function () {
    var a = document.activeElement;
    refocus = a && a !== live && live.contains(a) ? key(a) : null;
  });

  live.addEventListener("htmx:sseMessage", function () {
    if (refocus !== null) {
      var a = document.activeElement;
      if (!a || a === document.body || !a.isConnected) {
        var target = find(refocus) || document.getElementById("board-focus-h");
        if (target) {
          target.focus();
        }
      }
      refocus = null;
    }
    var now = announcement();
    if (now && now !== said) {
      said = now;
      status.textContent = now;
    }
  });
})();

// The timer of the case on the screen: the server gives the moment the chair put the case on
// the screen (data-timer-start) and the agenda's minutes for it (data-timer-minutes); this
// counts the minutes used and left, and marks a case over its time. The count is not a live
// region: a screen reader is not told every minute. Without JavaScript the board says when the
// case started and how long it has.
(function () {
  "use strict";

  function plural(n) {
    return n + " min";
  }

  function tick() {
    var timers = document.querySelectorAll(".board-timer[data-timer-start]");
    for (var i = 0; i < timers.length; i++) {
      var t = timers[i];
      var start = Date.parse(t.getAttribute("data-timer-start"));
      var minutes = parseInt(t.getAttribute("data-timer-minutes"), 10);
      var count = t.querySelector(".board-timer-count");
      if (isNaN(start) || isNaN(minutes) || !count) {
        continue;
      }
      var used = Math.max(0, Math.floor((Date.now() - start) / 60000));
      var left = minutes - used;
      var text = plural(used) + " brugt · ";
      text += left >= 0 ? plural(left) + " tilbage" : plural(-left) + " over tiden";
      if (count.textContent !== text) {
        count.textContent = text;
      }
      t.classList.toggle("board-timer-over", left < 0);
    }
  }

  tick();
  setInterval(tick, 1000);
  document.body.addEventListener("htmx:sseMessage", tick);
})();

// The chair's section navigation (.board-secnav): its links are plain in-page anchors that
// scroll the case's own box (also without JavaScript). Here Alt+Shift+1…9 follows the n-th
// link from anywhere on the board (aria-keyshortcuts says so on each link; with a modifier,
// so typing never triggers one). A live update replaces the case's box and would lose the
// section shown: for the same case it is shown again; another case starts at its top.
(function () {
  "use strict";

  var live = document.getElementById("board-live");
  if (!live) {
    return;
  }

  function caseShown() {
    var box = live.querySelector(".board-sections");
    return box ? box.getAttribute("data-board-case") : "";
  }

  document.addEventListener("keydown", function (e) {
    if (!e.altKey || !e.shiftKey || e.ctrlKey || e.metaKey) {
      return;
    }
    var m = /^Digit([1-9])$/.exec(e.code);
    if (!m) {
      return;
    }
    var links = live.querySelectorAll(".board-secnav a");
    var link = links[parseInt(m[1], 10) - 1];
    if (link) {
      e.preventDefault();
      link.click();
    }
  });

  var shown = caseShown();
  live.addEventListener("htmx:sseMessage", function () {
    var now = caseShown();
    var hash = window.location.hash;
    if (now && now === shown && hash && document.getElementById(hash.slice(1))) {
      window.location.replace(hash); // back to the section, and :target marks its link again
    } else if (now !== shown && hash) {
      history.replaceState(null, "", window.location.pathname + window.location.search);
    }
    shown = now;
  });
})();
