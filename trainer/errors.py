"""The errors the ML core raises on purpose.

Each carries a message meant for a person: it names the file and says what is
wrong with it, so the CLI and the GUI can show it as one line.
"""


class TrainerError(Exception):
    """Base of every error the trainer raises deliberately."""


class DataError(TrainerError):
    """A data set file is missing, unreadable, or not what it claims to be."""


class CheckpointError(TrainerError):
    """A model or checkpoint file cannot be loaded or saved."""


class ConfigError(TrainerError):
    """A training configuration makes no sense (unknown name, negative epochs, ...)."""


class TrainingDiverged(TrainerError):
    """The loss became NaN or infinite, so the run was stopped."""


class ExportError(TrainerError):
    """A model cannot be exported to another format (a missing package, an unwritable file)."""
