/// The interactive part of report.html: the picture in a pan-and-zoom
/// viewer, a search box that highlights an instance and its chain from the
/// request, a panel saying what a clicked node is and why it is there, and
/// the charts. Self-contained: the styles and the script are in the page,
/// the data they use is JSON in a `<script type="application/json">`
/// element (escaped with `Escape.jsonInScript`), nothing is fetched.
///
/// `report.html?find=NAME` opens the page with NAME searched. The script
/// also runs a self-test when the page is opened with
/// `?selftest=FMRI`: it searches FMRI and writes what it measured (the
/// smallest node label's height in CSS pixels at the initial view, whether
/// the search highlighted the node and how long its chain is) as JSON into
/// `<pre id="selftest">`, which `chromium --headless --dump-dom` prints
/// (Tests/SMFKitTests/ReportPageBrowserTests.swift).
public enum ReportPage {
    /// The data the script reads: every drawn node (role, why it is there,
    /// its parent on the chain from the request) and the drawn edges.
    public static func data(_ d: ReportData, drawing: DotGraph?) -> JSON {
        let members = Dictionary(d.members.map { ($0.fmri, $0) }, uniquingKeysWith: { a, _ in a })
        let nodes = (drawing?.nodes ?? []).sorted { $0.id < $1.id }.map { n -> JSON in
            let m = members[n.id]
            return .object([
                ("id", .string(n.id)),
                ("label", .string(n.label)),
                ("role", .string(n.role.rawValue)),
                ("roleTitle", .string(n.role.title)),
                ("roleNote", .string(m?.roleNote ?? "")),
                ("reason", .string(m?.reason ?? "not in the closure: a neighbour of a member, which the request does not need")),
                ("depth", m.map { .int($0.depth) } ?? .null),
                ("parent", .opt(m?.whyEdge?.from)),
                ("via", .opt(m?.whyEdge.map(EdgeWords.detail))),
                ("band", .opt(n.band?.title)),
                ("cluster", .opt(n.cluster)),
                ("folded", .strings(n.folded)),
                ("tooltip", .string(n.tooltip)),
            ])
        }
        return .object([
            ("requested", .strings(d.wanted)),
            ("nodes", .array(nodes)),
            ("edges", .array((drawing?.edges ?? []).map { .strings([$0.from, $0.to, $0.kind.rawValue]) })),
        ])
    }

    /// The picture block: toolbar, viewer, details panel, then the charts.
    public static func picture(svg: String, data d: ReportData, drawing: DotGraph?, note: String?) -> String {
        var out = "<div class=\"viewer-tools\" id=\"picture\"><label>Find an instance: <input id=\"smf-search\" type=\"search\" list=\"smf-names\" placeholder=\"e.g. \(htmlEscape(d.wanted.first.map(shortLabel) ?? "network/ssh"))\" autocomplete=\"off\"></label>"
        out += " <button type=\"button\" data-zoom=\"in\" title=\"zoom in\">+</button><button type=\"button\" data-zoom=\"out\" title=\"zoom out\">−</button>"
        out += "<button type=\"button\" data-zoom=\"one\" title=\"labels at reading size\">1:1</button><button type=\"button\" data-zoom=\"fit\" title=\"the whole picture\">fit</button>"
        out += " <span id=\"smf-found\" class=\"found\"></span></div>\n"
        out += "<datalist id=\"smf-names\">" + (drawing?.nodes ?? []).sorted { $0.id < $1.id }.map { "<option value=\"\(htmlEscape($0.id))\">" }.joined() + "</datalist>\n"
        out += "<div class=\"viewer\"><div class=\"picture\" id=\"smf-picture\" tabindex=\"0\">\n" + stripProlog(svg) + "\n</div>"
        out += "<aside id=\"smf-details\" class=\"details\"><p class=\"note\">Click a node for its role and why it is there; drag to pan, Ctrl+wheel or the buttons to zoom.</p></aside></div>\n"
        if let note { out += "<p class=\"note\">\(htmlEscape(note))</p>\n" }
        out += "<p class=\"note\">Hover over a node or an edge for its details; <a href=\"graph.svg\">open the picture alone</a>.</p>\n"
        out += "<script type=\"application/json\" id=\"smf-data\">" + Escape.jsonInScript(data(d, drawing: drawing).render()) + "</script>\n"
        out += "<pre id=\"selftest\" hidden></pre>\n"
        return out
    }

    /// The charts, after the picture (or alone when there is none).
    public static func charts(_ d: ReportData) -> String {
        [ReportCharts.ladder(d.ladder), ReportCharts.costliest(d.costlyServices, closureSize: d.members.count)]
            .compactMap { $0 }.joined()
    }

