/* polku: the journal page — the learner's answers gathered, shown by programme, saved
 * as a readable copy or printed, and carried to another device in a transfer file.
 *
 * The page lists every prompt of every programme; this script fills in the answers and
 * by default shows only the learner's own programme and only what they have answered.
 * The transfer file (JSON with a format and a version) holds every answer and done
 * mark; importing it merges by module and activity and says what changed.
 */
(function () {
  "use strict";

  var polku = window.polku;
  if (!polku || !polku.el) {
    return;
  }
  var data = polku.data;
  var labels = polku.labels;
  var el = polku.el;
  var ALL = "*";
  var MAX_FILE = 5 * 1024 * 1024;

  function sections() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-polku-journal]"));
  }

  function fill() {
    document.querySelectorAll("[data-polku-answer]").forEach(function (box) {
      var text = polku.answer(box.getAttribute("data-polku-answer"));
      box.textContent = text || labels.no_answer;
      box.classList.toggle("polku-journal__answer--empty", !text);
    });
  }

  // --- what is shown --------------------------------------------------------------------

  var view = { programme: ALL, unanswered: false };

  /* Show the chosen programme's prompts (and the modules of no programme), answered ones
   * unless asked for all; the same goes for print and the readable copy. */
  function apply() {
    var shown = 0;
    sections().forEach(function (section) {
      var namespace = section.getAttribute("data-polku-journal");
      var chosen = view.programme === ALL || namespace === view.programme || namespace === "_";
      var any = false;
      section.querySelectorAll(".polku-journal__module").forEach(function (module) {
        var anyInModule = false;
        module.querySelectorAll(".polku-journal__activity").forEach(function (activity) {
          var anyInActivity = false;
          activity.querySelectorAll(".polku-journal__entry").forEach(function (entry) {
            var box = entry.querySelector("[data-polku-answer]");
            var answered = Boolean(polku.answer(box.getAttribute("data-polku-answer")));
            var show = chosen && (view.unanswered || answered);
            entry.hidden = !show;
            anyInActivity = anyInActivity || show;
          });
          activity.hidden = !anyInActivity;
          anyInModule = anyInModule || anyInActivity;
        });
        module.hidden = !anyInModule;
        any = any || anyInModule;
      });
      section.hidden = !any;
      shown += any ? 1 : 0;
    });
    var nothing = document.querySelector(".polku-journal-nothing");
    if (nothing) {
      nothing.hidden = shown > 0;
    }
    // the page's table of contents lists only what is shown
    document.querySelectorAll(".md-nav--secondary a.md-nav__link[href^='#']").forEach(function (link) {
      var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
      var item = link.closest("li");
      if (target && item) {
        item.hidden = Boolean(target.closest("[hidden]"));
      }
    });
  }

  // --- the readable copy ----------------------------------------------------------------

  function markdown() {
    var title = polku.headingText(document.querySelector("article h1"));
    var lines = ["# " + title + " – " + data.site, ""];
    var day = new Date().toLocaleDateString(data.language);
    lines.push("*" + polku.format(labels.exported, { date: day }) + "*", "");
    sections().forEach(function (section) {
      if (section.hidden) {
        return;
      }
      section.querySelectorAll("h2, h3, h4, [data-polku-answer]").forEach(function (node) {
        if (node.closest("[hidden]")) {
          return;
        }
        if (node.hasAttribute("data-polku-answer")) {
          var entry = node.closest("li");
          var prompt = entry.querySelector(".polku-journal__prompt").textContent.trim();
          var number = entry.getAttribute("value");
          var text = polku.answer(node.getAttribute("data-polku-answer"));
          lines.push("**" + number + ". " + prompt + "**", "");
          lines.push(text ? text.replace(/\r\n?/g, "\n").trim() : "_" + labels.no_answer + "_", "");
        } else {
          var level = Number(node.tagName.charAt(1));
          lines.push(new Array(level + 1).join("#") + " " + polku.headingText(node), "");
        }
      });
    });
    return lines.join("\n");
  }

  function stamp() {
    var day = new Date();
    return [
      day.getFullYear(),
      String(day.getMonth() + 1).padStart(2, "0"),
      String(day.getDate()).padStart(2, "0"),
    ].join("-");
  }

  function download(name, text, type) {
    var blob = new Blob([text], { type: type + ";charset=utf-8" });
    var url = URL.createObjectURL(blob);
    var link = el("a", { href: url, download: name, hidden: "" });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(function () {
      URL.revokeObjectURL(url);
    }, 1000);
  }

  // --- import ---------------------------------------------------------------------------

  function importReport(name, report) {
    var parts = [];
    [
      ["added", labels.import_added],
      ["updated", labels.import_updated],
      ["done", labels.import_done],
      ["kept", labels.import_kept],
      ["unknown", labels.import_unknown],
    ].forEach(function (pair) {
      if (report[pair[0]]) {
        parts.push(polku.plural(pair[1], report[pair[0]]));
      }
    });
    if (!parts.length) {
      return polku.format(labels.imported_nothing, { file: name });
    }
    return polku.format(labels.imported, { file: name, changes: parts.join(", ") });
  }

  function importFile(file, status) {
    if (file.size > MAX_FILE) {
      status.textContent = polku.format(labels.import_invalid, { file: file.name });
      return Promise.resolve();
    }
    return file.text().then(
      function (text) {
        try {
          var report = polku.importTransfer(text);
          status.textContent = importReport(file.name, report);
        } catch (error) {
          var label = error.message === "too-new" ? labels.import_too_new : labels.import_invalid;
          status.textContent = polku.format(label, { file: file.name });
          return;
        }
        document.dispatchEvent(new CustomEvent("polku:changed"));
        polku.refreshProgress();
      },
      function () {
        status.textContent = polku.format(labels.import_invalid, { file: file.name });
      },
    );
  }

  // --- the controls ---------------------------------------------------------------------

  function button(text, extra) {
    return el("button", { type: "button", class: "polku-button" + (extra || ""), text: text });
  }

  function setup(tools) {
    if (tools.hasAttribute("data-polku-ready")) {
      return;
    }
    tools.setAttribute("data-polku-ready", "");
    var status = el("p", { class: "polku-status", role: "status" });

    // what to show: a programme (the learner's own by default) or all, answered or all
    var own = polku.ownProgramme();
    view.programme = own ? own.id : ALL;
    var select = el("select", { id: "polku-journal-programme", class: "polku-select" });
    data.programmes.forEach(function (p) {
      select.append(el("option", { value: p.id, text: p.title }));
    });
    select.append(el("option", { value: ALL, text: labels.journal_all }));
    select.value = view.programme;
    select.addEventListener("change", function () {
      view.programme = select.value;
      if (select.value !== ALL) {
        polku.chooseProgramme(select.value);
      }
      apply();
    });
    var unanswered = el("input", { type: "checkbox", id: "polku-journal-unanswered" });
    unanswered.addEventListener("change", function () {
      view.unanswered = unanswered.checked;
      apply();
    });
    var show = el("fieldset", { class: "polku-fieldset" }, [
      el("legend", { text: labels.journal_show }),
      el("p", { class: "polku-field" }, [
        el("label", { for: select.id, text: labels.journal_programme }),
        select,
      ]),
      el("p", { class: "polku-field polku-field--check" }, [
        unanswered,
        el("label", { for: unanswered.id, text: labels.journal_unanswered }),
      ]),
    ]);

    // a readable copy: Markdown or print, of what is shown
    var exportButton = button(labels.export_journal);
    exportButton.addEventListener("click", function () {
      download(labels.journal_file + "-" + stamp() + ".md", markdown(), "text/markdown");
    });
    var printButton = button(labels.print_journal);
    printButton.addEventListener("click", function () {
      window.print();
    });
    var copy = el("div", { class: "polku-actions", role: "group", "aria-label": labels.journal_copy }, [
      exportButton,
      printButton,
    ]);

    // to another device: the transfer file, and importing one
    var saveButton = button(labels.export_file);
    saveButton.addEventListener("click", function () {
      var text = JSON.stringify(polku.transferData(), null, 1);
      download(labels.transfer_file + "-" + stamp() + ".json", text, "application/json");
    });
    var input = el("input", {
      type: "file",
      id: "polku-journal-import",
      class: "polku-file",
      accept: ".json,application/json",
    });
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (file) {
        importFile(file, status).then(function () {
          input.value = "";
        });
      }
    });
    var transfer = el("fieldset", { class: "polku-fieldset" }, [
      el("legend", { text: labels.transfer }),
      el("p", { class: "polku-hint", text: labels.transfer_hint }),
      el("p", { class: "polku-actions" }, [saveButton]),
      el("p", { class: "polku-field" }, [
        el("label", { for: input.id, text: labels.import_file }),
        input,
      ]),
    ]);

    var clearButton = button(labels.clear_journal, " polku-button--danger");
    clearButton.addEventListener("click", function () {
      if (!window.confirm(labels.clear_journal_confirm)) {
        return;
      }
      polku.clearAnswers();
      fill();
      apply();
      status.textContent = labels.journal_cleared;
    });

    tools.append(
      show,
      copy,
      transfer,
      el("div", { class: "polku-actions", role: "group", "aria-label": labels.journal_tools }, [
        clearButton,
      ]),
      status,
    );
    if (!polku.stored) {
      tools.append(el("p", { class: "polku-warning", text: labels.storage_unavailable }));
    }
    tools.after(el("p", { class: "polku-journal-nothing", text: labels.journal_nothing, hidden: "" }));
  }

  function init() {
    var tools = document.querySelector("[data-polku-journal-tools]");
    if (!tools) {
      return;
    }
    setup(tools);
    fill();
    apply();
  }

  document.addEventListener("polku:changed", function () {
    if (document.querySelector("[data-polku-journal-tools]")) {
      fill();
      apply();
    }
  });

  window.polkuOnEveryPage(init);
})();
