"""sitecheck: checks the links, anchors and assets of any folder of static HTML."""
