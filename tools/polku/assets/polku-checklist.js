/* polku: tick boxes of the checklist pages that remember what is done.
 *
 * A checklist page (programmes/<programme>/checklists/<role>/) has a tick box for
 * each task in each run (the programme's own dates and each cohort). The page HTML
 * holds empty boxes that print as they are; this script turns them into check boxes
 * and keeps the ticks in localStorage, one entry per programme and run, beside the
 * learner's progress. Nothing leaves the browser. A checked box prints as ticked.
 */
(function () {
  "use strict";

  var data = window.polkuData || {};
  // the ticks' own format, independent of the learner's record (polku-store.js leaves
  // these entries alone when it moves the record to a new format)
  var PREFIX = "polku:v1:" + (data.site || "") + ":checklist:";

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

  function read(name) {
    var raw = null;
    if (store) {
      try {
        raw = store.getItem(PREFIX + name);
      } catch (e) {
        raw = null;
      }
    } else if (Object.prototype.hasOwnProperty.call(memory, name)) {
      raw = memory[name];
    }
    var state = null;
    try {
      state = JSON.parse(raw || "null");
    } catch (e) {
      state = null;
    }
    if (!state || typeof state !== "object" || !state.done || typeof state.done !== "object") {
      state = { done: {} };
    }
    return state;
  }

  function write(name, state) {
    var text = JSON.stringify(state);
    memory[name] = text;
    if (store) {
      try {
        if (Object.keys(state.done).length) {
          store.setItem(PREFIX + name, text);
        } else {
          store.removeItem(PREFIX + name);
        }
      } catch (e) {
        /* full or blocked: kept in memory for this page */
      }
    }
  }

  // --- the page -------------------------------------------------------------------------

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : whole;
    });
  }

  function text(node) {
    return (node ? node.textContent : "").replace(/\s+/g, " ").trim();
  }

  /* "<programme>/<run>": the storage entry of one run's ticks on this checklist */
  function entryOf(list, tick) {
    var programme = list.getAttribute("data-polku-checklist").split("/")[0];
    var run = tick.getAttribute("data-polku-tick").split("/")[0];
    return programme + "/" + run;
  }

  function taskOf(tick) {
    var key = tick.getAttribute("data-polku-tick");
    return key.slice(key.indexOf("/") + 1);
  }

  function boxes(list) {
    return list.querySelectorAll(".polku-tick[data-polku-tick] input[type=checkbox]");
  }

  function refresh(list) {
    boxes(list).forEach(function (box) {
      var tick = box.parentNode;
      box.checked = Boolean(read(entryOf(list, tick)).done[taskOf(tick)]);
      tick.closest("td").classList.toggle("polku-ticked", box.checked);
    });
  }

  function setupList(list) {
    if (list.getAttribute("data-polku-ready")) {
      return;
    }
    list.setAttribute("data-polku-ready", "1");
    var status = document.createElement("p");
    status.className = "polku-checklist__status polku-no-print";
    status.setAttribute("role", "status");
    list.querySelectorAll(".polku-tick[data-polku-tick]").forEach(function (tick) {
      var cell = tick.closest("td");
      var row = tick.closest("tr");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.setAttribute(
        "aria-label",
        fill(list.getAttribute("data-polku-tick-label") || "{task}", {
          task: text(row && row.cells[0]),
          run: tick.getAttribute("data-polku-run") || "",
          date: text(cell).trim(),
        }).replace(/,\s*\)/, ")")
      );
      box.addEventListener("change", function () {
        var entry = entryOf(list, tick);
        var state = read(entry);
        if (box.checked) {
          state.done[taskOf(tick)] = new Date().toISOString();
        } else {
          delete state.done[taskOf(tick)];
        }
        write(entry, state);
        cell.classList.toggle("polku-ticked", box.checked);
        status.textContent = store
          ? list.getAttribute("data-polku-saved")
          : list.getAttribute("data-polku-unsaved");
      });
      tick.classList.add("polku-tick--live");
      tick.appendChild(box);
    });
    var tools = document.createElement("div");
    tools.className = "polku-checklist__tools polku-no-print";
    var clear = document.createElement("button");
    clear.type = "button";
    clear.className = "md-button polku-button";
    clear.textContent = list.getAttribute("data-polku-clear");
    clear.addEventListener("click", function () {
      if (!window.confirm(list.getAttribute("data-polku-clear-confirm"))) {
        return;
      }
      var seen = {};
      list.querySelectorAll(".polku-tick[data-polku-tick]").forEach(function (tick) {
        var entry = entryOf(list, tick);
        if (!seen[entry]) {
          seen[entry] = true;
          var state = read(entry);
          // only this checklist's tasks: other roles' ticks of the same run stay
          list.querySelectorAll(".polku-tick[data-polku-tick]").forEach(function (other) {
            if (entryOf(list, other) === entry) {
              delete state.done[taskOf(other)];
            }
          });
          write(entry, state);
        }
      });
      refresh(list);
      status.textContent = list.getAttribute("data-polku-cleared");
    });
    tools.appendChild(clear);
    tools.appendChild(status);
    list.parentNode.insertBefore(tools, list.nextSibling);
    if (!store) {
      status.textContent = list.getAttribute("data-polku-unsaved");
    }
    refresh(list);
  }

  function init() {
    document.querySelectorAll(".polku-checklist[data-polku-checklist]").forEach(setupList);
  }

  // another tab ticked a task: show it here too
  window.addEventListener("storage", function (event) {
    if (event.key && event.key.indexOf(PREFIX) === 0) {
      document.querySelectorAll(".polku-checklist[data-polku-ready]").forEach(refresh);
    }
  });

  window.polkuOnEveryPage(init);
})();
