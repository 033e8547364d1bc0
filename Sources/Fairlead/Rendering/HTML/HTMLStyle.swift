/// The style sheet every Fairlead page carries inline: no font, image or script is
/// fetched. System fonts; colours as custom properties, light by default and dark under
/// `prefers-color-scheme: dark`; a print style that keeps charts and tables whole.
///
/// The chart colours are Okabe and Ito's palette (``ChartPalette``); passing bars are
/// blue, failing ones vermillion and hatched, groups too small to judge grey and hatched
/// the other way, so that greyscale prints keep the difference.
enum HTMLStyle {
    /// The style sheet of a whole page.
    static var page: String { ":root{" + lightVariables + "}@media (prefers-color-scheme:dark){:root{" + darkVariables + "}}" + rules }

    /// The style sheet of a fragment (``HTMLExplainCards`` with `--fragment`): the same
    /// rules nested under `selector`, so that the page it is embedded in keeps its own.
    static func scoped(_ selector: String) -> String {
        "\(selector){" + lightVariables + "}@media (prefers-color-scheme:dark){\(selector){" + darkVariables + "}}"
            + "\(selector){" + rules + "}"
    }

    static let lightVariables = """
    color-scheme:light dark;--bg:#fff;--fg:#1b1b1b;--muted:#5c5c5c;--rule:#d0d0d0;--panel:#f5f5f2;
    --pass:#0072B2;--fail:#D55E00;--small:#9a9a9a;--neutral:#56B4E9;--band:#009E73;--limit:#1b1b1b;
    --s0:#0072B2;--s1:#E69F00;--s2:#009E73;--s3:#D55E00;--s4:#56B4E9;--s5:#CC79A7;--s6:#8a7a00;--s7:#666;
    --focus:#CC79A7
    """

    static let darkVariables = """
    --bg:#121212;--fg:#ececec;--muted:#a8a8a8;--rule:#3a3a3a;--panel:#1e1e1e;
    --pass:#56B4E9;--fail:#F0894D;--small:#7a7a7a;--neutral:#56B4E9;--band:#2fc79a;--limit:#f2f2f2;
    --s0:#56B4E9;--s1:#E69F00;--s2:#2fc79a;--s3:#F0894D;--s4:#9ad0f5;--s5:#e29ac6;--s6:#F0E442;--s7:#bbb
    """

