"""``python -m bench`` or ``python tools/bench``."""

import sys
from pathlib import Path

if not __package__:  # run as ``python tools/bench``: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.cli import main

sys.exit(main())
