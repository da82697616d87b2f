# The course's quizzes as an IMS QTI content package (zip): QTI 2.1 or 1.2, keys computed by quizkit.
"""QTI export of compiled quizzes (`quiz.compile_quiz`): standard library only (`xml.etree`).

One assessment per quiz, in an IMS content package (`imsmanifest.xml` at the root).
Texts, keys and feedback are the ones quizkit computed from the rules: the package
holds no expression, so an LMS grades exactly what the course page grades.

Parameterised questions become **a set of variant items** (every variant quizkit drew
and `quizkit check` validated), in a section that draws one per attempt (`selection`),
as the page draws one per seed. QTI's own templates cannot hold them: their keys come
from quizkit's functions over the rules (refill days, dates, rounding), which QTI's
expression language does not have.

Type mapping:

| quizkit | QTI 2.1 | QTI 1.2 |
|---|---|---|
| single | `choiceInteraction`, maxChoices 1 | `response_lid` Single (`multiple_choice_question`) |
| multiple | `choiceInteraction`, maxChoices 0 | `response_lid` Multiple (`multiple_answers_question`) |
| true_false | `choiceInteraction` with choices `true`/`false` | `response_lid` (`true_false_question`) |
| numeric | `textEntryInteraction` (float), `equal` within the tolerance | `render_fib` Decimal, `vargte`/`varlte` |
| match | `matchInteraction` (directedPair) | not held: reported (`Skipped`) |
| order | `orderInteraction` (ordered identifier) | not held: reported (`Skipped`) |

Scoring is all or nothing per question, as on the page: SCORE 1 (2.1) or 100 (1.2).
A numeric question's known mistakes (`mistakes`) show their own feedback for their answer,
as on the page: a `responseElseIf` each (2.1), a `respcondition` each before the one for
any other wrong answer (1.2).
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from quizkit.quiz import VARYING

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from pathlib import Path

Version = Literal["1.2", "2.1"]
VERSIONS: tuple[Version, ...] = ("2.1", "1.2")
CP_NS = "http://www.imsglobal.org/xsd/imscp_v1p1"
QTI21_NS = "http://www.imsglobal.org/xsd/imsqti_v2p1"
QTI12_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
RESPONSE = "RESPONSE"
"""The response identifier of every QTI 2.1 item (1.2: `response1`)."""
FEEDBACK_IDS = {"correct": "FB_CORRECT", "incorrect": "FB_INCORRECT", "explanation": "FB_EXPLANATION"}
"""QTI 2.1 modal feedback identifiers of the question-level texts; option feedback uses the option's id."""
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
"""Every zip entry's date: the same content gives the same bytes."""
_NOT_NAME = re.compile(r"[^A-Za-z0-9_.-]")


@dataclass(frozen=True)
class Skipped:
    """A question the chosen QTI version cannot hold: reported, never dropped silently."""

    quiz: str
    question: str
    type: str
    reason: str

    def __str__(self) -> str:
        return f"{self.quiz}/{self.question} ({self.type}): not exported: {self.reason}"


@dataclass
class Package:
    """The files of a content package (path -> bytes) and what was left out."""

    version: Version
    files: dict[str, bytes] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)

    def zip_bytes(self) -> bytes:
        """The package as a zip, manifest first, entries sorted and dated alike (reproducible)."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in sorted(self.files, key=lambda n: (n != "imsmanifest.xml", n)):
                archive.writestr(zipfile.ZipInfo(name, ZIP_DATE), self.files[name], zipfile.ZIP_DEFLATED)
        return buffer.getvalue()

    def write(self, path: Path) -> None:
        """Write the zip to `path`."""
        path.write_bytes(self.zip_bytes())


def identifier(*parts: str) -> str:
    """A QTI identifier (an XML name) from ids: characters outside `[A-Za-z0-9_.-]` become `_`, dots join."""
    text = ".".join(_NOT_NAME.sub("_", part) for part in parts)
    return text if re.match(r"[A-Za-z_]", text) else f"_{text}"


def variants_of(question: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The question as asked in each of its variants (texts and key filled in); one for a fixed question."""
    variants = question.get("variants")
    if not variants:
        return [dict(question)]
    return [{**question, **{k: v for k, v in chosen.items() if k in VARYING}} for chosen in variants]