    static func stripProlog(_ svg: String) -> String {
        guard let start = svg.firstRange(of: "<svg") else { return svg }
        return String(svg[start.lowerBound...])
    }

    /// Styles of the viewer and the charts, added to the page's.
    public static let styles = """
    .viewer { display: flex; gap: 0.8em; align-items: stretch; margin: 0.4em 0 0.6em; }
    .picture { flex: 1 1 auto; overflow: auto; height: 75vh; min-height: 320px; border: 1px solid #ccc; background: #fff; cursor: grab; resize: vertical; }
    .picture.dragging { cursor: grabbing; }
    .picture svg { display: block; }
    .details { flex: 0 0 17em; font-size: 0.88em; border: 1px solid #ddd; padding: 0.5em 0.7em; background: #fcfcfc; overflow: auto; max-height: 75vh; }
    .details h3 { font-size: 1em; margin: 0.2em 0 0.4em; word-break: break-all; }
    .details ol { padding-left: 1.3em; margin: 0.3em 0; }
    .viewer-tools { display: flex; flex-wrap: wrap; align-items: center; gap: 0.3em; font-size: 0.9em; }
    .viewer-tools input { width: 22em; font: inherit; padding: 0.15em 0.3em; }
    .viewer-tools button { font: inherit; min-width: 2.2em; }
    .found { color: #555; }
    svg.searching g.node, svg.searching g.edge { opacity: 0.25; }
    svg.searching g.node.chain, svg.searching g.edge.chain { opacity: 1; }
    g.node.hit polygon, g.node.hit path, g.node.hit rect, g.node.hit ellipse { stroke: #d7301f; stroke-width: 4px; }
    g.edge.chain path { stroke-width: 3px; }
    g.node.picked polygon, g.node.picked path, g.node.picked rect { stroke: #2171b5; stroke-width: 3px; }
    figure.chart { margin: 1em 0; }
    figure.chart figcaption { font-size: 0.88em; color: #555; }
    @media (max-width: 800px) { .viewer { flex-direction: column; } .details { flex-basis: auto; } }
    """

