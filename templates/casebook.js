// casebook's script for the book. `casebook build` writes it as book/casebook.js;
// book.toml loads it with `additional-js = ["casebook.js"]`. It reads no record
// text: it only shows the overview's "On this day" entries whose date
// (data-md="MM-DD") is the reader's today.
(function () {
    "use strict";
    function show() {
        var lists = document.querySelectorAll(".cb-on-this-day");
        if (!lists.length) return;
        var now = new Date();
        var md = String(now.getMonth() + 1).padStart(2, "0") + "-" + String(now.getDate()).padStart(2, "0");
        lists.forEach(function (list) {
            var shown = 0;
            list.querySelectorAll("li").forEach(function (li) {
                var mark = li.querySelector("[data-md]");
                if (mark && mark.getAttribute("data-md") === md) {
                    li.classList.add("cb-today");
                    shown += 1;
                }
            });
            var empty = list.querySelector(".cb-on-this-day-empty");
            if (empty) empty.hidden = shown > 0;
        });
    }
    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", show);
    } else {
        show();
    }
})();
