"""`quizkit export qti`: the package's structure, and every key and response rule read back from the XML.

The XML is parsed with xml.etree; QTI 2.1 response processing and QTI 1.2 conditions are run by
small interpreters of the subset quizkit writes, and their verdicts compared with `grade_attempt`.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import Any

import pytest

from quizkit.cli import main
from quizkit.course import Course
from quizkit.export.qti import CP_NS, QTI12_NS, QTI21_NS, export_qti, variants_of
from quizkit.quiz import grade_attempt

ROOT = Path(__file__).resolve().parents[1]
CP = f"{{{CP_NS}}}"
Q21 = f"{{{QTI21_NS}}}"
Q12 = f"{{{QTI12_NS}}}"
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
"""An XML NCName in the ASCII range quizkit writes: what QTI identifiers must be."""


@pytest.fixture(scope="module")
def course() -> Course:
    loaded = Course.load(ROOT / "exercises")
    assert loaded.problems == []
    return loaded


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture(scope="module")
def files21(course: Course) -> dict[str, bytes]:
    return unzip(export_qti(course.compiled_quizzes.values(), version="2.1").zip_bytes())


@pytest.fixture(scope="module")
def files12(course: Course) -> dict[str, bytes]:
    return unzip(export_qti(course.compiled_quizzes.values(), version="1.2").zip_bytes())


def judge(question: dict[str, Any], answer: Any) -> tuple[bool, str]:
    """quizkit's verdict and feedback for one answer to this variant (through the public `grade_attempt`)."""
    asked = {k: v for k, v in question.items() if k != "variants"}
    result = grade_attempt({"id": "one", "questions": [asked]}, {question["id"]: answer})
    return result.questions[0].correct, result.questions[0].feedback


def xml(files: dict[str, bytes], name: str) -> ET.Element:
    return ET.fromstring(files[name])


# ---------------------------------------------------------------- the manifest


@pytest.mark.parametrize(("version", "kinds"), [("2.1", {"imsqti_test_xmlv2p1", "imsqti_item_xmlv2p1"}),
                                                 ("1.2", {"imsqti_xmlv1p2"})])
def test_manifest_lists_every_file_once_and_dependencies_resolve(course: Course, version: str, kinds: set[str]) -> None:
    files = unzip(export_qti(course.compiled_quizzes.values(), version=version).zip_bytes())  # type: ignore[arg-type]
    assert next(iter(files)) == "imsmanifest.xml", "the manifest comes first in the zip"
    manifest = xml(files, "imsmanifest.xml")
    assert manifest.tag == f"{CP}manifest"
    assert manifest.find(f"{CP}organizations") is not None
    resources = manifest.findall(f"{CP}resources/{CP}resource")
    ids = [r.get("identifier") for r in resources]
    assert len(ids) == len(set(ids))
    assert all(NAME.match(i or "") for i in ids)
    assert {r.get("type") for r in resources} == kinds
    hrefs = [r.get("href") for r in resources]
    assert sorted(hrefs) == sorted(set(files) - {"imsmanifest.xml"}), "every file listed, nothing listed that is missing"
    for resource in resources:
        assert [f.get("href") for f in resource.findall(f"{CP}file")] == [resource.get("href")]
        for dependency in resource.findall(f"{CP}dependency"):
            assert dependency.get("identifierref") in ids
    tests = [r for r in resources if r.get("type") in ("imsqti_test_xmlv2p1", "imsqti_xmlv1p2")]
    assert len(tests) == len(course.compiled_quizzes), "one assessment per quiz"


def test_the_zip_is_the_same_bytes_every_time(course: Course) -> None:
    first = export_qti(course.compiled_quizzes.values()).zip_bytes()
    assert export_qti(course.compiled_quizzes.values()).zip_bytes() == first


def test_an_unknown_version_is_refused(course: Course) -> None:
    with pytest.raises(ValueError, match="QTI version"):
        export_qti(course.compiled_quizzes.values(), version="3.0")  # type: ignore[arg-type]


# ---------------------------------------------------------------- QTI 2.1: tests, items, keys


