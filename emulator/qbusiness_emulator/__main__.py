"""``python -m qbusiness_emulator``: run the emulator server (see server.main)."""

from .server import main

raise SystemExit(main())
