"""The window around the tabs: start-up, the main window, the model status, settings."""