def test21_each_test_holds_its_questions_in_order_variants_drawn_one_per_attempt(course: Course, files21: dict[str, bytes]) -> None:
    manifest = xml(files21, "imsmanifest.xml")
    items = {r.get("identifier"): r for r in manifest.iter(f"{CP}resource") if r.get("type") == "imsqti_item_xmlv2p1"}
    seen: set[str] = set()
    for quiz_id, compiled in course.compiled_quizzes.items():
        test = xml(files21, f"tests/{quiz_id}.xml")
        assert test.tag == f"{Q21}assessmentTest"
        section = test.find(f"{Q21}testPart/{Q21}assessmentSection")
        assert section is not None
        parts = list(section)
        assert len(parts) == len(compiled["questions"])
        assert test.find(f"{Q21}outcomeDeclaration[@identifier='MAXSCORE']/{Q21}defaultValue/{Q21}value").text == str(len(parts))  # type: ignore[union-attr]
        for part, question in zip(parts, compiled["questions"], strict=True):
            count = len(question.get("variants") or [None])
            if count == 1:
                refs = [part]
                assert part.tag == f"{Q21}assessmentItemRef"
            else:
                assert part.tag == f"{Q21}assessmentSection"
                assert part.get("visible") == "false"
                assert part.find(f"{Q21}selection").get("select") == "1"  # type: ignore[union-attr]
                refs = part.findall(f"{Q21}assessmentItemRef")
            assert len(refs) == count, f"{quiz_id}/{question['id']}: every variant exported"
            for ref in refs:
                ident = ref.get("identifier") or ""
                assert NAME.match(ident)
                assert ident not in seen
                seen.add(ident)
                assert ident in items
                assert ref.get("href") == items[ident].get("href")
                item = xml(files21, ref.get("href") or "")
                assert item.tag == f"{Q21}assessmentItem"
                assert item.get("identifier") == ident
                assert item.get("timeDependent") == "false"
        dependencies = {d.get("identifierref") for d in manifest.find(
            f"{CP}resources/{CP}resource[@identifier='test.{quiz_id}']").findall(f"{CP}dependency")}  # type: ignore[union-attr]
        assert dependencies == {r.get("identifier") for r in test.iter(f"{Q21}assessmentItemRef")}
    assert seen == set(items)


def items21(course: Course, files: dict[str, bytes]) -> list[tuple[str, dict[str, Any], ET.Element]]:
    """(name, the variant as quizkit compiled it, its item) for every variant of every question."""
    found = []
    for quiz_id, compiled in course.compiled_quizzes.items():
        for question in compiled["questions"]:
            asked = variants_of(question)
            for i, variant in enumerate(asked):
                name = f"{quiz_id}.{question['id']}" + (f".v{i + 1:02d}" if len(asked) > 1 else "")
                found.append((name, variant, xml(files, f"items/{name}.xml")))
    return found


def key21(item: ET.Element) -> tuple[str, Any, float | None]:
    """(interaction, key, tolerance) read back from an item."""
    declaration = item.find(f"{Q21}responseDeclaration[@identifier='RESPONSE']")
    assert declaration is not None
    values = [v.text or "" for v in declaration.findall(f"{Q21}correctResponse/{Q21}value")]
    body = item.find(f"{Q21}itemBody")
    assert body is not None
    interaction = next(n.tag.removeprefix(Q21) for n in body.iter() if n.tag.endswith("Interaction"))
    base, cardinality = declaration.get("baseType"), declaration.get("cardinality")
    tolerance = None
    if base == "float":
        equal = item.find(f".//{Q21}responseProcessing//{Q21}equal")
        assert equal is not None
        tolerance = 0.0 if equal.get("toleranceMode") == "exact" else float((equal.get("tolerance") or "").split()[0])
        return interaction, float(values[0]), tolerance
    if base == "directedPair":
        return interaction, dict(v.split() for v in values), None
    if cardinality == "single":
        return interaction, values[0], None
    return interaction, values, None


EXPECTED_INTERACTION = {"single": "choiceInteraction", "multiple": "choiceInteraction", "true_false": "choiceInteraction",
                        "numeric": "textEntryInteraction", "match": "matchInteraction", "order": "orderInteraction"}