    /// The viewer's script (plain ES2015, no library).
    public static let script = #"""
    (function () {
      "use strict";
      var box = document.getElementById("smf-picture"), raw = document.getElementById("smf-data");
      if (!box || !raw) return;
      var svg = box.querySelector("svg"), data = JSON.parse(raw.textContent);
      var vb = svg.viewBox.baseVal, px = 4 / 3, zoom = 1, byId = {}, nodes = {}, edgesFrom = {};
      data.nodes.forEach(function (n) { byId[n.id] = n; });
      svg.querySelectorAll("g.node").forEach(function (g) { var t = g.querySelector("title"); if (t) nodes[t.textContent] = g; });
      svg.querySelectorAll("g.edge").forEach(function (g) {
        var t = g.querySelector("title"); if (!t) return;
        var k = t.textContent.split("->"); (edgesFrom[k[0]] = edgesFrom[k[0]] || {})[k[1]] = g;
      });
      function setZoom(z) {
        zoom = Math.max(0.05, Math.min(z, 8));
        svg.setAttribute("width", (vb.width * px * zoom).toFixed(1) + "px");
        svg.setAttribute("height", (vb.height * px * zoom).toFixed(1) + "px");
      }
      function fit() { return Math.min(box.clientWidth / (vb.width * px), box.clientHeight / (vb.height * px)); }
      function centre(g) {
        var r = g.getBoundingClientRect(), b = box.getBoundingClientRect();
        box.scrollLeft += r.left + r.width / 2 - b.left - box.clientWidth / 2;
        box.scrollTop += r.top + r.height / 2 - b.top - box.clientHeight / 2;
      }
      function chain(id) { var out = [], seen = {}; while (id && !seen[id]) { seen[id] = 1; out.push(id); id = byId[id] && byId[id].parent; } return out; }
      function clear() {
        svg.classList.remove("searching");
        svg.querySelectorAll(".hit,.chain,.picked").forEach(function (e) { e.classList.remove("hit", "chain", "picked"); });
      }
      function find(q) {
        q = q.trim(); if (!q) return null;
        if (nodes[q]) return q;
        var ids = Object.keys(nodes).sort(), l = q.toLowerCase();
        return ids.find(function (i) { return byId[i] && byId[i].label === q; }) ||
               ids.find(function (i) { return i.toLowerCase().indexOf(l) >= 0; }) || null;
      }
      function search(q) {
        clear(); var id = find(q), out = document.getElementById("smf-found");
        if (!id) { out.textContent = q.trim() ? "not in the picture" : ""; return null; }
        var c = chain(id); svg.classList.add("searching");
        c.forEach(function (n, k) { if (nodes[n]) nodes[n].classList.add("chain"); var p = c[k + 1]; if (p && edgesFrom[p] && edgesFrom[p][n]) edgesFrom[p][n].classList.add("chain"); });
        nodes[id].classList.add("hit"); centre(nodes[id]); show(id);
        out.textContent = c.length > 1 ? "chain from the request: " + c.length + " instances" : (byId[id] && byId[id].parent === null && byId[id].depth === 0 ? "requested" : "");
        return { id: id, chain: c };
      }
      function el(tag, text) { var e = document.createElement(tag); e.textContent = text; return e; }
      function show(id) {
        var n = byId[id], p = document.getElementById("smf-details"); if (!n) return;
        p.textContent = ""; p.appendChild(el("h3", id));
        p.appendChild(el("p", "Role: " + n.roleTitle + (n.roleNote ? " (" + n.roleNote + ")" : "")));
        p.appendChild(el("p", "Why: " + n.reason + (n.depth !== null ? " (depth " + n.depth + ")" : "")));
        if (n.band || n.cluster) p.appendChild(el("p", [n.band, n.cluster].filter(Boolean).join("; ")));
        if (n.folded.length) p.appendChild(el("p", "Also names, not needed: " + n.folded.join(", ")));
        var c = chain(id).reverse(); if (c.length > 1) { var ol = el("ol", ""); c.forEach(function (s) { ol.appendChild(el("li", s)); }); p.appendChild(el("p", "Chain from the request:")); p.appendChild(ol); }
      }
      svg.addEventListener("click", function (ev) {
        var g = ev.target.closest && ev.target.closest("g.node"); if (!g || moved) return;
        var t = g.querySelector("title"); svg.querySelectorAll(".picked").forEach(function (e) { e.classList.remove("picked"); });
        g.classList.add("picked"); show(t.textContent);
      });
      var drag = null, moved = false;
      box.addEventListener("mousedown", function (ev) { drag = { x: ev.clientX, y: ev.clientY, l: box.scrollLeft, t: box.scrollTop }; moved = false; box.classList.add("dragging"); });
      window.addEventListener("mousemove", function (ev) {
        if (!drag) return; var dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
        if (Math.abs(dx) + Math.abs(dy) > 3) moved = true; box.scrollLeft = drag.l - dx; box.scrollTop = drag.t - dy;
      });
      window.addEventListener("mouseup", function () { drag = null; box.classList.remove("dragging"); });
      box.addEventListener("wheel", function (ev) { if (!ev.ctrlKey) return; ev.preventDefault(); setZoom(zoom * (ev.deltaY < 0 ? 1.2 : 1 / 1.2)); }, { passive: false });
      document.querySelectorAll("button[data-zoom]").forEach(function (b) {
        b.addEventListener("click", function () { var k = b.dataset.zoom; setZoom(k === "in" ? zoom * 1.25 : k === "out" ? zoom / 1.25 : k === "fit" ? fit() : 1); });
      });
      var input = document.getElementById("smf-search");
      input.addEventListener("change", function () { search(input.value); });
      input.addEventListener("keydown", function (ev) { if (ev.key === "Enter") search(input.value); });
      // The initial view: labels at the size Graphviz wrote them (10 pt, 13.3 CSS px), the request in view.
      setZoom(1);
      var first = data.requested.find(function (r) { return nodes[r]; }); if (first) centre(nodes[first]);
      var args = new URLSearchParams(location.search), test = args.get("selftest");
      if (args.get("find")) { input.value = args.get("find"); search(input.value); }
      if (test !== null) {
        var least = Infinity;
        var drawn = Object.keys(nodes).filter(function (i) { return byId[i]; });
        drawn.forEach(function (i) { nodes[i].querySelectorAll("text").forEach(function (t) { var h = t.getBoundingClientRect().height; if (h > 0 && h < least) least = h; }); });
        var r = search(test), g = r && nodes[r.id], stroke = g ? getComputedStyle(g.querySelector("polygon,path,rect")).stroke : "";
        var out = document.getElementById("selftest");
        out.textContent = JSON.stringify({ minLabelPx: least, nodes: drawn.length, zoom: zoom, found: r ? r.id : null,
          highlighted: !!(g && g.classList.contains("hit") && stroke.replace(/\s/g, "") === "rgb(215,48,31)"), chain: r ? r.chain : [] });
        out.hidden = false;
      }
    })();
    """#
}
