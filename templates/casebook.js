// casebook's script for the book. `casebook build` writes it as book/casebook.js;
// book.toml loads it with `additional-js = ["casebook.js"]`. It reads no record
// text. It shows the overview's "On this day" entries whose date (data-md="MM-DD")
// is the reader's today; and on a book served from this machine (`casebook
// serve`), it reloads the page when serve writes a preview of a changed page
// (serve changes casebook-preview.txt beside the pages each time).
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
    function watchPreviews() {
        var local = location.protocol === "http:" &&
            ["localhost", "127.0.0.1", "[::1]"].indexOf(location.hostname) >= 0;
        if (!local || typeof path_to_root === "undefined") return;
        var url = path_to_root + "casebook-preview.txt";
        var seen = null;
        function poll() {
            fetch(url, { cache: "no-store" })
                .then(function (r) { return r.ok ? r.text() : ""; })
                .catch(function () { return ""; })
                .then(function (stamp) {
                    if (seen !== null && stamp !== "" && stamp !== seen) location.reload();
                    seen = stamp;
                });
        }
        poll();
        setInterval(poll, 200);
    }
    watchPreviews();
    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", show);
    } else {
        show();
    }
})();
