/* polku: the learner's own record, kept in this browser.
 *
 * Done marks and journal answers belong to the learner, not to a page: they are keyed
 * by module and activity ("module/activity", a prompt "module/activity/2"), so a module
 * that two programmes share has one set of answers, and a programme's progress is
 * counted from the marks of the activities it schedules. Everything is one entry of
 * localStorage per site; nothing leaves the browser except in a file the learner saves.
 *
 * Sites made before this kept one entry per programme ("polku:v1:<site>:<programme>");
 * the first visit moves those into the new entry once, losing nothing.
 *
 * The structure of the programmes and the interface labels come from polku-data.js.
 * This script defines window.polku for polku.js and polku-journal.js, and
 * window.polkuOnEveryPage for every polku script (it loads first).
 */
(function () {
  "use strict";

  // Run ``init`` on every page: Material's instant navigation swaps pages without
  // loading the scripts again, and tells its subscribers instead.
  window.polkuOnEveryPage = function (init) {
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(init);
    } else if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", init);
    } else {
      init();
    }
  };

  var data = window.polkuData;
  if (!data || !data.labels || data.format !== 2) {
    return;
  }
  var labels = data.labels;
  var KEY = "polku:v2:" + data.site;
  var OLD_PREFIX = "polku:v1:" + data.site + ":";
  var CHECKLISTS = OLD_PREFIX + "checklist:"; // polku-checklist.js
  var TRANSFER_FORMAT = "polku-journal";
  var TRANSFER_VERSION = 1;

  // --- storage --------------------------------------------------------------------------

  var memory = null; // the record when the browser stores nothing (kept for this page)
  var cached = null;
  var store = (function () {
    try {
      var s = window.localStorage;
      s.setItem(KEY + ":probe", "1");
      s.removeItem(KEY + ":probe");
      return s;
    } catch (e) {
      return null;
    }
  })();

  function empty() {
    return { version: 2, done: {}, answers: {}, programme: null };
  }

  function clean(record) {
    if (!record || typeof record !== "object") {
      record = empty();
    }
    if (!record.done || typeof record.done !== "object") {
      record.done = {};
    }
    if (!record.answers || typeof record.answers !== "object") {
      record.answers = {};
    }
    if (typeof record.programme !== "string") {
      record.programme = null;
    }
    record.version = 2;
    return record;
  }

  function readRaw() {
    if (store) {
      try {
        return store.getItem(KEY);
      } catch (e) {
        /* blocked: fall back to memory */
      }
    }
    return memory;
  }

  /* Write the record; true when the browser kept it. */
  function save(record) {
    var text = JSON.stringify(record);
    cached = record;
    memory = text;
    if (!store) {
      return false;
    }
    try {
      store.setItem(KEY, text);
      return store.getItem(KEY) === text;
    } catch (e) {
      return false; // full or blocked: kept in memory for this page
    }
  }

  function load() {
    if (cached) {
      return cached;
    }
    var record = null;
    try {
      record = JSON.parse(readRaw() || "null");
    } catch (e) {
      record = null;
    }
    cached = clean(record);
    return cached;
  }

  /* Another tab changed the record: read it again next time. */
  function forget() {
    cached = null;
  }

  function now() {
    return new Date().toISOString();
  }

  // --- the one-time move from the entries per programme ---------------------------------

  /* An answer from elsewhere into ``answers``: the newer text first, nothing dropped. */
  function mergeOldAnswer(answers, key, entry) {
    if (!entry || typeof entry.text !== "string" || !entry.text.trim()) {
      return;
    }
    var mine = answers[key];
    if (!mine || typeof mine.text !== "string" || !mine.text.trim()) {
      answers[key] = { text: entry.text, updated: entry.updated || now() };
      return;
    }
    if (mine.text.trim() === entry.text.trim()) {
      if ((entry.updated || "") > (mine.updated || "")) {
        mine.updated = entry.updated;
      }
      return;
    }
    var newer = (entry.updated || "") > (mine.updated || "") ? entry : mine;
    var older = newer === entry ? mine : entry;
    answers[key] = {
      text: newer.text.replace(/\s+$/, "") + "\n\n" + older.text.replace(/^\s+/, ""),
      updated: newer.updated || now(),
    };
  }

  function migrate() {
    if (!store) {
      return;
    }
    var old = [];
    try {
      for (var i = 0; i < store.length; i++) {
        var name = store.key(i);
        // the checklist pages' ticks share the old prefix and keep their own entries
        if (name && name.indexOf(OLD_PREFIX) === 0 && name.indexOf(CHECKLISTS) !== 0) {
          old.push(name);
        }
      }
    } catch (e) {
      return;
    }
    if (!old.length) {
      return;
    }
    var record = load();
    old.forEach(function (name) {
      var namespace = name.slice(OLD_PREFIX.length);
      if (namespace === "current-programme" || namespace === "probe") {
        return;
      }
      var entry = null;
      try {
        entry = JSON.parse(store.getItem(name) || "null");
      } catch (e) {
        entry = null;
      }
      if (!entry || typeof entry !== "object") {
        return;
      }
      Object.keys(entry.done || {}).forEach(function (key) {
        if (!record.done[key]) {
          record.done[key] = typeof entry.done[key] === "string" ? entry.done[key] : now();
        }
      });
      Object.keys(entry.journal || {}).forEach(function (key) {
        mergeOldAnswer(record.answers, key, entry.journal[key]);
      });
    });
    if (save(record)) {
      old.forEach(function (name) {
        store.removeItem(name);
      });
    }
  }

  // --- marks and answers ----------------------------------------------------------------

  function isDone(key) {
    return Boolean(load().done[key]);
  }

  function setDone(key, done) {
    var record = load();
    if (done) {
      record.done[key] = now();
    } else {
      delete record.done[key];
    }
    save(record);
  }

  function answer(key) {
    var entry = load().answers[key];
    return entry && typeof entry.text === "string" ? entry.text : "";
  }

  function setAnswer(key, text) {
    var record = load();
    if (text.trim()) {
      record.answers[key] = { text: text, updated: now() };
    } else {
      delete record.answers[key];
    }
    save(record);
  }

  function resetDone(keys) {
    var record = load();
    keys.forEach(function (key) {
      delete record.done[key];
    });
    save(record);
  }

  function clearAnswers() {
    var record = load();
    record.answers = {};
    save(record);
  }

  // --- the structure of the site --------------------------------------------------------

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

  function countDone(keys) {
    var done = load().done;
    return keys.filter(function (key) {
      return done[key];
    }).length;
  }

  function activityTitle(key) {
    var parts = key.split("/");
    var module = data.modules[parts[0]];
    var index = module ? module.activities.indexOf(key) : -1;
    return index >= 0 ? module.titles[index] : key;
  }

  /* Whether ``key`` (an activity or a prompt) is something this site has. */
  function known(key, isPrompt) {
    var parts = key.split("/");
    var module = data.modules[parts[0]];
    if (!module || parts.length !== (isPrompt ? 3 : 2)) {
      return false;
    }
    var index = module.activities.indexOf(parts[0] + "/" + parts[1]);
    if (index < 0) {
      return false;
    }
    if (!isPrompt) {
      return true;
    }
    var number = Number(parts[2]);
    return number >= 1 && number <= module.prompts[index] && String(number) === parts[2];
  }

  /* The programme the learner follows: the one they chose, or where they have done most. */
  function ownProgramme() {
    var record = load();
    if (record.programme && programme(record.programme)) {
      return programme(record.programme);
    }
    var best = null;
    var most = 0;
    data.programmes.forEach(function (p) {
      var keys = programmeKeys(p);
      var count = countDone(keys);
      Object.keys(record.answers).forEach(function (key) {
        if (keys.indexOf(key.split("/").slice(0, 2).join("/")) >= 0) {
          count++;
        }
      });
      if (count > most) {
        best = p;
        most = count;
      }
    });
    return best;
  }

  function chooseProgramme(id) {
    var record = load();
    if (record.programme !== id) {
      record.programme = id;
      save(record);
    }
  }

  /* The first activity of ``p`` not marked done, in the programme's order. */
  function nextStep(p) {
    var done = load().done;
    for (var i = 0; i < p.sessions.length; i++) {
      var session = p.sessions[i];
      for (var j = 0; j < session.activities.length; j++) {
        var key = session.activities[j];
        if (!done[key]) {
          return {
            programme: p,
            session: session,
            key: key,
            title: activityTitle(key),
            url: session.url + "#" + session.anchors[key],
          };
        }
      }
    }
    return null;
  }

  // --- the transfer file ----------------------------------------------------------------

  function transferData() {
    var record = load();
    return {
      format: TRANSFER_FORMAT,
      version: TRANSFER_VERSION,
      site: data.site,
      exported: now(),
      programme: record.programme,
      done: record.done,
      answers: record.answers,
    };
  }

  /* Merge a transfer file into the record by module and activity; what changed.
   * Throws "invalid" or "too-new" and changes nothing when the file is not one. */
  function importTransfer(text) {
    var file;
    try {
      file = JSON.parse(text);
    } catch (e) {
      throw new Error("invalid");
    }
    if (!file || typeof file !== "object" || file.format !== TRANSFER_FORMAT) {
      throw new Error("invalid");
    }
    if (typeof file.version !== "number" || file.version > TRANSFER_VERSION) {
      throw new Error(typeof file.version === "number" ? "too-new" : "invalid");
    }
    var done = file.done && typeof file.done === "object" ? file.done : {};
    var answers = file.answers && typeof file.answers === "object" ? file.answers : {};
    var record = load();
    var report = { added: 0, updated: 0, kept: 0, done: 0, unknown: 0 };
    Object.keys(done).forEach(function (key) {
      if (!known(key, false)) {
        report.unknown++;
      } else if (done[key] && !record.done[key]) {
        record.done[key] = typeof done[key] === "string" ? done[key] : now();
        report.done++;
      }
    });
    Object.keys(answers).forEach(function (key) {
      var entry = answers[key];
      if (!entry || typeof entry.text !== "string" || !entry.text.trim()) {
        return;
      }
      if (!known(key, true)) {
        report.unknown++;
        return;
      }
      var mine = record.answers[key];
      var updated = typeof entry.updated === "string" ? entry.updated : "";
      if (!mine || !mine.text) {
        record.answers[key] = { text: entry.text, updated: updated || now() };
        report.added++;
      } else if (mine.text !== entry.text) {
        if (updated > (mine.updated || "")) {
          record.answers[key] = { text: entry.text, updated: updated };
          report.updated++;
        } else {
          report.kept++;
        }
      }
    });
    if (!record.programme && typeof file.programme === "string" && programme(file.programme)) {
      record.programme = file.programme;
    }
    save(record);
    return report;
  }

  // --- text -----------------------------------------------------------------------------

  var rules = null;
  try {
    rules = new Intl.PluralRules(data.language);
  } catch (e) {
    rules = null;
  }

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : match;
    });
  }

  /* A label with a form per plural category, for the number ``count``. */
  function plural(label, count, values) {
    var category = rules ? rules.select(count) : count === 1 ? "one" : "other";
    var template = label[category] || label.other;
    var all = { n: count };
    Object.keys(values || {}).forEach(function (name) {
      all[name] = values[name];
    });
    return format(template, all);
  }

  migrate();

  window.polku = {
    data: data,
    labels: labels,
    stored: Boolean(store),
    key: KEY,
    load: load,
    forget: forget,
    isDone: isDone,
    setDone: setDone,
    answer: answer,
    setAnswer: setAnswer,
    resetDone: resetDone,
    clearAnswers: clearAnswers,
    programme: programme,
    programmeKeys: programmeKeys,
    countDone: countDone,
    activityTitle: activityTitle,
    ownProgramme: ownProgramme,
    chooseProgramme: chooseProgramme,
    nextStep: nextStep,
    transferData: transferData,
    importTransfer: importTransfer,
    format: format,
    plural: plural,
  };
})();
