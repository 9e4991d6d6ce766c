/* polku: progress, reflection journal and other learner helpers. */
(function () {
  "use strict";
})();
