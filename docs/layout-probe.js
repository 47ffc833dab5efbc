/* SPDX-License-Identifier: Apache-2.0 */
/* docs/layout-probe.js: measures one page of the site the way a reader's
 * browser lays it out, for docs/screenshot.sh. It is added only to scratch
 * copies of the pages, never to the site itself. Once the page has loaded and
 * Doxygen's navigation tree has filled in (or two seconds have passed without
 * it), it posts one line to the page that framed it:
 *
 *   PAGE WIDTH viewport=N page=N height=N sidebar=shown|hidden items=N
 *   cut=N boxes=N tables=N widest=WHAT|cut-title=TITLE|box=WHAT
 *
 * page is the widest scroll width of the document and of Doxygen's content
 * pane (more than viewport means the whole page scrolls sideways); items the
 * entries in the navigation tree; cut the sidebar titles that run past its
 * edge; boxes the code and transcript boxes that must be scrolled sideways to
 * be read; tables the tables that must. */
(function () {
    "use strict";

    function describe(el) {
        var what = el.tagName.toLowerCase();
        if (el.className && typeof el.className === "string") {
            what += "." + el.className.trim().split(/\s+/).join(".");
        }
        var text = (el.textContent || "").replace(/\s+/g, " ").trim().slice(0, 60);
        return what + " \"" + text + "\" (" + Math.round(el.getBoundingClientRect().width) + " px)";
    }

    function scrollsOnItsOwn(el) {
        for (var p = el.parentElement; p && p !== document.body; p = p.parentElement) {
            if (window.getComputedStyle(p).overflowX !== "visible") return true;
        }
        return false;
    }

    // The innermost elements that stick out past the right edge of the
    // viewport and are not inside a box of their own that scrolls.
    function widest(limit) {
        var found = [];
        var all = document.querySelectorAll("#doc-content *, body > *");
        for (var i = 0; i < all.length && found.length < 3; i++) {
            var el = all[i], r = el.getBoundingClientRect();
            if (r.right <= limit + 1 || r.width === 0 || scrollsOnItsOwn(el)) continue;
            var inner = false;
            for (var c = el.firstElementChild; c; c = c.nextElementSibling) {
                if (c.getBoundingClientRect().right > limit + 1) inner = true;
            }
            if (!inner) found.push(describe(el));
        }
        return found.join("; ");
    }

    function measure() {
        var doc = document.documentElement;
        var pane = document.getElementById("doc-content");
        var viewport = doc.clientWidth;
        var page = Math.max(doc.scrollWidth, document.body.scrollWidth,
                            pane ? pane.scrollWidth + pane.getBoundingClientRect().left : 0);
        var height = pane ? pane.scrollHeight + pane.getBoundingClientRect().top : doc.scrollHeight;
        var side = document.getElementById("side-nav");
        var shown = side && side.offsetWidth > 0 && window.getComputedStyle(side).display !== "none";
        var items = document.querySelectorAll("#nav-tree-contents .item").length;
        var edge = shown ? side.getBoundingClientRect().right : 0;
        var cut = [], boxes = [], tables = 0, notes = [];
        var labels = document.querySelectorAll("#nav-tree-contents .label");
        for (var i = 0; shown && i < labels.length; i++) {
            var r = labels[i].getBoundingClientRect();
            if (r.width > 0 && r.right > edge + 1) cut.push(labels[i].textContent.trim());
        }
        var frags = document.querySelectorAll("#doc-content div.fragment, #doc-content pre.fragment");
        for (i = 0; i < frags.length; i++) {
            if (frags[i].scrollWidth > frags[i].clientWidth + 1) boxes.push(describe(frags[i]));
        }
        var tabs = document.querySelectorAll("#doc-content table");
        for (i = 0; i < tabs.length; i++) {
            if (tabs[i].scrollWidth > tabs[i].clientWidth + 1) tables++;
        }
        if (page > viewport) notes.push("widest=" + widest(viewport));
        if (cut.length) notes.push("cut-title=" + cut.slice(0, 3).join(" / "));
        if (boxes.length) notes.push("box=" + boxes.slice(0, 2).join("; "));
        var name = window.location.pathname.replace(/.*\//, "");
        var line = name + " " + viewport + " viewport=" + viewport + " page=" + page +
            " height=" + Math.round(height) + " sidebar=" + (shown ? "shown" : "hidden") +
            " items=" + items + " cut=" + cut.length + " boxes=" + boxes.length +
            " tables=" + tables + (notes.length ? " " + notes.join(" | ") : "");
        window.parent.postMessage(line, "*");
    }

    // Doxygen fills the tree from navtreedata.js after the load event.
    function whenTreeReady(tries) {
        if (document.querySelector("#nav-tree-contents .item") || tries <= 0) {
            window.setTimeout(measure, 200);
        } else {
            window.setTimeout(function () { whenTreeReady(tries - 1); }, 100);
        }
    }
    window.addEventListener("load", function () { whenTreeReady(20); });
})();
