// Live workshop screens: follow the workshop's version (SSE doorbell, or polling when there is no
// stream), fetch the changed fragment and replace only the parts that changed; tick the timer;
// keep contributions typed while offline and send them when the connection is back.
// Every screen also works without this file (plain links and forms).
(function () {
  "use strict";

  var root = document.querySelector("[data-live]");
  if (!root) return;

  var version = parseInt(root.getAttribute("data-version"), 10) || 0;
  var fragmentUrl = root.getAttribute("data-fragment-url");
  var pollUrl = root.getAttribute("data-poll-url");
  var eventsUrl = root.getAttribute("data-events-url");
  var pollMs = (parseFloat(root.getAttribute("data-poll-seconds")) || 2) * 1000;
  // Phones first fetch only the part every representative of their partner shares (cached per
  // version); a vote draws their own dots here, another app's item asks the server for their part.
  var sharedUrl = root.getAttribute("data-shared-url");
  // After a move to an item with a part of its own (dots), phones ask for it spread over this
  // long: the item itself shows at once, and the server never gets hundreds of requests at once.
  var OWN_PART_SPREAD_MS = 2500;
  // Messages come translated from the page (data-msg-* on the live root).
  function msg(name) { return root.getAttribute("data-msg-" + name) || ""; }
  var T = {
    offline: msg("offline"),
    sent: msg("sent"),
    sentLater: msg("sent-later"),
    refused: msg("refused"),
    kept: msg("kept"),
    waiting: msg("waiting")
  };

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) {
      return "";
    }
  }

  // --- keeping focus where it was, and saying what changed -----------------------------------

  // A swap replaces the focused control with its twin (same id): focus the twin. A twin that is
  // disabled now (the last dot placed, the last item reached) hands focus to the nearest control
  // of its group ([data-focus-group]); a control that is gone (a removed note, the agenda entry
  // that became current) to the item's heading ([data-focus-fallback]). Never the whole area.
  function restoreFocus(id) {
    if (!id) return;
    var twin = document.getElementById(id);
    if (twin && !twin.disabled) { twin.focus(); return; }
    var scope = twin && twin.closest("[data-focus-group]");
    var near = scope && scope.querySelector("button:not([disabled]), a[href], select, textarea, input:not([type=hidden]):not([disabled])");
    var fallback = document.querySelector("#live-region [data-focus-fallback]");
    if (near) near.focus();
    else if (fallback) fallback.focus();
  }

  function focusedControl() {
    var active = document.activeElement;
    var region = document.getElementById("live-region");
    if (!active || !region || !region.contains(active) || !active.id) return null;
    return { id: active.id };
  }

  var announcer = document.getElementById("live-announcer");

  function say_(name) { return announcer ? announcer.getAttribute("data-" + name) || "" : ""; }

  function texts(selector) {
    return Array.prototype.map.call(document.querySelectorAll("#live-region " + selector), function (node) {
      return node.textContent.trim();
    });
  }

  function snapshot() {
    if (!announcer) return null;
    var title = document.querySelector("#live-region .live-item__title");
    var status = document.querySelector("#live-region [data-status]") || document.getElementById("live-region");
    return {
      title: title ? title.textContent.trim() : "",
      status: status ? status.getAttribute("data-status") : "",
      notes: texts("[data-announce=note]"),
      agreements: texts("[data-announce=agreement]"),
      actions: texts("[data-announce=action]"),
      results: !!document.querySelector("#live-region [data-announce-results]"),
      dots: texts(".act__heading").join(" ")
    };
  }

  function added(before, after) {
    var left = before.slice();
    return after.filter(function (text) {
      var at = left.indexOf(text);
      if (at === -1) return true;
      left.splice(at, 1);
      return false;
    });
  }

  // Polite, and only what changed: a new item (or the end), new contributions, results, outcomes,
  // the dots left. The live region exists from the start, so screen readers hear it.
  function announceChanges(before) {
    var after = snapshot();
    if (!before || !after) return;
    var parts = [];
    if (after.status !== before.status && after.status === "closed") {
      parts.push(say_("closed"));
    } else if (after.title !== before.title || after.status !== before.status) {
      if (after.title) parts.push(say_("now") + after.title);
    } else {
      var notes = added(before.notes, after.notes);
      if (notes.length === 1) parts.push(say_("note") + notes[0]);
      else if (notes.length > 1) parts.push(say_("notes").replace("{n}", String(notes.length)));
      if (after.results && !before.results) parts.push(say_("results"));
      added(before.agreements, after.agreements).forEach(function (text) { parts.push(say_("agreement") + text); });
      added(before.actions, after.actions).forEach(function (text) { parts.push(say_("action") + text); });
      if (after.dots && after.dots !== before.dots) parts.push(after.dots);
    }
    if (!parts.length) return;
    // Emptied first, so the same words said twice are still heard twice.
    announcer.textContent = "";
    setTimeout(function () { announcer.textContent = parts.join(" "); }, 50);
  }

  // --- fetching and applying fragments -------------------------------------------------------

  var fetching = false;
  var again = false;

  var retries = 0;

  function refresh() {
    if (fetching) { again = true; return; }
    fetching = true;
    fetch(fragmentUrl, { headers: { "HX-Request": "true" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.status === 503) { retryLater(response, refresh); return null; }
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) { if (html !== null) { retries = 0; apply(html); } })
      .catch(function () {
        // A busy or unreachable server: try again a little later, a few times, then wait for
        // the next doorbell or poll.
        if (retries < 4) {
          retries += 1;
          setTimeout(refresh, 1000 * retries + Math.random() * 1000);
        }
      })
      .then(function () {
        fetching = false;
        if (again) { again = false; refresh(); }
      });
  }

  // A busy server says when to come back (503 + Retry-After); a second of jitter spreads the room.
  function retryLater(response, again) {
    var seconds = parseFloat(response.headers.get("Retry-After")) || 2;
    setTimeout(again, seconds * 1000 + Math.random() * 1000);
  }

  // Replacing a part must never eat what someone is typing in it.
  function swapPart(existing, node) {
    var active = document.activeElement;
    var activeId = active && existing.contains(active) ? active.id : null;
    Array.prototype.forEach.call(existing.querySelectorAll("textarea[id], input[id]"), function (field) {
      if (field.type === "hidden" || field.type === "checkbox" || field.type === "radio" || !field.value) return;
      var twin = node.querySelector("#" + CSS.escape(field.id));
      if (twin && !twin.value) twin.value = field.value;
    });
    existing.replaceWith(node);
    if (window.htmx) window.htmx.process(node);
    if (activeId) restoreFocus(activeId);
  }

  function apply(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var fresh = doc.getElementById("live-region");
    var current = document.getElementById("live-region");
    if (!fresh || !current) return;
    var freshVersion = parseInt(fresh.getAttribute("data-version"), 10) || 0;
    if (freshVersion < version) return; // an older answer overtaken by a newer one
    var before = snapshot();
    var focused = focusedControl();
    var freshParts = fresh.querySelectorAll("[data-live-part]");
    var sameShape = freshParts.length === current.querySelectorAll("[data-live-part]").length;
    Array.prototype.forEach.call(freshParts, function (part) {
      if (!document.getElementById(part.id)) sameShape = false;
    });
    if (!sameShape) {
      var region = document.importNode(fresh, true);
      current.replaceWith(region);
      if (window.htmx) window.htmx.process(region);
      if (focused && !document.getElementById("live-region").contains(document.activeElement)) {
        restoreFocus(focused.id);
      }
    } else {
      Array.prototype.forEach.call(freshParts, function (part) {
        var existing = document.getElementById(part.id);
        if (existing.getAttribute("data-live-stamp") === part.getAttribute("data-live-stamp")) return;
        swapPart(existing, document.importNode(part, true));
      });
      current.setAttribute("data-version", String(freshVersion));
      current.setAttribute("data-status", fresh.getAttribute("data-status") || "");
    }
    version = Math.max(version, freshVersion);
    root.setAttribute("data-version", String(version));
    afterChange();
    announceChanges(before);
  }

  function notice(newVersion) {
    if (newVersion <= version) return;
    if (sharedUrl) refreshShared(newVersion);
    else refresh();
  }

  // The phone's invite link stopped working (revoked, replaced, expired): its shared address
  // refuses, and the phone shows why instead of a screen that no longer follows.
  function leave() { window.location.assign(sharedUrl); }

  function refreshShared(wanted) {
    fetch(sharedUrl + "?v=" + wanted, { credentials: "omit", cache: "no-store" })
      .then(function (response) {
        if (response.status === 403 || response.status === 404 || response.status === 410) {
          leave();
          return undefined;
        }
        if (response.status === 503) {
          retryLater(response, function () { refreshShared(wanted); });
          return undefined;
        }
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (html === undefined) return;
        if (html === null) { refresh(); return; }
        var doc = new DOMParser().parseFromString(html, "text/html");
        var parts = doc.querySelectorAll("[data-live-part]");
        var main = doc.getElementById("participant-item");
        var act = document.getElementById("participant-act");
        var complete = main && act && Array.prototype.every.call(parts, function (part) {
          return document.getElementById(part.id);
        });
        if (!complete) { refresh(); return; }
        var freshVersion = parseInt(main.getAttribute("data-version"), 10) || 0;
        if (freshVersion < version) return;
        var before = snapshot();
        Array.prototype.forEach.call(parts, function (part) {
          var existing = document.getElementById(part.id);
          if (existing.getAttribute("data-live-stamp") !== part.getAttribute("data-live-stamp")) {
            swapPart(existing, document.importNode(part, true));
          }
        });
        version = Math.max(version, freshVersion);
        root.setAttribute("data-version", String(version));
        var region = document.getElementById("live-region");
        if (region) region.setAttribute("data-version", String(version));
        var moved = act.getAttribute("data-item") !== main.getAttribute("data-item") ||
          act.getAttribute("data-status") !== main.getAttribute("data-status");
        if (main.hasAttribute("data-personal")) {
          // Another app's item differs per person: its part comes from the server; spread
          // hundreds of phones over a moment so they do not all knock at once.
          announceChanges(before);
          setTimeout(refresh, moved ? Math.random() * OWN_PART_SPREAD_MS : 0);
          return;
        }
        if (moved) {
          // A vote: drawn here from the shared fragment's blank, with this phone's own dots.
          var blank = doc.getElementById("dots-template");
          act.innerHTML = blank ? blank.innerHTML : "";
          act.setAttribute("data-item", main.getAttribute("data-item"));
          act.setAttribute("data-status", main.getAttribute("data-status"));
          act.setAttribute("data-live-stamp", "drawn-" + version);
          act.removeAttribute("data-my-dots");
          if (blank) drawDots(act, blank);
          if (window.htmx) window.htmx.process(act);
        }
        afterChange();
        announceChanges(before);
      })
      .catch(function () { /* the next doorbell or poll tries again */ });
  }

  // --- this phone's own dots --------------------------------------------------------------------
  // Only this phone's own answers change its dots: each answer (and each page) carries them in
  // data-my-dots, kept here per item, so a move to a vote draws them without asking the server.

  var DOTS = "coconnect-dots-";

  function rememberDots() {
    var act = document.getElementById("participant-act");
    if (!act || !act.hasAttribute("data-my-dots")) return;
    try { localStorage.setItem(DOTS + act.getAttribute("data-item"), act.getAttribute("data-my-dots")); } catch (e) {}
  }

  function drawDots(act, blank) {
    var placed = {};
    try { placed = JSON.parse(localStorage.getItem(DOTS + blank.getAttribute("data-item")) || "{}"); } catch (e) {}
    var used = 0;
    Object.keys(placed).forEach(function (key) { used += placed[key]; });
    var left = Math.max(0, (parseInt(blank.getAttribute("data-per"), 10) || 0) - used);
    function words(name, n) {
      return (blank.getAttribute("data-" + name + (n === 1 ? "-one" : "-other")) || "").replace("{n}", String(n));
    }
    var heading = act.querySelector("[data-heading]");
    if (heading) heading.textContent = left ? words("left", left) : blank.getAttribute("data-left-none");
    Array.prototype.forEach.call(act.querySelectorAll(".dots-left .dot"), function (dot, index) {
      dot.classList.toggle("dot--used", index + 1 > left);
    });
    Array.prototype.forEach.call(act.querySelectorAll("[data-option]"), function (row) {
      var mine = placed[row.getAttribute("data-option")] || 0;
      row.querySelector("[data-mine]").textContent = words("mine", mine);
      row.querySelector("[data-remove]").disabled = !mine;
      row.querySelector("[data-add]").disabled = !left;
    });
    act.setAttribute("data-my-dots", JSON.stringify(placed));
  }

  // An htmx request (a console button, a dot, an outcome form) swaps the whole region: the focus
  // stays on the control that was used (or moves to the field whose error came back), changes
  // are announced, and the region's version is taken over.
  var beforeSwap = null;
  var swapFocus = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (!event.detail.target || event.detail.target.id !== "live-region") return;
    beforeSwap = snapshot();
    swapFocus = focusedControl();
    var form = event.detail.requestConfig && event.detail.requestConfig.elt;
    form = form && form.closest ? form.closest("form") : null;
    if (form && form.action) swapFocus = swapFocus || {};
    if (swapFocus) swapFocus.action = form ? form.getAttribute("action") : null;
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var region = document.getElementById("live-region");
    if (region) {
      version = Math.max(version, parseInt(region.getAttribute("data-version"), 10) || 0);
      root.setAttribute("data-version", String(version));
    }
    afterChange();
    if (!event.detail.target || event.detail.target.id !== "live-region") return;
    announceChanges(beforeSwap);
    beforeSwap = null;
  });
  // After htmx settled (and app.js had its say), put the focus back where the user was.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (!event.detail.target || event.detail.target.id !== "live-region" || !swapFocus) return;
    var focus = swapFocus;
    swapFocus = null;
    var region = document.getElementById("live-region");
    var sent = focus.action && region && region.querySelector('form[action="' + focus.action + '"]');
    var invalid = sent && sent.querySelector("[aria-invalid=true]");
    if (invalid) invalid.focus(); // its aria-describedby reads the error out
    else if (focus.id) restoreFocus(focus.id);
  });

  // --- the doorbell: SSE, or polling with the version we have ----------------------------------

  var poller = null;
  var source = null;

  function poll() {
    fetch(pollUrl + "?v=" + version, { cache: "no-store", credentials: "omit" })
      .then(function (response) {
        if (response.status === 200) {
          return response.text().then(function (text) { notice(parseInt(text, 10) || 0); });
        }
      })
      .catch(function () { /* offline: try again on the next tick */ });
  }

  function startPolling() {
    if (!poller) poller = setInterval(poll, pollMs);
  }

  function stopPolling() {
    if (poller) { clearInterval(poller); poller = null; }
  }

  function connect() {
    if (!eventsUrl || !window.EventSource) { startPolling(); return; }
    source = new EventSource(eventsUrl);
    source.addEventListener("version", function (event) {
      stopPolling();
      notice(parseInt(event.data, 10) || 0);
    });
    source.onerror = function () {
      // The stream dropped: poll meanwhile; EventSource retries by itself unless it gave up.
      startPolling();
      poll();
      if (source.readyState === 2) {
        source = null;
        setTimeout(connect, 15000);
      }
    };
  }

  connect();
  window.addEventListener("online", function () { poll(); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") poll();
  });

  // --- the timer -----------------------------------------------------------------------------

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function tick() {
    var timers = document.querySelectorAll("[data-timer]");
    Array.prototype.forEach.call(timers, function (timer) {
      var deadline = parseInt(timer.getAttribute("data-deadline"), 10);
      if (!deadline) return;
      var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      var value = timer.querySelector(".timer__value");
      if (value) value.textContent = pad(Math.floor(left / 60)) + ":" + pad(left % 60);
      timer.classList.toggle("is-over", left === 0);
    });
  }
  setInterval(tick, 1000);

  // --- presence: tell the console this phone is still here -----------------------------------

  var heartbeatUrl = root.getAttribute("data-heartbeat-url");
  if (heartbeatUrl) {
    setInterval(function () {
      if (document.visibilityState !== "visible") return;
      fetch(heartbeatUrl, { method: "POST", headers: { "X-CSRFToken": csrfToken() }, credentials: "same-origin" })
        .then(function (response) {
          // Not "still here" (the session ended): the shared address tells whether the link works.
          if (response.status !== 204 && sharedUrl) refreshShared(version);
        })
        .catch(function () {});
    }, 30000);
  }

  // --- contributions that survive a dropped connection ----------------------------------------

  var OUTBOX = "coconnect-outbox";
  var DRAFT = "coconnect-draft-";

  function outbox() {
    try { return JSON.parse(localStorage.getItem(OUTBOX) || "[]"); } catch (e) { return []; }
  }

  function saveOutbox(list) {
    try { localStorage.setItem(OUTBOX, JSON.stringify(list)); } catch (e) { /* storage full or off */ }
  }

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    // randomUUID needs HTTPS; the server takes only UUIDs, so build a version 4 one by hand.
    var bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  var sayTimer = null;

  // Confirmations fade after a while; warnings about unsent text stay until resolved.
  function say(message, sticky) {
    var status = document.querySelector("[data-outbox-status]");
    if (!status) return;
    status.textContent = message;
    clearTimeout(sayTimer);
    if (!sticky) sayTimer = setTimeout(function () { status.textContent = ""; }, 8000);
  }

  var flushing = false;

  function flush(later) {
    var list = outbox();
    if (!list.length || flushing || !navigator.onLine) return;
    flushing = true;
    var entry = list[0];
    var body = new FormData();
    body.append("text", entry.text);
    body.append("item", entry.item);
    body.append("submission_key", entry.key);
    fetch(entry.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "X-Live-Queue": "1" }
    })
      .then(function (response) {
        if (response.status === 503) {
          // Busy: the note stays in the outbox and goes when the server said to come back.
          flushing = false;
          retryLater(response, function () { flush(later); });
          return null;
        }
        return response.json().then(function (data) { return { status: response.status, data: data }; });
      })
      .then(function (result) {
        if (!result) return;
        saveOutbox(outbox().filter(function (e) { return e.key !== entry.key; }));
        if (result.data.ok) {
          say(later ? T.sentLater : T.sent);
          try { localStorage.removeItem(DRAFT + entry.item); } catch (e) {}
        } else {
          // Refused (the agenda moved on, too long …): give the text back, with the reason.
          var field = document.querySelector("[data-offline-form] textarea");
          if (field && !field.value) field.value = entry.text;
          say(T.refused + (result.data.error || "") + (field ? T.kept : " “" + entry.text + "”"), true);
        }
        flushing = false;
        flush(later);
      })
      .catch(function () {
        flushing = false;
        say(T.offline, true);
      });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("[data-offline-form]");
    if (!form) return;
    var field = form.querySelector("textarea");
    if (!field || !field.value.trim()) return; // let the server explain what is missing
    event.preventDefault();
    var list = outbox();
    list.push({ url: form.action, item: form.getAttribute("data-item"), text: field.value, key: newKey() });
    saveOutbox(list);
    field.value = "";
    try { localStorage.removeItem(DRAFT + form.getAttribute("data-item")); } catch (e) {}
    if (!navigator.onLine) { say(T.offline, true); return; }
    flush(false);
  });

  document.addEventListener("input", function (event) {
    var form = event.target.closest("[data-offline-form]");
    if (!form) return;
    try { localStorage.setItem(DRAFT + form.getAttribute("data-item"), event.target.value); } catch (e) {}
  });

  function restoreDraft() {
    var form = document.querySelector("[data-offline-form]");
    if (!form) return;
    var field = form.querySelector("textarea");
    var draft = null;
    try { draft = localStorage.getItem(DRAFT + form.getAttribute("data-item")); } catch (e) {}
    if (field && draft && !field.value) field.value = draft;
    var waiting = outbox();
    if (waiting.length) {
      say(T.waiting + waiting.map(function (e) { return "“" + e.text + "”"; }).join(", "), true);
    }
  }

  function afterChange() {
    tick();
    restoreDraft();
    rememberDots();
  }

  window.addEventListener("online", function () { flush(true); });
  afterChange();
  flush(true);
})();
