"""Build-time helpers of the TRT Fertility Guide: MkDocs hooks and content measures."""
