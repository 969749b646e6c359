from engine.interfaces.cli import main

raise SystemExit(main())