def number(value: float) -> str:
    """A number as QTI writes it: no `.0` on whole numbers, no exponent for ordinary amounts."""
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def _el(parent: ET.Element | None, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    node = ET.Element(tag, attributes) if parent is None else ET.SubElement(parent, tag, attributes)
    if text is not None:
        node.text = text
    return node


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True)) + b"\n"


def _choices_clash(question: Mapping[str, Any]) -> str | None:
    """Why a match question's identifiers cannot stand in one interaction, if they cannot."""
    items = [identifier(it["id"]) for it in question["items"]]
    choices = [identifier(c["id"]) for c in question["choices"]]
    both = set(items) & set(choices)
    return f"item and choice ids clash ({', '.join(sorted(both))})" if both else None


# ---------------------------------------------------------------- QTI 2.1


def _value_of(parent: ET.Element, tag: str, values: Iterable[str]) -> None:
    node = _el(parent, tag)
    for value in values:
        _el(node, "value", value)


def _outcome(parent: ET.Element, name: str, base_type: str, default: str | None, cardinality: str = "single") -> None:
    node = _el(parent, "outcomeDeclaration", identifier=name, cardinality=cardinality, baseType=base_type)
    if default is not None:
        _value_of(node, "defaultValue", [default])


def _set(parent: ET.Element, name: str, value: ET.Element) -> None:
    _el(parent, "setOutcomeValue", identifier=name).append(value)


def _base(base_type: str, value: str) -> ET.Element:
    return _el(None, "baseValue", value, baseType=base_type)


def _var(name: str) -> ET.Element:
    return _el(None, "variable", identifier=name)


def _add_feedback(parent: ET.Element, *values: ET.Element) -> None:
    """FEEDBACK := FEEDBACK plus `values` (`multiple` flattens containers)."""
    combined = _el(None, "multiple")
    combined.append(_var("FEEDBACK"))
    for value in values:
        combined.append(value)
    _set(parent, "FEEDBACK", combined)


def _not_null(parent: ET.Element) -> ET.Element:
    """A `responseCondition` whose `responseIf` body runs when the candidate answered; returns the body."""
    condition = _el(parent, "responseCondition")
    body = _el(condition, "responseIf")
    _el(_el(body, "not"), "isNull").append(_var(RESPONSE))
    return body


def _equal(question: Mapping[str, Any]) -> ET.Element:
    """`equal` within the question's tolerance, its operands to be appended."""
    tolerance = float(question.get("tolerance") or 0)
    return (_el(None, "equal", toleranceMode="exact") if tolerance == 0 else
            _el(None, "equal", toleranceMode="absolute", tolerance=f"{number(tolerance)} {number(tolerance)}",
                includeLowerBound="true", includeUpperBound="true"))


def _correct_test(question: Mapping[str, Any]) -> ET.Element:
    test = _equal(question) if question["type"] == "numeric" else _el(None, "match")
    test.append(_var(RESPONSE))
    _el(test, "correct", identifier=RESPONSE)
    return test


def _near_test(question: Mapping[str, Any], value: float) -> ET.Element:
    """The response equals `value` (a known mistake's answer) within the question's tolerance."""
    test = _equal(question)
    test.append(_var(RESPONSE))
    test.append(_base("float", number(value)))
    return test


