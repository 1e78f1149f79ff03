"""After-incident review: replay over the same fold, integrity, intervals, reports, access log.

Qt-free like the rest of the engine; the console's review window (console/review) shows
these over the live console's own widgets.
"""