def test21_every_key_of_every_variant_round_trips(course: Course, files21: dict[str, bytes]) -> None:
    exported = items21(course, files21)
    assert len(exported) == len(files21) - 1 - len(course.compiled_quizzes)
    for name, question, item in exported:
        interaction, key, tolerance = key21(item)
        assert interaction == EXPECTED_INTERACTION[question["type"]], name
        expected = question["key"]
        if question["type"] == "true_false":
            expected = "true" if expected else "false"
        if question["type"] == "multiple":
            key, expected = sorted(key), sorted(expected)
        assert key == expected, name
        if question["type"] == "numeric":
            assert tolerance == pytest.approx(question["tolerance"]), name
        text = " ".join(item.find(f"{Q21}itemBody").itertext())  # type: ignore[union-attr]
        assert question["text"] in text, f"{name}: the variant's own text"
        choice = item.find(f".//{Q21}choiceInteraction")
        if question["type"] in ("single", "multiple"):
            shown = {c.get("identifier"): (c.text, c.get("fixed") == "true") for c in choice.findall(f"{Q21}simpleChoice")}  # type: ignore[union-attr]
            assert shown == {o["id"]: (o["text"], bool(o.get("pin"))) for o in question["options"]}, name
            assert choice.get("maxChoices") == ("1" if question["type"] == "single" else "0")  # type: ignore[union-attr]


# ---------------------------------------------------------------- QTI 2.1 response processing, run


def evaluate(node: ET.Element, state: dict[str, Any], correct: Any, tolerance: float) -> Any:  # noqa: PLR0911
    """The value of a QTI 2.1 expression (the subset quizkit writes); None is NULL."""
    tag = node.tag.removeprefix(Q21)
    args = [evaluate(child, state, correct, tolerance) for child in node]
    if tag == "variable":
        return state.get(node.get("identifier") or "")
    if tag == "correct":
        return correct
    if tag == "baseValue":
        return tuple((node.text or "").split()) if node.get("baseType") == "directedPair" else node.text
    if tag == "isNull":
        return args[0] is None or args[0] in ([], set())
    if tag == "not":
        return not args[0]
    if tag == "member":
        return args[0] in args[1] if args[1] is not None else None
    if tag == "multiple":
        values: list[Any] = []
        for arg in args:
            if arg is not None:
                values.extend(arg if isinstance(arg, list) else [arg])
        return values
    if tag == "match":
        left, right = args
        if left is None:
            return None
        return sorted(left) == sorted(right) if isinstance(right, list) and isinstance(right[0], tuple) else left == right
    if tag == "equal":
        if args[0] is None:
            return None
        return abs(float(args[0]) - float(args[1])) <= (float((node.get("tolerance") or "0").split()[0]) + 1e-9)
    raise AssertionError(f"quizkit wrote an expression the test does not know: {tag}")


def run(rules: ET.Element, state: dict[str, Any], correct: Any, tolerance: float) -> None:
    for rule in rules:
        tag = rule.tag.removeprefix(Q21)
        if tag == "setOutcomeValue":
            state[rule.get("identifier") or ""] = evaluate(rule[0], state, correct, tolerance)
        elif tag == "responseCondition":
            for branch in rule:
                branch_tag = branch.tag.removeprefix(Q21)
                if branch_tag == "responseElse":
                    run(branch, state, correct, tolerance)
                    break
                if evaluate(branch[0], state, correct, tolerance):
                    run(list(branch)[1:], state, correct, tolerance)  # type: ignore[arg-type]
                    break
        else:
            raise AssertionError(f"quizkit wrote a rule the test does not know: {tag}")


def respond21(item: ET.Element, response: Any) -> dict[str, Any]:
    """SCORE and FEEDBACK after `response` (as QTI holds it)."""
    _, key, tolerance = key21(item)
    correct = [tuple(pair) for pair in key.items()] if isinstance(key, dict) else key
    state: dict[str, Any] = {"RESPONSE": response, "SCORE": 0.0, "FEEDBACK": None}
    run(item.find(f"{Q21}responseProcessing"), state, correct, tolerance or 0.0)  # type: ignore[arg-type]
    state["SCORE"] = float(state["SCORE"])
    return state


def wrong_answer(question: dict[str, Any]) -> Any:
    """An answer quizkit judges wrong, in quizkit's shape."""
    kind, key = question["type"], question["key"]
    if kind == "single":
        return next(o["id"] for o in question["options"] if o["id"] != key)
    if kind == "multiple":
        others = [o["id"] for o in question["options"] if o["id"] not in key]
        return [*key, others[0]] if others else key[:-1]
    if kind == "true_false":
        return not key
    if kind == "numeric":
        return key + question["tolerance"] + 1
    if kind == "match":
        first = next(iter(key))
        other = next(c["id"] for c in question["choices"] if c["id"] != key[first])
        return {**key, first: other}
    return list(reversed(key))


