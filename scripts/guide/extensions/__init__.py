"""The project's per-page work as Python-Markdown extensions, configured under
`markdown_extensions:` in mkdocs.yml, so that any generator that runs Python-Markdown (MkDocs,
ProperDocs, Zensical) renders the project's markers. Each module is one extension with
`makeExtension`; the logic lives in the `guide` module it names."""
