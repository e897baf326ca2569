"""`opgen new DIR`: a project around one op package, from the cookiecutter template in
templates/project/.

The pipeline: options or answers -> :class:`~opgen.project.spec.ProjectSpec` (names checked by
opgen's naming rules, nothing written yet) -> the config's XML (:mod:`opgen.project.config_xml`,
built with lxml, or drafted from an ONNX model) -> loaded and validated by opgen's own loader ->
the template's context (:mod:`opgen.project.context`) -> rendered by cookiecutter into a
temporary directory beside DIR -> moved into DIR (:mod:`opgen.project.create`), never over a file
that is already there.
"""