def as_qti(question: dict[str, Any], answer: Any) -> Any:
    kind = question["type"]
    if kind == "true_false":
        return "true" if answer else "false"
    if kind == "match":
        return [tuple(pair) for pair in answer.items()]
    return answer


def modal(item: ET.Element) -> dict[str, str]:
    return {m.get("identifier") or "": m.text or "" for m in item.findall(f"{Q21}modalFeedback")}


def test21_response_processing_scores_as_quizkit_grades_and_shows_quizkits_feedback(course: Course, files21: dict[str, bytes]) -> None:
    for name, question, item in items21(course, files21):
        texts = modal(item)
        mistakes = [m["value"] for m in question.get("mistakes", ())]
        for answer in (question["key"], wrong_answer(question), *mistakes):
            right, feedback = judge(question, answer)
            state = respond21(item, as_qti(question, answer))
            assert state["SCORE"] == (1.0 if right else 0.0), f"{name}: {answer!r}"
            shown = " ".join(texts[f] for f in state["FEEDBACK"] if f in texts)
            if answer in mistakes:
                assert question["feedback"]["incorrect"] not in shown, f"{name}: the mistake's feedback, in its place"
            if question["explanation"]:
                assert question["explanation"] in shown, name
            for part in (p for p in re.split(r"(?<=[.!?])\s+", feedback) if p and not re.match(r"\d+ of \d+ ", p)):
                assert part in shown, f"{name}: quizkit's feedback {part!r} for {answer!r} is shown"
        unanswered = respond21(item, None)
        assert unanswered["SCORE"] == 0.0
        assert unanswered["FEEDBACK"] is None, f"{name}: no feedback without an answer"


# ---------------------------------------------------------------- QTI 1.2


def items12(course: Course, files: dict[str, bytes]) -> list[tuple[str, dict[str, Any], ET.Element]]:
    found = []
    for quiz_id, compiled in course.compiled_quizzes.items():
        root = xml(files, f"quizzes/{quiz_id}.xml")
        assert root.tag == f"{Q12}questestinterop"
        assessments = root.findall(f"{Q12}assessment")
        assert len(assessments) == 1
        section = assessments[0].find(f"{Q12}section")
        assert section is not None
        parts = list(section)
        kept = [q for q in compiled["questions"] if q["type"] not in ("match", "order")]
        assert len(parts) == len(kept)
        for part, question in zip(parts, kept, strict=True):
            asked = variants_of(question)
            if len(asked) == 1:
                assert part.tag == f"{Q12}item"
                items = [part]
            else:
                assert part.tag == f"{Q12}section"
                assert part.findtext(f"{Q12}selection_ordering/{Q12}selection/{Q12}selection_number") == "1"
                items = part.findall(f"{Q12}item")
            assert len(items) == len(asked)
            for item, variant in zip(items, asked, strict=True):
                found.append((item.get("ident") or "", variant, item))
    return found


def holds(condition: ET.Element, response: Any) -> bool:
    """Whether a QTI 1.2 condition holds for a response (a list of chosen idents, or a text)."""
    tag = condition.tag.removeprefix(Q12)
    if tag in ("conditionvar", "and"):
        return all(holds(child, response) for child in condition)
    if tag == "not":
        return not holds(condition[0], response)
    if tag == "varequal":
        return (condition.text in response) if isinstance(response, list) else response == condition.text
    if tag in ("vargte", "varlte"):
        value, bound = float(response), float(condition.text or "")
        return value >= bound - 1e-9 if tag == "vargte" else value <= bound + 1e-9
    raise AssertionError(f"quizkit wrote a condition the test does not know: {tag}")


def respond12(item: ET.Element, response: Any) -> tuple[float, list[str]]:
    score, shown = 0.0, []
    for rule in item.findall(f"{Q12}resprocessing/{Q12}respcondition"):
        condition = rule.find(f"{Q12}conditionvar")
        assert condition is not None
        if condition.find(f"{Q12}other") is not None or holds(condition, response):
            for setvar in rule.findall(f"{Q12}setvar"):
                score = float(setvar.text or "")
            shown += [d.get("linkrefid") or "" for d in rule.findall(f"{Q12}displayfeedback")]
            if rule.get("continue") == "No":
                break
    return score, shown


