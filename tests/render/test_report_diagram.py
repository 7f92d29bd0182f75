"""The diagram in the HTML report (designgrade/report/html.py, report.html.j2): near the
top, full size on click, each badge linked to its finding card and back, and inlined
through a sanitizer that parses attributes."""

from __future__ import annotations

import re
import shutil

import pytest

from designgrade.report.html import inline_svg

from .browser import dump_dom
from .conftest import EXAMPLES, needs_dot


@pytest.fixture(scope="module")
def report_page(tmp_path_factory):
    from click.testing import CliRunner

    from designgrade.cli import cli

    root = tmp_path_factory.mktemp("report")
    subs = root / "subs"
    subs.mkdir()
    for name in ("fraud-no-feature-store", "structure-errors"):
        shutil.copyfile(next(p for p in EXAMPLES if p.stem == name), subs / f"{name}.yaml")
    result = CliRunner().invoke(cli, ["grade", str(subs), "--rubric", "l6", "--out", str(root / "out"),
                                      "--format", "html"])
    assert result.exit_code in (0, 1), result.output
    return root / "out"


def test_the_sanitizer_reads_attributes_whole():
    # A handler-looking text inside a value is part of the value, not an attribute.
    svg = '<svg><a xlink:title="a onclick=alert(1) b" xlink:href="#x"><text>t</text></a></svg>'
    assert str(inline_svg(svg)) == svg
    tricky = inline_svg('<svg><g title=\'x" onload="y\' onmouseover = "z" id=k></g></svg>')
    assert str(tricky) == '<svg><g title="x&quot; onload=&quot;y" id="k"></g></svg>'
    dropped = str(inline_svg('<svg><a xlink:href=" java\tscript:alert(1)">x</a><image href="data:text/html,x"/>'
                             '<style>*{}</style><script>alert(1)</script></svg>'))
    assert dropped == "<svg><a>x</a><image /></svg>"
    assert str(inline_svg("<svg><text>1 < 2</text></svg>")) == "<svg><text>1 &lt; 2</text></svg>"


@needs_dot
@pytest.mark.parametrize("name", ["fraud-no-feature-store", "structure-errors"])
def test_the_diagram_comes_first_and_badges_link_to_cards_and_back(report_page, name):
    html = (report_page / f"{name}.html").read_text(encoding="utf-8").replace("&#45;", "-")
    assert html.index('id="diagram"') < html.index('id="sections"') < html.index('id="findings"')
    assert 'id="diagram-full"' in html and 'href="#diagram-full"' in html  # full size on click
    cards = set(re.findall(r'<article class="finding[^"]*" id="(dg-[\w-]+)"', html))
    badge_links = re.findall(r'<a xlink:href="#(dg-[\w-]+)"', html)
    assert cards and set(badge_links) == cards  # every card has a badge, every badge a card
    badge_ids = set(re.findall(r'<g id="a_badge-(dg-[\w-]+)"', html))
    back_links = set(re.findall(r'<a class="to-badge" href="#a_badge-(dg-[\w-]+)"', html))
    assert back_links == cards and back_links <= badge_ids
    assert "#a_key-" not in html  # in a report, badges lead to the cards, not to the picture's key


@needs_dot
def test_chromium_shows_the_diagram_near_the_top_and_full_size_on_click(report_page, tmp_path):
    page = report_page / "structure-errors.html"
    probe = page.with_name("probe.html")
    script = ("<script>addEventListener('load', () => {"
              "const fig = document.querySelector('figure.diagram');"
              "const svg = fig.querySelector('svg');"
              "document.body.dataset.top = Math.round(fig.getBoundingClientRect().top);"
              "document.body.dataset.width = Math.round(svg.getBoundingClientRect().width);"
              "location.hash = 'diagram-full';"
              "requestAnimationFrame(() => { document.body.dataset.full = "
              "Math.round(svg.getBoundingClientRect().width) + ' ' + getComputedStyle(fig).position; });"
              "});</script>")
    text = page.read_text(encoding="utf-8")
    # The report's own CSP forbids scripts; the probe page is a copy without it.
    text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", text)
    probe.write_text(text.replace("</body>", script + "</body>"), encoding="utf-8")
    dom = dump_dom(probe, tmp_path / "profile", "--window-size=1280,900")
    top = int(re.search(r'data-top="(-?\d+)"', dom).group(1))
    width = int(re.search(r'data-width="(\d+)"', dom).group(1))
    full_width, position = re.search(r'data-full="(\d+) (\w+)"', dom).groups()
    assert top < 900  # on the first screen
    assert position == "fixed" and int(full_width) > width  # the full-size view is larger
