"""The arguments of `finetune`, `samples`, `export` and `export-images`.

Kept apart from the commands themselves: building the parser must not load
torch or numpy, or `digitpad --version` and the window would start slower.
"""

from __future__ import annotations

import argparse
from pathlib import Path

BUILTIN = "builtin"  # MODEL 'builtin': the model DigitPad ships with


def add_finetune_parser(commands: argparse._SubParsersAction) -> None:
    finetune = commands.add_parser(
        "finetune", help="fine-tune a model on your own digits (a folder of images, "
        "a samples file, or --samples)")
    finetune.add_argument("source", type=Path, nargs="?", metavar="SOURCE",
                          help="a folder with sub-folders 0-9 of digit images, or a "
                               ".digitpad-samples.json file")
    finetune.add_argument("--samples", action="store_true",
                          help="fine-tune on the samples you taught in the window")
    finetune.add_argument("--model", metavar="M", help="model to start from: a model file or "
                          "'builtin' (default: the model in use)")
    finetune.add_argument("--data", type=Path, metavar="MNIST",
                          help="MNIST to replay while fine-tuning (default: the usual places; "
                               "without MNIST only your samples are used)")
    finetune.add_argument("--out", type=Path, metavar="PATH",
                          help="where to write the model (default: a new file in the models "
                               "folder)")
    finetune.add_argument("--force", action="store_true",
                          help="let --out replace an existing file that is not a DigitPad model")
    finetune.add_argument("--use", action="store_true",
                          help="make the fine-tuned model the one in use")
    finetune.add_argument("--seed", type=int, help="random seed (default 1)")


def add_samples_parser(commands: argparse._SubParsersAction) -> None:
    samples = commands.add_parser("samples", help="list, export, import or add your samples "
                                  "(the digits you taught)")
    jobs = samples.add_subparsers(dest="samples_command", metavar="JOB", required=True)
    jobs.add_parser("list", help="how many samples of each digit you have")
    export = jobs.add_parser("export", help="write every sample to one file")
    export.add_argument("file", type=Path, metavar="FILE",
                        help="the file to write (e.g. my-digits.digitpad-samples.json)")
    export.add_argument("--force", action="store_true", help="replace FILE if it exists")
    imports = jobs.add_parser("import", help="add the samples of an exported file "
                              "(all or nothing; samples already here are skipped)")
    imports.add_argument("file", type=Path, metavar="FILE")
    add = jobs.add_parser("add", help="add image files as samples of one digit")
    add.add_argument("images", type=Path, nargs="+", metavar="IMAGE")
    add.add_argument("--label", type=int, required=True, metavar="N", help="the digit 0-9")


def add_export_parsers(commands: argparse._SubParsersAction) -> None:
    export = commands.add_parser("export", help="export a model for other programs (ONNX)")
    export.add_argument("model", metavar="MODEL",
                        help=f"a model file, or '{BUILTIN}' for the built-in model")
    export.add_argument("--onnx", type=Path, required=True, metavar="OUT.onnx",
                        help="write an ONNX graph: float32 (N, 1, 28, 28) in 0..1, ink = 1 → "
                             "the ten digits' probabilities")
    images = commands.add_parser("export-images",
                                 help="write MNIST digits as PNG files in sub-folders 0-9")
    images.add_argument("--data", type=Path, metavar="MNIST",
                        help="MNIST folder or .npz (default: the usual places)")
    images.add_argument("--out", type=Path, required=True, metavar="DIR",
                        help="a new (or empty) folder to write into")
    images.add_argument("--split", choices=("train", "test"), default="test",
                        help="which MNIST set (default: test)")
    images.add_argument("--count", type=int, metavar="N",
                        help="at most N digits, about as many of each (default: all)")
