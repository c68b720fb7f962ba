"""``python -m huntsim``: the same as the ``huntsim`` command."""

import sys

from huntsim.cli.main import main

sys.exit(main())
