from __future__ import annotations

from cjb_tracker.cli import main

raise SystemExit(main())
