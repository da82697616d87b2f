# The MkDocs plugin of quizkit: the only subpackage that imports mkdocs.
