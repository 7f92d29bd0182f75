"""The library API (designgrade/render/__init__.py): formats, files, errors."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from designgrade.render import FORMATS, GRAPHVIZ_HINT, RenderError, format_for, render, render_file

from .conftest import EXAMPLES, ROOT, SMALL, graph_of, needs_dot


@pytest.fixture
def design(tmp_path):
    path = tmp_path / "in" / "design.yaml"
    path.parent.mkdir()
    path.write_text(SMALL)
    return path


@pytest.fixture
def out_dir(tmp_path, monkeypatch):
    """An output folder, with the working directory elsewhere and watched for stray files."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    out = tmp_path / "out"
    out.mkdir()
    yield out
    assert list(cwd.iterdir()) == [], "nothing may land in the working directory"


def test_formats_and_suffixes():
    assert FORMATS == ("svg", "png", "pdf", "dot", "mermaid")
    assert [format_for(f"a.{s}") for s in ("svg", "PNG", "pdf", "dot", "gv", "mmd", "mermaid")] == [
        "svg", "png", "pdf", "dot", "dot", "mermaid", "mermaid"]
    with pytest.raises(RenderError, match="suffix"):
        format_for("arch.jpeg")
    with pytest.raises(RenderError, match="unknown format"):
        render(graph_of(SMALL), None, "gif")


def test_text_and_bytes_by_format():
    graph = graph_of(SMALL)
    assert render(graph, [], "dot").startswith("digraph")
    assert render(graph, [], "mermaid").startswith("---")


@needs_dot
def test_graphviz_formats():
    graph = graph_of(SMALL)
    svg = render(graph, [], "svg")
    assert isinstance(svg, str) and "<svg" in svg
    png = render(graph, [], "png")
    assert isinstance(png, bytes) and png.startswith(b"\x89PNG")
    pdf = render(graph, [], "pdf")
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF")


@pytest.mark.parametrize("fmt,suffix", [("dot", ".dot"), ("mermaid", ".mmd")])
def test_render_file_writes_only_the_path_given(design, out_dir, fmt, suffix):
    out = out_dir / f"arch{suffix}"
    render_file(design, out)
    assert [p.name for p in out_dir.iterdir()] == [out.name]
    text = out.read_text()
    assert text == render(graph_of(SMALL), rendering_findings(design), fmt)


def rendering_findings(path):
    from designgrade.engine import lint

    return lint(path).findings


@needs_dot
@pytest.mark.parametrize("suffix,magic", [(".svg", b"<?xml"), (".png", b"\x89PNG"), (".pdf", b"%PDF")])
def test_render_file_graphviz_formats(design, out_dir, suffix, magic):
    out = out_dir / f"arch{suffix}"
    render_file(design, out)
    assert out.read_bytes().startswith(magic)
    assert [p.name for p in out_dir.iterdir()] == [out.name]


def test_explicit_format_and_no_findings(design, out_dir):
    out = out_dir / "arch.txt"
    render_file(design, out, fmt="mermaid", findings=False)
    assert "flowchart LR" in out.read_text() and "classDef error" not in out.read_text()


def test_level_filters_the_overlay(tmp_path, out_dir):
    path = tmp_path / "weak.yaml"
    # No monitoring at all: no-monitoring (L5) fires at L5, not at L4.
    path.write_text(SMALL.replace("  watch: {kind: monitoring, tech: prometheus}\n", "")
                    .replace("  - {from: watch, to: training, mode: trigger, label: drift}\n", "")
                    .replace('  - "events -> watch"\n', ""))
    render_file(path, out_dir / "l5.dot", level="L5")
    render_file(path, out_dir / "l4.dot", level="L4")
    assert "MISSING_monitoring" in (out_dir / "l5.dot").read_text()
    assert "MISSING_monitoring" not in (out_dir / "l4.dot").read_text()


@pytest.mark.parametrize("suffix", [".svg", ".png", ".pdf"])
def test_without_graphviz_a_one_line_hint_and_no_file(design, out_dir, monkeypatch, suffix):
    real_which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None if name == "dot" else real_which(name, *a, **k))
    out = out_dir / f"arch{suffix}"
    out_dir.joinpath("keep.svg").write_text("old")
    with pytest.raises(RenderError) as caught:
        render_file(design, out)
    message = str(caught.value)
    assert message == GRAPHVIZ_HINT and "\n" not in message
    assert "apt-get install graphviz" in message and "brew install graphviz" in message
    assert "mermaid" in message
    assert sorted(p.name for p in out_dir.iterdir()) == ["keep.svg"]
    render_file(design, out_dir / "arch.mmd")  # Mermaid and DOT need no Graphviz
    render_file(design, out_dir / "arch.dot")
    assert sorted(p.name for p in out_dir.iterdir()) == ["arch.dot", "arch.mmd", "keep.svg"]


