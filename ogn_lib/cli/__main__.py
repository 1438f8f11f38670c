"""``python -m ogn_lib.cli ARGS...`` runs ``ogn ARGS...``."""

import sys

from ogn_lib.cli import main

sys.exit(main())
