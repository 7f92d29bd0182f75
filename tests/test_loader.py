"""The loader: positions for every node, and every kind of bad input refused with a position."""

from __future__ import annotations

import time
import tracemalloc

from designgrade.loader import MAX_BYTES, load_file, load_text


def test_positions_of_keys_and_items():
    loaded = load_text("a: 1\nb:\n  c: [x, y]\n  d:\n    - e\n")
    assert loaded.positions[("b", "c")].line == 3
    assert loaded.positions[("b", "c")].column == 3
    assert loaded.positions[("b", "d", 0)].line == 5
    assert loaded.position(("b", "missing", "deeper")) == loaded.positions[("b",)]
    assert loaded.position(("nothing",)).line == 1


def test_duplicate_key_is_reported_at_the_later_key_and_last_value_kept():
    loaded = load_text("a: 1\nb: 2\na: 3\n")
    assert loaded.data == {"a": 3, "b": 2}
    (problem,) = loaded.problems
    assert problem.rule == "duplicate-key" and not problem.fatal
    assert (problem.position.line, problem.position.column) == (3, 1)
    assert "first at line 1" in problem.message


def test_python_tags_are_refused_not_executed(tmp_path):
    marker = tmp_path / "pwned"
    loaded = load_text(f"a: !!python/object/apply:os.system ['touch {marker}']\n")
    assert loaded.fatal and loaded.data is None
    assert "!!python/object/apply:os.system" in loaded.problems[0].message
    assert not marker.exists()


def test_billion_laughs_is_refused_fast_and_small():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * 10) + "]")
    tracemalloc.start()
    started = time.perf_counter()
    loaded = load_text("\n".join(lines) + "\n")
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert loaded.fatal
    assert "alias" in loaded.problems[0].message
    assert elapsed < 5 and peak < 200 * 1024 * 1024


def test_deep_nesting_is_refused():
    loaded = load_text("a: " + "[" * 500 + "]" * 500 + "\n")
    assert loaded.fatal and "deeper than" in loaded.problems[0].message


def test_too_large_file(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_text("notes: '" + "x" * (MAX_BYTES + 10) + "'\n")
    loaded = load_file(big)
    assert loaded.fatal and "larger than" in loaded.problems[0].message


def test_non_utf8_points_at_the_bad_byte(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"a: 1\nb: caf\xe9\n")
    loaded = load_file(bad)
    problem = loaded.problems[0]
    assert "not UTF-8" in problem.message
    assert (problem.position.line, problem.position.column) == (2, 7)


def test_utf8_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\n")
    assert load_file(path).data == {"a": 1}


def test_syntax_error_has_a_position():
    loaded = load_text("a: [1, 2\nb: 3\n")
    assert loaded.fatal
    assert loaded.problems[0].position.line >= 2


def test_unreadable_path(tmp_path):
    loaded = load_file(tmp_path / "missing.yaml")
    assert loaded.fatal and "cannot read" in loaded.problems[0].message


def test_dates_stay_text_and_merge_keys_work():
    loaded = load_text("base: &b {x: 1}\nd: 2024-01-02\nc:\n  <<: *b\n  y: 2\n")
    assert loaded.data["d"] == "2024-01-02"
    assert loaded.data["c"] == {"x": 1, "y": 2}


def test_text_over_the_file_limit_is_refused_in_memory_too():
    from designgrade.engine import lint_text
    from designgrade.loader import MAX_BYTES

    report = lint_text("designgrade: 1\n" + "# x\n" * (MAX_BYTES // 4 + 1))
    assert report.unreadable and "larger than" in report.findings[0].message
