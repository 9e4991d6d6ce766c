/* polku: Material for MkDocs' search worker, finding inflected words through their stem.
 *
 * Material matches every search word as a prefix ("valmentajan" -> "valmentajan*") and
 * never stems it, so "valmentajasta" does not find a page that says "valmentaja". This
 * worker loads Material's own worker (__MATERIAL_WORKER__, next to this file) and
 * then, for each word, searches the stem as the prefix instead when the stem of the
 * site's language is a shorter prefix of the word: "valmentajasta" -> "valmentaj*".
 * Works as a web worker and inside the iframe-worker shim (sites opened from file://).
 */
(function () {
  "use strict";

  var here =
    typeof document !== "undefined" && document.currentScript
      ? document.currentScript.src
      : self.location.href;
  var languages = [];

  // Material's setup message carries the search languages
  addEventListener("message", function (event) {
    var message = event.data;
    if (message && message.data && message.data.config && message.data.config.lang) {
      languages = message.data.config.lang;
    }
  });

  function stemmers(lunr) {
    return languages
      .map(function (language) {
        var module = language === "en" ? lunr : lunr[language];
        return module && typeof module.stemmer === "function" ? module.stemmer : null;
      })
      .filter(Boolean);
  }

  // lunr's own English stemmer takes only a lunr.Token (it calls token.update); the
  // stemmers of lunr-languages take a token or a string. A token suits them all.
  function stemOf(lunr, stemmer, word) {
    var stemmed = stemmer(new lunr.Token(word, {}));
    return stemmed instanceof lunr.Token ? stemmed.toString() : String(stemmed);
  }

  function stemPrefix(lunr, term) {
    var match = /^([^*~^:+-][^*~^:]*)\*$/.exec(term);
    if (!match) {
      return term;
    }
    var word = match[1].toLowerCase();
    var found = stemmers(lunr);
    for (var i = 0; i < found.length; i++) {
      var stem = stemOf(lunr, found[i], word);
      if (stem.length >= 3 && stem.length < word.length && word.indexOf(stem) === 0) {
        return stem + "*";
      }
    }
    return term;
  }

  function patch() {
    var lunr = self.lunr;
    if (!lunr || !lunr.Query || lunr.Query.prototype.polkuStems) {
      return;
    }
    var clause = lunr.Query.prototype.clause;
    lunr.Query.prototype.clause = function (options) {
      if (
        options &&
        typeof options.term === "string" &&
        options.presence !== lunr.Query.presence.PROHIBITED
      ) {
        options.term = stemPrefix(lunr, options.term);
      }
      return clause.call(this, options);
    };
    lunr.Query.prototype.polkuStems = true;
  }

  var loading = importScripts(new URL("__MATERIAL_WORKER__", here).href);
  if (loading && typeof loading.then === "function") {
    loading.then(patch); // the iframe-worker shim loads scripts asynchronously
  } else {
    patch();
  }
})();
