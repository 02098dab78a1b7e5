"""The keys of the Trainer tab's run buttons, here on their own so that the
keyboard shortcuts dialog can name them without building (or importing) the
tab, which needs torch."""

TRAIN_KEY, PAUSE_KEY, STOP_KEY = "Ctrl+Return", "Ctrl+P", "Ctrl+."