def item21(question: Mapping[str, Any], ident: str, title: str) -> ET.Element:  # noqa: PLR0915 - one item, one place
    """One QTI 2.1 `assessmentItem` for one variant of a question (match and order included)."""
    kind = question["type"]
    root = _el(None, "assessmentItem", xmlns=QTI21_NS, identifier=ident, title=title, adaptive="false", timeDependent="false")
    key = question["key"]
    if kind == "single":
        cardinality, base_type, correct = "single", "identifier", [identifier(key)]
    elif kind == "multiple":
        cardinality, base_type, correct = "multiple", "identifier", [identifier(k) for k in key]
    elif kind == "true_false":
        cardinality, base_type, correct = "single", "identifier", ["true" if key else "false"]
    elif kind == "numeric":
        cardinality, base_type, correct = "single", "float", [number(key)]
    elif kind == "match":
        cardinality, base_type = "multiple", "directedPair"
        correct = [f"{identifier(item)} {identifier(choice)}" for item, choice in key.items()]
    else:
        cardinality, base_type, correct = "ordered", "identifier", [identifier(k) for k in key]
    declaration = _el(root, "responseDeclaration", identifier=RESPONSE, cardinality=cardinality, baseType=base_type)
    _value_of(declaration, "correctResponse", correct)
    _outcome(root, "SCORE", "float", "0")
    _outcome(root, "MAXSCORE", "float", "1")
    _outcome(root, "FEEDBACK", "identifier", None, cardinality="multiple")

    body = _el(root, "itemBody")
    shuffle = "true" if question.get("shuffle", True) else "false"
    feedback: list[tuple[str, str]] = []  # (identifier, text) of modal feedback
    if kind in ("single", "multiple", "true_false"):
        options: list[dict[str, Any]]
        if kind == "true_false":
            options = [{"id": "true", "text": "True", "pin": False}, {"id": "false", "text": "False", "pin": False}]
            texts = question.get("feedback", {})
            feedback += [(o["id"], texts.get(o["id"], "")) for o in options]
            shuffle = "false"
        else:
            options = question["options"]
            feedback += [(identifier(o["id"]), o.get("feedback", "")) for o in options]
        _el(body, "p", question["text"])
        interaction = _el(body, "choiceInteraction", responseIdentifier=RESPONSE, shuffle=shuffle,
                          maxChoices="1" if kind != "multiple" else "0")
        for option in options:
            attributes = {"identifier": identifier(option["id"])}
            if option.get("pin"):
                attributes["fixed"] = "true"
            _el(interaction, "simpleChoice", option["text"], **attributes)
    elif kind == "numeric":
        _el(body, "p", question["text"])
        line = _el(body, "p")
        entry = _el(line, "textEntryInteraction", responseIdentifier=RESPONSE, expectedLength="12")
        if question.get("unit"):
            entry.tail = f" {question['unit']}"
    elif kind == "match":
        interaction = _el(body, "matchInteraction", responseIdentifier=RESPONSE, shuffle=shuffle,
                          maxAssociations=str(len(question["items"])))
        _el(interaction, "prompt", question["text"])
        lines = _el(interaction, "simpleMatchSet")
        for item in question["items"]:
            _el(lines, "simpleAssociableChoice", item["text"], identifier=identifier(item["id"]), matchMax="1")
            feedback.append((identifier("FB_ITEM", item["id"]), item.get("feedback", "")))
        targets = _el(interaction, "simpleMatchSet")
        for choice in question["choices"]:
            _el(targets, "simpleAssociableChoice", choice["text"], identifier=identifier(choice["id"]), matchMax="0")
    else:
        interaction = _el(body, "orderInteraction", responseIdentifier=RESPONSE, shuffle="true")
        _el(interaction, "prompt", question["text"])
        for item in question["items"]:
            _el(interaction, "simpleChoice", item["text"], identifier=identifier(item["id"]))

    processing = _el(root, "responseProcessing")
    condition = _el(processing, "responseCondition")
    then = _el(condition, "responseIf")
    then.append(_correct_test(question))
    _set(then, "SCORE", _base("float", "1"))
    otherwise = _el(condition, "responseElse")
    _set(otherwise, "SCORE", _base("float", "0"))
    texts = question.get("feedback", {}) if kind in ("numeric", "match", "order") else {}
    answered = _not_null(processing)
    if texts.get("correct") or texts.get("incorrect") or question.get("mistakes"):
        verdict = _el(answered, "responseCondition")
        right = _el(verdict, "responseIf")
        right.append(_correct_test(question))
        _add_feedback(right, _base("identifier", FEEDBACK_IDS["correct"]))
        for j, mistake in enumerate(question.get("mistakes", ())):  # a known mistake's answer: its own feedback
            named = _el(verdict, "responseElseIf")
            named.append(_near_test(question, mistake["value"]))
            _add_feedback(named, _base("identifier", identifier("FB_MISTAKE", str(j + 1))))
            feedback.append((identifier("FB_MISTAKE", str(j + 1)), mistake["feedback"]))
        _add_feedback(_el(verdict, "responseElse"), _base("identifier", FEEDBACK_IDS["incorrect"]))
        feedback += [(FEEDBACK_IDS[k], texts.get(k, "")) for k in ("correct", "incorrect")]
    if kind in ("single", "multiple", "true_false"):
        _add_feedback(answered, _var(RESPONSE))  # each chosen option's own feedback
    if kind == "match":
        for item, choice in key.items():
            wrong = _el(answered, "responseCondition")
            body_if = _el(wrong, "responseIf")
            member = _el(_el(body_if, "not"), "member")
            member.append(_base("directedPair", f"{identifier(item)} {identifier(choice)}"))
            member.append(_var(RESPONSE))
            _add_feedback(body_if, _base("identifier", identifier("FB_ITEM", item)))
    if question.get("explanation"):
        _add_feedback(answered, _base("identifier", FEEDBACK_IDS["explanation"]))
        feedback.append((FEEDBACK_IDS["explanation"], question["explanation"]))
    for ident_, text in feedback:
        if text:
            _el(root, "modalFeedback", text, outcomeIdentifier="FEEDBACK", showHide="show", identifier=ident_)
    return root


