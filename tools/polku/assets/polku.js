/* polku: progress marks, answers, "continue" and other learner helpers on the pages.
 *
 * The learner's record is kept by polku-store.js (window.polku), in this browser only.
 * The page HTML holds no form controls (it is sanitised); this script adds them.
 */
(function () {
  "use strict";

  var polku = window.polku;
  var script = document.currentScript;
  if (!polku || !script) {
    return;
  }
  var data = polku.data;
  var labels = polku.labels;
  // this script is <site>/assets/polku/polku.js
  var root = new URL("../../", script.src);

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
    return new URL(path, root).href;
  }

  function progressText(done, total) {
    return polku.plural(labels.progress_count, total, { done: done, total: total });
  }

  /* "1 / 3 activities done" with a bar that shows the same. */
  function progressLine(done, total) {
    var percent = total ? Math.round((100 * done) / total) : 0;
    var bar = el("span", { class: "polku-progress__bar", "aria-hidden": "true" }, [
      el("span", { class: "polku-progress__fill", style: "width: " + percent + "%" }),
    ]);
    var line = el("p", { class: "polku-progress" }, [
      el("span", { class: "polku-progress__text", text: progressText(done, total) }),
      bar,
    ]);
    if (total && done === total) {
      line.classList.add("polku-progress--complete");
    }
    return line;
  }

  function progressTitle() {
    return el("p", { class: "polku-progress__title", text: labels.progress_title });
  }

  /* Fill the part of a panel that polku.js owns, keeping the controls made once. */
  function fillSlot(panel, children) {
    var slot = panel.querySelector(":scope > .polku-progress-slot");
    if (!slot) {
      slot = el("div", { class: "polku-progress-slot" });
      panel.prepend(slot);
    }
    slot.replaceChildren.apply(slot, children);
  }

  // --- activities: done marks -----------------------------------------------------------

  function setupActivity(block) {
    if (block.hasAttribute("data-polku-ready")) {
      return;
    }
    block.setAttribute("data-polku-ready", "");
    var key = block.getAttribute("data-polku-activity");
    var title = headingText(document.getElementById(block.getAttribute("data-polku-heading")));
    var id = "polku-done-" + slug(key);
    // named after its activity: a page has many of these (the name starts as the label)
    var input = el("input", {
      type: "checkbox",
      id: id,
      class: "polku-done__input",
      "aria-label": title ? labels.mark_done + ": " + title : labels.mark_done,
    });
    input.checked = polku.isDone(key);
    var label = el("label", { for: id, class: "polku-done__label", text: labels.mark_done });
    block.classList.toggle("polku-activity--done", input.checked);
    input.addEventListener("change", function () {
      polku.setDone(key, input.checked);
      block.classList.toggle("polku-activity--done", input.checked);
      refreshProgress();
    });
    block.append(el("div", { class: "polku-done polku-no-print" }, [input, label]));
  }

  // --- activities: answers --------------------------------------------------------------

  function setupPrompt(item) {
    if (item.hasAttribute("data-polku-ready")) {
      return;
    }
    item.setAttribute("data-polku-ready", "");
    var key = item.getAttribute("data-polku-prompt");
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
    area.value = polku.answer(key);
    var status = el("span", {
      id: id + "-status",
      class: "polku-answer-status",
      "aria-live": "polite",
    });
    // the textarea prints badly (clipped, scrollbars): print a copy of the text instead
    var copy = el("div", { class: "polku-answer-print", "aria-hidden": "true", text: area.value });
    area.addEventListener("input", function () {
      polku.setAnswer(key, area.value);
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
      el("a", { href: siteUrl(data.journal), text: labels.open_journal }),
    ]);
    list.after(hint);
  }

  // --- "continue": the first unfinished activity ----------------------------------------

  /* A link to the first activity of ``p`` not yet done, or a line saying all are done. */
  function continueBlock(p, showProgramme) {
    var keys = polku.programmeKeys(p);
    if (!keys.length) {
      return null;
    }
    var step = polku.nextStep(p);
    if (!step) {
      return el("p", { class: "polku-continue__done", text: labels.all_done });
    }
    var started = polku.countDone(keys) > 0;
    var link = el("a", {
      class: "polku-button polku-button--primary polku-continue__link",
      href: siteUrl(step.url),
      text: polku.format(started ? labels.continue : labels.start, { title: step.title }),
    });
    link.addEventListener("click", function () {
      polku.chooseProgramme(p.id); // following a programme's path makes it the learner's own
    });
    var where = polku.format(labels.continue_where, {
      programme: p.title,
      session: step.session.title,
    });
    var children = [link];
    if (showProgramme) {
      children.push(el("span", { class: "polku-continue__where", text: where }));
    } else {
      children.push(el("span", { class: "polku-continue__where", text: step.session.title }));
    }
    return el("p", { class: "polku-actions polku-continue__line" }, children);
  }

  /* The home page: continue in the learner's own programme, when they have one. */
  function homeContinue(box) {
    var p = polku.ownProgramme();
    var block = p && continueBlock(p, true);
    if (!block) {
      box.replaceChildren();
      return;
    }
    var keys = polku.programmeKeys(p);
    box.replaceChildren(progressTitle(), block, progressLine(polku.countDone(keys), keys.length));
  }

  // --- progress summaries -----------------------------------------------------------------

  function moduleProgress(panel) {
    var module = data.modules[panel.getAttribute("data-polku-module")];
    if (!module) {
      return;
    }
    fillSlot(panel, [
      progressTitle(),
      progressLine(polku.countDone(module.activities), module.activities.length),
    ]);
  }

  function findSession(ref) {
    var parts = ref.split("/");
    var p = polku.programme(parts[0]);
    var session =
      p &&
      p.sessions.filter(function (s) {
        return s.id === parts[1];
      })[0];
    return session ? { programme: p, session: session } : null;
  }

  function sessionPageProgress(panel) {
    var found = findSession(panel.getAttribute("data-polku-session-page"));
    if (!found) {
      return;
    }
    var keys = found.session.activities;
    fillSlot(panel, [progressTitle(), progressLine(polku.countDone(keys), keys.length)]);
  }

  function programmePanel(panel) {
    var p = polku.programme(panel.getAttribute("data-polku-programme"));
    if (!p) {
      return;
    }
    var keys = polku.programmeKeys(p);
    var children = [progressTitle(), progressLine(polku.countDone(keys), keys.length)];
    var block = continueBlock(p, false);
    if (block) {
      children.push(block);
    }
    if (!panel.hasAttribute("data-polku-ready")) {
      panel.setAttribute("data-polku-ready", "");
      // the link to the first session is for browsers without this script
      panel.querySelectorAll(":scope > .polku-actions").forEach(function (node) {
        node.remove();
      });
      var status = el("p", { class: "polku-status", role: "status" });
      var journal = el("a", {
        class: "polku-button polku-button--link",
        href: siteUrl(data.journal),
        text: labels.open_journal,
      });
      var reset = el("button", {
        type: "button",
        class: "polku-button polku-button--quiet",
        text: labels.reset_progress,
      });
      reset.addEventListener("click", function () {
        if (!window.confirm(polku.format(labels.reset_progress_confirm, { programme: p.title }))) {
          return;
        }
        polku.resetDone(keys);
        refreshProgress();
        status.textContent = labels.progress_reset;
      });
      panel.append(el("div", { class: "polku-actions polku-actions--end" }, [journal, reset]), status);
      if (!polku.stored) {
        panel.append(el("p", { class: "polku-warning", text: labels.storage_unavailable }));
      }
    }
    fillSlot(panel, children);
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
    var spoken = single ? (complete ? labels.done : "") : progressText(done, total);
    mark.replaceChildren(
      el("span", { "aria-hidden": "true", text: visible }),
      el("span", { class: "polku-sr", text: spoken ? " (" + spoken + ")" : "" }),
    );
    mark.hidden = !visible;
  }

  /* Sessions of a programme's overview: a count next to each title. */
  function sessionLine(item) {
    var found = findSession(item.getAttribute("data-polku-session"));
    var link = item.querySelector("a");
    var keys = found ? found.session.activities : [];
    if (link && keys.length) {
      badge(link, polku.countDone(keys), keys.length);
    }
  }

  var pagesByUrl = null;

  /* Site URL -> what the page is: a module, a programme or a session, with its activities. */
  function pageAt(url) {
    if (!pagesByUrl) {
      pagesByUrl = {};
      Object.keys(data.modules).forEach(function (id) {
        var module = data.modules[id];
        pagesByUrl[normalise(siteUrl(module.url))] = { module: id, keys: module.activities };
      });
      data.programmes.forEach(function (p) {
        pagesByUrl[normalise(siteUrl(p.url))] = { keys: polku.programmeKeys(p) };
        p.sessions.forEach(function (session) {
          pagesByUrl[normalise(siteUrl(session.url))] = { keys: session.activities };
        });
      });
    }
    return Object.prototype.hasOwnProperty.call(pagesByUrl, url) ? pagesByUrl[url] : null;
  }

  /* Progress next to links to modules, activities, programmes and sessions. */
  function markLinks(container) {
    container.querySelectorAll("a[href]").forEach(function (link) {
      if (link.closest(".md-nav--secondary, .polku-pager") || link.classList.contains("headerlink")) {
        return;
      }
      var target = new URL(link.getAttribute("href"), location.href);
      var found = pageAt(normalise(target.href));
      if (!found || !found.keys.length) {
        return;
      }
      var match = /^#activity-(.+)$/.exec(target.hash);
      if (match && found.module) {
        var key = found.module + "/" + decodeURIComponent(match[1]);
        if (found.keys.indexOf(key) >= 0) {
          badge(link, polku.isDone(key) ? 1 : 0, 1, true);
        }
      } else if (!target.hash) {
        badge(link, polku.countDone(found.keys), found.keys.length);
      }
    });
  }

  function refreshProgress() {
    document.querySelectorAll("[data-polku-module]").forEach(moduleProgress);
    document.querySelectorAll("[data-polku-programme]").forEach(programmePanel);
    document.querySelectorAll("[data-polku-session-page]").forEach(sessionPageProgress);
    document.querySelectorAll("[data-polku-session]").forEach(sessionLine);
    document.querySelectorAll("[data-polku-continue]").forEach(homeContinue);
    document.querySelectorAll("[data-polku-module-index]").forEach(markLinks);
    document.querySelectorAll(".md-nav--primary, .polku-read").forEach(markLinks);
  }

  // --- small page tools -------------------------------------------------------------------

  function setupPrint(slot) {
    if (slot.hasAttribute("data-polku-ready")) {
      return;
    }
    slot.setAttribute("data-polku-ready", "");
    var button = el("button", { type: "button", class: "polku-button", text: labels.print_page });
    button.addEventListener("click", function () {
      window.print();
    });
    slot.append(button);
  }

  /* A heading's permalink ("¶") is named after the heading it links to. */
  function namePermalinks() {
    document.querySelectorAll("article a.headerlink:not([aria-label])").forEach(function (link) {
      var title = headingText(link.parentElement);
      if (title) {
        link.setAttribute("aria-label", polku.format(labels.permalink_to, { title: title }));
      }
    });
  }

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

  // --- start ------------------------------------------------------------------------------

  function init() {
    nameSearchDialog();
    namePermalinks();
    document.querySelectorAll(".polku-activity[data-polku-activity]").forEach(setupActivity);
    document.querySelectorAll("li.polku-prompt[data-polku-prompt]").forEach(setupPrompt);
    document.querySelectorAll("ol.polku-prompts").forEach(setupPromptList);
    document.querySelectorAll("[data-polku-print]").forEach(setupPrint);
    refreshProgress();
  }

  // another tab changed the marks or answers: show them here too
  window.addEventListener("storage", function (event) {
    if (event.key !== null && event.key !== polku.key) {
      return;
    }
    polku.forget();
    document.querySelectorAll("[data-polku-activity] .polku-done__input").forEach(function (input) {
      var block = input.closest("[data-polku-activity]");
      input.checked = polku.isDone(block.getAttribute("data-polku-activity"));
      block.classList.toggle("polku-activity--done", input.checked);
    });
    document.querySelectorAll("li.polku-prompt[data-polku-prompt]").forEach(function (item) {
      var area = item.querySelector("textarea");
      if (area && document.activeElement !== area) {
        area.value = polku.answer(item.getAttribute("data-polku-prompt"));
      }
    });
    refreshProgress();
    document.dispatchEvent(new CustomEvent("polku:changed"));
  });

  polku.refreshProgress = refreshProgress;
  polku.el = el;
  polku.headingText = headingText;
  polku.siteUrl = siteUrl;

  window.polkuOnEveryPage(init);
})();
