// Handout Press front desk: a little plain JavaScript over server-rendered HTML.
// Patient values stay in this page's memory and in POST bodies; they never go into a URL,
// storage, a cookie or the console. Next patient (or 10 minutes idle) forgets them all.
"use strict";
(function () {
  var csrf = document.body.dataset.csrf;
  var staffName = document.body.dataset.staff || "";
  var IDLE_MS = 10 * 60 * 1000;
  var lastActivity = Date.now();
  var state = {
    panelSeq: 0, page: 1, pages: 1, seq: 0, shown: 0, imageUrl: null, timer: null, alt: ""
  };
  var visit = [];   // handouts added to this visit: {params, title, form, revised, language, large}
  var noteEntries = [];

  function $(id) { return document.getElementById(id); }
  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  // ------------------------------------------------------------------ search
  var search = $("search");
  function filterCards() {
    var words = fold(search.value).split(/\s+/).filter(Boolean);
    var cards = document.querySelectorAll("#cards .card");
    var shown = 0;
    cards.forEach(function (card) {
      var text = card.dataset.search;
      var match = words.every(function (w) { return text.indexOf(w) >= 0; });
      card.hidden = !match;
      if (match) { shown += 1; }
    });
    $("search-count").textContent = shown === 0
      ? "No handout matches “" + search.value + "”."
      : shown + " of " + cards.length + " handouts";
  }
  search.addEventListener("input", filterCards);
  $("search-form").addEventListener("submit", function (ev) { ev.preventDefault(); filterCards(); });

  // ------------------------------------------------------------------ requests
  function post(url, params) {
    var body = new URLSearchParams(params);
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      cache: "no-store",
      headers: { "X-CSRF-Token": csrf }
    }).then(function (response) {
      if (response.status === 401) { window.location.assign("/login"); }
      return response;
    });
  }

  function formParams() {
    var form = $("handout-form");
    var params = new URLSearchParams();
    if (!form) { return params; }
    form.querySelectorAll("input, select").forEach(function (el) {
      if (!el.name || el.disabled) { return; }
      if (el.name === "printer" || el.name === "copies") { return; }
      if (el.type === "checkbox") { if (el.checked) { params.append(el.name, el.value); } return; }
      // the language this form was made in, not the switch's new choice while the other
      // language's form is on its way (this form's choices are in its own words)
      params.append(el.name, el.name === "lang" ? form.getAttribute("lang") : el.value);
    });
    return params;
  }

  // Field values by key, to carry into another language's form: text as typed; tick boxes
  // by position (a translation lists the same choices in the same order, in its words).
  function fieldValues() {
    var values = {};
    document.querySelectorAll("#handout-form [data-key]").forEach(function (el) {
      if (el.type === "checkbox") {
        var ticks = values[el.dataset.key] || (values[el.dataset.key] = []);
        ticks.push(el.checked);
      } else {
        values[el.dataset.key] = el.value;
      }
    });
    return values;
  }

  function restoreValues(values) {
    var seen = {};
    document.querySelectorAll("#handout-form [data-key]").forEach(function (el) {
      var value = values[el.dataset.key];
      if (value === undefined) { return; }
      if (el.type === "checkbox") {
        var i = seen[el.dataset.key] || 0;
        seen[el.dataset.key] = i + 1;
        el.checked = Array.isArray(value) && value[i] === true;
      } else if (typeof value === "string") {
        el.value = value;
      }
    });
  }

  // A field's label as the page shows it (a tick-box group's legend).
  function fieldLabel(key) {
    var input = document.querySelector('#handout-form [data-key="' + CSS.escape(key) + '"]');
    if (!input) { return ""; }
    var label = input.type === "checkbox"
      ? input.closest("fieldset").querySelector("legend")
      : document.querySelector('#handout-form label[for="' + CSS.escape(input.id) + '"]');
    return label ? label.textContent.trim() : "";
  }

  function showProblems(problems) {
    document.querySelectorAll("#handout-form [data-problem-for]").forEach(function (el) {
      el.textContent = "";
    });
    document.querySelectorAll("#handout-form [aria-invalid]").forEach(function (el) {
      el.removeAttribute("aria-invalid");
    });
    var general = [];
    (problems || []).forEach(function (p) {
      var slot = p.field && document.querySelector(
        '#handout-form [data-problem-for="' + CSS.escape(p.field) + '"]');
      if (slot) {
        var label = fieldLabel(p.field);
        var message = label ? label + ": " + p.message : p.message;
        slot.textContent = slot.textContent ? slot.textContent + " " + p.message : message;
        var input = document.querySelector('#handout-form [data-key="' + CSS.escape(p.field) +
          '"]:not([type="checkbox"])');
        if (input) { input.setAttribute("aria-invalid", "true"); }
      } else {
        general.push(p.message);
      }
    });
    var box = $("problems");
    if (box) { box.textContent = general.join(" "); }
  }

  // While the form has a problem the preview is the last good page, not the form: nothing
  // may be downloaded, printed or added to the visit until it is fixed (the reason is the
  // buttons' description and is announced).
  function blockOutput(problems) {
    var off = $("output-off");
    if (!off) { return; }
    var blocked = problems.length > 0;
    var labels = [];
    problems.forEach(function (p) {
      var label = p.field && fieldLabel(p.field);
      if (label && labels.indexOf(label) < 0) { labels.push(label); }
    });
    off.textContent = !blocked ? "" : "Download PDF, Print and Add to visit are off until " +
      (labels.length ? "the problem with " + labels.join(", ") : "the problem above") +
      " is fixed: the preview is not what the form now says.";
    $("download").disabled = blocked;
    $("add-to-visit").disabled = blocked;
    if (!$("print-off")) { $("print").disabled = blocked; }
    var img = $("preview");
    img.closest("figure").classList.toggle("stale", blocked);
    if (blocked && state.alt) { img.alt = state.alt + " (last good preview, not the form)"; }
  }

  function problemsOf(response) {
    return response.json().then(function (data) { return data.problems || []; },
      function () { return [{ field: "", message: "The server answered " + response.status + "." }]; });
  }

  // ------------------------------------------------------------------ preview
  function schedulePreview(delay) {
    clearTimeout(state.timer);
    state.timer = setTimeout(updatePreview, delay);
  }

  function updatePreview() {
    if (!$("handout-form")) { return; }
    var params = formParams();
    params.set("page", String(state.page));
    var seq = ++state.seq;
    var figure = $("preview").closest("figure");
    figure.setAttribute("aria-busy", "true");
    function settled() { if (seq === state.seq) { figure.setAttribute("aria-busy", "false"); } }
    $("page-status").textContent = "Updating preview…";
    post("/preview", params).then(function (response) {
      if (seq < state.shown) { return; }
      // a page the handout no longer has (it was edited to fewer pages while shown): its
      // last page, asked for once more; never a page the server did not say it has
      var have = parseInt(response.headers.get("X-Pages"), 10);
      if (response.status === 404 && have >= 1 && state.page > have && seq === state.seq) {
        state.page = have;
        state.pages = have;
        updatePreview();
        return;
      }
      if (!response.ok) {
        return problemsOf(response).then(function (problems) {
          if (seq !== state.seq) { return; }
          showProblems(problems);
          blockOutput(problems.length ? problems : [{ field: "", message: "" }]);
          $("page-status").textContent = state.imageUrl
            ? "Page " + state.page + " of " + state.pages + " (last good preview)"
            : "No preview: fix the problem shown.";
        });
      }
      var page = parseInt(response.headers.get("X-Page"), 10);
      var pages = parseInt(response.headers.get("X-Pages"), 10);
      var paper = response.headers.get("X-Paper");
      return response.blob().then(function (blob) {
        if (seq < state.shown || !$("preview")) { return; }
        state.shown = seq;
        showProblems([]);
        blockOutput([]);
        var img = $("preview");
        var old = state.imageUrl;
        state.imageUrl = URL.createObjectURL(blob);
        img.src = state.imageUrl;
        img.alt = state.alt = "Preview of page " + page + " of " + pages + " of " +
          $("handout-form").dataset.title;
        img.hidden = false;
        if (old) { URL.revokeObjectURL(old); }
        state.page = page;
        state.pages = pages;
        if (paper) { $("paper").textContent = paper; }
        $("page-status").textContent = "Page " + page + " of " + pages;
        $("prev-page").disabled = page <= 1;
        $("next-page").disabled = page >= pages;
      });
    }).catch(function () {
      $("page-status").textContent = "The front desk server did not answer. Is it still running?";
    }).then(settled);
  }

  // ------------------------------------------------------------------ panel
  function loadPanel(handoutId, options) {
    options = options || {};
    var query = new URLSearchParams();
    if (options.lang) { query.set("lang", options.lang); }
    if (options.layout) { query.set("layout", options.layout); }
    if (options.large) { query.set("large_print", "1"); }
    if (options.staff) { query.set("staff_copy", "1"); }
    var url = "/panel/" + encodeURIComponent(handoutId) + (query.toString() ? "?" + query : "");
    var mine = ++state.panelSeq;
    return fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
      if (response.status === 401) { window.location.assign("/login"); return; }
      return response.text().then(function (html) {
        if (!response.ok || mine !== state.panelSeq) { return; }
        if (state.imageUrl) { URL.revokeObjectURL(state.imageUrl); state.imageUrl = null; }
        $("panel").innerHTML = html;
        markChosen(handoutId);
        state.page = 1; state.pages = 1; state.alt = "";
        state.shown = ++state.seq;  // a preview the old form asked for is not shown over this one
        restoreValues(options.values || {});
        wirePanel();
        updatePreview();
        if (options.focus) { options.focus(); } else { $("handout-title").focus(); }
      });
    });
  }

  function markChosen(handoutId) {
    document.querySelectorAll("#cards .card-link").forEach(function (link) {
      if (link.dataset.handout === handoutId) {
        link.setAttribute("aria-current", "true");
      } else {
        link.removeAttribute("aria-current");
      }
    });
  }

  function wirePanel() {
    var form = $("handout-form");
    form.addEventListener("submit", function (ev) { ev.preventDefault(); });
    form.querySelectorAll("[data-key]").forEach(function (el) {
      el.addEventListener(el.type === "checkbox" ? "change" : "input", function () {
        schedulePreview(el.type === "checkbox" ? 0 : 350);
      });
    });
    $("choose-lang").addEventListener("change", function () {
      var layout = $("choose-layout");
      loadPanel(form.dataset.handout, {
        lang: $("choose-lang").value,
        layout: layout ? layout.value : "",
        large: $("large-print").checked,
        staff: $("staff-copy").checked,
        values: fieldValues(),
        focus: function () { $("choose-lang").focus(); }
      });
    });
    var layout = $("choose-layout");
    if (layout) {
      layout.addEventListener("change", function () { state.page = 1; updatePreview(); });
    }
    $("large-print").addEventListener("change", function () {
      if (layout) { layout.disabled = $("large-print").checked; }
      state.page = 1;
      updatePreview();
    });
    $("staff-copy").addEventListener("change", function () {
      state.page = 1;
      updatePreview();
    });
    $("prev-page").addEventListener("click", function () {
      if (state.page > 1) { state.page -= 1; updatePreview(); }
    });
    $("next-page").addEventListener("click", function () {
      if (state.page < state.pages) { state.page += 1; updatePreview(); }
    });
    $("download").addEventListener("click", download);
    $("print").addEventListener("click", printIt);
    $("add-to-visit").addEventListener("click", addToVisit);
    renderVisit();
  }

  function describe() {
    var form = $("handout-form");
    var layout = $("choose-layout");
    return {
      params: formParams().toString(),
      title: form.dataset.title,
      form: form.dataset.form,
      revised: form.dataset.revised,
      language: form.dataset.language,
      large: $("large-print").checked,
      staff: $("staff-copy").checked,
      layoutName: layout && !layout.disabled ? layout.options[layout.selectedIndex].text : ""
    };
  }

  function saveBlob(blob, name) {
    var url = URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }

  function fileName(response, fallback) {
    var m = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "");
    return m ? m[1] : fallback;
  }

  function download() {
    var what = describe();
    $("output-status").textContent = "Making the PDF…";
    post("/download", formParams()).then(function (response) {
      if (!response.ok) {
        return problemsOf(response).then(function (problems) {
          showProblems(problems);
          if (response.status === 422) { blockOutput(problems); }  // (before the preview said)
          $("output-status").textContent = "Not downloaded: see the problem above.";
        });
      }
      var name = fileName(response, "handout.pdf");
      return response.blob().then(function (blob) {
        saveBlob(blob, name);
        $("output-status").textContent = "Downloaded " + name + ".";
        addNote([what], "Downloaded");
      });
    });
  }

  function printIt() {
    var what = describe();
    var params = formParams();
    params.set("printer", $("printer").value);
    params.set("copies", $("copies").value);
    $("output-status").textContent = "Sending to the printer…";
    post("/print", params).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) {
          showProblems(data.problems);
          if (response.status === 422) { blockOutput(data.problems || []); }
          $("output-status").textContent = "Not printed: " +
            (data.problems || []).map(function (p) { return p.message; }).join(" ");
          return;
        }
        $("output-status").textContent = "Sent to " + data.printer + " (job " + data.job + ", " +
          data.pages + " page(s), " + data.media + ", " + data.sides + ").";
        addNote([what], "Printed on " + data.printer + ", " + data.copies +
          (data.copies === 1 ? " copy" : " copies"));
      });
    });
  }

  // ------------------------------------------------------------------ visit
  function renderVisit() {
    var list = $("visit-list");
    list.textContent = "";
    visit.forEach(function (item, i) {
      var li = document.createElement("li");
      li.textContent = item.title + " (" + item.language + (item.large ? ", large print" : "") +
        (item.staff ? ", staff copy" : "") +
        (item.layoutName ? ", " + item.layoutName : "") + ") ";
      var remove = document.createElement("button");
      remove.type = "button";
      remove.textContent = "Remove";
      remove.setAttribute("aria-label", "Remove " + item.title + " from the visit");
      remove.addEventListener("click", function () {
        visit.splice(i, 1);
        renderVisit();
        $("visit-download").focus();
      });
      li.appendChild(remove);
      list.appendChild(li);
    });
    $("visit-empty").hidden = visit.length > 0;
    $("visit-download").disabled = visit.length === 0;
    // (the visit's handouts were fine when added: a problem in the form does not stop them)
    $("visit-print").disabled = visit.length === 0 || !$("print") || !!$("print-off");
  }

  function addToVisit() {
    visit.push(describe());
    renderVisit();
    $("visit-status").textContent = visit.length + " handout(s) in this visit.";
  }

  function visitParams() {
    var items = visit.map(function (item) {
      var out = {};
      new URLSearchParams(item.params).forEach(function (value, key) {
        if (out[key] === undefined) {
          out[key] = value;
        } else {  // several ticked boxes of one field
          out[key] = [].concat(out[key], value);
        }
      });
      return out;
    });
    var params = new URLSearchParams();
    params.set("items", JSON.stringify(items));
    return params;
  }

  function visitFailed(response, data) {
    var i = parseInt(response.headers.get("X-Visit-Item") || "-1", 10);
    var which = i >= 0 && visit[i] ? visit[i].title + ": " : "";
    $("visit-status").textContent = "Not done. " + which +
      (data.problems || []).map(function (p) { return p.message; }).join(" ");
  }

  $("visit-download").addEventListener("click", function () {
    var items = visit.slice();
    $("visit-status").textContent = "Making one PDF of the visit…";
    post("/visit/download", visitParams()).then(function (response) {
      if (!response.ok) {
        return response.json().then(function (data) { visitFailed(response, data); });
      }
      var name = fileName(response, "visit-handouts.pdf");
      return response.blob().then(function (blob) {
        saveBlob(blob, name);
        $("visit-status").textContent = "Downloaded " + name + " (" + items.length + " handouts).";
        addNote(items, "Downloaded");
      });
    });
  });

  $("visit-print").addEventListener("click", function () {
    var items = visit.slice();
    var params = visitParams();
    params.set("printer", $("printer").value);
    params.set("copies", $("copies").value);
    $("visit-status").textContent = "Sending the visit to the printer…";
    post("/visit/print", params).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { visitFailed(response, data); return; }
        $("visit-status").textContent = "Sent to " + data.printer + " as " + data.jobs.length +
          " job(s): " + data.jobs.map(function (j) { return j.job; }).join(", ") + ".";
        addNote(items, "Printed on " + data.printer + ", " + data.copies +
          (data.copies === 1 ? " copy" : " copies"));
      });
    });
  });

  // ------------------------------------------------------------------ chart note
  function stamp(d) {
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate()) + " " +
      two(d.getHours()) + ":" + two(d.getMinutes());
  }

  function addNote(items, action) {
    var when = stamp(new Date());
    items.forEach(function (item) {
      noteEntries.push({ item: item, action: action, when: when });
    });
    writeNote();
  }

  function writeNote() {
    var note = $("chart-note");
    if (noteEntries.length === 0) { note.value = ""; $("copy-note").disabled = true; return; }
    function line(e) {
      var it = e.item;
      return "- " + it.title + " (form " + it.form + ", revised " + it.revised + "), " +
        it.language + ", large print: " + (it.large ? "yes" : "no") + ". " + e.action + " " +
        e.when + ".";
    }
    // only the patient's copies are education given; a staff copy is for staff
    var given = noteEntries.filter(function (e) { return !e.item.staff; });
    var staff = noteEntries.filter(function (e) { return e.item.staff; });
    var lines = given.length
      ? ["Patient education given (written handouts):"].concat(given.map(line))
      : ["No written handout given to the patient (staff copy only)."];
    if (staff.length) {
      lines.push("Staff copy with teach-back prompts (for staff, not given to the patient):");
      lines = lines.concat(staff.map(line));
    }
    var initials = $("staff-initials").value.trim();
    var who = [staffName, initials].filter(Boolean).join(", initials ");
    lines.push("Staff: " + (who || "(type your initials above)"));
    note.value = lines.join("\n");
    $("copy-note").disabled = false;
  }

  $("staff-initials").addEventListener("input", writeNote);
  $("copy-note").addEventListener("click", function () {
    var note = $("chart-note");
    function copied() { $("copy-status").textContent = "Copied. Paste it into the chart."; }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(note.value).then(copied, function () {
        note.select(); document.execCommand("copy"); copied();
      });
    } else {
      note.select(); document.execCommand("copy"); copied();
    }
  });

  // ------------------------------------------------------------------ next patient
  function nextPatient(reason) {
    clearTimeout(state.timer);
    state.panelSeq += 1;
    state.seq += 1; state.shown = state.seq;
    if (state.imageUrl) { URL.revokeObjectURL(state.imageUrl); state.imageUrl = null; }
    $("panel").innerHTML = '<p class="hint">Choose a handout on the left to fill it in, ' +
      "preview it and print it.</p>";
    markChosen("");
    visit = [];
    renderVisit();
    noteEntries = [];
    $("staff-initials").value = "";
    writeNote();
    $("copy-status").textContent = "";
    $("visit-status").textContent = reason || "";
    search.value = "";
    filterCards();
    search.focus();
  }

  $("next-patient").addEventListener("click", function () {
    nextPatient("Cleared for the next patient.");
  });

  ["keydown", "pointerdown", "input", "focusin"].forEach(function (type) {
    document.addEventListener(type, function () { lastActivity = Date.now(); }, true);
  });
  setInterval(function () {
    if (Date.now() - lastActivity >= IDLE_MS) {
      lastActivity = Date.now();
      nextPatient("Cleared after 10 minutes with nothing done.");
    }
  }, 5000);

  // ------------------------------------------------------------------ cards
  document.querySelectorAll("#cards .card-link").forEach(function (link) {
    link.addEventListener("click", function (ev) {
      ev.preventDefault();
      loadPanel(link.dataset.handout);
    });
  });
  var initial = $("panel").dataset.initial;
  if (initial) { loadPanel(initial); }
  renderVisit();
})();
