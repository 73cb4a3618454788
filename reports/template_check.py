"""Whether an office's Word template may be used, and the sandbox every template renders in.

A report template is a file a user sent, and docxtpl turns its text into a Jinja program: left
alone, ``{{ cycler.__init__.__globals__.os.popen('id').read() }}`` runs a command on the server.
So a template is checked, in this order, before it is stored and again before each use:

1. **The package** (``plans.packages.open_docx``): at most ``MAX_TEMPLATE_XML`` of XML inflated,
   so a compressed bomb is refused before any parser opens it.
2. **The tags** (:func:`tag_problems`): at most ``MAX_TAGS``, each closed before the next one
   opens and within ``MAX_TAG_SPAN`` characters (a missing brace would swallow the text up to the
   next tag), and no tag name written with single braces.
3. **What the tags say** (:func:`program_problems`), over every text docxtpl renders (body,
   headers, footers, footnotes, document properties): only the names of :data:`TAGS` (and a
   loop's own variable inside it), the filters of :data:`FILTERS`, ``for`` over a tag (not
   nested), ``if`` on a tag. No attribute, item, call, assignment, macro or import, so nothing
   a template says can reach Python.
4. **A sample rendering** (:func:`rendering_problems`): every tag replaced by its own name in
   «», the output must hold the signer, each section's content, the page number field and the
   sample mark.

Every template, the default one included, renders with Jinja's
``ImmutableSandboxedEnvironment`` (:func:`jinja_env`) as a second wall.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator

from docx import Document
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment
from lxml import etree

from plans.packages import PackageError, open_docx
from reports.docx_format import SAMPLE_TEXT
from reports.template import LIST_TAGS, REQUIRED, TAGS

MAX_TEMPLATE_XML = 4 * 1024 * 1024
MAX_TAGS = 400
MAX_TAG_SPAN = 4000
FILTERS = ("upper", "lower", "capitalize", "title", "trim")
_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_HEADER = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
_JOINED = re.compile(r"(?<={)(<[^>]*>)+(?=[\{%\#])|(?<=[%\}\#])(<[^>]*>)+(?=\})", re.DOTALL)
_OPENER = re.compile(r"\{[\{%#]")
_CLOSERS = {"{{": "}}", "{%": "%}", "{#": "#}"}
_XML_TAG = re.compile(r"<[^>]*>")
_SINGLE = re.compile(r"(?<!\{)\{\s*([a-zA-Z_]\w*)\s*\}(?!\})")
_HOW = (
    "Mỗi thẻ phải có dạng {{ ten_the }}, {{p ten_the }} hoặc {%p for dong in ten_the %} … {%p endfor %}, "
    "gõ liền một lần, dùng dấu nháy thẳng."
)


class TemplateProblem(ValueError):
    """A template cannot be used; ``problems`` lists every reason, in Vietnamese."""

    def __init__(self, problems: list[str]):
        super().__init__("Mẫu báo cáo không dùng được:\n- " + "\n- ".join(problems))
        self.problems = problems


def jinja_env() -> ImmutableSandboxedEnvironment:
    """Jinja for rendering a template: sandboxed, a misspelt tag is an error, not an empty string."""
    return ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=True)


def _text(xml: str) -> str:
    """The readable text of a piece of Word XML."""
    return " ".join(_XML_TAG.sub(" ", xml).split())


def _quote(text: str) -> str:
    return f"“{text[:80]}{'…' if len(text) > 80 else ''}”"


def tag_problems(xml: str) -> list[str]:
    """What is wrong with the tags of one part's XML as a reader of braces sees them (linear in its size)."""
    joined = _JOINED.sub("", xml)
    problems: list[str] = []
    openers = list(_OPENER.finditer(joined))
    if len(openers) > MAX_TAGS:
        return [f"Mẫu có {len(openers)} thẻ, nhiều bất thường (tối đa {MAX_TAGS})."]
    for i, opener in enumerate(openers):
        closer = _CLOSERS[opener.group()]
        end = joined.find(closer, opener.end())
        following = openers[i + 1].start() if i + 1 < len(openers) else len(joined)
        if end < 0 or end > following or end - opener.start() > MAX_TAG_SPAN:
            snippet = _text(joined[opener.start() : following].split("</w:p>", 1)[0])
            problems.append(f"Thẻ {_quote(snippet)} thiếu dấu đóng “{closer}” (thiếu một dấu ngoặc?). {_HOW}")
    for single in _SINGLE.finditer(_text(joined)):
        if single.group(1) in TAGS:
            problems.append(
                f"Thẻ {_quote(single.group())} chỉ có một dấu ngoặc mỗi bên: phải viết {{{{ {single.group(1)} }}}}."
            )
    return problems


