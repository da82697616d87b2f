# Exports of the course into the formats learning management systems import: QTI (quizzes), SCORM 1.2 (the site).
"""Build-time exports: `qti` (standard library only) and `scorm` (builds the site with MkDocs)."""
