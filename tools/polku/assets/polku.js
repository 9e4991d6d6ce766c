/* polku: progress, reflection journal and other learner helpers.
 *
 * Nothing a learner writes leaves the browser: done marks and journal answers are kept
 * in localStorage, one entry per site and programme. The structure of the programmes
 * and the interface labels come from polku-data.js, generated with the site. The page
 * HTML holds no form controls (it is sanitised); this script adds them.
 */
(function () {
  "use strict";

  var data = window.polkuData;
  var script = document.currentScript;
  if (!data || !script || !data.labels) {
    return;
  }
  // this script is <site>/assets/polku/polku.js
  var root = new URL("../../", script.src);
  var labels = data.labels;
  var PREFIX = "polku:v" + data.format + ":" + data.site + ":";
  var CURRENT = "current-programme";
  var UNSCHEDULED = "_";

  // --- storage --------------------------------------------------------------------------

  var memory = {};
  var store = (function () {
    try {
      var s = window.localStorage;
      s.setItem(PREFIX + "probe", "1");
      s.removeItem(PREFIX + "probe");
      return s;
    } catch (e) {
      return null;
    }
  })();

  function getRaw(name) {
    if (store) {
      try {
        return store.getItem(PREFIX + name);
      } catch (e) {
        /* fall back to memory */
      }
    }
    return Object.prototype.hasOwnProperty.call(memory, name) ? memory[name] : null;
  }

  function setRaw(name, value) {
    memory[name] = value;
    if (store) {
      try {
        store.setItem(PREFIX + name, value);
      } catch (e) {
        /* full or blocked: kept in memory for this page */
      }
    }
  }

  function read(namespace) {
    var state = null;
    try {
      state = JSON.parse(getRaw(namespace) || "null");
    } catch (e) {
      state = null;
    }
    if (!state || typeof state !== "object") {
      state = {};
    }
    if (!state.done || typeof state.done !== "object") {
      state.done = {};
    }
    if (!state.journal || typeof state.journal !== "object") {
      state.journal = {};
    }
    return state;
  }

  function write(namespace, state) {
    setRaw(namespace, JSON.stringify(state));
  }

  function setDone(namespace, key, done) {
    var state = read(namespace);
    if (done) {
      state.done[key] = new Date().toISOString();
    } else {
      delete state.done[key];
    }
    write(namespace, state);
  }

  function setAnswer(namespace, key, text) {
    var state = read(namespace);
    if (text.trim()) {
      state.journal[key] = { text: text, updated: new Date().toISOString() };
    } else {
      delete state.journal[key];
    }
    write(namespace, state);
  }

  function answer(namespace, key) {
    var entry = read(namespace).journal[key];
    return entry && typeof entry.text === "string" ? entry.text : "";
  }

  // --- structure ------------------------------------------------------------------------

  function programme(id) {
    for (var i = 0; i < data.programmes.length; i++) {
      if (data.programmes[i].id === id) {
        return data.programmes[i];
      }
    }
    return null;
  }

  function programmeKeys(p) {
    var keys = [];
    p.sessions.forEach(function (session) {
      session.activities.forEach(function (key) {
        if (keys.indexOf(key) < 0) {
          keys.push(key);
        }
      });
    });
    return keys;
  }

  /* Where a module's marks and answers live: the programme the learner follows. */
  function namespaceFor(moduleId) {
    var module = data.modules[moduleId];
    var ids = module ? module.programmes : [];
    if (!ids.length) {
      return UNSCHEDULED;
    }
    var current = getRaw(CURRENT);
    return ids.indexOf(current) >= 0 ? current : ids[0];
  }

  function countDone(namespace, keys) {
    var done = read(namespace).done;
    return keys.filter(function (key) {
      return done[key];
    }).length;
  }

  // --- DOM helpers ----------------------------------------------------------------------

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === "text") {
        node.textContent = attributes[name];
      } else {
        node.setAttribute(name, attributes[name]);
      }
    });
    (children || []).forEach(function (child) {
      node.append(child);
    });
    return node;
  }

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : match;
    });
  }

  function slug(text) {
    return text.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  }

  /* A heading's text without Material's permalink sign. */
  function headingText(heading) {
    if (!heading) {
      return "";
    }
    var copy = heading.cloneNode(true);
    copy.querySelectorAll(".headerlink").forEach(function (link) {
      link.remove();
    });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  function normalise(url) {
    var u = new URL(url, location.href);
    u.hash = "";
    u.search = "";
    return u.href.replace(/\/index\.html$/, "/");
  }

  function siteUrl(path) {
    return normalise(new URL(path, root).href);
  }

  /* "1 / 3 activities done" with a bar that shows the same. */
  function progressLine(done, total, extra) {
    var percent = total ? Math.round((100 * done) / total) : 0;
    var text = format(labels.progress_count, { done: done, total: total });
    var bar = el("span", { class: "polku-progress__bar", "aria-hidden": "true" }, [
      el("span", { class: "polku-progress__fill", style: "width: " + percent + "%" }),
    ]);
    var line = el("p", { class: "polku-progress" }, [
      el("span", { class: "polku-progress__text", text: text + (extra ? " · " + extra : "") }),
      bar,
    ]);
    if (total && done === total) {
      line.classList.add("polku-progress--complete");
    }
    return line;
  }

  // --- module pages: done marks ---------------------------------------------------------

  function setupActivity(block) {
    if (block.hasAttribute("data-polku-ready")) {
      return;
    }
    block.setAttribute("data-polku-ready", "");
    var key = block.getAttribute("data-polku-activity");
    var parts = key.split("/");
    var namespace = namespaceFor(parts[0]);
    var title = headingText(document.getElementById("activity-" + parts[1]));
    var id = "polku-done-" + slug(key);
    var input = el("input", { type: "checkbox", id: id, class: "polku-done__input" });
    input.checked = Boolean(read(namespace).done[key]);
    var label = el("label", { for: id, class: "polku-done__label" }, [
      labels.mark_done,
      el("span", { class: "polku-sr", text: title ? ": " + title : "" }),
    ]);
    block.classList.toggle("polku-activity--done", input.checked);
    input.addEventListener("change", function () {
      setDone(namespace, key, input.checked);
      block.classList.toggle("polku-activity--done", input.checked);
      refreshProgress();
    });
    block.append(el("div", { class: "polku-done polku-no-print" }, [input, label]));
  }

  // --- module pages: journal answers ----------------------------------------------------

  function setupPrompt(item) {
    if (item.hasAttribute("data-polku-ready")) {
      return;
    }
    item.setAttribute("data-polku-ready", "");
    var key = item.getAttribute("data-polku-prompt");
    var namespace = namespaceFor(key.split("/")[0]);
    var id = "polku-answer-" + slug(key);
    var text = el("span", { id: id + "-prompt", class: "polku-prompt__text" });
    while (item.firstChild) {
      text.append(item.firstChild);
    }
    var area = el("textarea", {
      id: id,
      class: "polku-answer-input",
      rows: "4",
      "aria-labelledby": id + "-prompt",
      "aria-describedby": id + "-status",
      spellcheck: "true",
    });
    area.value = answer(namespace, key);
    var status = el("span", {
      id: id + "-status",
      class: "polku-answer-status",
      "aria-live": "polite",
    });
    // the textarea prints badly (clipped, scrollbars): print a copy of the text instead
    var copy = el("div", { class: "polku-answer-print", "aria-hidden": "true", text: area.value });
    area.addEventListener("input", function () {
      setAnswer(namespace, key, area.value);
      copy.textContent = area.value;
      if (status.textContent !== labels.answer_saved) {
        status.textContent = labels.answer_saved;
      }
    });
    item.append(
      text,
      el("div", { class: "polku-answer" }, [
        el("span", { class: "polku-answer__label polku-sr", text: labels.answer_label }),
        area,
        status,
        copy,
      ]),
    );
  }

  function setupPromptList(list) {
    if (list.hasAttribute("data-polku-ready")) {
      return;
    }
    list.setAttribute("data-polku-ready", "");
    var hint = el("p", { class: "polku-answer-hint polku-no-print" }, [
      labels.answer_hint + " ",
      el("a", { href: new URL(data.journal, root).href, text: labels.open_journal }),
    ]);
    list.after(hint);
  }

  // --- progress summaries -----------------------------------------------------------------

  function fillPanel(panel, content) {
    var slot = panel.querySelector(".polku-progress-slot");
    if (!slot) {
      slot = el("div", { class: "polku-progress-slot" });
      panel.prepend(slot);
    }
    slot.replaceChildren(content);
  }

  function moduleProgress(panel) {
    var moduleId = panel.getAttribute("data-polku-module");
    var module = data.modules[moduleId];
    if (!module) {
      return;
    }
    var namespace = namespaceFor(moduleId);
    var p = programme(namespace);
    var done = countDone(namespace, module.activities);
    var line = progressLine(
      done,
      module.activities.length,
      p && module.programmes.length > 1 ? format(labels.progress_in, { programme: p.title }) : "",
    );
    fillPanel(
      panel,
      el("div", {}, [el("p", { class: "polku-progress__title", text: labels.progress_title }), line]),
    );
  }

  function programmePanel(panel) {
    var id = panel.getAttribute("data-polku-programme");
    var p = programme(id);
    if (!p) {
      return;
    }
    setRaw(CURRENT, id);
    var keys = programmeKeys(p);
    fillPanel(
      panel,
      el("div", {}, [
        el("p", { class: "polku-progress__title", text: labels.progress_title }),
        progressLine(countDone(id, keys), keys.length),
      ]),
    );
    if (panel.hasAttribute("data-polku-ready")) {
      return;
    }
    panel.setAttribute("data-polku-ready", "");
    var status = el("p", { class: "polku-status", role: "status" });
    var reset = el("button", { type: "button", class: "polku-button", text: labels.reset_progress });
    reset.addEventListener("click", function () {
      if (!window.confirm(format(labels.reset_progress_confirm, { programme: p.title }))) {
        return;
      }
      var state = read(id);
      state.done = {};
      write(id, state);
      refreshProgress();
      status.textContent = labels.progress_reset;
    });
    var journal = el("a", {
      class: "polku-button polku-button--link",
      href: new URL(data.journal, root).href,
      text: labels.open_journal,
    });
    panel.append(el("div", { class: "polku-actions" }, [reset, journal]), status);
    if (!store) {
      panel.append(el("p", { class: "polku-warning", text: labels.storage_unavailable }));
    }
  }

  function sessionProgress(block) {
    var ref = block.getAttribute("data-polku-session").split("/");
    var p = programme(ref[0]);
    var session = p && p.sessions.filter(function (s) { return s.id === ref[1]; })[0];
    if (!session) {
      return;
    }
    var line = progressLine(countDone(p.id, session.activities), session.activities.length);
    line.classList.add("polku-progress--session");
    var old = block.querySelector(":scope > .polku-progress--session");
    if (old) {
      old.replaceWith(line);
    } else if (session.activities.length) {
      var badges = block.querySelector(":scope > .polku-badges");
      (badges || block.firstElementChild).after(line);
    }
    markLinks(block, p.id);
  }

  var modulesByUrl = null;

  function moduleAt(url) {
    if (!modulesByUrl) {
      modulesByUrl = {};
      Object.keys(data.modules).forEach(function (moduleId) {
        modulesByUrl[siteUrl(data.modules[moduleId].url)] = moduleId;
      });
    }
    return Object.prototype.hasOwnProperty.call(modulesByUrl, url) ? modulesByUrl[url] : null;
  }

  /* Progress next to links to modules and activities (the agenda of a session). */
  function markLinks(container, namespace) {
    container.querySelectorAll("a[href]").forEach(function (link) {
      if (link.closest(".md-nav--secondary") || link.classList.contains("headerlink")) {
        return;
      }
      var target = new URL(link.getAttribute("href"), location.href);
      var moduleId = moduleAt(normalise(target.href));
      if (moduleId === null) {
        return;
      }
      var module = data.modules[moduleId];
      var ns = namespace || namespaceFor(moduleId);
      var match = /^#activity-(.+)$/.exec(target.hash);
      if (match) {
        var key = moduleId + "/" + decodeURIComponent(match[1]);
        if (module.activities.indexOf(key) >= 0) {
          badge(link, read(ns).done[key] ? 1 : 0, 1, true);
        }
      } else if (!target.hash && module.activities.length) {
        badge(link, countDone(ns, module.activities), module.activities.length);
      }
    });
  }

  function badge(link, done, total, single) {
    var mark = link.querySelector(".polku-count");
    if (!mark) {
      mark = el("span", { class: "polku-count" });
      link.append(mark);
    }
    var complete = total > 0 && done === total;
    mark.classList.toggle("polku-count--complete", complete);
    mark.classList.toggle("polku-count--single", Boolean(single));
    var visible = single ? (complete ? "✓" : "") : (complete ? "✓ " : "") + done + "/" + total;
    var spoken = single
      ? complete ? labels.done : ""
      : format(labels.progress_count, { done: done, total: total });
    mark.replaceChildren(
      el("span", { "aria-hidden": "true", text: visible }),
      el("span", { class: "polku-sr", text: spoken ? " (" + spoken + ")" : "" }),
    );
    mark.hidden = !visible;
  }

  /* The site navigation: each module and programme with its progress. */
  function navigationProgress() {
    document.querySelectorAll(".md-nav--primary a.md-nav__link[href]").forEach(function (link) {
      var page = normalise(link.href);
      data.programmes.forEach(function (p) {
        if (siteUrl(p.url) === page) {
          var keys = programmeKeys(p);
          if (keys.length) {
            badge(link, countDone(p.id, keys), keys.length);
          }
        }
      });
    });
    var primary = document.querySelector(".md-nav--primary");
    if (primary) {
      markLinks(primary, null);
    }
    // sessions in the table of contents of a programme page
    var panel = document.querySelector("[data-polku-programme]");
    var p = panel && programme(panel.getAttribute("data-polku-programme"));
    if (!p) {
      return;
    }
    p.sessions.forEach(function (session) {
      if (!session.activities.length) {
        return;
      }
      var selector = '.md-nav a.md-nav__link[href="#session-' + session.id + '"]';
      document.querySelectorAll(selector).forEach(function (link) {
        badge(link, countDone(p.id, session.activities), session.activities.length);
      });
    });
  }

  function refreshProgress() {
    document.querySelectorAll("[data-polku-module]").forEach(moduleProgress);
    document.querySelectorAll("[data-polku-programme]").forEach(programmePanel);
    document.querySelectorAll("[data-polku-session]").forEach(sessionProgress);
    document.querySelectorAll("[data-polku-module-index]").forEach(function (index) {
      markLinks(index, null);
    });
    navigationProgress();
  }

  // --- the journal page -----------------------------------------------------------------

  function journalSections() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-polku-journal]"));
  }

  function fillJournal() {
    journalSections().forEach(function (section) {
      var namespace = section.getAttribute("data-polku-journal");
      section.querySelectorAll("[data-polku-answer]").forEach(function (box) {
        var text = answer(namespace, box.getAttribute("data-polku-answer"));
        box.textContent = text || labels.no_answer;
        box.classList.toggle("polku-journal__answer--empty", !text);
      });
    });
  }

  function journalMarkdown() {
    var lines = ["# " + headingText(document.querySelector("article h1")) + " – " + data.site, ""];
    lines.push("*" + format(labels.exported, { date: new Date().toLocaleDateString(data.language) }) + "*", "");
    journalSections().forEach(function (section) {
      var namespace = section.getAttribute("data-polku-journal");
      section.querySelectorAll("h2, h3, h4, [data-polku-answer]").forEach(function (node) {
        if (node.hasAttribute("data-polku-answer")) {
          var entry = node.closest("li");
          var prompt = entry.querySelector(".polku-journal__prompt").textContent.trim();
          var number = Array.prototype.indexOf.call(entry.parentNode.children, entry) + 1;
          var text = answer(namespace, node.getAttribute("data-polku-answer"));
          lines.push("**" + number + ". " + prompt + "**", "");
          lines.push(text ? text.replace(/\r\n?/g, "\n").trim() : "_" + labels.no_answer + "_", "");
        } else {
          var level = Number(node.tagName.charAt(1));
          lines.push(new Array(level + 1).join("#") + " " + headingText(node), "");
        }
      });
    });
    return lines.join("\n");
  }

  function download(name, text) {
    var blob = new Blob([text], { type: "text/markdown;charset=utf-8" });
    var url = URL.createObjectURL(blob);
    var link = el("a", { href: url, download: name, hidden: "" });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(function () {
      URL.revokeObjectURL(url);
    }, 1000);
  }

  function setupJournalTools(tools) {
    if (tools.hasAttribute("data-polku-ready")) {
      return;
    }
    tools.setAttribute("data-polku-ready", "");
    var status = el("p", { class: "polku-status", role: "status" });
    var exportButton = el("button", {
      type: "button",
      class: "polku-button",
      text: labels.export_journal,
    });
    exportButton.addEventListener("click", function () {
      var day = new Date();
      var stamp = [
        day.getFullYear(),
        String(day.getMonth() + 1).padStart(2, "0"),
        String(day.getDate()).padStart(2, "0"),
      ].join("-");
      download(labels.journal_file + "-" + stamp + ".md", journalMarkdown());
    });
    var printButton = el("button", {
      type: "button",
      class: "polku-button",
      text: labels.print_journal,
    });
    printButton.addEventListener("click", function () {
      window.print();
    });
    var clearButton = el("button", {
      type: "button",
      class: "polku-button polku-button--danger",
      text: labels.clear_journal,
    });
    clearButton.addEventListener("click", function () {
      if (!window.confirm(labels.clear_journal_confirm)) {
        return;
      }
      journalSections().forEach(function (section) {
        var namespace = section.getAttribute("data-polku-journal");
        var state = read(namespace);
        state.journal = {};
        write(namespace, state);
      });
      fillJournal();
      status.textContent = labels.journal_cleared;
    });
    tools.append(
      el("div", { class: "polku-actions", role: "group", "aria-label": labels.journal_tools }, [
        exportButton,
        printButton,
        clearButton,
      ]),
      status,
    );
    if (!store) {
      tools.append(el("p", { class: "polku-warning", text: labels.storage_unavailable }));
    }
  }

  // --- Material's markup ----------------------------------------------------------------

  /* Material's search is a dialog without a name; name it after its search box. */
  function nameSearchDialog() {
    var dialog = document.querySelector('.md-search[role="dialog"]');
    if (!dialog || dialog.hasAttribute("aria-label") || dialog.hasAttribute("aria-labelledby")) {
      return;
    }
    var input = dialog.querySelector(".md-search__input");
    var name = input && (input.getAttribute("aria-label") || input.getAttribute("placeholder"));
    if (name) {
      dialog.setAttribute("aria-label", name);
    }
  }

  // --- start ----------------------------------------------------------------------------

  function init() {
    nameSearchDialog();
    document.querySelectorAll(".polku-activity[data-polku-activity]").forEach(setupActivity);
    document.querySelectorAll("li.polku-prompt[data-polku-prompt]").forEach(setupPrompt);
    document.querySelectorAll("ol.polku-prompts").forEach(setupPromptList);
    document.querySelectorAll("[data-polku-journal-tools]").forEach(setupJournalTools);
    fillJournal();
    refreshProgress();
  }

  // another tab changed the marks or answers: show them here too
  window.addEventListener("storage", function (event) {
    if (!event.key || event.key.indexOf(PREFIX) !== 0) {
      return;
    }
    document.querySelectorAll("[data-polku-activity] .polku-done__input").forEach(function (input) {
      var block = input.closest("[data-polku-activity]");
      var key = block.getAttribute("data-polku-activity");
      input.checked = Boolean(read(namespaceFor(key.split("/")[0])).done[key]);
      block.classList.toggle("polku-activity--done", input.checked);
    });
    document.querySelectorAll("li.polku-prompt[data-polku-prompt]").forEach(function (item) {
      var area = item.querySelector("textarea");
      if (area && document.activeElement !== area) {
        var key = item.getAttribute("data-polku-prompt");
        area.value = answer(namespaceFor(key.split("/")[0]), key);
      }
    });
    fillJournal();
    refreshProgress();
  });

  // Material's instant navigation swaps pages without loading this script again
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
