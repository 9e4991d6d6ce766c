"""Reading a curriculum: files found, YAML 1.2 parsed with positions, models validated.

The reading refuses what would hurt a build machine (huge files, alias bombs,
deep nesting) and turns every YAML and schema problem into a located diagnostic
instead of an exception. The modules, from the bottom up:

- ``text``: bytes to text (size, UTF-8, control characters), file names;
- ``limits``, ``prescan``: the limits, and the libyaml pass that enforces them;
- ``yaml_base``: YAML 1.2 as curriculum files use it (plain data only);
- ``fast_yaml``, ``roundtrip``: the two readers, ``yaml_messages`` their errors;
- ``parse``: one file's text to data and positions;
- ``schema_messages``: data to a model, pydantic's errors located;
- ``cache``: parsed files by content hash;
- ``layout``: which files there are (``discover``);
- ``loading``: the files to a ``Curriculum`` (``assemble``, ``load``).
"""

from .cache import ParseCache
from .layout import KIND_DIRS, CurriculumFile, Discovery, discover, relative
from .limits import LoadLimitError
from .loading import assemble, load, load_files
from .parse import parse_yaml
from .schema_messages import validate_schema
from .text import MAX_FILE_BYTES, read_text

__all__ = [
    "KIND_DIRS",
    "MAX_FILE_BYTES",
    "CurriculumFile",
    "Discovery",
    "LoadLimitError",
    "ParseCache",
    "assemble",
    "discover",
    "load",
    "load_files",
    "parse_yaml",
    "read_text",
    "relative",
    "validate_schema",
]
