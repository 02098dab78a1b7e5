"""The Draw tab: the canvas, the live prediction, teaching samples, My samples."""
