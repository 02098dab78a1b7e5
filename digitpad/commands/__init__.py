"""One module per subcommand of the `digitpad` command line."""
