"""Where the user's things live on disk: samples, runs, the model in use, the menu entry."""