def _test21(compiled: Mapping[str, Any], refs: list[tuple[str, list[str]]]) -> ET.Element:
    """The quiz's `assessmentTest`: one item per fixed question, one drawn per attempt from each set of variants."""
    quiz_id = compiled["id"]
    root = _el(None, "assessmentTest", xmlns=QTI21_NS, identifier=identifier("test", quiz_id), title=compiled["title"])
    _outcome(root, "SCORE", "float", "0")
    _outcome(root, "MAXSCORE", "float", str(len(refs)))
    part = _el(root, "testPart", identifier=identifier("part", quiz_id), navigationMode="nonlinear",
               submissionMode="simultaneous")
    section = _el(part, "assessmentSection", identifier=identifier("section", quiz_id), title=compiled["title"], visible="true")
    for question_id, items in refs:
        if len(items) == 1:
            _el(section, "assessmentItemRef", identifier=items[0], href=f"items/{items[0]}.xml")
            continue
        pool = _el(section, "assessmentSection", identifier=identifier("variants", quiz_id, question_id),
                   title=question_id, visible="false")
        _el(pool, "selection", select="1")
        for item in items:
            _el(pool, "assessmentItemRef", identifier=item, href=f"items/{item}.xml")
    processing = _el(root, "outcomeProcessing")
    total = _el(None, "sum")
    _el(total, "testVariables", variableIdentifier="SCORE")
    _set(processing, "SCORE", total)
    return root


# ---------------------------------------------------------------- QTI 1.2


def _mattext(parent: ET.Element, text: str) -> None:
    _el(_el(parent, "material"), "mattext", text, texttype="text/plain")


def _near12(question: Mapping[str, Any], value: float) -> ET.Element:
    """The `conditionvar` true for a number within the question's tolerance of `value`."""
    condition = _el(None, "conditionvar")
    tolerance = float(question.get("tolerance") or 0)
    both = _el(condition, "and")
    _el(both, "vargte", number(value - tolerance), respident="response1")
    _el(both, "varlte", number(value + tolerance), respident="response1")
    return condition


def _condition12(question: Mapping[str, Any]) -> ET.Element:
    """The `conditionvar` true exactly for a right answer (all or nothing)."""
    kind, key = question["type"], question["key"]
    if kind == "numeric":
        return _near12(question, key)
    condition = _el(None, "conditionvar")
    if kind == "multiple":
        both = _el(condition, "and")
        for option in question["options"]:
            holder = both if option["id"] in key else _el(both, "not")
            _el(holder, "varequal", identifier(option["id"]), respident="response1")
    else:
        value = ("true" if key else "false") if kind == "true_false" else identifier(key)
        _el(condition, "varequal", value, respident="response1")
    return condition