def as_12(question: dict[str, Any], answer: Any) -> Any:
    kind = question["type"]
    if kind == "true_false":
        return ["true" if answer else "false"]
    if kind == "single":
        return [answer]
    if kind == "numeric":
        return str(answer)
    return list(answer)


def test12_every_key_round_trips_and_scores_as_quizkit_grades(course: Course, files12: dict[str, bytes]) -> None:
    exported = items12(course, files12)
    assert len({ident for ident, _, _ in exported}) == len(exported)
    kinds = {"single": "multiple_choice_question", "multiple": "multiple_answers_question",
             "true_false": "true_false_question", "numeric": "numerical_question"}
    for ident, question, item in exported:
        assert NAME.match(ident)
        assert item.findtext(f".//{Q12}qtimetadatafield[{Q12}fieldlabel='question_type']/{Q12}fieldentry") == kinds[question["type"]]
        assert question["text"] in " ".join(item.find(f"{Q12}presentation").itertext())  # type: ignore[union-attr]
        right = item.find(f"{Q12}resprocessing/{Q12}respcondition[@title='correct']/{Q12}conditionvar")
        assert right is not None
        if question["type"] == "numeric":
            low, high = (float(right.findtext(f"{Q12}and/{Q12}{t}") or "") for t in ("vargte", "varlte"))
            assert (low + high) / 2 == pytest.approx(question["key"]), ident
            assert (high - low) / 2 == pytest.approx(question["tolerance"]), ident
        else:
            chosen = sorted(v.text or "" for v in right.iter(f"{Q12}varequal") if v not in set(right.iter(f"{Q12}not")))
            negated = {v.text for n in right.iter(f"{Q12}not") for v in n}
            key = sorted(set(chosen) - negated)
            expected = question["key"]
            expected = ["true" if expected else "false"] if question["type"] == "true_false" else sorted(
                expected if isinstance(expected, list) else [expected])
            assert key == expected, ident
        feedback = {f.get("ident"): " ".join(f.itertext()).strip() for f in item.findall(f"{Q12}itemfeedback")}
        mistakes = [m["value"] for m in question.get("mistakes", ())]
        for answer in (question["key"], wrong_answer(question), *mistakes):
            correct, quizkit_feedback = judge(question, answer)
            score, shown = respond12(item, as_12(question, answer))
            assert score == (100.0 if correct else 0.0), f"{ident}: {answer!r}"
            text = " ".join(feedback[s] for s in shown)
            assert question["explanation"] in text
            assert quizkit_feedback in text, f"{ident}: quizkit's feedback for {answer!r}"
            if answer in mistakes:
                assert question["feedback"]["incorrect"] not in text, f"{ident}: the mistake's feedback, in its place"


def test12_match_and_order_are_reported_not_dropped_silently(course: Course, capsys: pytest.CaptureFixture[str],
                                                             tmp_path: Path) -> None:
    package = export_qti(course.compiled_quizzes.values(), version="1.2")
    expected = {(quiz_id, q["id"]) for quiz_id, c in course.compiled_quizzes.items() for q in c["questions"]
                if q["type"] in ("match", "order")}
    assert expected, "the course has match and order questions"
    assert {(s.quiz, s.question) for s in package.skipped} == expected
    assert export_qti(course.compiled_quizzes.values(), version="2.1").skipped == []

    output = tmp_path / "q12.zip"
    assert main(["export", "qti", "--version", "1.2", "-o", str(output), "--content", str(ROOT / "exercises")]) == 0
    err = capsys.readouterr().err
    for quiz_id, question_id in expected:
        assert f"{quiz_id}/{question_id}" in err
    assert "imsmanifest.xml" in unzip(output.read_bytes())


def test_cli_writes_a_qti21_package_by_default(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch, course: Course) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["export", "qti", "--content", str(ROOT / "exercises")]) == 0
    out = capsys.readouterr()
    assert out.err == ""
    files = unzip((tmp_path / "quizzes-qti21.zip").read_bytes())
    assert files == unzip(export_qti(course.compiled_quizzes.values(), version="2.1",
                                     title=course.rules.title).zip_bytes())
