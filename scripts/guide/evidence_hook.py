"""MkDocs hook: guideline grade markers (guide/evidence.py) become labels linking to the
editorial policy's explanation; a malformed marker stops the build with the page named."""

from __future__ import annotations

import posixpath

from mkdocs.exceptions import PluginError

from guide.evidence import GradeError, render_markers

EXPLANATION = "about/editorial-policy.md#evidence-grades"


def on_page_markdown(markdown, page, config, files):
    link = posixpath.relpath(EXPLANATION.split("#")[0], posixpath.dirname(page.file.src_uri) or ".")
    try:
        return render_markers(markdown, f"{link}#{EXPLANATION.split('#')[1]}")
    except GradeError as error:
        raise PluginError(f"{page.file.src_uri}: {error}") from None
