from agentops_os.entry import main

raise SystemExit(main())
