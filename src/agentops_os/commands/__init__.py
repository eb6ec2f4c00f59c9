"""One module per `ao` command group; each exposes `cli`."""
