// Report the time this lesson was open and visible, once, when the learner leaves it.
// sendBeacon survives the page closing; nothing is sent while the tab is hidden.
(function () {
  "use strict";
  var form = document.getElementById("lesson-time");
  if (!form || !navigator.sendBeacon) return;
  var visibleSince = document.visibilityState === "visible" ? Date.now() : null;
  var seconds = 0;
  function pause() {
    if (visibleSince !== null) {
      seconds += (Date.now() - visibleSince) / 1000;
      visibleSince = null;
    }
  }
  function send() {
    pause();
    if (seconds < 1) return;
    var data = new FormData(form);
    data.append("seconds", String(Math.round(seconds)));
    navigator.sendBeacon(form.action, data);
    seconds = 0;
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") send();
    else visibleSince = Date.now();
  });
  window.addEventListener("pagehide", send);
})();
