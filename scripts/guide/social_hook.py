"""MkDocs hook: every page's canonical URL is its public address (guide/social.py).

Material's `<link rel="canonical">`, the sitemap, the Open Graph tags in
overrides/partials/social.html and the section "Copy link" buttons all read page.canonical_url,
so setting it once here keeps them on the published site, also under `mkdocs serve`.
"""

from __future__ import annotations

from mkdocs.exceptions import PluginError

from guide.social import PublicUrlError, public_base, public_page_url

base = ""


def on_config(config):
    global base
    try:
        base = public_base(config["extra"].get("public_url"))
    except PublicUrlError as error:
        raise PluginError(str(error)) from None
    return config


def on_page_context(context, page, config, nav):
    page.canonical_url = public_page_url(base, page.url)
    return context