    static let rules = """
    *{box-sizing:border-box}
    body{margin:0 auto;max-width:980px;padding:1.5rem;background:var(--bg);color:var(--fg);
    font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
    h1{font-size:1.6rem;margin:.2rem 0 .6rem}h2{font-size:1.3rem;margin:2rem 0 .6rem;border-bottom:1px solid var(--rule)}
    h3{font-size:1.1rem;margin:1.4rem 0 .4rem}h4{font-size:1rem;margin:1rem 0 .3rem}
    code{font:0.9em ui-monospace,"DejaVu Sans Mono",monospace;background:var(--panel);padding:0 .2em;border-radius:3px}
    .status{display:inline-block;padding:.15rem .6rem;border-radius:4px;font-weight:700;border:2px solid}
    .status.fail{color:var(--fail)}.status.pass{color:var(--pass)}.status.insufficient_evidence,.status.no_rules{color:var(--muted)}
    .verdict{border:1px solid var(--rule);border-left:6px solid var(--muted);padding:.6rem 1rem;background:var(--panel);border-radius:4px}
    .verdict.fail{border-left-color:var(--fail)}.verdict.pass{border-left-color:var(--pass)}
    .meta{color:var(--muted);font-size:.9rem}
    .explain{color:var(--muted);font-size:.92rem;margin:.2rem 0 .5rem;max-width:48rem}
    table{border-collapse:collapse;margin:.4rem 0 1rem;font-size:.88rem;font-variant-numeric:tabular-nums}
    th,td{border-bottom:1px solid var(--rule);padding:.2rem .5rem;text-align:left;vertical-align:top}
    th{font-weight:600}td.n,th.n{text-align:right}td.n{white-space:nowrap}
    tr.insufficient td{color:var(--muted)}tr.fail td:first-child{color:var(--fail);font-weight:600}
    caption{text-align:left;font-weight:600;padding:.2rem 0;caption-side:top}
    .table-wrap{overflow-x:auto}
    figure{margin:.6rem 0 1rem;break-inside:avoid;page-break-inside:avoid}
    figcaption{font-size:.9rem;color:var(--muted)}
    svg.chart{display:block;width:100%;max-width:860px;height:auto;font:11px system-ui,"DejaVu Sans",sans-serif;overflow:visible}
    svg.fl-defs{position:absolute;width:0;height:0}
    .small-multiples{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:.4rem 1rem}
    .waterfalls svg.chart{max-width:640px}.small-multiples figure{margin:0}.small-multiples svg.chart{max-width:100%}
    details{margin:.4rem 0 1rem}summary{cursor:pointer;color:var(--muted)}
    :focus-visible{outline:3px solid var(--focus);outline-offset:2px}
    g.row:focus,g.series:focus{outline:none}g.row:focus>*:not(title),g.series:focus>*{filter:drop-shadow(0 0 2px var(--focus))}
    .chart text{fill:var(--fg)}.chart .tick,.chart .axis-title,.chart .legend-label{fill:var(--muted)}
    .chart .axis{stroke:var(--muted);stroke-width:1}.chart .grid{stroke:var(--rule);stroke-width:.6}
    .chart .bar.pass,.chart .bar.neutral{fill:var(--pass)}.chart .bar.neutral.s1{fill:var(--s1)}
    .chart .bar.fail{fill:url(#fl-hatch-fail)}.chart .bar.insufficient{fill:url(#fl-hatch-small)}
    .hatch-fail-ground{fill:var(--fail)}.hatch-fail-line{stroke:var(--bg);stroke-width:2}
    .hatch-small-ground{fill:var(--small)}.hatch-small-line{stroke:var(--bg);stroke-width:1.5}
    .chart .insufficient-label{fill:var(--muted);font-style:italic}
    .chart .whisker,.chart .whisker-cap{stroke:var(--fg);stroke-width:1.4}
    .chart .limit{stroke:var(--limit);stroke-width:1.6;stroke-dasharray:5 3}.chart .limit-label{font-weight:600}
    .chart .mark{stroke:var(--muted);stroke-width:1.2;stroke-dasharray:2 2}
    .chart .band{fill:var(--band);fill-opacity:.13;stroke:var(--band);stroke-opacity:.5}
    .chart .diagonal{stroke:var(--muted);stroke-dasharray:3 3}
    .chart .line{fill:none;stroke-width:2}.chart .marker{stroke:var(--bg);stroke-width:.8}
    .chart .s0{stroke:var(--s0)}.chart .marker.s0{fill:var(--s0)}.chart .s1{stroke:var(--s1);stroke-dasharray:7 3}.chart .marker.s1{fill:var(--s1);stroke-dasharray:none}
    .chart .s2{stroke:var(--s2);stroke-dasharray:2 2}.chart .marker.s2{fill:var(--s2);stroke-dasharray:none}
    .chart .s3{stroke:var(--s3);stroke-dasharray:9 2 2 2}.chart .marker.s3{fill:var(--s3);stroke-dasharray:none}
    .chart .s4{stroke:var(--s4);stroke-dasharray:4 4}.chart .marker.s4{fill:var(--s4);stroke-dasharray:none}
    .chart .s5{stroke:var(--s5);stroke-dasharray:12 4}.chart .marker.s5{fill:var(--s5);stroke-dasharray:none}
    .chart .s6{stroke:var(--s6);stroke-dasharray:1 3}.chart .marker.s6{fill:var(--s6);stroke-dasharray:none}
    .chart .s7{stroke:var(--s7);stroke-dasharray:6 2 1 2}.chart .marker.s7{fill:var(--s7);stroke-dasharray:none}
    .chart .bar.s1{fill:var(--s1)}
    .chart .holds{fill:var(--band);fill-opacity:.75}.chart .strip-track{fill:var(--panel);stroke:var(--rule)}
    .chart .total{fill:var(--muted)}.chart .step.up{fill:var(--pass)}.chart .step.down{fill:url(#fl-hatch-fail)}
    .chart .connector{stroke:var(--muted);stroke-dasharray:2 2}
    .chart .bin{fill:var(--neutral);stroke:var(--bg);stroke-width:.5}
    .legend-swatch{display:inline-block;width:.9em;height:.9em;vertical-align:-.1em;margin:0 .25em 0 .6em;border:1px solid var(--fg)}
    .legend-swatch.pass{background:var(--pass)}.legend-swatch.small{background:repeating-linear-gradient(-45deg,var(--small) 0 3px,var(--bg) 3px 4px)}
    .legend-swatch.fail{background:repeating-linear-gradient(45deg,var(--fail) 0 3px,var(--bg) 3px 5px)}
    .legend-swatch.band{background:var(--band);opacity:.5}.legend-swatch.s1{background:var(--s1)}
    .legend-swatch.limit{border:0;border-left:2px dashed var(--limit);width:.2em}
    .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(420px,1fr));gap:1rem}
    .card{border:1px solid var(--rule);border-radius:6px;padding:.6rem .9rem;background:var(--bg);break-inside:avoid;page-break-inside:avoid}
    .card h2{border:0;margin:.2rem 0;font-size:1.1rem}.card ul{margin:.2rem 0 .4rem;padding-left:1.2rem}
    .raising{color:var(--pass)}.lowering{color:var(--fail)}
    nav.toc ol{columns:2;font-size:.9rem}
    @media print{body{max-width:none;padding:0;font-size:11pt;background:#fff;color:#000}
    :root{--bg:#fff;--fg:#000;--muted:#444;--rule:#bbb;--panel:#f3f3f3}
    details::details-content{content-visibility:visible;display:block}details>summary{list-style:none}
    h2,h3{break-after:avoid;page-break-after:avoid}section.attribute,figure,table,.card{break-inside:avoid;page-break-inside:avoid}
    .table-wrap{overflow:visible}svg.chart{max-width:100%;height:auto}nav.toc{display:none}}
    """
}