def _sources(tpl: DocxTemplate) -> Iterator[str]:
    """Every text docxtpl renders as Jinja, as it renders it (patched XML, one line per paragraph)."""
    docx = tpl.get_docx()
    parts = [tpl.get_xml()]
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        parts += [tpl.get_part_xml(part) for _, part in tpl.get_headers_footers(uri)]
    parts += [
        bytes(part.blob).decode("utf-8", "replace")
        for part in docx.part.package.parts
        if part.content_type == _FOOTNOTES
    ]
    for xml in parts:
        yield re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(xml))
    for name in _PROPERTIES:
        yield getattr(docx.core_properties, name) or ""


def _tag_at(source: str, line: int, word: str) -> str:
    """The tag on ``line`` of ``source`` that holds ``word`` (what a person sees in Word)."""
    lines = source.splitlines()
    text = _text(lines[line - 1]) if 0 < line <= len(lines) else ""
    tags = re.findall(r"\{[\{%#].*?[\}%#]\}", text)
    return _quote(next((t for t in tags if word in t), tags[0] if tags else text))


class _Program:
    """Walks one parsed source and collects what it may not say."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[str] = []

    def refuse(self, node: nodes.Node, word: str, why: str) -> None:
        self.problems.append(
            f"Thẻ {_tag_at(self.source, node.lineno, word)} {why}. Mẫu báo cáo chỉ được dùng các "
            f"thẻ trong danh sách “Cách sửa mẫu”."
        )

    def statement(self, node: nodes.Node, names: frozenset[str], in_loop: bool) -> None:
        if isinstance(node, nodes.Template):
            for child in node.body:
                self.statement(child, names, in_loop)
        elif isinstance(node, nodes.Output):
            for child in node.nodes:
                if not isinstance(child, nodes.TemplateData):
                    self.expression(child, names)
        elif isinstance(node, nodes.For):
            self.loop(node, names, in_loop)
        elif isinstance(node, nodes.If):
            self.expression(node.test, names)
            for child in [*node.body, *node.elif_, *node.else_]:
                self.statement(child, names, in_loop)
        else:
            word = type(node).__name__.lower()
            self.refuse(node, word, f"dùng lệnh “{word}”, không được phép")

    def loop(self, node: nodes.For, names: frozenset[str], in_loop: bool) -> None:
        if in_loop:
            self.refuse(node, "for", "là vòng lặp lồng trong vòng lặp khác, không được phép")
            return
        if not isinstance(node.target, nodes.Name) or node.else_ or node.test is not None or node.recursive:
            self.refuse(node, "for", "chỉ được viết {%p for dong in ten_the %}")
            return
        if not (isinstance(node.iter, nodes.Name) and node.iter.name in TAGS):
            self.expression(node.iter, names)
            self.refuse(node, "for", "phải lặp trên một thẻ của danh sách")
            return
        for child in node.body:
            self.statement(child, names | {node.target.name}, True)

    def expression(self, node: nodes.Node, names: frozenset[str]) -> None:
        if isinstance(node, nodes.Name):
            if node.name not in names:
                self.refuse(node, node.name, f"dùng tên “{node.name}”, không có trong danh sách thẻ của mẫu")
        elif isinstance(node, nodes.Const):
            return
        elif isinstance(node, nodes.Not):
            self.expression(node.node, names)
        elif isinstance(node, nodes.Filter):
            if node.name not in FILTERS or node.args or node.kwargs or node.dyn_args or node.dyn_kwargs:
                self.refuse(node, node.name, f"dùng bộ lọc “{node.name}”; chỉ được dùng {', '.join(FILTERS)}")
            if node.node is not None:
                self.expression(node.node, names)
        elif isinstance(node, (nodes.Getattr, nodes.Getitem)):
            attribute = node.attr if isinstance(node, nodes.Getattr) else "[…]"
            self.refuse(node, str(attribute), f"đọc thuộc tính “{attribute}” của một giá trị, không được phép")
        elif isinstance(node, nodes.Call):
            callee = node.node
            word = getattr(callee, "name", None) or getattr(callee, "attr", None) or "("
            self.refuse(node, word, f"gọi hàm “{word}”, không được phép")
        else:
            word = type(node).__name__.lower()
            self.refuse(node, word, f"dùng phép “{word}”, không được phép")


def program_problems(tpl: DocxTemplate) -> list[str]:
    """What the template's tags say that a report template may not (see the module's point 3)."""
    env = jinja_env()
    problems: list[str] = []
    for source in _sources(tpl):
        if not source or ("{" not in source):
            continue
        try:
            tree = env.parse(source)
        except TemplateError as err:
            line = getattr(err, "lineno", None) or 0
            problems.append(f"Mẫu có thẻ viết sai cú pháp gần đoạn {_tag_at(source, line, '{')}. {_HOW}")
            continue
        program = _Program(source)
        program.statement(tree, frozenset(TAGS), False)
        problems += program.problems
    return list(dict.fromkeys(problems))


def usable(data: bytes) -> bytes:
    """The template re-packed within bounds, when its package, tags and program pass (points 1–3);
    ``TemplateProblem`` otherwise. What a report is rendered from."""
    try:
        package = open_docx(data, "Tệp mẫu", MAX_TEMPLATE_XML)
    except PackageError as err:
        raise TemplateProblem([f"{err}."]) from err
    problems = [
        p
        for name, xml in package.parts.items()
        if name.startswith("word/") and name.endswith(".xml")
        for p in tag_problems(xml.decode("utf-8", "replace"))
    ]
    if problems:
        raise TemplateProblem(problems)
    try:
        tpl = DocxTemplate(io.BytesIO(package.repacked))
        problems = program_problems(tpl)
    except (KeyError, ValueError, TypeError, etree.LxmlError) as err:
        raise TemplateProblem(
            ["Tệp .docx bị hỏng hoặc không phải văn bản Word (không đọc được nội dung); hãy mở bằng Word và lưu lại."]
        ) from err
    if problems:
        raise TemplateProblem(problems)
    return package.repacked


def _sample(tag: str) -> str:
    return f"«{tag}»"


def rendering_problems(template: bytes) -> list[str]:
    """Render the (usable) template with every tag set to its own name in «» and sample data on, and
    name what the output lacks: the signer, a section, the page number field, the sample mark."""
    tpl = DocxTemplate(io.BytesIO(template))
    context: dict[str, object] = {}
    for tag in TAGS:
        if tag in REQUIRED:
            sub = tpl.new_subdoc()
            sub.add_paragraph(_sample(tag))
            context[tag] = sub
        else:
            context[tag] = [_sample(tag)] if tag in LIST_TAGS else _sample(tag)
    context["du_lieu_mau"] = True
    try:
        tpl.render(context, jinja_env())
    except TemplateError:
        return [f"Mẫu không lập được báo cáo thử (thẻ đặt sai chỗ, ví dụ {{{{p … }}}} giữa một dòng chữ). {_HOW}"]
    buffer = io.BytesIO()
    tpl.save(buffer)
    rendered = Document(io.BytesIO(buffer.getvalue()))
    body = _text(rendered.element.xml)
    header_xml = "".join(
        bytes(part.blob).decode("utf-8", "replace")
        for part in rendered.part.package.parts
        if part.content_type == _HEADER
    )
    headers = _text(header_xml)
    problems = [
        f"Báo cáo lập thử bằng mẫu này không có {TAGS[tag]} (thẻ {{{{p {tag} }}}} bị mất hoặc nằm trong "
        f"một thẻ điều kiện)."
        for tag in REQUIRED
        if _sample(tag) not in body
    ]
    if _sample("nguoi_ky") not in body:
        problems.append("Báo cáo lập thử bằng mẫu này không có họ tên người ký (thẻ {{ nguoi_ky }}).")
    if not re.search(r"w:instr=\"\s*PAGE\b|<w:instrText[^>]*>\s*PAGE\b", header_xml):
        problems.append("Mẫu không còn số trang ở đầu trang (trường PAGE); hãy tải lại mẫu mặc định và sửa trên đó.")
    if SAMPLE_TEXT not in headers:
        problems.append(
            f"Mẫu không còn dòng “{SAMPLE_TEXT}” ở đầu trang (thẻ {{% if du_lieu_mau %}}): báo cáo dùng "
            "dữ liệu mẫu sẽ không được đánh dấu."
        )
    if "{{" in body or "{%" in body:
        problems.append(
            "Còn thẻ không được thay trong báo cáo (Word đã tách thẻ hoặc đổi dấu ngoặc); hãy xóa thẻ đó "
            "và gõ lại liền một lần."
        )
    return problems


def check_template(data: bytes, render: Callable[[bytes], bytes] | None = None) -> list[str]:
    """Every reason an uploaded template cannot be used (empty when it can): points 1–4 of the module,
    then, with ``render`` (a real report made with the template), that real report too."""
    try:
        template = usable(data)
    except TemplateProblem as problem:
        return problem.problems
    problems = rendering_problems(template)
    if problems or render is None:
        return problems
    try:
        rendered = render(template)
    except TemplateError:
        return [f"Mẫu không lập được báo cáo thật (thẻ đặt sai chỗ). {_HOW}"]
    leftovers = [p.text for p in Document(io.BytesIO(rendered)).paragraphs if "{{" in p.text or "{%" in p.text]
    if leftovers:
        return [
            f"Còn thẻ không được thay trong báo cáo (Word đã tách thẻ hoặc đổi dấu ngoặc): {_quote(leftovers[0])}. "
            "Hãy xóa thẻ đó và gõ lại liền một lần."
        ]
    return []
