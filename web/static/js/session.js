// Helhed – the warning before the session ends (WCAG 2.2.1 Timing Adjustable).
//
// A session ends after a spell without requests (the idle timeout, 30 minutes by default)
// and, however active, at the end of its lifetime. Typing into a form sends nothing, so a
// long screening conversation could end in a login page and lost answers. This script opens
// the page's warning (#session-warning, rendered by layout.Page with the times in its data
// attributes) a few minutes before the end:
//
//  - while the idle timeout is what ends it: "Forbliv logget ind" POSTs to data-renew (the
//    same-origin POST passes the cross-origin protection like any form; 204 means the
//    session goes on) and the clock starts again;
//  - when the lifetime ends it first, which nothing moves: a notice to save and log in again;
//  - once the time has passed: "Du er logget af", with a link to log in and come back here.
//
// Pages opened in other tabs count as activity too: each page and each renewal writes the
// time to localStorage (a time only, nothing about the user), and every tab reckons from the
// latest. Without JavaScript nothing here happens and nothing else changes.
(function () {
  "use strict";

  var dialog = document.getElementById("session-warning");
  if (!dialog || typeof dialog.showModal !== "function") {
    return;
  }
  var idle = Number(dialog.getAttribute("data-idle")) * 1000;
  var warn = Number(dialog.getAttribute("data-warn")) * 1000;
  var hardEnd = Number(dialog.getAttribute("data-ends-at")) * 1000; // the server's time; the clocks are near enough
  var renewURL = dialog.getAttribute("data-renew");
  var storageKey = "helhed.session.activity";
  var last = Date.now();
  var state = "";
  var timer = 0;
  var returnFocus = null;

  function share(t) {
    try {
      localStorage.setItem(storageKey, String(t));
    } catch (e) {
      // storage may be off; this tab still reckons from its own activity
    }
  }

  function end() {
    return Math.min(last + idle, hardEnd);
  }

  function clock(t) {
    return new Date(t).toLocaleTimeString("da-DK", { hour: "2-digit", minute: "2-digit" });
  }

  function show(name) {
    var blocks = dialog.querySelectorAll("[data-session-state]");
    for (var i = 0; i < blocks.length; i++) {
      blocks[i].hidden = blocks[i].getAttribute("data-session-state") !== name;
    }
    dialog.setAttribute("aria-labelledby", "session-" + name + "-h");
    dialog.setAttribute("aria-describedby", "session-" + name + "-text");
    var ends = dialog.querySelectorAll("[data-session-end]");
    for (var j = 0; j < ends.length; j++) {
      ends[j].textContent = clock(end());
    }
    var login = dialog.querySelector("[data-session-login]");
    login.setAttribute("href", (login.getAttribute("data-session-login") || "/login") + "?next=" + encodeURIComponent(location.pathname + location.search));
    var changed = state !== name;
    state = name;
    if (!dialog.open) {
      returnFocus = document.activeElement;
      dialog.showModal();
    } else if (changed) {
      var first = dialog.querySelector("[data-session-state='" + name + "'] .button");
      if (first) {
        first.focus();
      }
    }
  }

  function close() {
    if (dialog.open) {
      dialog.close();
    }
  }

  // schedule opens, updates or closes the dialog for the time now, and sets the next check.
  function schedule() {
    clearTimeout(timer);
    var now = Date.now();
    var e = end();
    if (now >= e) {
      if (state !== "expired") {
        show("expired");
      }
      return;
    }
    if (now >= e - warn) {
      if (state === "") {
        show(last + idle <= hardEnd ? "renew" : "end");
      }
      timer = setTimeout(schedule, e - now);
      return;
    }
    state = "";
    close();
    timer = setTimeout(schedule, e - warn - now);
  }

  function activity(t) {
    if (t > last) {
      last = t;
      schedule();
    }
  }

  dialog.addEventListener("close", function () {
    if (returnFocus && returnFocus.isConnected && typeof returnFocus.focus === "function") {
      returnFocus.focus();
    }
    returnFocus = null;
  });

  dialog.addEventListener("click", function (ev) {
    var button = ev.target.closest("button");
    if (!button) {
      return;
    }
    if (button.hasAttribute("data-session-close")) {
      close();
      return;
    }
    if (button.hasAttribute("data-session-renew")) {
      button.disabled = true;
      fetch(renewURL, { method: "POST", credentials: "same-origin", redirect: "manual" })
        .then(function (res) {
          if (res.status === 204) {
            var now = Date.now();
            share(now);
            state = "";
            close();
            activity(now);
          } else if (res.type === "opaqueredirect") {
            show("expired"); // sent to the login page: the session had ended
          }
          // anything else (the server failed): the warning stays, and the button may be tried again
        })
        .catch(function () {
          // no answer (the network): as above
        })
        .then(function () {
          button.disabled = false;
        });
    }
  });

  window.addEventListener("storage", function (ev) {
    if (ev.key === storageKey && ev.newValue) {
      activity(Number(ev.newValue));
    }
  });

  share(last);
  schedule();
})();
