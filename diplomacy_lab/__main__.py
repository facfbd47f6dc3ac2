"""``python -m diplomacy_lab ...`` runs the command line (same as ``diplomacy-lab ...``)."""

from diplomacy_lab.cli import main

raise SystemExit(main())
