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
  // Phones follow the part every representative of their partner shares (cached per version) and
  // keep their own part (#participant-act: the note form, their dots) up to date themselves.
  var sharedUrl = root.getAttribute("data-shared-url");
  // After a move to another app's item (its part differs per person), or to a vote whose dots
  // this phone does not know, phones ask for their own part spread over this long: the item
  // shows at once, and the server never gets hundreds of requests at once.
  var OWN_PART_SPREAD_MS = 2500;
  // Messages come translated from the page (data-msg-* on the live root).
  function msg(name) { return root.getAttribute("data-msg-" + name) || ""; }

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
    var status = document.querySelector("#live-region [data-live-part][data-status]") || document.getElementById("live-region");
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

  // --- taking in fresh parts --------------------------------------------------------------------
  // One way for every answer: the whole region from Django (console, projector, a phone's own
  // part), a phone's shared fragment, a dot's answer. Parts ([data-live-part]) are matched by id
  // and replaced only when their stamp changed, or always for the answer to this phone's own
  // request; when the page lacks one of them, the whole region is replaced (or asked for).

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
      .then(function (html) { if (html !== null) { retries = 0; take(html); } })
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

  // Returns whether a phone's own part had to follow a move (see followItem).
  function take(html, always) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var fresh = doc.getElementById("live-region") || doc.getElementById("participant-item");
    var freshVersion = fresh ? parseInt(fresh.getAttribute("data-version"), 10) || 0 : version;
    if (freshVersion < version) return false; // an older answer overtaken by a newer one
    var before = snapshot();
    var parts = Array.prototype.slice.call(doc.querySelectorAll("[data-live-part]"));
    var complete = parts.every(function (part) { return document.getElementById(part.id); });
    if (!complete && !doc.getElementById("live-region")) { refresh(); return false; }
    if (!complete) {
      var focused = focusedControl();
      var region = document.importNode(doc.getElementById("live-region"), true);
      document.getElementById("live-region").replaceWith(region);
      if (window.htmx) window.htmx.process(region);
      if (focused && !region.contains(document.activeElement)) restoreFocus(focused.id);
    } else {
      parts.forEach(function (part) {
        var existing = document.getElementById(part.id);
        if (always || existing.getAttribute("data-live-stamp") !== part.getAttribute("data-live-stamp")) {
          swapPart(existing, document.importNode(part, true));
        }
      });
    }
    if (fresh) {
      version = Math.max(version, freshVersion);
      root.setAttribute("data-version", String(version));
      var current = document.getElementById("live-region");
      current.setAttribute("data-version", String(version));
      if (fresh.id === "live-region") current.setAttribute("data-status", fresh.getAttribute("data-status") || "");
    }
    var moved = followItem();
    afterChange();
    announceChanges(before);
    return moved;
  }

  function notice(newVersion) {
    if (newVersion <= version) return;
    if (sharedUrl) fetchShared(newVersion);
    else refresh();
  }

  // The phone's invite link stopped working (revoked, replaced, expired): its shared address
  // refuses, and the phone shows why instead of a screen that no longer follows.
  function leave() { window.location.assign(sharedUrl); }

  function fetchShared(wanted) {
    fetch(sharedUrl + "?v=" + wanted, { credentials: "omit", cache: "no-store" })
      .then(function (response) {
        if (response.status === 403 || response.status === 404 || response.status === 410) {
          leave();
          return null;
        }
        if (response.status === 503) {
          retryLater(response, function () { fetchShared(wanted); });
          return null;
        }
        if (!response.ok) { refresh(); return null; }
        return response.text();
      })
      .then(function (html) {
        if (html === null) return;
        var moved = take(html);
        var item = document.getElementById("participant-item");
        // Another app's item differs per person: any change there may be this phone's own.
        if (!moved && item && item.hasAttribute("data-personal")) refresh();
      })
      .catch(function () { /* the next doorbell or poll tries again */ });
  }

  // --- the phone's own part -------------------------------------------------------------------
  // It follows the shared item (data-for: status and item): after a move it is drawn from the
  // shared fragment's blank (<template id="own-blank">), a vote with this phone's own dots. The
  // drawn note form needs no CSRF token or key of its own: the outbox sends every note with both.
  // Another app's item, or a vote whose dots this phone does not know, asks the server for its
  // part, spread over a moment.

  function followItem() {
    var item = document.getElementById("participant-item");
    var act = document.getElementById("participant-act");
    if (!item || !act || act.getAttribute("data-for") === item.getAttribute("data-for")) return false;
    var blank = document.getElementById("own-blank");
    var drawn = act.cloneNode(false);
    drawn.setAttribute("data-for", item.getAttribute("data-for"));
    drawn.setAttribute("data-live-stamp", "drawn");
    drawn.removeAttribute("data-mine");
    if (blank) drawn.appendChild(document.importNode(blank.content, true));
    var known = !blank || !blank.hasAttribute("data-per") || drawDots(drawn, blank);
    swapPart(act, drawn);
    if (item.hasAttribute("data-personal") || !known) {
      setTimeout(refresh, Math.random() * OWN_PART_SPREAD_MS);
    }
    return true;
  }


  // What this phone marks as its own, for every item of the workshop: its dots per vote and
  // option, its contributions. Every answer from the server carries them (data-mine); a note
  // sent from here adds its id.
  var mine = { dots: {}, notes: [] };

  function rememberMine() {
    var act = document.getElementById("participant-act");
    if (!act || !act.hasAttribute("data-mine")) return;
    try {
      var fresh = JSON.parse(act.getAttribute("data-mine"));
      Object.keys(fresh.dots).forEach(function (item) { mine.dots[item] = fresh.dots[item]; });
      fresh.notes.forEach(markMine);
    } catch (e) { /* an answer without them changes nothing */ }
  }

  function markMine(id) {
    if (mine.notes.indexOf(id) === -1) mine.notes.push(id);
  }

  // "You" beside the partner's name: in words, not only by colour.
  function markNotes() {
    mine.notes.forEach(function (id) {
      var note = document.getElementById("note-" + id);
      if (!note || note.classList.contains("note--mine")) return;
      note.classList.add("note--mine");
      var by = note.querySelector(".note__by") || note;
      var badge = document.createElement("strong");
      badge.className = "note__mine";
      badge.textContent = msg("mine");
      by.prepend(badge, by.textContent.trim() ? " · " : "");
    });
  }

  // Returns false when this phone does not know its dots on this vote (drawn as none meanwhile).
  function drawDots(act, blank) {
    var placed = mine.dots[blank.getAttribute("data-item")];
    var used = 0;
    Object.keys(placed || {}).forEach(function (key) { used += placed[key]; });
    var left = Math.max(0, (parseInt(blank.getAttribute("data-per"), 10) || 0) - used);
    function words(name, n) {
      return (blank.getAttribute("data-" + name + (n === 1 ? "-one" : "-other")) || "").replace("{n}", String(n));
    }
    var heading = act.querySelector("[data-heading]");
    if (heading && left) heading.textContent = words("left", left);
    if (heading && !left) {
      var done = document.createElement("span");
      done.className = "act__done";
      done.textContent = blank.getAttribute("data-done");
      heading.replaceChildren(done, " " + blank.getAttribute("data-left-none"));
    }
    Array.prototype.forEach.call(act.querySelectorAll(".dots-left .dot"), function (dot, index) {
      dot.classList.toggle("dot--used", index + 1 > left);
    });
    Array.prototype.forEach.call(act.querySelectorAll("[data-option]"), function (row) {
      var n = (placed || {})[row.getAttribute("data-option")] || 0;
      row.querySelector("[data-mine]").textContent = words("mine", n);
      row.querySelector("[data-remove]").disabled = !n;
      row.querySelector("[data-add]").disabled = !left;
    });
    return !!placed;
  }

  // A dot goes by fetch and its answer is this phone's own part (the room's count follows with
  // the doorbell). A busy server answers 503 before the request reaches Django (workshops/asgi.py),
  // so nothing was placed and sending it once more cannot place it twice; busy again, the person
  // is asked to tap again.
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("[data-dot-form]");
    if (!form) return;
    event.preventDefault();
    var body = new FormData(form);
    var button = event.submitter;
    if (button && button.name) body.append(button.name, button.value);
    sendDot(form.action, body, true);
  });

  function sendDot(url, body, retry) {
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true" }
    })
      .then(function (response) {
        if (response.status === 503) {
          if (retry) retryLater(response, function () { sendDot(url, body, false); });
          say(retry ? msg("busy") : msg("still-busy"), true);
          return null;
        }
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        if (html === null) return;
        say("");
        take(html, true);
      })
      .catch(function () { say(msg("failed"), true); });
  }

  // An htmx request on the console (a button, an outcome form) swaps the whole region: the focus
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
          if (response.status !== 204 && sharedUrl) fetchShared(version);
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
          markMine(result.data.id);
          markNotes();
          say(later ? msg("sent-later") : msg("sent"));
          try { localStorage.removeItem(DRAFT + entry.item); } catch (e) {}
        } else {
          // Refused (the agenda moved on, too long …): give the text back, with the reason.
          var field = document.querySelector("[data-offline-form] textarea");
          if (field && !field.value) field.value = entry.text;
          say(msg("refused") + (result.data.error || "") + (field ? msg("kept") : " “" + entry.text + "”"), true);
        }
        flushing = false;
        flush(later);
      })
      .catch(function () {
        flushing = false;
        say(msg("offline"), true);
      });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("[data-offline-form]");
    if (!form) return;
    var field = form.querySelector("textarea");
    event.preventDefault();
    if (!field.value.trim()) { say(msg("empty")); field.focus(); return; }
    var list = outbox();
    list.push({ url: form.action, item: form.getAttribute("data-item"), text: field.value, key: newKey() });
    saveOutbox(list);
    field.value = "";
    try { localStorage.removeItem(DRAFT + form.getAttribute("data-item")); } catch (e) {}
    if (!navigator.onLine) { say(msg("offline"), true); return; }
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
      say(msg("waiting") + waiting.map(function (e) { return "“" + e.text + "”"; }).join(", "), true);
    }
  }

  function afterChange() {
    tick();
    restoreDraft();
    rememberMine();
    markNotes();
  }

  window.addEventListener("online", function () { flush(true); });
  afterChange();
  flush(true);
})();
