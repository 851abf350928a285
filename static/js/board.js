// The theme board by hand. Interests are dragged between themes by their "Move" handle (mouse,
// pen and touch alike, through Pointer Events: the HTML drag-and-drop API knows no touch), or
// moved from the keyboard: M (or the handle) opens a short list of the themes, arrows and Enter
// choose. Ticked interests go along with the one dragged or chosen. Every move posts to the
// board's one move endpoint; the columns it touched come back and replace theirs in place, the
// live region says what moved, and "Undo" (or Ctrl+Z) sends them back.
// Without this file the page still works: the selection bar's checkboxes and "Move selected".
(function () {
  "use strict";

  var drag = null; // the drag in progress
  var menu = null; // the open list of themes
  var clickAfterDrag = false;

  function board() {
    return document.getElementById("board");
  }

  function text(name) {
    var element = board();
    return (element && element.getAttribute("data-" + name)) || "";
  }

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
    } catch (error) {
      return "";
    }
  }

  // A new submit key per move (coconnect/once.py): a request repeated by the network moves once.
  function submissionKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 15) | 64;
    bytes[8] = (bytes[8] & 63) | 128;
    var hex = Array.from(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  // --- rows, columns ---------------------------------------------------------------------------

  function rowId(row) {
    return row.id.replace("board-interest-", "");
  }

  function zoneOf(element) {
    return element.closest("[data-drop-theme]");
  }

  function themeOf(row) {
    var zone = zoneOf(row);
    return zone ? zone.getAttribute("data-drop-theme") : "";
  }

  function zones() {
    return Array.from(document.querySelectorAll("#board [data-drop-theme]"));
  }

  function statementOf(row) {
    var strong = row.querySelector(".board-interest__text strong");
    return strong ? strong.textContent : "";
  }

  // What a gesture on `row` moves: every ticked interest when `row` is ticked, else `row` alone.
  function rowsFor(row) {
    var pick = row.querySelector(".board-interest__pick");
    if (!pick || !pick.checked) return [row];
    return Array.from(document.querySelectorAll("#board .board-interest__pick:checked"), function (p) {
      return p.closest(".board-interest");
    });
  }

  // Each row gets its handle here: it only works with this file, so the page without it has none.
  function decorate() {
    var element = board();
    if (!element) return;
    var help = document.getElementById("board-help");
    if (help) help.hidden = false;
    element.querySelectorAll(".board-interest:not([data-handle])").forEach(function (row) {
      row.setAttribute("data-handle", "");
      var handle = document.createElement("button");
      handle.type = "button";
      handle.className = "board-interest__handle";
      handle.setAttribute("aria-haspopup", "listbox");
      handle.setAttribute("aria-keyshortcuts", "M");
      var grip = document.createElement("span");
      grip.setAttribute("aria-hidden", "true");
      grip.className = "board-interest__grip";
      grip.textContent = "⠿";
      var name = document.createElement("span");
      name.className = "visually-hidden";
      name.textContent = ": " + statementOf(row);
      handle.append(grip, " " + text("move-label"), name);
      row.appendChild(handle);
    });
  }

  // --- sending a move and putting the answer in place ----------------------------------------

  function announce(message) {
    var region = document.getElementById("board-announce");
    if (!region) return;
    // Emptied first, so the same words twice in a row are read out twice.
    region.textContent = "";
    setTimeout(function () { region.textContent = message; }, 60);
  }

  // The answer is a set of elements, each replacing the one with its id: the touched columns
  // whole, the status, undo and announcement areas by their content (hx-swap-oob="innerHTML").
  // A refusal answers the whole board (#board), with its message.
  function apply(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    Array.from(template.content.children).forEach(function (element) {
      var target = element.id && document.getElementById(element.id);
      if (!target) return;
      if (element.getAttribute("hx-swap-oob") === "innerHTML") {
        if (element.id === "board-announce") announce(element.textContent);
        else target.replaceChildren.apply(target, Array.from(element.childNodes));
      } else {
        target.replaceWith(element);
        if (window.htmx) htmx.process(element);
      }
    });
    decorate();
  }

  function requestFailed() {
    var box = document.getElementById("messages");
    var status = document.getElementById("board-status");
    var message = document.createElement("p");
    message.className = "message message--error";
    message.textContent = box ? box.getAttribute("data-request-failed") : "";
    if (status) status.replaceChildren(message);
  }

  function send(url, data, then) {
    data.append("swap", "columns");
    var element = board();
    element.setAttribute("aria-busy", "true");
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true" },
    })
      .then(function (response) {
        return response.text().then(function (html) {
          // A refusal brings the board with its message; anything else (a 404, a 500) does not.
          if (!response.ok && html.indexOf('id="board"') === -1) throw new Error(response.status);
          apply(html);
          if (then) then();
        });
      })
      .catch(requestFailed)
      .finally(function () {
        var current = board();
        if (current) current.removeAttribute("aria-busy");
      });
  }

  function move(rows, theme, then) {
    var data = new FormData();
    data.append("submission_key", submissionKey());
    data.append("theme", theme);
    var shown = new Set([theme || "none"]);
    rows.forEach(function (row) {
      data.append("interests", rowId(row));
      shown.add(themeOf(row) || "none");
    });
    data.append("shown", Array.from(shown).join(","));
    return send(text("move-url"), data, then);
  }

  // After a keyboard move, go on where the list left off: the next interest that stayed behind
  // (else the one before it), else the undo button.
  function focusPlan(rows, control) {
    var list = Array.from(rows[0].closest("ul").querySelectorAll(".board-interest"));
    var staying = list.filter(function (row) { return rows.indexOf(row) === -1; });
    var first = list.indexOf(rows[0]);
    var next = staying.filter(function (row) { return list.indexOf(row) > first; })[0] || staying[staying.length - 1];
    var nextId = next && next.id;
    return function () {
      var row = nextId && document.getElementById(nextId);
      var target = row && row.querySelector(control === "pick" ? ".board-interest__pick" : ".board-interest__handle");
      target = target || document.querySelector("#board-undo button") || document.getElementById("board-undo");
      if (target) target.focus();
    };
  }

  // --- the keyboard's list of themes ----------------------------------------------------------

  function closeMenu(refocus) {
    if (!menu) return;
    var closing = menu;
    menu = null;
    closing.box.remove();
    if (refocus && document.body.contains(closing.opener)) closing.opener.focus();
  }

  function setActive(option) {
    if (!menu || !option) return;
    menu.list.querySelectorAll("[role=option]").forEach(function (o) { o.classList.remove("is-active"); });
    option.classList.add("is-active");
    menu.list.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  }

  function enabledOptions() {
    return Array.from(menu.list.querySelectorAll("[role=option]:not([aria-disabled=true])"));
  }

  function openMenu(row, opener) {
    closeMenu(false);
    var rows = rowsFor(row);
    var box = document.createElement("div");
    box.className = "board-menu";
    var label = document.createElement("p");
    label.id = "board-menu-label";
    label.className = "board-menu__label";
    label.textContent = rows.length > 1 ? text("move-many").replace("{count}", rows.length) : text("move-one");
    var list = document.createElement("ul");
    list.className = "board-menu__list list-plain";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-labelledby", label.id);
    list.tabIndex = 0;
    zones().forEach(function (zone, index) {
      var theme = zone.getAttribute("data-drop-theme");
      var option = document.createElement("li");
      option.id = "board-menu-option-" + index;
      option.setAttribute("role", "option");
      option.setAttribute("data-theme", theme);
      option.textContent = zone.getAttribute("data-theme-name");
      // Where all of them are already: shown, not chosen.
      if (rows.every(function (r) { return themeOf(r) === theme; })) {
        option.setAttribute("aria-disabled", "true");
      }
      list.appendChild(option);
    });
    box.append(label, list);
    row.after(box);
    menu = { box: box, list: list, rows: rows, opener: opener, control: opener.matches(".board-interest__pick") ? "pick" : "handle" };
    setActive(enabledOptions()[0]);
    list.focus();
  }

  function choose(option) {
    if (!menu || !option || option.getAttribute("aria-disabled") === "true") return;
    var rows = menu.rows;
    var then = focusPlan(rows, menu.control);
    closeMenu(false);
    move(rows, option.getAttribute("data-theme"), then);
  }

  function menuKey(event) {
    var options = enabledOptions();
    var active = menu.list.querySelector(".is-active");
    var at = options.indexOf(active);
    var key = event.key;
    if (key === "ArrowDown") setActive(options[Math.min(at + 1, options.length - 1)]);
    else if (key === "ArrowUp") setActive(options[Math.max(at - 1, 0)]);
    else if (key === "Home") setActive(options[0]);
    else if (key === "End") setActive(options[options.length - 1]);
    else if (key === "Enter" || key === " ") choose(active);
    else if (key === "Escape") closeMenu(true);
    else if (key === "Tab") { closeMenu(false); return; } // on to the next control: no trap
    else if (key.length === 1 && /\S/.test(key)) {
      // Type to jump: the next theme starting with that letter.
      var letter = key.toLocaleLowerCase();
      var after = options.slice(at + 1).concat(options.slice(0, at + 1));
      setActive(after.filter(function (o) { return o.textContent.trim().toLocaleLowerCase().indexOf(letter) === 0; })[0]);
    } else return;
    event.preventDefault();
  }

  // --- dragging ---------------------------------------------------------------------------------

  function zoneAt(x, y) {
    var element = document.elementFromPoint(x, y);
    return element && element.closest("#board [data-drop-theme]");
  }

  function hover(zone) {
    if (zone === drag.over) return;
    if (drag.over) drag.over.classList.remove("is-drop-target");
    drag.over = zone;
    if (zone) zone.classList.add("is-drop-target");
    drag.target.textContent = zone ? "→ " + zone.getAttribute("data-theme-name") : "";
  }

  function startDrag() {
    drag.started = true;
    drag.rows = rowsFor(drag.row);
    drag.rows.forEach(function (row) { row.classList.add("is-moving"); });
    var ghost = document.createElement("div");
    ghost.className = "board-ghost";
    ghost.setAttribute("aria-hidden", "true");
    var what = document.createElement("strong");
    what.textContent = drag.rows.length > 1 ? text("dragging-many").replace("{count}", drag.rows.length) : statementOf(drag.row);
    drag.target = document.createElement("span");
    drag.target.className = "board-ghost__target";
    ghost.append(what, drag.target);
    document.body.appendChild(ghost);
    drag.ghost = ghost;
    board().classList.add("is-dragging");
    // Near the top or bottom of the screen the page scrolls, so every theme can be reached.
    drag.scroller = setInterval(function () {
      var edge = 64;
      var step = drag.y < edge ? -14 : drag.y > window.innerHeight - edge ? 14 : 0;
      if (step) {
        window.scrollBy(0, step);
        hover(zoneAt(drag.x, drag.y));
      }
    }, 30);
  }

  function endDrag(drop) {
    var ended = drag;
    drag = null;
    if (!ended.started) return;
    clickAfterDrag = true;
    setTimeout(function () { clickAfterDrag = false; }, 0);
    clearInterval(ended.scroller);
    ended.ghost.remove();
    board().classList.remove("is-dragging");
    ended.rows.forEach(function (row) { row.classList.remove("is-moving"); });
    if (ended.over) ended.over.classList.remove("is-drop-target");
    if (!drop || !ended.over) return;
    var theme = ended.over.getAttribute("data-drop-theme");
    if (ended.rows.every(function (row) { return themeOf(row) === theme; })) return;
    move(ended.rows, theme);
  }

  document.addEventListener("pointerdown", function (event) {
    if (menu && !menu.box.contains(event.target)) closeMenu(false);
    var handle = event.target.closest && event.target.closest("#board .board-interest__handle");
    if (!handle || !event.isPrimary || event.button !== 0) return;
    drag = { handle: handle, row: handle.closest(".board-interest"), id: event.pointerId, x0: event.clientX, y0: event.clientY, x: event.clientX, y: event.clientY, started: false, over: null, touch: event.pointerType === "touch" };
    try {
      handle.setPointerCapture(event.pointerId);
    } catch (error) {
      // A pointer the browser no longer tracks: the document still hears its moves.
    }
  });

  document.addEventListener("pointermove", function (event) {
    if (!drag || event.pointerId !== drag.id) return;
    drag.x = event.clientX;
    drag.y = event.clientY;
    if (!drag.started) {
      if (Math.abs(drag.x - drag.x0) + Math.abs(drag.y - drag.y0) < 6) return;
      startDrag();
    }
    event.preventDefault();
    // Inside the screen, and above a finger rather than under it.
    var width = drag.ghost.offsetWidth;
    var height = drag.ghost.offsetHeight;
    var left = Math.max(4, Math.min(drag.x + 12, window.innerWidth - width - 4));
    var top = drag.touch ? Math.max(4, drag.y - height - 28) : drag.y + 12;
    drag.ghost.style.transform = "translate(" + left + "px, " + top + "px)";
    hover(zoneAt(drag.x, drag.y));
  });

  document.addEventListener("pointerup", function (event) {
    if (!drag || event.pointerId !== drag.id) return;
    drag.x = event.clientX;
    drag.y = event.clientY;
    if (drag.started) hover(zoneAt(drag.x, drag.y));
    endDrag(true);
  });

  document.addEventListener("pointercancel", function (event) {
    if (drag && event.pointerId === drag.id) endDrag(false);
  });

  // --- clicks and keys --------------------------------------------------------------------------

  document.addEventListener("click", function (event) {
    var handle = event.target.closest("#board .board-interest__handle");
    if (handle) {
      if (!clickAfterDrag) openMenu(handle.closest(".board-interest"), handle);
      return;
    }
    var option = menu && event.target.closest("[role=option]");
    if (option && menu.box.contains(option)) choose(option);
  });

  document.addEventListener("focusout", function (event) {
    if (menu && menu.box.contains(event.target) && !menu.box.contains(event.relatedTarget)) {
      closeMenu(false);
    }
  });

  document.addEventListener("keydown", function (event) {
    if (drag && drag.started && event.key === "Escape") {
      endDrag(false);
      event.preventDefault();
      return;
    }
    if (menu && menu.box.contains(event.target)) {
      menuKey(event);
      return;
    }
    var plain = !event.ctrlKey && !event.metaKey && !event.altKey;
    var control = event.target.closest && event.target.closest("#board .board-interest__pick, #board .board-interest__handle");
    if (control && plain && (event.key === "m" || event.key === "M")) {
      event.preventDefault();
      openMenu(control.closest(".board-interest"), control);
      return;
    }
    // Ctrl+Z (Cmd+Z) on the board undoes the last move; in a text field it stays the field's own.
    var undoKey = (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === "z";
    if (!undoKey || !board()) return;
    var active = document.activeElement;
    var onBoard = !active || active === document.body || board().contains(active);
    if (!onBoard || event.target.closest("input[type=text], textarea, select, [contenteditable]")) return;
    var form = document.querySelector("#board-undo form[data-board-undo]");
    if (!form) return;
    event.preventDefault();
    form.requestSubmit();
  });

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-board-undo]");
    if (!form) return;
    event.preventDefault();
    send(form.action, new FormData(form), keepFocus());
  });

  // An undo re-draws the columns: focus returns to the same control of the same row (Ctrl+Z
  // from a row), else to the undo area, which now says what the undo did.
  function keepFocus() {
    var active = document.activeElement;
    var row = active && active.closest && active.closest("#board .board-interest");
    var rowIdWas = row && row.id;
    var handle = active && active.matches && active.matches(".board-interest__handle");
    return function () {
      var again = rowIdWas && document.getElementById(rowIdWas);
      var target = again && again.querySelector(handle ? ".board-interest__handle" : ".board-interest__pick");
      (target || document.getElementById("board-undo")).focus();
    };
  }

  document.addEventListener("htmx:afterSettle", decorate);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", decorate);
  else decorate();
})();
