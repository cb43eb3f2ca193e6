/// The report's embedded style sheet: system fonts, a readable measure, figures that scale down on
/// narrow screens, and print rules that keep figures and tables whole.
enum ReportStyle {
    static let css = """
    :root { color-scheme: light; --ink: #1d1d1f; --muted: #5f6368; --rule: #d9d9de; --accent: #1f5fa8; }
    * { box-sizing: border-box; }
    body { margin: 0; background: #f5f5f7; color: var(--ink);
      font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", Helvetica, Arial, sans-serif; }
    main { max-width: 1180px; margin: 0 auto; padding: 24px 32px 48px; background: #fff; }
    header h1 { font-size: 26px; margin: 8px 0 4px; }
    .subtitle { color: var(--muted); margin: 0 0 16px; }
    h2 { font-size: 20px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--rule); }
    p { max-width: 80ch; }
    .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: 10px; margin: 12px 0 20px; }
    .card { border: 1px solid var(--rule); border-radius: 6px; padding: 8px 12px; background: #fafafc; }
    .card dt { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }
    .card dd { margin: 0; }
    .card .value { font-size: 20px; font-weight: 600; font-variant-numeric: tabular-nums; }
    .card .detail, .defs .detail { font-size: 12px; color: var(--muted); }
    .toc ol { columns: 2; margin: 0; padding-left: 22px; }
    .toc h2 { border: 0; margin-top: 8px; }
    a { color: var(--accent); }
    figure { margin: 16px 0 24px; }
    .panels { display: flex; gap: 12px; align-items: flex-start; }
    /* Panels shrink together to share the row; the viewBox keeps each one's aspect ratio. */
    .panels svg { flex: 0 1 auto; min-width: 0; max-width: 100%; height: auto; border: 1px solid #ececf0; }
    @media (max-width: 700px) { .panels { flex-wrap: wrap; } }
    figcaption { font-size: 13.5px; color: #333; margin-top: 6px; max-width: 110ch; }
    .label { font-weight: 600; }
    .table-wrap { overflow-x: auto; margin: 12px 0 20px; }
    table { border-collapse: collapse; font-size: 13.5px; }
    caption { text-align: left; font-size: 13.5px; padding-bottom: 6px; }
    th, td { padding: 3px 10px; border-bottom: 1px solid #e6e6ea; text-align: left; vertical-align: top; }
    thead th { border-bottom: 2px solid #999; background: #f6f6f8; }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    td.tok { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; white-space: pre; background: #f7f7f9; }
    tr.more td { color: var(--muted); font-style: italic; }
    pre { background: #f6f6f8; border: 1px solid #e3e3e8; padding: 8px 12px; overflow-x: auto; font-size: 13px; }
    .note { border-left: 4px solid var(--accent); background: #eef4fb; padding: 8px 12px; margin: 12px 0; max-width: 110ch; }
    .note.warning { border-left-color: #c77700; background: #fff5e6; }
    .defs { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; }
    .defs dt { color: var(--muted); }
    .defs dd { margin: 0; font-variant-numeric: tabular-nums; }
    footer { margin-top: 40px; font-size: 12px; color: var(--muted); border-top: 1px solid var(--rule); padding-top: 8px; }
    @media print {
      body { background: #fff; font-size: 11pt; }
      main { max-width: none; padding: 0; }
      .toc { display: none; }
      figure, table, .card, .note { break-inside: avoid; }
      h2 { break-after: avoid; }
      .panels svg { border: 0; }
    }

    """
}
