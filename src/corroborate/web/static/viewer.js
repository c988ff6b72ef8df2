// The text viewer: a passage selected in #source-text fills the excerpt form with its position.
// Positions count characters (Unicode code points) of the text as shown, which is the file's text as the
// server reads it: the form can also be filled by hand, and the server cuts the passage itself.
(function () {
  "use strict";
  var text = document.getElementById("source-text");
  var start = document.getElementById("start");
  var end = document.getElementById("end");
  var preview = document.getElementById("selection-preview");
  if (!text || !start || !end) { return; }

  // The number of code points in the text before (node, offset): a surrogate pair counts once.
  function position(node, offset) {
    var range = document.createRange();
    range.setStart(text, 0);
    range.setEnd(node, offset);
    return Array.from(range.toString()).length;
  }

  function chosen() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) { return; }
    var range = selection.getRangeAt(0);
    if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) { return; }
    var from = position(range.startContainer, range.startOffset);
    var to = position(range.endContainer, range.endOffset);
    if (to <= from) { return; }
    start.value = String(from);
    end.value = String(to);
    if (preview) {
      var words = range.toString();
      preview.textContent = "\u201c" + (words.length > 300 ? words.slice(0, 300) + "\u2026" : words) + "\u201d";
      preview.classList.remove("quiet");
    }
  }

  document.addEventListener("selectionchange", chosen);
})();