def item12(question: Mapping[str, Any], ident: str, title: str) -> ET.Element:  # noqa: PLR0915 - one item, one place
    """One QTI 1.2 `item` for one variant of a single, multiple, true/false or numeric question."""
    kind = question["type"]
    item = _el(None, "item", ident=ident, title=title)
    fields = _el(_el(item, "itemmetadata"), "qtimetadata")
    kinds = {"single": "multiple_choice_question", "multiple": "multiple_answers_question",
             "true_false": "true_false_question", "numeric": "numerical_question"}
    for label, entry in (("question_type", kinds[kind]), ("points_possible", "1")):
        meta = _el(fields, "qtimetadatafield")
        _el(meta, "fieldlabel", label)
        _el(meta, "fieldentry", entry)
    presentation = _el(item, "presentation")
    _mattext(presentation, question["text"])
    feedback: list[tuple[str, str]] = []
    if kind == "numeric":
        response = _el(presentation, "response_str", ident="response1", rcardinality="Single")
        _el(_el(response, "render_fib", fibtype="Decimal"), "response_label", ident="answer1")
        options: list[dict[str, Any]] = []
    else:
        if kind == "true_false":
            texts = question.get("feedback", {})
            options = [{"id": v, "text": v.title(), "feedback": texts.get(v, "")} for v in ("true", "false")]
        else:
            options = question["options"]
        response = _el(presentation, "response_lid", ident="response1",
                       rcardinality="Multiple" if kind == "multiple" else "Single")
        shuffled = question.get("shuffle", True) and kind != "true_false"
        render = _el(response, "render_choice", shuffle="Yes" if shuffled else "No")
        for option in options:
            choice = _el(render, "response_label", ident=identifier(option["id"]))
            if option.get("pin"):
                choice.set("rshuffle", "No")
            _mattext(choice, option["text"])
    processing = _el(item, "resprocessing")
    _el(_el(processing, "outcomes"), "decvar", varname="SCORE", vartype="Decimal", minvalue="0", maxvalue="100")
    for option in options:
        if option.get("feedback"):
            ident_ = identifier("fb", option["id"])
            shown = _el(processing, "respcondition", **{"continue": "Yes"})
            _el(_el(shown, "conditionvar"), "varequal", identifier(option["id"]), respident="response1")
            _el(shown, "displayfeedback", feedbacktype="Response", linkrefid=ident_)
            feedback.append((ident_, option["feedback"]))
    texts = question.get("feedback", {}) if kind == "numeric" else {}
    explanation = question.get("explanation", "")
    right = _el(processing, "respcondition", title="correct", **{"continue": "No"})
    right.append(_condition12(question))
    _el(right, "setvar", "100", action="Set", varname="SCORE")
    for j, mistake in enumerate(question.get("mistakes", ())):  # a known mistake's answer: its own feedback
        named = _el(processing, "respcondition", title=f"mistake {j + 1}", **{"continue": "No"})
        named.append(_near12(question, mistake["value"]))
        _el(named, "setvar", "0", action="Set", varname="SCORE")
        ident_ = identifier("mistake_fb", str(j + 1))
        _el(named, "displayfeedback", feedbacktype="Response", linkrefid=ident_)
        feedback.append((ident_, mistake["feedback"]))
        if explanation:
            _el(named, "displayfeedback", feedbacktype="Response", linkrefid="general_fb")
    wrong = _el(processing, "respcondition", title="incorrect", **{"continue": "Yes"})
    _el(_el(wrong, "conditionvar"), "other")
    _el(wrong, "setvar", "0", action="Set", varname="SCORE")
    for node, name in ((right, "correct"), (wrong, "incorrect")):
        if texts.get(name):
            _el(node, "displayfeedback", feedbacktype="Response", linkrefid=f"{name}_fb")
            feedback.append((f"{name}_fb", texts[name]))
        if explanation:
            _el(node, "displayfeedback", feedbacktype="Response", linkrefid="general_fb")
    if explanation:
        feedback.append(("general_fb", explanation))
    for ident_, text in feedback:
        _mattext(_el(_el(item, "itemfeedback", ident=ident_), "flow_mat"), text)
    return item


