"""`[[grade: guideline | strength | evidence]]` becomes a label linking to the editorial policy's
explanation of grades (logic: guide.evidence). A malformed marker stops the build."""

from __future__ import annotations

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from guide.evidence import GradeError, render_markers
from guide.page_context import BuildStop, page_context

EXPLANATION = "about/editorial-policy.md#evidence-grades"
PRIORITY = 29.2  # after the facts, before the citations that must follow each marker


class EvidencePreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if "[[" not in text:
            return lines
        page = page_context(self.md)
        try:
            return render_markers(text, page.markdown_link(EXPLANATION)).split("\n")
        except GradeError as error:
            raise BuildStop(f"{page.src_uri}: {error}") from None


class EvidenceExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(EvidencePreprocessor(md), "guide-evidence", PRIORITY)


def makeExtension(**kwargs) -> EvidenceExtension:
    return EvidenceExtension(**kwargs)
