"""The `digitpad` command: the parser and one module per subcommand (the window without one)."""