# ---------------------------------------------------------------- the package


def _manifest(version: Version, resources: list[tuple[str, str, str, list[str]]], title: str) -> ET.Element:
    """`imsmanifest.xml`: one resource per file, tests depending on their items."""
    root = _el(None, "manifest", xmlns=CP_NS, identifier="quizkit-qti", version=version)
    metadata = _el(root, "metadata")
    _el(metadata, "schema", "QTIv2.1 Package" if version == "2.1" else "IMS Content")
    _el(metadata, "schemaversion", "1.0.0" if version == "2.1" else "1.1.3")
    _el(metadata, "title", title)  # quizkit's own note; LOM is not needed to import
    _el(root, "organizations")
    holder = _el(root, "resources")
    for ident_, kind, href, depends in resources:
        resource = _el(holder, "resource", identifier=ident_, type=kind, href=href)
        _el(resource, "file", href=href)
        for dependency in depends:
            _el(resource, "dependency", identifierref=dependency)
    return root


def export_qti(quizzes: Iterable[Mapping[str, Any]], *, version: Version = "2.1", title: str = "Quizzes") -> Package:
    """The compiled quizzes as a QTI content package of `version`; what it cannot hold is in `.skipped`."""
    if version not in VERSIONS:
        raise ValueError(f"QTI version {version!r}: use one of {', '.join(VERSIONS)}")
    package = Package(version=version)
    resources: list[tuple[str, str, str, list[str]]] = []
    for compiled in quizzes:
        quiz_id = compiled["id"]
        refs: list[tuple[str, list[str]]] = []
        root = section = None
        if version == "1.2":
            root = _el(None, "questestinterop", xmlns=QTI12_NS)
            assessment = _el(root, "assessment", ident=identifier("test", quiz_id), title=compiled["title"])
            section = _el(assessment, "section", ident=identifier("section", quiz_id))
        for question in compiled["questions"]:
            kind = question["type"]
            if version == "1.2" and kind in ("match", "order"):
                package.skipped.append(Skipped(quiz_id, question["id"], kind, "QTI 1.2 has no match or order interaction "
                                               "that LMSs import; export QTI 2.1 for it"))
                continue
            if kind == "match" and (clash := _choices_clash(question)):
                package.skipped.append(Skipped(quiz_id, question["id"], kind, clash))
                continue
            asked = variants_of(question)
            names = [identifier(quiz_id, question["id"]) if len(asked) == 1 else
                     identifier(quiz_id, question["id"], f"v{i + 1:02d}") for i in range(len(asked))]
            item_title = f"{compiled['title']}: {question['id']}"
            if section is not None:
                holder = section
                if len(asked) > 1:
                    holder = _el(section, "section", ident=identifier("variants", quiz_id, question["id"]), title=question["id"])
                    _el(_el(_el(holder, "selection_ordering"), "selection"), "selection_number", "1")
                for name, variant in zip(names, asked, strict=True):
                    holder.append(item12(variant, name, item_title))
            else:
                for name, variant in zip(names, asked, strict=True):
                    href = f"items/{name}.xml"
                    package.files[href] = _xml(item21(variant, name, item_title))
                    resources.append((name, "imsqti_item_xmlv2p1", href, []))
            refs.append((question["id"], names))
        if version == "2.1":
            href = f"tests/{identifier(quiz_id)}.xml"
            package.files[href] = _xml(_test21(compiled, refs))
            resources.append((identifier("test", quiz_id), "imsqti_test_xmlv2p1", href, [n for _, names in refs for n in names]))
        elif root is not None:
            href = f"quizzes/{identifier(quiz_id)}.xml"
            package.files[href] = _xml(root)
            resources.append((identifier("test", quiz_id), "imsqti_xmlv1p2", href, []))
    package.files["imsmanifest.xml"] = _xml(_manifest(version, resources, title))
    return package
