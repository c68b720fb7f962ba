"""``python -m huntsim``: the same as the ``huntsim`` command."""

import sys

from huntsim.cli import main

sys.exit(main())
