"""The run report as one HTML page (:func:`render`): plain HTML and CSS, every picture a ``data:`` URI, print
friendly (the browser's "Print to PDF" gives clean A4 pages: sections are not cut in two, tables repeat their
header). Each part is a ``<section id=...>`` named in :data:`SECTIONS` (the tests check them all)."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from ...project.counting import counted
from ...project.glossary import RANGE_TERM
from ...project.seen_scores import HONEST_TEST_WORDS, report_test_words
from ...project.split_roles import TEST_FOR_THE_END
from ..use.figures import percent, probability_percent, range_text
from ..use.precision_words import NEVER_ANSWERED_LINE, NEVER_ANSWERED_TIP, NO_PRECISION

if TYPE_CHECKING:
    from .report import Report

SECTIONS = ("summary", "advice", "data", "model", "settings", "curves", "confusion", "per-class", "mistakes",
            "versions")

SPLIT_NAMES = {"val": "validation", "test": "test"}
LONG = " class='long'"  # sections that may run over a page when printed
RANGE_WORDS = f"its {RANGE_TERM}: with this few pictures the true score is likely inside it"  # no "Wilson interval"
NOT_RECORDED = "\u2014"  # a library the run did not record when it trained
SEVERITY_WORDS = {"high": "Important", "medium": "Worth doing", "low": "Good to know", "good": "Good"}
# said under every test score (split_roles.py): a reader who compares runs by it no longer has an honest estimate
FOR_THE_END = f"<p class='muted for-the-end'>{escape(TEST_FOR_THE_END)}</p>"
# which pictures the scores come from, and why (under the summary's scores): a reader sees two scores and needs to know
# which one to quote; the headline, the Evaluate page and the advice are about the validation pictures
# the test pictures' part follows how many runs' test scores were looked at (seen_scores.report_test_words): one run's,
# the honest estimate; several runs', an optimistic one for a run kept by it (QA: said "out of every choice" after 3)
WHICH_VAL = ("Every score here is on pictures the model never learned from. Validation pictures were kept out of "
             "training and used to compare models and choose this one; the advice is about them.")
WHICH_SCORES = f"{WHICH_VAL} {HONEST_TEST_WORDS}"
# why the confusion matrix is drawn on the pictures it is (report.build_report: the test pictures when the run has
# test scores, else the validation pictures)
CONFUSION_WHY = {
    "test": ("Drawn on the test pictures: they were kept out of training and out of choosing this model, so they show "
             "best how it does on pictures it has never seen."),
    "val": "Drawn on the validation pictures: this run has no test scores.",
}

CSS = """
:root { --ink: #1d2733; --muted: #5b6775; --line: #d5dbe2; --accent: #1f6fb2; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       max-width: 980px; margin: 24px auto; padding: 0 20px; background: #fff; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; border-bottom: 2px solid var(--line); padding-bottom: 4px; margin: 28px 0 10px; }
h3 { font-size: 15px; margin: 14px 0 6px; }
.muted { color: var(--muted); }
table { border-collapse: collapse; margin: 6px 0 10px; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 10px 3px 0; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
thead { display: table-header-group; }
img.plot { max-width: 100%; }
.columns { display: flex; flex-wrap: wrap; gap: 0 48px; align-items: flex-start; }
.thumbs { display: flex; flex-wrap: wrap; gap: 6px; margin: 4px 0 8px; }
.thumbs img { width: 64px; height: 64px; object-fit: contain; border: 1px solid var(--line);
              image-rendering: pixelated; background: #f4f6f8; }
figure.mistake { margin: 0; width: 128px; font-size: 12px; }
.advice { border-left: 5px solid var(--line); padding: 6px 10px; margin: 8px 0; background: #f7f9fb; }
.advice.high { border-color: #c0392b; } .advice.medium { border-color: #d9822b; }
.advice.low { border-color: #7f8c9a; } .advice.good { border-color: #2e8b57; }
.advice .what { font-weight: 600; }
.big { font-size: 22px; font-weight: 600; }
.changed { border-left: 5px solid #d9822b; background: #fdf3e7; padding: 6px 10px; margin: 8px 0; }
table.settings td:first-child { color: var(--muted); padding-right: 16px; white-space: nowrap; }
@page { size: A4; margin: 14mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  section { break-inside: avoid; page-break-inside: avoid; }
  section.long { break-inside: auto; page-break-inside: auto; }
  tr, figure, img { break-inside: avoid; }
  h2 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


def _e(v) -> str:
    return escape(str(v), quote=True)


def _pct(v) -> str:
    """A share as the window writes it (figures.percent: "98.9%", never a "100%" that is not)."""
    return _e(percent(v)) if isinstance(v, (int, float)) else "-"


def _probability(v) -> str:
    """A model's probability as the window writes it (figures.probability_percent: "> 99.9%", never "100%")."""
    return _e(probability_percent(v)) if isinstance(v, (int, float)) else "-"


def _f1(v) -> str:
    return f"{v:.2f}" if isinstance(v, (int, float)) else "-"


def _int(v) -> str:
    return f"{v:,}" if isinstance(v, int) else "-"


def _interval(lo_hi) -> str:
    return _e(range_text(*lo_hi))


def _summary(r: "Report") -> str:
    lines = [f"<h1>{_e(r.name)}</h1>",
             f"<p class='muted'>Run {_e(r.run_id)} &middot; trained {_e(r.created)} &middot; {_e(r.status)} "
             f"&middot; report made {_e(r.made_at)}</p>"]
    for s in r.scores:
        name = "Validation" if s["split"] == "val" else "Test"
        lines.append(f"<p><span class='big'>{_pct(s['accuracy'])}</span> {name.lower()} accuracy on "
                     f"{_int(s['images'])} pictures &mdash; likely {_interval(s['interval'])} "
                     f"({RANGE_WORDS}).</p>" + (FOR_THE_END if s["split"] == "test" else ""))
    if r.scores:
        lines.append(f"<p class='muted which-scores'>{_e(which_scores(r.test_looks))}</p>")
    else:
        lines.append("<p>This run has no evaluation yet.</p>")
    if r.data_change and r.scores:  # the same warning the Evaluate page shows under its scores
        lines.append(f"<p class='changed'>&#9888; {_e(r.data_change)}</p>")
    return "".join(lines)


def which_scores(test_looks: int) -> str:
    """The sentence under the summary's scores: what each set of pictures was for, the test pictures' part from how
    many runs' test scores were looked at, this run's counted
    (:func:`~cnnstudio.project.seen_scores.report_test_words`)."""
    return f"{WHICH_VAL} {report_test_words(test_looks)}"


def _advice(r: "Report") -> str:
    if not r.advice:
        return "<p>No advice: this run has not trained an epoch yet.</p>"
    out = []
    for a in r.advice:
        act = f"<br><span class='muted'>Next step: {_e(a.action['label'])} ({_e(a.action['page'])} page)</span>" \
            if a.action else ""
        out.append(f"<div class='advice {_e(a.severity)}'><span class='what'>"
                   f"{_e(SEVERITY_WORDS.get(a.severity, a.severity))}:</span> {_e(a.text)}{act}</div>")
    return "".join(out)


def _data(r: "Report") -> str:
    head = "<tr><th>class</th>" + "".join(f"<th class='n'>{s}</th>" for s in ("training", "validation", "test")) \
        + "<th class='n'>all</th></tr>"
    rows = []
    for c in r.classes:
        n = [r.counts.get(s, {}).get(c, 0) for s in ("train", "val", "test")]
        rows.append(f"<tr><td>{_e(c)}</td>" + "".join(f"<td class='n'>{_int(v)}</td>" for v in n)
                    + f"<td class='n'>{_int(sum(n))}</td></tr>")
    tot = [sum(r.counts.get(s, {}).values()) for s in ("train", "val", "test")]
    rows.append("<tr><th>all</th>" + "".join(f"<th class='n'>{_int(v)}</th>" for v in tot)
                + f"<th class='n'>{_int(sum(tot))}</th></tr>")
    samples = "<div class='columns'>" + "".join(
        f"<div><h3>{_e(c)}</h3><div class='thumbs'>"
        + "".join(f"<img alt='{_e(c)}' src='{u}'>" for u in r.samples.get(c, [])) + "</div></div>"
        for c in r.classes) + "</div>"
    return (f"<p>{len(r.classes)} classes, pictures per split:</p><table><thead>{head}</thead><tbody>"
            + "".join(rows) + f"</tbody></table><h3 class='muted'>Sample pictures</h3>{samples}")


def _model(r: "Report") -> str:
    out = [f"<p>Design: {_e(r.design or r.preset or 'Your own design')}.</p>"]
    out.append("<table><thead><tr><th class='n'>#</th><th>layer</th><th>output shape</th>"
               "<th class='n'>parameters</th><th class='n'>multiply-adds</th></tr></thead><tbody>")
    for row in r.layers:
        out.append(f"<tr><td class='n'>{row['index']}</td><td>{_e(row['label'])}</td><td>{_e(row['output'])}</td>"
                   f"<td class='n'>{_int(row['params'])}</td><td class='n'>{_int(row['macs'])}</td></tr>")
    if r.totals:
        out.append(f"<tr><th></th><th>total</th><th></th><th class='n'>{_int(r.totals['params'])}</th>"
                   f"<th class='n'>{_int(r.totals['macs'])}</th></tr>")
    out.append("</tbody></table>")
    out += [f"<p class='muted'>{_e(e)}</p>" for e in r.model_errors]
    return "".join(out)


def _settings(r: "Report") -> str:
    """The settings in words (settings_words.settings_rows): what a reader who never saw the app understands."""
    if not r.settings_words:
        return "<p>No settings recorded.</p>"
    rows = "".join(f"<tr><td>{_e(k)}</td><td>{_e(v)}</td></tr>" for k, v in r.settings_words)
    return f"<table class='settings'><tbody>{rows}</tbody></table>"


def _img(uri: str, alt: str, none: str) -> str:
    return f"<img class='plot' alt='{_e(alt)}' src='{uri}'>" if uri else f"<p>{_e(none)}</p>"


def _confusion(r: "Report") -> str:
    """The matrix, and which pictures it counts and why (:data:`CONFUSION_WHY`)."""
    why = CONFUSION_WHY.get(r.confusion_split, "") if r.confusion_png else ""
    return (_img(r.confusion_png, "confusion matrix", "No evaluation yet.")
            + (f"<p class='muted confusion-why'>{_e(why)}</p>" if why else ""))


def _per_class(r: "Report") -> str:
    if not r.scores:
        return "<p>No evaluation yet.</p>"
    out = []
    for s in r.scores:
        name = "Validation" if s["split"] == "val" else "Test"
        out.append(f"<h3>{name} pictures: {_pct(s['accuracy'])} right of {_int(s['images'])} "
                   f"(likely {_interval(s['interval'])})</h3>" + (FOR_THE_END if s["split"] == "test" else ""))
        out.append("<table><thead><tr><th>class</th><th class='n'>precision</th><th class='n'>recall</th>"
                   f"<th class='n'>recall, {RANGE_TERM}</th><th class='n'>F1</th><th class='n'>pictures</th></tr>"
                   "</thead><tbody>")
        for row in s["per_class"]:
            precision = (_pct(row['precision']) if row.get("answered", True) else
                         f"<span title='{_e(NEVER_ANSWERED_TIP)}'>{NO_PRECISION}</span>")
            out.append(f"<tr><td>{_e(row['class'])}</td><td class='n'>{precision}</td>"
                       f"<td class='n'>{_pct(row['recall'])}</td><td class='n'>{_interval(row['recall_interval'])}</td>"
                       f"<td class='n'>{_f1(row['f1'])}</td><td class='n'>{_int(row['support'])}</td></tr>")
        average = s.get("average")
        if average:  # the classes' average, as the Evaluate page's last row and cnnstudio evaluate's (precision_words)
            out.append(f"<tr><th>average</th><th class='n'>{_e(average['precision'])}</th>"
                       f"<th class='n'>{_pct(average['recall'])}</th><th></th><th class='n'>{_f1(average['f1'])}</th>"
                       f"<th class='n'>{_int(s['images'])}</th></tr>")
        out.append("</tbody></table>")
        if not all(row.get("answered", True) for row in s["per_class"]):
            out.append(f"<p class='muted'>{_e(NEVER_ANSWERED_LINE[0].upper() + NEVER_ANSWERED_LINE[1:])}</p>")
        if average and average.get("words"):
            out.append(f"<p class='muted average-words'>{_e(average['words'])}</p>")
    out.append("<p class='muted'>Recall: the share of a class's pictures the model found. Precision: the share of "
               f"its answers for a class that were right. {RANGE_TERM.capitalize()}: where the true recall probably "
               "lies; it is wide when a class has few pictures.</p>")
    return "".join(out)


def _mistakes(r: "Report") -> str:
    """The mistakes on each split's pictures, the validation ones first (the headline and the advice are theirs),
    each heading saying which pictures and how many."""
    if not r.mistakes:
        return "<p>No evaluation yet.</p>"
    out = []
    for group in r.mistakes:
        pictures = f"the {_int(group['images'])} {SPLIT_NAMES[group['split']]} pictures"
        if not group["wrong"]:
            out.append(f"<h3>No mistakes on {pictures}</h3>")
            continue
        shown = len(group["items"])
        more = f" (the {shown} it was surest of)" if shown < group["wrong"] else ""
        figs = "".join(
            "<figure class='mistake'>" + (f"<img alt='mistake' src='{m['image']}'>" if m["image"] else "")
            + f"<figcaption>{_e(m['true'])} taken for <b>{_e(m['predicted'])}</b> ({_probability(m['confidence'])} sure)"
              f"</figcaption></figure>" for m in group["items"])
        out.append(f"<h3>{_e(counted(group['wrong'], 'mistake'))} on {pictures}{more}</h3>"
                   f"<div class='thumbs'>{figs}</div>")
    return "".join(out)


def _versions(r: "Report") -> str:
    rows = "".join(f"<tr><td>{_e(k)}</td><td>{_e(v)}</td><td>{_e(r.trained_with.get(k) or NOT_RECORDED)}</td></tr>"
                   for k, v in r.versions.items())
    note = (f"<p class='muted'>{NOT_RECORDED}: the run did not record this library's version when it trained.</p>"
            if any(not r.trained_with.get(k) for k in r.versions) else "")
    return ("<table><thead><tr><th>library</th><th>this report</th><th>training</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>{note}")


def _curves(r: "Report") -> str:
    note = f"<p>{_e(r.loss_note)}</p>" if r.loss_note else ""
    return _img(r.curves_png, "training curves", "No epoch was trained.") + note


def render(r: "Report") -> str:
    """The whole page."""
    parts = {
        "summary": ("", _summary(r)),
        "advice": ("What this means and what to do next", _advice(r)),
        "data": ("The data", _data(r)),
        "model": ("The model", _model(r)),
        "settings": ("The training settings", _settings(r)),
        "curves": ("Training curves", _curves(r)),
        "confusion": (f"Confusion matrix (on the {_int(r.confusion_images)} "
                      f"{SPLIT_NAMES.get(r.confusion_split, r.confusion_split or '-')} pictures; rows: true class, "
                      "columns: the model's answer)", _confusion(r)),
        "per-class": ("Per class", _per_class(r)),
        "mistakes": ("Mistakes, the surest first", _mistakes(r)),
        "versions": ("Library versions", _versions(r)),
    }
    body = "".join(
        f"<section id='{sid}'{LONG if sid in ('settings', 'data', 'model') else ''}>"
        + (f"<h2>{_e(title)}</h2>" if title else "") + content + "</section>"
        for sid, (title, content) in ((s, parts[s]) for s in SECTIONS))
    return ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{_e(r.name)} - CNN Studio report</title><style>{CSS}</style></head><body>"
            f"{body}<p class='muted'>Made by CNN Studio.</p></body></html>\n")


__all__ = ["CONFUSION_WHY", "CSS", "SECTIONS", "WHICH_SCORES", "WHICH_VAL", "render", "which_scores"]
