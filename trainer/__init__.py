"""DigitPad's ML core: data sets, models, the training loop and checkpoints.

Headless on purpose: nothing here imports Qt or the `digitpad` application.
Import what you need from its module (`trainer.engine`, `trainer.checkpoint`,
...). This file stays empty of imports: importing a light submodule such as
`trainer.errors` runs it first, and must not drag in torch, or the GUI could no
longer show its window before torch has loaded.
"""
