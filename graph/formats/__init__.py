"""Import and export formats beyond the organisation document itself.

- :mod:`graph.formats.csvsheets`: a folder of CSV spreadsheets, the way HR keeps
  a framework (a role × competency requirements matrix, a competency × level
  indicators sheet, people, assessments, ...), both ways.
- :mod:`graph.formats.case`: 1EdTech CASE 1.0 JSON packages for the competency
  framework part (framework, scale, competencies, indicators), both ways.

Readers are pure functions that return an organisation document (see
:mod:`graph.document`) or raise :class:`graph.errors.BadInput` listing every
problem, by file and line or by JSON path; the caller writes only after success.

>>> from graph.formats import from_case, read_folder, to_case, write_folder
>>> callable(read_folder) and callable(write_folder) and callable(to_case) and callable(from_case)
True
"""

from .case import from_case, to_case
from .csvsheets import read_folder, write_folder

__all__ = ["read_folder", "write_folder", "to_case", "from_case"]
