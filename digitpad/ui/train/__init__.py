"""The Trainer tab: settings, data source, runs, the live plot, the personal fine-tune."""