def test_a_failed_render_keeps_the_previous_file(design, out_dir, monkeypatch):
    out = out_dir / "arch.svg"
    out.write_text("previous")
    monkeypatch.setattr(shutil, "which", lambda *a, **k: None)
    with pytest.raises(RenderError):
        render_file(design, out)
    assert out.read_text() == "previous"
    assert [p.name for p in out_dir.iterdir()] == ["arch.svg"]


def test_unreadable_design(tmp_path, out_dir):
    bad = tmp_path / "bad.yaml"
    bad.write_text("designgrade: 1\ntitle: [unclosed\n")
    with pytest.raises(RenderError) as caught:
        render_file(bad, out_dir / "a.dot")
    assert "not valid YAML" in str(caught.value) and "\n" not in str(caught.value)
    assert list(out_dir.iterdir()) == []


def test_design_without_components(tmp_path, out_dir):
    empty = tmp_path / "empty.yaml"
    empty.write_text("designgrade: 1\ntitle: x\nproblem: {task: ranking}\ncomponents: {}\nflows: []\n")
    with pytest.raises(RenderError, match="no valid components"):
        render_file(empty, out_dir / "a.dot")
    with pytest.raises(RenderError, match="no such file"):
        render_file(empty.with_name("missing.yaml"), out_dir / "a.dot")
    with pytest.raises(RenderError, match="does not exist"):
        render_file(empty, out_dir / "nowhere" / "a.dot")
    assert list(out_dir.iterdir()) == []


def test_importing_the_linter_and_the_renderer_loads_no_diagrams():
    code = ("import sys, designgrade, designgrade.engine, designgrade.render; "
            "from designgrade.engine import lint_text; import designgrade.rules; "
            "bad = [m for m in ('diagrams', 'graphviz') if m in sys.modules]; print(bad); sys.exit(bool(bad))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert done.returncode == 0, done.stdout + done.stderr


@needs_dot
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_renders_to_png(path, out_dir):
    out = out_dir / f"{path.stem}.png"
    render_file(path, out)
    data = out.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000


@needs_dot
def test_graphviz_gets_its_icons_from_a_private_folder_it_leaves_empty(design, tmp_path, monkeypatch):
    import tempfile

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    png = render(graph_of(SMALL), [], "png")
    assert png.startswith(b"\x89PNG")
    assert list(scratch.iterdir()) == []


def _big(components: int, flows: int) -> str:
    """A design with more components and flows than a picture draws (docs/render.md, Limits)."""
    names = [f"s{i}" for i in range(components)]
    body = "".join(f"  {n}: {{kind: service, tech: go}}\n" for n in names)
    width = min(components, 224)
    edges = "".join(f'  - "{names[i % width]} -> {names[(i // width + 1 + i) % width]}"\n' for i in range(flows))
    return "designgrade: 1\ntitle: Big\nproblem: {task: recommendation}\ncomponents:\n" + body + "flows:\n" + edges


@needs_dot
def test_a_design_with_tens_of_thousands_of_flows_is_capped_and_says_so():
    from designgrade.engine import lint_text
    from designgrade.render.scene import MAX_COMPONENTS, MAX_FLOWS

    report = lint_text(_big(224, 49_952))
    svg = render(report.design, report.findings, "svg")
    assert f"showing the first {MAX_COMPONENTS:,} of 224 components" in svg
    assert f"showing the first {MAX_FLOWS:,} of" in svg
    assert 0 < svg.count('class="node component"') <= MAX_COMPONENTS
    assert 0 < svg.count('class="edge flow ') <= 2 * MAX_FLOWS


def test_five_thousand_components_become_a_bounded_dot():
    from designgrade.engine import lint_text
    from designgrade.render.scene import MAX_COMPONENTS, MAX_FLOWS

    report = lint_text(_big(5_000, 20_000))
    dot = render(report.design, None, "dot")
    assert dot.count('class="component"') == MAX_COMPONENTS
    assert dot.count(" -> ") <= 2 * MAX_FLOWS
    assert "showing the first" in dot
