"""`digitpad` on the command line: train, eval, predict — and the GUI without arguments.

Bad input never shows a traceback: it exits with status 2 and one line on
stderr that names the file and the problem.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from digitpad import __version__
from digitpad.cli.output import (
    EXIT_BAD_INPUT,
    EXIT_BROKEN_PIPE,
    EXIT_INTERRUPTED,
    one_line,
    stop_writing_to_closed_pipe,
    tolerate_unencodable_output,
)

EXAMPLES = """examples:
  digitpad predict drawing.png --json      read a digit from an image file
  digitpad predict --number sum.png        read a whole number (several digits)
  digitpad eval --data ~/mnist             accuracy of the built-in model on MNIST test
  digitpad train --preset fast             about 99 % on MNIST in under a minute
  digitpad train --resume CHECKPOINT       continue an interrupted run
  digitpad finetune my-digits/ --out me.safetensors   learn your handwriting (folders 0-9)
  digitpad export builtin --onnx digits.onnx          the model for ONNX runtimes
  digitpad inspect drawing.png --out seen  what every layer makes of a drawing
"""


# Each subcommand (but predict, below) and where it lives: (module, function of args).
COMMANDS = {
    "train": ("digitpad.cli.train", "train_command"),
    "eval": ("digitpad.cli.evaluate", "eval_command"),
    "inspect": ("digitpad.cli.inspect_image", "inspect_command"),
    "finetune": ("digitpad.cli.finetune", "finetune_command"),
    "samples": ("digitpad.cli.samples", "samples_command"),
    "export": ("digitpad.cli.export", "export_command"),
    "export-images": ("digitpad.cli.export", "export_images_command"),
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not usage + error
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="digitpad", description="Draw digits and watch a neural network "
                     "read them; train and evaluate it. Without a command, the window opens.",
                     epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"digitpad {__version__}")
    launcher = parser.add_mutually_exclusive_group()
    launcher.add_argument("--install-desktop", action="store_true",
                          help="add DigitPad to your applications menu (this user only)")
    launcher.add_argument("--uninstall-desktop", action="store_true",
                          help="remove DigitPad from your applications menu")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)

    train = commands.add_parser("train", help="train or fine-tune a model")
    train.add_argument("--data", type=Path, help="MNIST folder or .npz (default: usual places)")
    train.add_argument("--arch", help="architecture: digitnet, quicknet, seed, seed-wide")
    train.add_argument("--channels", type=int, nargs="+", metavar="N",
                       help="channel sizes of the seed family (2 values) or width of digitnet")
    train.add_argument("--hidden", type=int, help="hidden units of seed/quicknet")
    train.add_argument("--epochs", type=int)
    train.add_argument("--batch-size", type=int)
    train.add_argument("--optimizer", help="sgd, nesterov, adam, adamw or rmsprop")
    train.add_argument("--lr", type=float, help="(peak) learning rate")
    train.add_argument("--momentum", type=float)
    train.add_argument("--weight-decay", type=float)
    train.add_argument("--schedule", help="none, onecycle or cosine")
    train.add_argument("--augment", action=argparse.BooleanOptionalAction, default=None,
                       help="augment with rotation, scale, shift, shear, thickness")
    train.add_argument("--label-smoothing", type=float)
    train.add_argument("--preset", help="start from a preset: tutorial, fast, best, finetune")
    train.add_argument("--resume", type=Path, metavar="CKPT", help="continue an interrupted run")
    train.add_argument("--from", dest="start_from", type=Path, metavar="MODEL",
                       help="fine-tune this model instead of starting from scratch")
    train.add_argument("--out", type=Path, help="where the model/checkpoint is written "
                       "after every epoch (default: in the user data folder)")
    train.add_argument("--force", action="store_true",
                       help="let --out replace an existing file that is not a DigitPad model")
    train.add_argument("--model-only", action="store_true",
                       help="at the end, keep only the model (drop the state for resuming)")
    train.add_argument("--pendigits", type=Path, metavar="JSONL",
                       help="also train on pen-drawn digits (pendigits strokes file)")
    train.add_argument("--pendigits-writers", default="1-24", metavar="RANGES",
                       help="which writers of --pendigits to train on (default 1-24)")
    train.add_argument("--seed", type=int)
    train.add_argument("--device", help="auto, cpu, cuda or mps")
    train.add_argument("--threads", type=int, help="CPU threads for PyTorch")
    train.add_argument("--quiet", action="store_true", help="no progress bar")

    evaluate = commands.add_parser("eval", help="loss, accuracy and confusion matrix on MNIST test")
    evaluate.add_argument("--data", type=Path)
    evaluate.add_argument("--model", type=Path, help="model file (default: the built-in model)")
    evaluate.add_argument("--json", action="store_true")
    evaluate.add_argument("--mistakes", type=Path, metavar="DIR",
                          help="also write the misread test images here, named like "
                          "true7-read2-0123.png")

    inspect = commands.add_parser(
        "inspect", help="what every layer of the network makes of an image",
        description="Write the 28×28 input, every layer's outputs, the first convolution's "
        "kernels, the saliency of the answer and inspect.json to a folder.")
    inspect.add_argument("image", type=Path, metavar="IMAGE")
    inspect.add_argument("--model", type=Path, help="model file (default: the built-in model)")
    inspect.add_argument("--out", type=Path, required=True, metavar="DIR",
                         help="folder for the pictures and inspect.json (made if missing)")

    from digitpad.cli.arguments import add_export_parsers, add_finetune_parser, add_samples_parser

    add_finetune_parser(commands)
    add_samples_parser(commands)
    add_export_parsers(commands)

    predict = commands.add_parser("predict", help="read the digit in image files")
    predict.add_argument("images", type=Path, nargs="+", metavar="IMAGE")
    predict.add_argument("--model", type=Path, help="model file (default: the built-in model)")
    predict.add_argument("--json", action="store_true", help="one JSON object per line")
    predict.add_argument("--number", action="store_true",
                         help="read a whole number of several digits in each image")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    tolerate_unencodable_output()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.install_desktop or args.uninstall_desktop:
        if args.command is not None:
            parser.error(f"--install-desktop and --uninstall-desktop take no command "
                         f"(got '{args.command}')")
        from digitpad.cli.desktop import desktop_command

        return desktop_command(install=args.install_desktop)
    if args.command is None:
        from digitpad.ui.shell.application import run

        return run()
    from trainer.errors import TrainerError

    try:
        if args.command in COMMANDS:
            # Imported only when asked for: most commands load torch, and --help must not.
            module, function = COMMANDS[args.command]
            return getattr(importlib.import_module(module), function)(args)
        if args.number:
            from digitpad.cli.predict_number import predict_number_command

            return predict_number_command(args)
        from digitpad.cli.predict import predict_command

        return predict_command(args)
    except TrainerError as error:
        print(f"digitpad: error: {one_line(error)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("digitpad: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `digitpad predict *.png | head`: the reader has all it wants. Say nothing,
        # and point stdout at nothing so the flush at exit does not fail again.
        stop_writing_to_closed_pipe()
        return EXIT_BROKEN_PIPE
